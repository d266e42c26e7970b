import { beforeAll, describe, expect, it } from 'vitest';
import { writeCounters } from './helpers/counters.js';
import { AB_TEST, MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 100 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

const action = (id: string, name: string, payload?: object) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/experiments/${id}/${name}`,
    headers,
    ...(payload ? { payload } : {}),
  });

async function assignmentRows(experimentId: string) {
  return ctx.db.asSystem((q) =>
    q.query<{ browser_id: string; combination_id: string; probability: number }>(
      'SELECT browser_id, combination_id::text, probability FROM assignments WHERE experiment_id = $1',
      [experimentId],
    ),
  );
}

describe('assign', () => {
  it('assigns an ab_test visitor once and returns the same combination forever', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const tracker = trackerFor(ctx.app, exp.id);
    const first = await tracker.assign('visitor-1');
    expect(first).toMatchObject({
      experiment_id: exp.id,
      browser_id: 'visitor-1',
      eligible: true,
      new_assignment: true,
    });
    expect(first.variants).toHaveLength(1);
    expect(exp.combinations.map((c) => c.id)).toContain(first.combination_id);
    expect(first.variants[0]).toMatchObject({ element_name: 'Main element', selector: '#cta' });
    for (let i = 0; i < 3; i++) {
      const again = await tracker.assign('visitor-1');
      expect(again).toMatchObject({ combination_id: first.combination_id, new_assignment: false });
    }
    const rows = await assignmentRows(exp.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].probability).toBeGreaterThan(0);
  });

  it('returns one variant per element for a multi_element test, matching the combination', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT);
    const res = await trackerFor(ctx.app, exp.id).assign('mv-1');
    const combination = exp.combinations.find((c) => c.id === res.combination_id)!;
    expect(res.variants.map((v) => v.variant_id)).toEqual(combination.variant_ids);
    expect(res.variants.map((v) => v.element_id)).toEqual(exp.elements.map((e) => e.id));
  });

  it('gives every one of many simultaneous first requests of a visitor the same answer', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT);
    const tracker = trackerFor(ctx.app, exp.id);
    const answers = await Promise.all(Array.from({ length: 40 }, () => tracker.assign('racer')));
    expect(new Set(answers.map((a) => a.combination_id)).size).toBe(1);
    expect(answers.filter((a) => a.new_assignment)).toHaveLength(1);
    expect(await assignmentRows(exp.id)).toHaveLength(1);
  });

  it('splits fixed allocation by weight and stores each arm’s probability', async () => {
    const exp = await launch(ctx.app, headers, {
      ...AB_TEST,
      traffic_allocation: 'fixed',
      variants: [
        { name: 'Control', weight: 3 },
        { name: 'B', weight: 1 },
      ],
    });
    const tracker = trackerFor(ctx.app, exp.id);
    const answers = await Promise.all(Array.from({ length: 2000 }, (_, i) => tracker.assign(`w${i}`)));
    const control =
      answers.filter((a) => a.combination_id === exp.combinations[0].id).length / answers.length;
    // Binomial(2000, 0.75): sd ≈ 0.0097, so ±0.05 is over 5 sd.
    expect(control).toBeGreaterThan(0.7);
    expect(control).toBeLessThan(0.8);
    const rows = await assignmentRows(exp.id);
    expect(rows).toHaveLength(2000);
    for (const row of rows) {
      expect(row.probability).toBeCloseTo(row.combination_id === exp.combinations[0].id ? 0.75 : 0.25, 9);
    }
  });

  it('shifts adaptive traffic toward the arm the counters favour', async () => {
    const exp = await launch(ctx.app, headers, {
      ...AB_TEST,
      variants: [{ name: 'Control' }, { name: 'B' }, { name: 'C' }],
    });
    const [a, b, c] = exp.combinations.map((x) => x.id);
    const tracker = trackerFor(ctx.app, exp.id);
    await tracker.assign('warm-up'); // loads the experiment into the snapshot cache
    await writeCounters(ctx.db, exp.id, [
      { combinationId: a, visitors: 1000, conversions: 40 },
      { combinationId: b, visitors: 1000, conversions: 90 },
      { combinationId: c, visitors: 1000, conversions: 45 },
    ]);
    await new Promise((r) => setTimeout(r, 400)); // a few snapshot refreshes
    const answers = await Promise.all(Array.from({ length: 600 }, (_, i) => tracker.assign(`adapt${i}`)));
    const shareB = answers.filter((x) => x.combination_id === b).length / answers.length;
    expect(shareB).toBeGreaterThan(0.6);
    const rows = await assignmentRows(exp.id);
    const probs = new Map(rows.map((r) => [r.combination_id, r.probability]));
    expect(probs.get(b)).toBeGreaterThan(0.6);
    expect(probs.get(a)).toBeGreaterThan(0); // the floor keeps every arm explorable
  });
});

describe('eligibility', () => {
  it('serves the control unenrolled when targeting does not match', async () => {
    const exp = await launch(ctx.app, headers, {
      ...AB_TEST,
      targeting: { language: 'de', url: { $regex: '/pricing' } },
    });
    const tracker = trackerFor(ctx.app, exp.id);
    const miss = await tracker.assign('t1', { language: 'fr', url: 'https://shop.example/pricing' });
    expect(miss).toMatchObject({ eligible: false, reason: 'targeting' });
    expect(miss.variants[0].is_control).toBe(true);
    expect(miss.combination_id).toBeUndefined();
    const none = await tracker.assign('t2');
    expect(none).toMatchObject({ eligible: false, reason: 'targeting' });
    const hit = await tracker.assign('t3', { language: 'de', url: 'https://shop.example/pricing?x=1' });
    expect(hit).toMatchObject({ eligible: true, new_assignment: true });
    expect((await assignmentRows(exp.id)).map((r) => r.browser_id)).toEqual(['t3']);
  });

  it('targets on custom attributes', async () => {
    const exp = await launch(ctx.app, headers, {
      ...AB_TEST,
      targeting: { 'attributes.plan': { $in: ['pro', 'team'] } },
    });
    const tracker = trackerFor(ctx.app, exp.id);
    expect((await tracker.assign('p1', { attributes: { plan: 'pro' } })).eligible).toBe(true);
    expect((await tracker.assign('p2', { attributes: { plan: 'free' } })).reason).toBe('targeting');
  });

  it('keeps a stable share of visitors under traffic_percentage', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, traffic_percentage: 30 });
    const tracker = trackerFor(ctx.app, exp.id);
    const ids = Array.from({ length: 1000 }, (_, i) => `tp${i}`);
    const first = await Promise.all(ids.map((id) => tracker.assign(id)));
    const share = first.filter((a) => a.eligible).length / ids.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    expect(
      first.filter((a) => !a.eligible).every((a) => a.reason === 'traffic' && a.variants[0].is_control),
    ).toBe(true);
    const second = await Promise.all(ids.map((id) => tracker.assign(id)));
    expect(second.map((a) => a.eligible)).toEqual(first.map((a) => a.eligible));
    expect((await assignmentRows(exp.id)).length).toBe(first.filter((a) => a.eligible).length);
  });
});

describe('lifecycle states', () => {
  it('draft: control, not enrolled', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST, false);
    const res = await trackerFor(ctx.app, exp.id).assign('d1');
    expect(res).toMatchObject({ eligible: false, reason: 'not_running' });
    expect(res.variants[0].is_control).toBe(true);
    expect(await assignmentRows(exp.id)).toHaveLength(0);
  });

  it('paused: returning visitors keep their combination, new ones get the control unenrolled', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT);
    const tracker = trackerFor(ctx.app, exp.id);
    const before = await tracker.assign('returning');
    expect((await action(exp.id, 'pause')).statusCode).toBe(200);
    const returning = await tracker.assign('returning');
    expect(returning).toMatchObject({
      eligible: true,
      combination_id: before.combination_id,
      new_assignment: false,
    });
    const fresh = await tracker.assign('newcomer');
    expect(fresh).toMatchObject({ eligible: false, reason: 'not_running' });
    expect(fresh.variants.every((v) => v.is_control)).toBe(true);
    expect((await assignmentRows(exp.id)).map((r) => r.browser_id)).toEqual(['returning']);
    expect((await action(exp.id, 'resume')).statusCode).toBe(200);
    expect((await tracker.assign('newcomer')).eligible).toBe(true);
  });

  it('completed: everyone sees the chosen winner, no one is enrolled', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const tracker = trackerFor(ctx.app, exp.id);
    await tracker.assign('early');
    const winner = exp.combinations[1];
    expect((await action(exp.id, 'complete', { winner_combination_id: winner.id })).statusCode).toBe(200);
    for (const visitor of ['early', 'late']) {
      const res = await tracker.assign(visitor);
      expect(res).toMatchObject({ eligible: false, reason: 'not_running' });
      expect(res.variants.map((v) => v.variant_id)).toEqual(winner.variant_ids);
    }
    expect((await assignmentRows(exp.id)).map((r) => r.browser_id)).toEqual(['early']);
  });

  it('completed without a winner: the control', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    await action(exp.id, 'complete');
    const res = await trackerFor(ctx.app, exp.id).assign('x');
    expect(res.variants[0].is_control).toBe(true);
  });

  it('a deleted experiment is 404 to the tracker', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    await trackerFor(ctx.app, exp.id).assign('x');
    await ctx.app.inject({ method: 'DELETE', url: `/api/v1/experiments/${exp.id}`, headers });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracker/assign',
      payload: { experiment_id: exp.id, browser_id: 'x' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('TRACKER_EXPERIMENT_001');
  });
});
