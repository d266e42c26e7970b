import { computeStats } from '@samplit/engine';
import { describe, expect, it } from 'vitest';
import type { ExperimentStructure } from '../experiments/experiment-store.js';
import { buildSnapshot, experimentStats } from './experiment-stats.js';

const variant = (id: string, name: string, isControl: boolean) => ({
  id,
  element_id: id[0],
  name,
  weight: 1,
  is_control: isControl,
  content: {},
});

// Two elements; the control of the second element is its second variant, so the control
// combination is not the first one.
const structure: ExperimentStructure = {
  elements: [
    {
      id: 'e1',
      name: 'CTA',
      selector: null,
      variants: [variant('a1', 'A', true), variant('a2', 'B', false)],
    },
    {
      id: 'e2',
      name: 'Copy',
      selector: null,
      variants: [variant('b1', 'X', false), variant('b2', 'Y', true)],
    },
  ],
  combinations: [
    { id: 'c00', variant_ids: ['a1', 'b1'], weight: 1 },
    { id: 'c01', variant_ids: ['a1', 'b2'], weight: 1 },
    { id: 'c10', variant_ids: ['a2', 'b1'], weight: 3 },
    { id: 'c11', variant_ids: ['a2', 'b2'], weight: 1 },
  ],
};
const counters = [
  { combination_id: 'c00', visitors: 500, conversions: 20 },
  { combination_id: 'c01', visitors: 500, conversions: 25 },
  { combination_id: 'c10', visitors: 1500, conversions: 60 },
  { combination_id: 'c11', visitors: 500, conversions: 40 },
];
const multi = {
  type: 'multi_element' as const,
  status: 'running' as const,
  traffic_allocation: 'fixed' as const,
  goals: [],
};

describe('buildSnapshot', () => {
  it('puts arms in combination order with levels, the all-control arm and fixed weights', () => {
    const { snapshot, control, names } = buildSnapshot(multi, structure, counters);
    expect(snapshot.arms.map((a) => a.visitors)).toEqual([500, 500, 1500, 500]);
    expect(snapshot.levels).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(control).toBe(1);
    expect(snapshot.controlArm).toBe(1);
    expect(snapshot.weights).toEqual([1, 1, 3, 1]);
    expect(names).toEqual(['A × X', 'A × Y', 'B × X', 'B × Y']);
    const adaptive = buildSnapshot({ ...multi, traffic_allocation: 'adaptive' }, structure, []);
    expect(adaptive.snapshot.weights).toBeUndefined();
    expect(adaptive.snapshot.arms.every((a) => a.visitors === 0 && a.conversions === 0)).toBe(true);
  });
});

describe('experimentStats', () => {
  it('maps every engine index to ids and measures uplift against the control combination', () => {
    const stats = experimentStats({ experiment: multi, structure, counters, now: new Date(0) });
    const engine = computeStats(buildSnapshot(multi, structure, counters).snapshot);
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
    const running = experimentStats({ experiment: multi, structure, counters, latestAllocation: history });
    expect(running.allocation).toEqual({ source: 'counters', phase: 'fixed', recorded_at: null });
    const paused = experimentStats({
      experiment: { ...multi, status: 'paused' },
      structure,
      counters,
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
      counters,
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
      experiment: { type: 'ab_test', status: 'draft', traffic_allocation: 'adaptive', goals: ['purchase'] },
      structure: ab,
      counters: [],
    });
    expect(stats.elements).toBeNull();
    expect(stats.srm).toBeNull();
    expect(stats.primary_goal).toBe('purchase');
    expect(stats.allocation.phase).toBe('burn_in');
  });
});
