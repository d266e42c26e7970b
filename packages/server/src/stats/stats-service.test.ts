import { describe, expect, it } from 'vitest';
import { NO_GOAL_COUNTS } from '../experiments/experiment-counters.js';
import type { ExperimentRow, ExperimentStructure } from '../experiments/experiment-store.js';
import { createStatsService, type RunStatsAsUser } from './stats-service.js';
import type { StatsStore } from './stats-store.js';

const structure: ExperimentStructure = {
  elements: [
    {
      id: 'e',
      name: 'Button',
      selector: null,
      variants: [
        { id: 'v1', element_id: 'e', name: 'A', weight: 1, is_control: true, content: {} },
        { id: 'v2', element_id: 'e', name: 'B', weight: 1, is_control: false, content: {} },
      ],
    },
  ],
  combinations: [
    { id: 'c1', variant_ids: ['v1'], weight: 1 },
    { id: 'c2', variant_ids: ['v2'], weight: 1 },
  ],
};
const row = {
  id: 'x',
  type: 'ab_test',
  status: 'running',
  traffic_allocation: 'adaptive',
  goals: [],
  updated_at: new Date(0),
} as unknown as ExperimentRow;

/** A stats store over mutable counters, counting its reads. */
function fakeRunAs(counters: { combination_id: string; visitors: number; conversions: number }[]) {
  const reads = { counters: 0 };
  const stats = {
    counts: async () => {
      reads.counters++;
      return {
        visitors: counters.map((c) => ({
          experiment_id: 'x',
          combination_id: c.combination_id,
          visitors: c.visitors,
        })),
        goals: counters.map((c) => ({
          ...NO_GOAL_COUNTS,
          experiment_id: 'x',
          combination_id: c.combination_id,
          goal: 'conversion',
          converted: c.conversions,
        })),
        undeclared: { goals: [], total: 0 },
      };
    },
    latestAllocation: async () => undefined,
  } as unknown as StatsStore;
  const runAs = (async (_userId, fn) => fn({ stats, experiments: {} as never })) as RunStatsAsUser;
  return { runAs, reads };
}

describe('stats service', () => {
  it('computes again only when an input changed', async () => {
    const counters = [
      { combination_id: 'c1', visitors: 100, conversions: 5 },
      { combination_id: 'c2', visitors: 100, conversions: 9 },
    ];
    const { runAs, reads } = fakeRunAs(counters);
    const service = createStatsService(runAs);
    const first = await service.forExperiment('u', row, structure);
    expect(await service.forExperiment('u', row, structure)).toBe(first);
    expect(reads.counters).toBe(2); // the counters are always read; only the engine work is saved
    counters[1].conversions = 10;
    const moved = await service.forExperiment('u', row, structure);
    expect(moved).not.toBe(first);
    expect(moved.total_conversions).toBe(15);
    const paused = await service.forExperiment('u', { ...row, status: 'paused' }, structure);
    expect(paused).not.toBe(moved);
  });
});
