import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { writeCounters } from './helpers/counters.js';
import { AB_TEST, createTestApp, MULTI_ELEMENT, signUp, type TestContext } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

// What the API reports as traffic is what the tracker draws from, and every process agrees on it
// (one snapshot builder, one allocation function of the counters and the declared winner); a
// declared winner is recorded once and exploited by every process and after a restart. A second
// app on the same database stands for a second process: its own runtime, its own caches.

interface Stats {
  allocation: { source: string; phase: string };
  declared_winner: { combination_id: string; goal: string } | null;
  combinations: { combination_id: string; traffic_weight: number }[];
}

const weightsOf = (stats: Stats) => stats.combinations.map((c) => c.traffic_weight);

const FOUR_BY_THREE = {
  ...MULTI_ELEMENT,
  name: '81 combinations',
  elements: ['A', 'B', 'C', 'D'].map((name) => ({
    name,
    selector: `#${name}`,
    variants: [{ name: `${name}1` }, { name: `${name}2` }, { name: `${name}3` }],
  })),
};

describe('the allocation the API reports and the tracker draws from', () => {
  let ctx: TestContext;
  let other: App;
  let headers: Record<string, string>;
  const stats = async (app: App, id: string): Promise<Stats> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/experiments/${id}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().stats;
  };

  beforeAll(async () => {
    // No timed refresh: each runtime allocates once, when it loads the experiment.
    ctx = await createTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 3_600_000 });
    other = await buildApp({ config: ctx.config, db: ctx.db, logger: false });
    headers = (await signUp(ctx.app)).headers;
  });
  afterAll(async () => {
    await other?.close();
    await ctx?.close();
  });

  for (const [label, payload] of [
    ['an adaptive A/B test', AB_TEST],
    ['a 9-combination test (top-two)', MULTI_ELEMENT],
    ['an 81-combination test (the factorial model, which draws from the posterior)', FOUR_BY_THREE],
  ] as const) {
    it(`is one and the same for ${label}`, async () => {
      const exp = await launch(ctx.app, headers, payload);
      const ids = exp.combinations.map((c) => c.id);
      // Past the burn-in, one combination ahead: the policy has something to say.
      await writeCounters(
        ctx.db,
        exp.id,
        ids.map((combinationId, i) => ({
          combinationId,
          visitors: 60,
          conversions: i === 1 ? 12 : 3 + (i % 4),
        })),
      );
      // Another process that has not loaded the experiment computes it from the counters…
      const elsewhere = await stats(other, exp.id);
      expect(elsewhere.allocation).toMatchObject({ source: 'counters', phase: 'explore' });
      // …and the tracker process, which loads it on its first visitor, draws from the same.
      const tracker = trackerFor(ctx.app, exp.id);
      const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => tracker.assign(`agree-${i}`)));
      expect(answers.every((a) => a.eligible)).toBe(true);
      const here = await stats(ctx.app, exp.id);
      expect(here.allocation).toMatchObject({ source: 'tracker', phase: 'explore' });
      expect(weightsOf(here)).toEqual(weightsOf(elsewhere));
      // Every new visitor's stored probability is its combination's reported weight, exactly.
      const stored = await ctx.db.asSystem((q) =>
        q.query<{ combination_id: string; probability: number }>(
          'SELECT combination_id::text, probability FROM assignments WHERE experiment_id = $1',
          [exp.id],
        ),
      );
      const weight = new Map(here.combinations.map((c) => [c.combination_id, c.traffic_weight]));
      expect(stored).toHaveLength(300);
      for (const row of stored) expect(row.probability).toBe(weight.get(row.combination_id));
    });
  }
});

describe('a declared winner, in every process and after a restart', () => {
  let ctx: TestContext;
  let second: App;
  let headers: Record<string, string>;
  const stats = async (app: App, id: string): Promise<Stats> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/experiments/${id}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().stats;
  };
  const settle = () => new Promise((r) => setTimeout(r, 400)); // two refreshes

  beforeAll(async () => {
    ctx = await createTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 150 });
    second = await buildApp({ config: ctx.config, db: ctx.db, logger: false });
    headers = (await signUp(ctx.app)).headers;
  });
  afterAll(async () => {
    await second?.close();
    await ctx?.close();
  });

  it('is recorded once and exploited by both processes, also when the data dips and after a restart', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const [control, variant] = exp.combinations.map((c) => c.id);
    await writeCounters(ctx.db, exp.id, [
      { combinationId: control, visitors: 2000, conversions: 100 },
      { combinationId: variant, visitors: 2000, conversions: 300 },
    ]);
    // Both processes serve it (and so refresh it).
    await trackerFor(ctx.app, exp.id).assign('first');
    await trackerFor(second, exp.id).assign('second');
    await settle();
    const recorded = await ctx.db.asSystem((q) =>
      q.query<{ combination_id: string; goal: string }>(
        'SELECT combination_id::text, goal FROM experiment_decisions WHERE experiment_id = $1',
        [exp.id],
      ),
    );
    expect(recorded).toEqual([{ combination_id: variant, goal: 'conversion' }]);
    const [a, b] = [await stats(ctx.app, exp.id), await stats(second, exp.id)];
    for (const s of [a, b]) {
      expect(s.allocation).toMatchObject({ source: 'tracker', phase: 'exploit' });
      expect(s.declared_winner).toMatchObject({ combination_id: variant, goal: 'conversion' });
    }
    expect(weightsOf(a)).toEqual(weightsOf(b));

    // The control catches up: the rule alone would no longer declare the variant.
    await writeCounters(ctx.db, exp.id, [{ combinationId: control, visitors: 0, conversions: 200 }]);
    await settle();
    const dipped = await stats(second, exp.id);
    expect(dipped.allocation.phase).toBe('exploit');
    expect(weightsOf(dipped)).toEqual(weightsOf(b));

    // A restart: a new process reads the record instead of starting over.
    await second.close();
    second = await buildApp({ config: ctx.config, db: ctx.db, logger: false });
    await trackerFor(second, exp.id).assign('after-restart');
    const restarted = await stats(second, exp.id);
    expect(restarted.allocation).toMatchObject({ source: 'tracker', phase: 'exploit' });
    expect(weightsOf(restarted)).toEqual(weightsOf(b));
  });
});
