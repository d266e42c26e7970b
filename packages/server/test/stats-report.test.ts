import { computeAllocation, computeStats, createRng } from '@samplit/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCounters } from './helpers/counters.js';
import { AB_TEST, MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

/** Writes counters as the tracker would, split over two shards (readers must sum them). */
function setCounters(experimentId: string, combinationIds: string[], arms: [number, number][]) {
  return writeCounters(
    ctx.db,
    experimentId,
    arms.map(([visitors, conversions], i) => ({ combinationId: combinationIds[i], visitors, conversions })),
  );
}

async function getExperiment(id: string, as = headers) {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/experiments/${id}`, headers: as });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('GET /experiments/{id} stats', () => {
  it('reports every combination from the counters, exactly as the engine computes it', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const ids = exp.combinations.map((c) => c.id);
    await setCounters(exp.id, ids, [
      [1000, 40],
      [1000, 55],
    ]);
    const { stats } = await getExperiment(exp.id);
    const engineArms = [
      { visitors: 1000, conversions: 40 },
      { visitors: 1000, conversions: 55 },
    ];
    const engine = computeStats({ arms: engineArms, controlArm: 0 });
    expect(stats.total_visitors).toBe(2000);
    expect(stats.total_conversions).toBe(95);
    expect(stats.conversion_rate).toBeCloseTo(0.0475, 12);
    expect(stats.primary_goal).toBe('conversion');
    expect(stats.control_combination_id).toBe(ids[0]);
    expect(stats.combinations.map((c: { combination_id: string }) => c.combination_id)).toEqual(ids);
    for (const [i, arm] of engine.arms.entries()) {
      const got = stats.combinations[i];
      expect(got.visitors).toBe(arm.visitors);
      expect(got.conversions).toBe(arm.conversions);
      expect(got.conversion_rate).toBe(arm.rate);
      expect(got.posterior_mean).toBe(arm.mean);
      expect(got.alpha).toBe(arm.alpha);
      expect(got.beta).toBe(arm.beta);
      expect(got.ci95).toEqual(arm.ci95);
      expect(got.prob_best).toBe(arm.probBest);
      expect(got.expected_loss).toBe(arm.expectedLoss);
      expect(got.uplift).toBe(arm.uplift);
      expect(got.prob_beat_control).toBe(arm.probBeatControl);
      expect(got.is_control).toBe(i === 0);
    }
    expect(stats.combinations[0].name).toBe('Control');
    expect(stats.combinations[1].name).toBe('Green');
    expect(stats.combinations[1].prob_beat_control).toBeCloseTo(0.94, 1);
    expect(stats.leader).toEqual({ combination_id: ids[1], name: 'Green' });
    expect(stats.decision).toMatchObject({
      decision: engine.decision.decision,
      leader_combination_id: ids[1],
      winner_combination_id: null,
      leader_prob_best: engine.decision.leaderProbBest,
      evidence_bayes_factor: engine.decision.evidenceBayesFactor,
      min_sample_reached: true,
    });
    expect(stats.decision.thresholds.winner_prob_best).toBe(0.9);
    // Adaptive: no SRM check. No allocation recorded yet: the policy on these counters.
    expect(stats.srm).toBeNull();
    expect(stats.allocation).toMatchObject({ source: 'counters', recorded_at: null });
    const weights = stats.combinations.map((c: { traffic_weight: number }) => c.traffic_weight);
    // Top-two sampling plays the two arms of an A/B test equally (β = 0.5) until a winner is declared.
    expect(weights).toEqual(computeAllocation('adaptive', { arms: engineArms }, createRng(0)).probabilities);
    expect(stats.allocation.phase).toBe('explore');
    expect(stats.elements).toBeNull();
  });

  it('reports a paused experiment’s weights from the last allocation the tracker recorded', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const [a, b] = exp.combinations.map((c) => c.id);
    await ctx.db.asSystem(async (q) => {
      await q.query(
        `INSERT INTO allocation_history (experiment_id, recorded_at, weights) VALUES
           ($1, now() - interval '2 minutes', $2::jsonb), ($1, now() - interval '1 minute', $3::jsonb)`,
        [
          exp.id,
          JSON.stringify({ phase: 'burn_in', weights: { [a]: 0.5, [b]: 0.5 } }),
          JSON.stringify({ phase: 'explore', weights: { [a]: 0.3, [b]: 0.7 } }),
        ],
      );
    });
    // Running: the policy on the live counters (the history is written only once a minute).
    expect((await getExperiment(exp.id)).stats.allocation).toMatchObject({
      source: 'counters',
      phase: 'burn_in',
    });
    await ctx.app.inject({ method: 'POST', url: `/api/v1/experiments/${exp.id}/pause`, headers });
    const { stats } = await getExperiment(exp.id);
    expect(stats.allocation.source).toBe('history');
    expect(stats.allocation.phase).toBe('explore');
    expect(stats.allocation.recorded_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(stats.combinations.map((c: { traffic_weight: number }) => c.traffic_weight)).toEqual([0.3, 0.7]);
  });

  it('gives marginals per element variant of a multi-element experiment, with ids and names', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT);
    const counts: [number, number][] = [
      [400, 16],
      [400, 18],
      [400, 15],
      [400, 18],
      [400, 30],
      [400, 17],
      [400, 15],
      [400, 17],
      [400, 14],
    ];
    await setCounters(
      exp.id,
      exp.combinations.map((c) => c.id),
      counts,
    );
    const { stats, elements } = await getExperiment(exp.id);
    const engine = computeStats({
      arms: counts.map(([visitors, conversions]) => ({ visitors, conversions })),
      levels: exp.combinations.map((c) =>
        c.variant_ids.map((id, e) => elements[e].variants.findIndex((v: { id: string }) => v.id === id)),
      ),
      controlArm: 0,
    });
    expect(stats.combinations[4].name).toBe('B × Y');
    expect(stats.leader.name).toBe('B × Y');
    expect(stats.elements).toHaveLength(2);
    for (const [e, element] of stats.elements.entries()) {
      expect(element.element_id).toBe(elements[e].id);
      expect(element.name).toBe(elements[e].name);
      for (const [v, variant] of element.variants.entries()) {
        const want = engine.elements![e].variants[v];
        expect(variant.variant_id).toBe(elements[e].variants[v].id);
        expect(variant.name).toBe(elements[e].variants[v].name);
        expect(variant.visitors).toBe(1200);
        expect(variant.conversions).toBe(want.conversions);
        expect(variant.prob_best).toBe(want.probBest);
        expect(variant.prob_beat_control).toBe(want.probBeatControl);
        expect(variant.is_control).toBe(v === 0);
      }
    }
    // CTA B pools 18 + 30 + 17 conversions.
    expect(stats.elements[0].variants[1].conversions).toBe(65);
  });

  it('checks the sample ratio of fixed allocation against the configured weights', async () => {
    const fixed = {
      ...AB_TEST,
      traffic_allocation: 'fixed',
      variants: [
        { name: 'Control', weight: 1 },
        { name: 'Green', weight: 1 },
      ],
    };
    const exp = await launch(ctx.app, headers, fixed);
    const ids = exp.combinations.map((c) => c.id);
    await setCounters(exp.id, ids, [
      [5000, 200],
      [5400, 230],
    ]);
    const { stats } = await getExperiment(exp.id);
    expect(stats.srm.degrees_of_freedom).toBe(1);
    expect(stats.srm.chi_square).toBeCloseTo((2 * 200 ** 2) / 5200, 9);
    expect(stats.srm.mismatch).toBe(true);
    expect(stats.srm.threshold).toBe(0.001);
    expect(stats.allocation).toMatchObject({ source: 'counters', phase: 'fixed' });
    expect(stats.combinations.map((c: { traffic_weight: number }) => c.traffic_weight)).toEqual([0.5, 0.5]);
  });

  it('counts what the tracker counted: visitors assigned and first conversions on the primary goal', async () => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, goals: ['purchase'] });
    const tracker = trackerFor(ctx.app, exp.id);
    for (let i = 0; i < 20; i++) await tracker.assign(`v${i}`);
    for (let i = 0; i < 5; i++) await tracker.convert(`v${i}`, { goal: 'purchase' });
    await tracker.convert('v0', { goal: 'purchase' }); // second event: not counted
    await tracker.convert('v6', { goal: 'newsletter' }); // not the primary goal
    const { stats } = await getExperiment(exp.id);
    expect(stats.primary_goal).toBe('purchase');
    expect(stats.total_visitors).toBe(20);
    expect(stats.total_conversions).toBe(5);
    expect(stats.allocation.phase).toBe('burn_in');
  });

  it('reports zeros for a draft, and only GET one carries stats', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT, false);
    const { stats } = await getExperiment(exp.id);
    expect(stats.total_visitors).toBe(0);
    expect(stats.decision.decision).toBe('keep_running');
    expect(stats.combinations).toHaveLength(9);
    expect(
      stats.combinations.every((c: { traffic_weight: number }) => Math.abs(c.traffic_weight - 1 / 9) < 1e-12),
    ).toBe(true);
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments', headers });
    expect(list.json().items[0]).not.toHaveProperty('stats');
    const started = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/experiments/${exp.id}/start`,
      headers,
    });
    expect(started.json()).not.toHaveProperty('stats');
  });

  it('answers 404 for another user’s experiment, like a missing one', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const other = await signUp(ctx.app);
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/experiments/${exp.id}`,
      headers: other.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('EXP_FIND_001');
  });
});
