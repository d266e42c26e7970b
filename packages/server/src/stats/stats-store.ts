import type { Queryable } from '../db/database.js';
import {
  type CombinationVisitors,
  type CounterStrata,
  createCounterReader,
  type DeclaredWinner,
  type GoalCounterRow,
  type OtherGoal,
} from '../experiments/experiment-counters.js';

/** Undeclared goals the report lists by name (the rest only counted). */
export const UNDECLARED_GOALS_LISTED = 20;

/** The running aggregates a stats payload is computed from. */
export interface ExperimentCounts {
  visitors: CombinationVisitors[];
  /** The counters of the goals asked for. */
  goals: GoalCounterRow[];
  /** Goals with events the experiment does not declare. */
  undeclared: { goals: OtherGoal[]; total: number };
  /** The winner recorded for it, if any. */
  declared: DeclaredWinner | undefined;
  /** The same counts per allocation epoch (the decision rule's test reads them). */
  strata: CounterStrata;
}

/** One point of `allocation_history` as the tracker runtime writes it. */
export interface AllocationPoint {
  recorded_at: Date;
  weights: { phase?: string; weights?: Record<string, number> };
}

export type Interval = 'minute' | 'hour' | 'day';

export interface BucketCount {
  bucket: Date;
  combination_id: string;
  n: number;
}

/** One goal's events per combination in one bucket. */
export interface BucketGoalEvents {
  bucket: Date;
  combination_id: string;
  /** First (counted) events: visitors converting in the bucket. */
  conversions: number;
  events: number;
  value: number;
}

export interface BucketAllocation {
  bucket: Date;
  weights: AllocationPoint['weights'];
}

/** A visitor's totals on one goal (from its counted event). */
export interface VisitorGoal {
  goal: string;
  events: number;
  value: number;
}

/** One assignment of the CSV export with the visitor's totals on each goal it has events on. */
export interface ExportRow {
  browser_id: string;
  combination_id: string;
  assigned_at: Date;
  probability: number;
  goals: VisitorGoal[];
}

export interface TimeWindow {
  from?: string;
  to?: string;
}

/** The reporting endpoints' reads, in the caller's user transaction. */
export interface StatsStore {
  /** Visitors of every combination, counters of the goals given, and the undeclared goals. */
  counts(experimentId: string, goals: readonly string[]): Promise<ExperimentCounts>;
  /** The allocation the tracker recorded last, or undefined. */
  latestAllocation(experimentId: string): Promise<AllocationPoint | undefined>;
  /** New visitors per combination per UTC bucket of the assignment time. */
  assignmentsPerBucket(experimentId: string, interval: Interval, window: TimeWindow): Promise<BucketCount[]>;
  /**
   * Events of assigned visitors on `goal` per combination per UTC bucket of the event time: the
   * first ones (conversions), all of them, and the sum of their values.
   */
  goalEventsPerBucket(
    experimentId: string,
    goal: string,
    interval: Interval,
    window: TimeWindow,
  ): Promise<BucketGoalEvents[]>;
  /** The last allocation recorded in each UTC bucket before `to` (all buckets when undefined). */
  allocationPerBucket(
    experimentId: string,
    interval: Interval,
    to: string | undefined,
  ): Promise<BucketAllocation[]>;
  /** Goals with at least one counted event, in order. */
  convertedGoals(experimentId: string): Promise<string[]>;
  /**
   * Up to `limit` assignments with a browser id after `after` (from the start when null), in
   * browser-id order, each with the goals its visitor converted on.
   */
  exportPage(experimentId: string, after: string | null, limit: number): Promise<ExportRow[]>;
}

/**
 * SQL of the reporting endpoints. Every statement runs in the caller's user transaction, so
 * row-level security hides other users' experiments here too.
 */
export function createStatsStore(q: Queryable): StatsStore {
  return {
    /** The running aggregates: never touches `assignments` or `conversions`. */
    async counts(experimentId, goals) {
      const counters = createCounterReader(q);
      return {
        visitors: await counters.visitors([experimentId]),
        goals: await counters.goals(goals.map((goal) => ({ experiment_id: experimentId, goal }))),
        undeclared: await counters.otherGoals(experimentId, goals, UNDECLARED_GOALS_LISTED),
        declared: (await counters.declaredWinners([experimentId]))[0],
        strata: await counters.strata(goals.map((goal) => ({ experiment_id: experimentId, goal }))),
      };
    },

    async latestAllocation(experimentId) {
      const rows = await q.query<AllocationPoint>(
        `SELECT recorded_at, weights FROM allocation_history
         WHERE experiment_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1`,
        [experimentId],
      );
      return rows[0];
    },

    // UTC buckets, so days do not depend on the server's time zone.
    async assignmentsPerBucket(experimentId, interval, window) {
      return q.query<BucketCount>(
        // Grouping by the uuid and casting the ~hundreds of groups afterwards, not every row: ~30% faster.
        // Once retention rolled the experiment up (migration 0007), the roll-ups replace the raw rows.
        `SELECT bucket, combination_id::text, n FROM (
           SELECT date_trunc($2, assigned_at, 'UTC') AS bucket, combination_id, count(*)::float8 AS n
           FROM assignments
           WHERE experiment_id = $1 AND NOT EXISTS (SELECT 1 FROM visitor_rollups WHERE experiment_id = $1)
             AND ($3::timestamptz IS NULL OR assigned_at >= $3) AND ($4::timestamptz IS NULL OR assigned_at < $4)
           GROUP BY 1, 2
           UNION ALL
           SELECT date_trunc($2, minute, 'UTC'), combination_id, sum(visitors)::float8
           FROM visitor_rollups
           WHERE experiment_id = $1
             AND ($3::timestamptz IS NULL OR minute >= $3) AND ($4::timestamptz IS NULL OR minute < $4)
           GROUP BY 1, 2) per_bucket`,
        [experimentId, interval, window.from ?? null, window.to ?? null],
      );
    },

    // The same rows the tracker's statement counted into goal_counters: events of assigned visitors.
    async goalEventsPerBucket(experimentId, goal, interval, window) {
      return q.query<BucketGoalEvents>(
        `SELECT bucket, combination_id::text, conversions, events, value FROM (
           SELECT date_trunc($3, created_at, 'UTC') AS bucket, combination_id,
                  (count(*) FILTER (WHERE counted))::float8 AS conversions, count(*)::float8 AS events,
                  coalesce(sum(value), 0) AS value
           FROM conversions
           WHERE experiment_id = $1 AND goal = $2 AND combination_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM goal_rollups WHERE experiment_id = $1)
             AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at < $5)
           GROUP BY 1, 2
           UNION ALL
           SELECT date_trunc($3, minute, 'UTC'), combination_id, sum(conversions)::float8, sum(events)::float8,
                  sum(value)
           FROM goal_rollups
           WHERE experiment_id = $1 AND goal = $2
             AND ($4::timestamptz IS NULL OR minute >= $4) AND ($5::timestamptz IS NULL OR minute < $5)
           GROUP BY 1, 2) per_bucket`,
        [experimentId, goal, interval, window.from ?? null, window.to ?? null],
      );
    },

    // Buckets before the requested window are read too: they seed the carry-forward.
    async allocationPerBucket(experimentId, interval, to) {
      return q.query<BucketAllocation>(
        `SELECT DISTINCT ON (date_trunc($2, recorded_at, 'UTC'))
                date_trunc($2, recorded_at, 'UTC') AS bucket, weights
         FROM allocation_history
         WHERE experiment_id = $1 AND ($3::timestamptz IS NULL OR recorded_at < $3)
         ORDER BY date_trunc($2, recorded_at, 'UTC'), recorded_at DESC, id DESC`,
        [experimentId, interval, to ?? null],
      );
    },

    // The export's columns beyond the configured goals.
    async convertedGoals(experimentId) {
      const rows = await q.query<{ goal: string }>(
        'SELECT DISTINCT goal FROM conversions WHERE experiment_id = $1 AND counted ORDER BY goal',
        [experimentId],
      );
      return rows.map((r) => r.goal);
    },

    /**
     * One page of the export in primary-key order (keyset pagination on `browser_id`): an index
     * range scan of assignments however deep into the experiment the page starts, then a range
     * scan of the page's counted conversions (the partial unique index), merged here.
     */
    async exportPage(experimentId, after, limit) {
      const rows = await q.query<Omit<ExportRow, 'goals'>>(
        `SELECT browser_id, combination_id::text, assigned_at, probability FROM assignments
         WHERE experiment_id = $1 AND ($2::text IS NULL OR browser_id > $2)
         ORDER BY browser_id LIMIT $3`,
        [experimentId, after, limit],
      );
      if (rows.length === 0) return [];
      const converted = await q.query<VisitorGoal & { browser_id: string }>(
        `SELECT browser_id, goal, visitor_events AS events, visitor_value AS value FROM conversions
         WHERE experiment_id = $1 AND counted AND ($2::text IS NULL OR browser_id > $2) AND browser_id <= $3`,
        [experimentId, after, rows[rows.length - 1].browser_id],
      );
      const goals = new Map<string, VisitorGoal[]>();
      for (const { browser_id, ...g } of converted)
        goals.set(browser_id, [...(goals.get(browser_id) ?? []), g]);
      return rows.map((r) => ({ ...r, goals: goals.get(r.browser_id) ?? [] }));
    },
  };
}
