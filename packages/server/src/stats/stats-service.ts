import type { Allocation } from '@samplit/engine';
import { LRUCache } from 'lru-cache';
import { AppError } from '../errors/app-error.js';
import { combinationNames } from '../experiments/engine-snapshot.js';
import type { ExperimentRow, ExperimentStore, ExperimentStructure } from '../experiments/experiment-store.js';
import { primaryGoal, reportedGoals } from '../experiments/goals.js';
import { EXPORT_PAGE_SIZE, exportLayout, exportStream } from './csv-export.js';
import { experimentStats } from './experiment-stats.js';
import type { ExperimentStats, Timeseries, TimeseriesQuery } from './stats-schemas.js';
import type { StatsStore } from './stats-store.js';
import { buildTimeseries } from './timeseries.js';

/** Runs `fn` in one transaction scoped to `userId` (RLS), with the stores bound to it. */
export type RunStatsAsUser = <T>(
  userId: string,
  fn: (stores: { stats: StatsStore; experiments: ExperimentStore }) => Promise<T>,
) => Promise<T>;

export interface StatsServiceOptions {
  /** The allocation this process's tracker draws an experiment's new visitors from, if loaded. */
  trackerAllocation?: (experimentId: string) => Pick<Allocation, 'probabilities' | 'phase'> | undefined;
  exportPageSize?: number;
  /** Stats payloads remembered per unchanged inputs (default 500). */
  cacheSize?: number;
}

export function createStatsService(runAs: RunStatsAsUser, options: StatsServiceOptions = {}) {
  const cache = new LRUCache<string, ExperimentStats>({ max: options.cacheSize ?? 500 });
  async function mustFind(experiments: ExperimentStore, userId: string, id: string) {
    const row = await experiments.find(userId, id);
    if (!row) throw new AppError('EXP_FIND_001');
    return { row, structure: await experiments.loadStructure(id) };
  }

  return {
    /** Stats of an experiment the caller already loaded (GET /experiments/{id}). */
    async forExperiment(
      userId: string,
      row: ExperimentRow,
      structure: ExperimentStructure,
    ): Promise<ExperimentStats> {
      const goals = reportedGoals(row.goals).map((g) => g.key);
      const { counts, latestAllocation } = await runAs(userId, async ({ stats }) => ({
        counts: await stats.counts(row.id, goals),
        latestAllocation: await stats.latestAllocation(row.id),
      }));
      // The engine's integrations cost ~3 ms for 9 combinations and ~50 ms for 256: a dashboard
      // polling an experiment whose counters did not move gets the same answer from memory. The
      // key holds every input (settings, goals and structure change `updated_at`).
      const tracker = options.trackerAllocation?.(row.id);
      const trackerAllocation = tracker && { probabilities: tracker.probabilities, phase: tracker.phase };
      const key = JSON.stringify([
        row.id,
        new Date(row.updated_at).getTime(),
        row.status,
        counts,
        latestAllocation ? new Date(latestAllocation.recorded_at).getTime() : '',
        trackerAllocation ?? null,
      ]);
      const cached = cache.get(key);
      if (cached) return cached;
      const stats = experimentStats({
        experiment: row,
        structure,
        visitors: counts.visitors,
        goalCounts: counts.goals,
        undeclared: counts.undeclared,
        declared: counts.declared,
        strata: counts.strata,
        trackerAllocation,
        latestAllocation,
      });
      cache.set(key, stats);
      return stats;
    },

    async timeseries(userId: string, id: string, query: TimeseriesQuery): Promise<Timeseries> {
      return runAs(userId, async ({ stats, experiments }) => {
        const { row, structure } = await mustFind(experiments, userId, id);
        const goal = query.goal ?? primaryGoal(row.goals).key;
        const window = { from: query.from, to: query.to };
        const visitors = await stats.assignmentsPerBucket(id, query.interval, window);
        const events = await stats.goalEventsPerBucket(id, goal, query.interval, window);
        const allocations = await stats.allocationPerBucket(id, query.interval, query.to);
        const names = combinationNames(structure);
        return buildTimeseries({
          experimentId: id,
          interval: query.interval,
          goal,
          combinations: structure.combinations.map((c, i) => ({ id: c.id, name: names[i] })),
          visitors,
          events,
          allocations,
          ...window,
        });
      });
    },

    /**
     * The CSV export: the experiment is checked (404) before anything is sent; the rows then
     * stream page by page, each page its own short transaction, so no snapshot is held open for
     * the length of a download.
     */
    async exportCsv(userId: string, id: string) {
      const layout = await runAs(userId, async ({ stats, experiments }) => {
        const { row, structure } = await mustFind(experiments, userId, id);
        if (row.raw_data_removed_at) throw new AppError('STATS_EXPORT_001');
        const declared = reportedGoals(row.goals);
        const others = (await stats.convertedGoals(id)).filter((g) => !declared.some((d) => d.key === g));
        return exportLayout(structure, [
          ...declared,
          ...others.map((key) => ({ key, kind: 'conversion' as const })),
        ]);
      });
      const stream = exportStream(
        layout,
        (after, limit) => runAs(userId, ({ stats }) => stats.exportPage(id, after, limit)),
        options.exportPageSize ?? EXPORT_PAGE_SIZE,
      );
      return { filename: `experiment-${id}.csv`, stream };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
