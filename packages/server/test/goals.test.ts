import { beforeAll, describe, expect, it } from 'vitest';
import { writeCounters } from './helpers/counters.js';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

interface GoalStats {
  key: string;
  kind: string;
  role: string;
  declared: boolean;
  visitors: number;
  conversions: number;
  events: number;
  value_sum: number;
  observed_mean: number;
  combinations: { combination_id: string; conversions: number; events: number; value_sum: number }[];
}

async function get(url: string) {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/experiments/${url}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}
const stats = async (id: string) => (await get(id)).json().stats;

async function patch(id: string, payload: object) {
  return ctx.app.inject({ method: 'PATCH', url: `/api/v1/experiments/${id}`, headers, payload });
}

/** The time series of `goal`, summed over its buckets, per combination. */
async function seriesTotals(id: string, goal: string) {
  const series = (await get(`${id}/timeseries?interval=minute&goal=${goal}`)).json();
  const totals = new Map<string, { conversions: number; events: number; value: number }>();
  for (const bucket of series.buckets) {
    for (const c of bucket.combinations) {
      const t = totals.get(c.combination_id) ?? { conversions: 0, events: 0, value: 0 };
      t.conversions += c.conversions;
      t.events += c.events;
      t.value += c.value;
      totals.set(c.combination_id, t);
    }
  }
  return totals;
}

async function expectStatsMatchSeries(id: string) {
  const report = await stats(id);
  for (const goal of report.goals as GoalStats[]) {
    const series = await seriesTotals(id, goal.key);
    for (const c of goal.combinations) {
      const s = series.get(c.combination_id) ?? { conversions: 0, events: 0, value: 0 };
      expect([goal.key, c.conversions, c.events]).toEqual([goal.key, s.conversions, s.events]);
      expect(c.value_sum).toBeCloseTo(s.value, 9);
    }
  }
  return report;
}

describe('goals', () => {
  it('keeps the stats and the time series in agreement for every goal when the goals change mid-run', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, goals: ['signup'] });
    const tracker = trackerFor(ctx.app, exp.id);
    const visitors = Array.from({ length: 40 }, (_, i) => `v${i}`);
    for (const v of visitors) await tracker.assign(v);
    for (const [i, v] of visitors.entries()) {
      if (i % 3 === 0) await tracker.convert(v, { goal: 'signup' });
      if (i % 4 === 0) await tracker.convert(v, { goal: 'purchase', value: 10 + i });
      if (i % 8 === 0) await tracker.convert(v, { goal: 'purchase', value: 5 });
    }
    let report = await expectStatsMatchSeries(exp.id);
    expect(report.primary_goal).toBe('signup');
    expect(report.total_conversions).toBe(14);
    // `purchase` is not declared yet: visible as an undeclared goal, never silently dropped.
    expect(report.undeclared_goals).toEqual({
      total: 1,
      goals: [{ goal: 'purchase', conversions: 10, events: 15 }],
    });

    const changed = await patch(exp.id, {
      goals: [
        { key: 'purchase', kind: 'revenue', role: 'primary' },
        'signup',
        { key: 'refund', role: 'guardrail', direction: 'lower' },
      ],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    for (const v of visitors.slice(0, 10)) await tracker.convert(v, { goal: 'purchase', value: 1 });
    await tracker.convert('v1', { goal: 'refund' });

    report = await expectStatsMatchSeries(exp.id);
    expect(report.primary_goal).toBe('purchase');
    expect(report.undeclared_goals.total).toBe(0);
    const purchase = report.goals.find((g: GoalStats) => g.key === 'purchase') as GoalStats;
    // Counted from the start: the events before `purchase` was declared are in.
    const expectedValue =
      visitors.reduce((s, _, i) => s + (i % 4 === 0 ? 10 + i : 0) + (i % 8 === 0 ? 5 : 0), 0) + 10;
    expect(purchase).toMatchObject({ kind: 'revenue', declared: true, visitors: 40, events: 25 });
    expect(purchase.value_sum).toBeCloseTo(expectedValue, 9);
    expect(purchase.observed_mean).toBeCloseTo(expectedValue / 40, 9);
    // The top level is the primary goal's: revenue per visitor.
    const sumOfMeans = report.combinations.reduce(
      (s: number, c: { observed_mean: number; visitors: number }) => s + c.observed_mean * c.visitors,
      0,
    );
    expect(sumOfMeans).toBeCloseTo(expectedValue, 6);
    expect(report.goals.map((g: GoalStats) => [g.key, g.role])).toEqual([
      ['purchase', 'primary'],
      ['signup', 'secondary'],
      ['refund', 'guardrail'],
    ]);
    expect(report.decision.guardrails.map((g: { goal: string }) => g.goal)).toEqual(['refund']);
  });

  it('reports the implicit conversion goal of an experiment without goals, and what it does not declare', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const tracker = trackerFor(ctx.app, exp.id);
    await tracker.assign('a');
    expect(await tracker.convert('a', { goal: 'purchse' })).toEqual({ counted: true });
    const report = await stats(exp.id);
    expect(report.goals.map((g: GoalStats) => [g.key, g.declared, g.conversions])).toEqual([
      ['conversion', false, 0],
    ]);
    expect(report.undeclared_goals).toEqual({
      total: 1,
      goals: [{ goal: 'purchse', conversions: 1, events: 1 }],
    });
  });

  it('says "winner, but the guardrail is likely worse" when the winner regresses a guardrail', async () => {
    const exp = await launch(ctx.app, headers, {
      ...AB_TEST,
      goals: ['signup', { key: 'refund', role: 'guardrail', direction: 'lower', threshold: 0.05 }],
    });
    const [control, variant] = exp.combinations.map((c) => c.id);
    await writeCounters(
      ctx.db,
      exp.id,
      [
        { combinationId: control, visitors: 5000, conversions: 250 },
        { combinationId: variant, visitors: 5000, conversions: 400 },
      ],
      'signup',
    );
    await writeCounters(
      ctx.db,
      exp.id,
      [
        { combinationId: control, visitors: 0, conversions: 100 },
        { combinationId: variant, visitors: 0, conversions: 160 },
      ],
      'refund',
    );
    const report = await stats(exp.id);
    expect(report.decision.decision).toBe('winner');
    expect(report.decision.winner_combination_id).toBe(variant);
    expect(report.decision.guardrails).toHaveLength(1);
    expect(report.decision.guardrails[0]).toMatchObject({ goal: 'refund', likely_worse: true });
    expect(report.decision.guardrails[0].prob_worse).toBeGreaterThan(0.99);
    const refund = report.goals.find((g: GoalStats) => g.key === 'refund');
    expect(
      refund.combinations.map(
        (c: { prob_worse_than_control: number | null }) => c.prob_worse_than_control,
      )[0],
    ).toBeNull();
  });

  it('refuses goal definitions that contradict each other, naming the field', async () => {
    const create = (goals: unknown[]) =>
      ctx.app.inject({ method: 'POST', url: '/api/v1/experiments', headers, payload: { ...AB_TEST, goals } });
    const contradictions = [
      { key: 'a', role: 'primary' },
      { key: 'b', role: 'primary' },
      'a',
      { key: 'c', threshold: 0.1 },
    ];
    const res = await create([...contradictions, { key: 'd', kind: 'profit' }]);
    expect(res.statusCode).toBe(422);
    const fields = res.json().error.details.map((d: { field: string }) => d.field);
    expect(fields.some((f: string) => f.startsWith('body.goals.4'))).toBe(true);
    const valid = await create(contradictions);
    expect(valid.statusCode).toBe(422);
    expect(valid.json().error.details).toEqual([
      { field: 'body.goals.2', message: 'goal "a" is already goal 1' },
      { field: 'body.goals.3.threshold', message: 'only a guardrail has a threshold' },
      { field: 'body.goals.1.role', message: 'only one goal can be primary' },
    ]);
  });

  it('exports each revenue goal’s per-visitor value', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, goals: [{ key: 'purchase', kind: 'revenue' }] });
    const tracker = trackerFor(ctx.app, exp.id);
    await tracker.assign('buyer');
    await tracker.assign('browser');
    await tracker.convert('buyer', { goal: 'purchase', value: 30 });
    await tracker.convert('buyer', { goal: 'purchase', value: 12.5 });
    const csv = (await get(`${exp.id}/export.csv`)).body.trim().split('\n');
    expect(csv[0].split(',').slice(-2)).toEqual(['converted_purchase', 'value_purchase']);
    const rows = new Map(csv.slice(1).map((line) => [line.split(',')[0], line.split(',').slice(-2)]));
    expect(rows.get('buyer')).toEqual(['1', '42.5']);
    expect(rows.get('browser')).toEqual(['0', '0']);
  });
});
