import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

/** Per combination, its visitors and its counters on `goal` (summed over shards). */
async function counters(experimentId: string, goal = 'conversion') {
  return ctx.db.asSystem((q) =>
    q.query<{
      id: string;
      visitors: number;
      converted: number;
      events: number;
      events_squares: number;
      value_sum: number;
      value_squares: number;
    }>(
      `SELECT c.id::text,
              (SELECT coalesce(sum(visitors), 0)::int FROM combination_counters WHERE combination_id = c.id) AS visitors,
              coalesce(sum(g.converted), 0)::int AS converted, coalesce(sum(g.events), 0)::int AS events,
              coalesce(sum(g.events_squares), 0) AS events_squares, coalesce(sum(g.value_sum), 0) AS value_sum,
              coalesce(sum(g.value_squares), 0) AS value_squares
       FROM combinations c LEFT JOIN goal_counters g ON g.combination_id = c.id AND g.goal = $2
       WHERE c.experiment_id = $1 GROUP BY c.id, c.position ORDER BY c.position`,
      [experimentId, goal],
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
    // Every goal has its own counters, whatever the experiment declares.
    const byId = new Map((await counters(exp.id)).map((c) => [c.id, c]));
    expect(byId.get(combination_id!)).toMatchObject({
      visitors: 1,
      converted: 1,
      events: 2,
      value_sum: 19.99,
    });
    const newsletter = new Map((await counters(exp.id, 'newsletter')).map((c) => [c.id, c]));
    expect(newsletter.get(combination_id!)).toMatchObject({ converted: 1, events: 2, events_squares: 4 });
  });

  it('keeps each visitor’s totals and the sums of squares of them exact across batches', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, goals: [{ key: 'purchase', kind: 'revenue' }] });
    const tracker = trackerFor(ctx.app, exp.id);
    const orders: Record<string, number[]> = { a: [10, 5.5], b: [100], c: [1, 2, 3, -2] };
    const combination = new Map<string, string>();
    for (const v of Object.keys(orders)) combination.set(v, (await tracker.assign(v)).combination_id!);
    // The first orders of each visitor together (one batch or several), then the rest one by one.
    await Promise.all(
      Object.entries(orders).map(([v, values]) => tracker.convert(v, { goal: 'purchase', value: values[0] })),
    );
    for (const [v, values] of Object.entries(orders)) {
      for (const value of values.slice(1)) await tracker.convert(v, { goal: 'purchase', value });
    }
    const rows = await counters(exp.id, 'purchase');
    for (const row of rows) {
      const mine = Object.entries(orders).filter(([v]) => combination.get(v) === row.id);
      const totals = mine.map(([, values]) => values.reduce((s, x) => s + x, 0));
      expect(row.converted).toBe(mine.length);
      expect(row.events).toBe(mine.reduce((s, [, values]) => s + values.length, 0));
      expect(row.value_sum).toBeCloseTo(
        totals.reduce((s, t) => s + t, 0),
        9,
      );
      expect(row.value_squares).toBeCloseTo(
        totals.reduce((s, t) => s + t * t, 0),
        9,
      );
      expect(row.events_squares).toBe(mine.reduce((s, [, values]) => s + values.length ** 2, 0));
    }
  });

  it('stores but does not count a conversion of a visitor who was never assigned', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    expect(await trackerFor(ctx.app, exp.id).convert('stranger')).toEqual({ counted: false });
    const stored = await events(exp.id);
    expect(stored).toEqual([
      { browser_id: 'stranger', goal: 'conversion', value: null, counted: false, combination_id: null },
    ]);
    expect((await counters(exp.id)).every((c) => c.converted === 0 && c.events === 0)).toBe(true);
  });

  it('counts every goal from the start, declared or not, so declaring one later loses nothing', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, goals: ['purchase'] });
    const tracker = trackerFor(ctx.app, exp.id);
    const { combination_id } = await tracker.assign('v');
    expect(await tracker.convert('v', { goal: 'signup' })).toEqual({ counted: true });
    expect(await tracker.convert('v', { goal: 'purchase' })).toEqual({ counted: true });
    const signup = (await counters(exp.id, 'signup')).find((c) => c.id === combination_id)!;
    const purchase = (await counters(exp.id, 'purchase')).find((c) => c.id === combination_id)!;
    expect([signup.converted, purchase.converted]).toEqual([1, 1]);
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
    const all = await counters(exp.id);
    expect(all.reduce((s, c) => s + c.converted, 0)).toBe(300);
    expect(all.reduce((s, c) => s + c.events, 0)).toBe(900);
    expect(all.reduce((s, c) => s + c.events_squares, 0)).toBe(300 * 9);
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
