import { computeStats } from '@samplit/engine';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../experiments/engine-snapshot.js';
import { NO_GOAL_COUNTS } from '../experiments/experiment-counters.js';
import type { ExperimentStructure } from '../experiments/experiment-store.js';
import { normalizeGoals, primaryGoal } from '../experiments/goals.js';
import { TWO_BY_TWO as structure } from '../experiments/structure-fixture.js';
import { experimentStats, type StatsInput } from './experiment-stats.js';

const counters = [
  { combination_id: 'c00', visitors: 500, conversions: 20 },
  { combination_id: 'c01', visitors: 500, conversions: 25 },
  { combination_id: 'c10', visitors: 1500, conversions: 60 },
  { combination_id: 'c11', visitors: 500, conversions: 40 },
];

/** The stats input of visitors and conversions on one goal (each conversion one event, no value). */
function counts(
  rows: { combination_id: string; visitors: number; conversions: number }[],
  goal = 'conversion',
) {
  return {
    visitors: rows.map((r) => ({ combination_id: r.combination_id, visitors: r.visitors })),
    goalCounts: rows.map((r) => ({
      ...NO_GOAL_COUNTS,
      combination_id: r.combination_id,
      goal,
      converted: r.conversions,
      events: r.conversions,
      events_squares: r.conversions,
    })),
  } satisfies Pick<StatsInput, 'visitors' | 'goalCounts'>;
}
const multi = {
  type: 'multi_element' as const,
  status: 'running' as const,
  traffic_allocation: 'fixed' as const,
  goals: [],
};

describe('experimentStats', () => {
  it('maps every engine index to ids and measures uplift against the control combination', () => {
    const stats = experimentStats({ experiment: multi, structure, ...counts(counters), now: new Date(0) });
    const { visitors, goalCounts } = counts(counters);
    const engine = computeStats(
      buildSnapshot(multi, structure, primaryGoal([]), visitors, goalCounts).snapshot,
    );
    expect(stats.computed_at).toBe('1970-01-01T00:00:00.000Z');
    expect(stats.control_combination_id).toBe('c01');
    expect(stats.combinations[1].uplift).toBe(0);
    expect(stats.combinations[1].prob_beat_control).toBeNull();
    expect(stats.combinations[3].uplift).toBe(engine.arms[3].uplift);
    expect(stats.leader).toEqual({ combination_id: 'c11', name: 'B × Y' });
    expect(stats.decision.leader_combination_id).toBe('c11');
    // Weights 1:1:3:1 and visitors 500:500:1500:500 match exactly.
    expect(stats.srm).toMatchObject({ chi_square: 0, mismatch: false, degrees_of_freedom: 3 });
    expect(stats.combinations.map((c) => c.traffic_weight)).toEqual([1 / 6, 1 / 6, 3 / 6, 1 / 6]);
    expect(
      stats.elements?.map((e) => e.variants.map((v) => [v.variant_id, v.is_control, v.visitors])),
    ).toEqual([
      [
        ['a1', true, 1000],
        ['a2', false, 2000],
      ],
      [
        ['b1', false, 2000],
        ['b2', true, 1000],
      ],
    ]);
  });

  it('takes a running experiment’s weights from its counters, a paused one’s from its history', () => {
    const history = {
      recorded_at: new Date(0),
      weights: { phase: 'explore', weights: { c00: 0.1, c01: 0.2, c10: 0.3, c11: 0.4 } },
    };
    const running = experimentStats({
      experiment: multi,
      structure,
      ...counts(counters),
      latestAllocation: history,
    });
    expect(running.allocation).toEqual({ source: 'counters', phase: 'fixed', recorded_at: null });
    const paused = experimentStats({
      experiment: { ...multi, status: 'paused' },
      structure,
      ...counts(counters),
      latestAllocation: history,
    });
    expect(paused.allocation).toEqual({
      source: 'history',
      phase: 'explore',
      recorded_at: '1970-01-01T00:00:00.000Z',
    });
    expect(paused.combinations.map((c) => c.traffic_weight)).toEqual([0.1, 0.2, 0.3, 0.4]);
    // A history point that misses a combination (never expected) falls back to the counters.
    const partial = experimentStats({
      experiment: { ...multi, status: 'paused' },
      structure,
      ...counts(counters),
      latestAllocation: { recorded_at: new Date(), weights: { phase: 'fixed', weights: { c00: 1 } } },
    });
    expect(partial.allocation.source).toBe('counters');
  });

  it('gives no element marginals for an A/B test', () => {
    const ab: ExperimentStructure = {
      elements: [structure.elements[0]],
      combinations: [
        { id: 'x', variant_ids: ['a1'], weight: 1 },
        { id: 'y', variant_ids: ['a2'], weight: 1 },
      ],
    };
    const stats = experimentStats({
      experiment: {
        type: 'ab_test',
        status: 'draft',
        traffic_allocation: 'adaptive',
        goals: normalizeGoals(['purchase']).goals,
      },
      structure: ab,
      visitors: [],
      goalCounts: [],
    });
    expect(stats.elements).toBeNull();
    expect(stats.srm).toBeNull();
    expect(stats.primary_goal).toBe('purchase');
    expect(stats.allocation.phase).toBe('burn_in');
  });
});
