import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

async function counters(experimentId: string) {
  return ctx.db.asSystem((q) =>
    q.query<{ id: string; visitors: number; successful_conversions: number }>(
      `SELECT c.id::text, coalesce(sum(k.visitors), 0)::int AS visitors,
              coalesce(sum(k.successful_conversions), 0)::int AS successful_conversions
       FROM combinations c LEFT JOIN combination_counters k ON k.combination_id = c.id
       WHERE c.experiment_id = $1 GROUP BY c.id, c.position ORDER BY c.position`,
      [experimentId],
    ),
  );
}

async function events(experimentId: string) {
  return ctx.db.asSystem((q) =>
    q.query<{
      browser_id: string;
      goal: string;
      value: number | null;
      counted: boolean;
      combination_id: string | null;
    }>(
      `SELECT browser_id, goal, value, counted, combination_id::text FROM conversions
       WHERE experiment_id = $1 ORDER BY id`,
      [experimentId],
    ),
  );
}

describe('convert', () => {
  it('counts the first conversion of an assigned visitor per goal and stores every event', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const tracker = trackerFor(ctx.app, exp.id);
    const { combination_id } = await tracker.assign('buyer');
    expect(await tracker.convert('buyer')).toEqual({ counted: true });
    expect(await tracker.convert('buyer', { value: 19.99 })).toEqual({ counted: false });
    expect(await tracker.convert('buyer', { goal: 'newsletter' })).toEqual({ counted: true });
    expect(await tracker.convert('buyer', { goal: 'newsletter' })).toEqual({ counted: false });
    const stored = await events(exp.id);
    expect(stored).toHaveLength(4);
    expect(stored.map((e) => e.counted)).toEqual([true, false, true, false]);
    expect(stored[1].value).toBe(19.99);
    expect(stored.every((e) => e.combination_id === combination_id)).toBe(true);
    // Only the primary goal ("conversion" by default) feeds the bandit's counters.
    const byId = new Map((await counters(exp.id)).map((c) => [c.id, c]));
    expect(byId.get(combination_id!)?.successful_conversions).toBe(1);
    expect(byId.get(combination_id!)?.visitors).toBe(1);
  });

  it('stores but does not count a conversion of a visitor who was never assigned', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    expect(await trackerFor(ctx.app, exp.id).convert('stranger')).toEqual({ counted: false });
    const stored = await events(exp.id);
    expect(stored).toEqual([
      { browser_id: 'stranger', goal: 'conversion', value: null, counted: false, combination_id: null },
    ]);
    expect((await counters(exp.id)).every((c) => c.successful_conversions === 0)).toBe(true);
  });

  it('uses the experiment’s first goal as its primary goal', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, goals: ['purchase', 'signup'] });
    const tracker = trackerFor(ctx.app, exp.id);
    const { combination_id } = await tracker.assign('v');
    expect(await tracker.convert('v', { goal: 'signup' })).toEqual({ counted: true });
    let row = (await counters(exp.id)).find((c) => c.id === combination_id)!;
    expect(row.successful_conversions).toBe(0);
    expect(await tracker.convert('v', { goal: 'purchase' })).toEqual({ counted: true });
    row = (await counters(exp.id)).find((c) => c.id === combination_id)!;
    expect(row.successful_conversions).toBe(1);
  });

  it('counts exactly once under concurrent duplicates, and exactly per visitor under load', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const tracker = trackerFor(ctx.app, exp.id);
    const visitors = Array.from({ length: 300 }, (_, i) => `c${i}`);
    await Promise.all(visitors.map((v) => tracker.assign(v)));
    const results = await Promise.all(
      visitors.flatMap((v) => [tracker.convert(v), tracker.convert(v), tracker.convert(v)]),
    );
    expect(results.filter((r) => r.counted)).toHaveLength(300);
    expect(await events(exp.id)).toHaveLength(900);
    const total = (await counters(exp.id)).reduce((s, c) => s + c.successful_conversions, 0);
    expect(total).toBe(300);
    const visitorsTotal = (await counters(exp.id)).reduce((s, c) => s + c.visitors, 0);
    expect(visitorsTotal).toBe(300);
  });

  it('answers an unknown experiment with 404', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracker/convert',
      payload: { experiment_id: '00000000-0000-4000-8000-000000000000', browser_id: 'x' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('TRACKER_EXPERIMENT_001');
  });

  it('accepts a text/plain beacon body', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    await trackerFor(ctx.app, exp.id).assign('beacon');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracker/convert',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify({ experiment_id: exp.id, browser_id: 'beacon' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ counted: true });
  });
});
