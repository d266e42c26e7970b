import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 100 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

const rows = <T>(sql: string, params: unknown[]) => ctx.db.asSystem((q) => q.query<T>(sql, params));

describe('allocation epochs', () => {
  it('name the allocation every assignment and every counter row was drawn from', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT);
    const tracker = trackerFor(ctx.app, exp.id);
    for (let i = 0; i < 60; i++) {
      const a = await tracker.assign(`v${i}`);
      if (i % 3 === 0) await tracker.convert(`v${i}`);
      expect(a.combination_id).toBeTruthy();
    }
    const epochs = await rows<{ id: number; probabilities: Record<string, number> }>(
      'SELECT id::float8 AS id, probabilities FROM allocation_epochs WHERE experiment_id = $1 ORDER BY id',
      [exp.id],
    );
    expect(epochs.length).toBeGreaterThanOrEqual(1);
    for (const e of epochs) {
      expect(Object.keys(e.probabilities).sort()).toEqual(exp.combinations.map((c) => c.id).sort());
      expect(Object.values(e.probabilities).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    }
    // Every assignment names a recorded epoch, and its stored probability is that epoch's.
    const assigned = await rows<{ epoch: number; combination_id: string; probability: number }>(
      'SELECT epoch::float8 AS epoch, combination_id::text, probability FROM assignments WHERE experiment_id = $1',
      [exp.id],
    );
    expect(assigned).toHaveLength(60);
    const byId = new Map(epochs.map((e) => [e.id, e.probabilities]));
    for (const a of assigned) {
      expect(byId.has(a.epoch)).toBe(true);
      expect(a.probability).toBeCloseTo(byId.get(a.epoch)![a.combination_id], 12);
    }
    // The counters split by epoch add up to the assignments and conversions of each epoch.
    const counted = await rows<{ epoch: number; visitors: number; converted: number }>(
      `SELECT e.epoch::float8 AS epoch,
              (SELECT coalesce(sum(visitors), 0)::float8 FROM combination_counters k
                WHERE k.experiment_id = $1 AND k.epoch = e.epoch) AS visitors,
              (SELECT coalesce(sum(converted), 0)::float8 FROM goal_counters g
                WHERE g.experiment_id = $1 AND g.epoch = e.epoch) AS converted
       FROM (SELECT DISTINCT epoch FROM assignments WHERE experiment_id = $1) e`,
      [exp.id],
    );
    for (const c of counted) {
      expect(c.visitors).toBe(assigned.filter((a) => a.epoch === c.epoch).length);
    }
    expect(counted.reduce((s, c) => s + c.converted, 0)).toBe(20);
  });

  it('reach the stats: the decision’s test reads the recorded strata', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, planned_visitors: 1000 });
    const tracker = trackerFor(ctx.app, exp.id);
    for (let i = 0; i < 40; i++) {
      await tracker.assign(`s${i}`);
      if (i % 4 === 0) await tracker.convert(`s${i}`);
    }
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/experiments/${exp.id}`, headers });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.planned_visitors).toBe(1000);
    const decision = view.stats.decision;
    expect(decision.test).toBe('group_sequential');
    expect(decision.looks).toBe(5);
    expect(decision.look).toBe(0); // 40 of 1,000 planned visitors: before the first analysis
    expect(decision.horizon_reached).toBe(false);
    expect(view.stats.srm).not.toBeNull(); // checked against the recorded epochs
    for (const c of view.stats.combinations) {
      expect(c.effective_visitors).toBeGreaterThan(0);
      expect(c.uplift_ci95 === null).toBe(c.is_control);
    }
    // Every visitor is in the strata the test read.
    const strata = await rows<{ epoch: number; combination_id: string; visitors: number }>(
      `SELECT epoch::float8 AS epoch, combination_id::text, sum(visitors)::float8 AS visitors
       FROM combination_counters WHERE experiment_id = $1 GROUP BY epoch, combination_id`,
      [exp.id],
    );
    expect(strata.reduce((s, r) => s + r.visitors, 0)).toBe(40);
    expect(strata.every((r) => r.epoch > 0)).toBe(true);
  });
});
