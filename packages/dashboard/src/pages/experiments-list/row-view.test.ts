import { describe, expect, it } from 'vitest';
import type { Experiment, ExperimentStats, ExperimentSummary } from '../../api/types.js';
import { allocationLabel, rowStats, startedLabel } from './row-view.js';

const summary = (over: Partial<ExperimentSummary> = {}): ExperimentSummary => ({
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Headline',
  description: null,
  type: 'ab_test',
  status: 'running',
  traffic_allocation: 'adaptive',
  traffic_percentage: 100,
  planned_visitors: null,
  url: null,
  created_at: '2026-03-01T10:00:00.000Z',
  updated_at: '2026-03-01T10:00:00.000Z',
  started_at: '2026-03-03T10:00:00.000Z',
  completed_at: null,
  archived_at: null,
  raw_data_removed_at: null,
  ...over,
});

function withStats(visitors: number, decision: ExperimentStats['decision']['decision'], probBest = 0.5) {
  const stats = {
    total_visitors: visitors,
    leader: { combination_id: 'c', name: 'B' },
    decision: { decision, leader_prob_best: probBest },
  } as unknown as ExperimentStats;
  return { state: 'loaded' as const, experiment: { ...summary(), stats } as unknown as Experiment };
}

describe('row labels', () => {
  it('names the allocation and the share of traffic that enters', () => {
    expect(allocationLabel(summary())).toBe('Adaptive');
    expect(allocationLabel(summary({ traffic_allocation: 'fixed', traffic_percentage: 50 }))).toBe(
      'Fixed · 50% of traffic',
    );
  });

  it('dates the start, or says it has not started', () => {
    expect(startedLabel(summary())).toBe('3 Mar 2026');
    expect(startedLabel(summary({ started_at: null }))).toBe('Not started');
  });
});

describe('rowStats', () => {
  it('shows no leader or decision before the first visitor', () => {
    expect(rowStats(withStats(0, 'keep_running'))).toEqual({
      visitors: '0',
      leader: null,
      decision: expect.objectContaining({ label: 'No data yet' }),
    });
  });

  it('words each decision and names the leader with its probability to be best', () => {
    const winner = rowStats(withStats(12_345, 'winner', 0.973));
    expect(winner.visitors).toBe('12,345');
    expect(winner.leader).toEqual({ name: 'B', probBest: '97%' });
    expect(winner.decision).toMatchObject({ label: 'Winner', tone: 'good' });
    expect(winner.decision.title).toBe('B wins: 97% probability to be best');
    expect(rowStats(withStats(10, 'keep_running')).decision.label).toBe('Keep running');
    expect(rowStats(withStats(10, 'winner', 0.9996)).leader?.probBest).toBe('>99%');
    expect(rowStats(withStats(10, 'keep_running', 0.003)).leader?.probBest).toBe('<1%');
    expect(rowStats(withStats(10, 'no_material_difference')).decision.label).toBe('No difference');
  });

  it('says so when the statistics could not be loaded', () => {
    expect(rowStats({ state: 'failed' })).toEqual({
      visitors: '—',
      leader: null,
      decision: expect.objectContaining({ label: '—' }),
    });
  });
});
