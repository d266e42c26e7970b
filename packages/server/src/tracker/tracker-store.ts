import type { Queryable } from '../db/database.js';

export interface AssignRow {
  experiment_id: string;
  browser_id: string;
  combination_id: string;
  probability: number;
}
export interface AssignResult {
  /** null: nothing stored, because the experiment is no longer running (or no longer exists). */
  combination_id: string | null;
  created: boolean;
}
/** What happened to one conversion event; `gone`: its experiment no longer exists, nothing stored. */
export type ConvertResult = 'counted' | 'stored' | 'gone';
export interface ConvertRow {
  experiment_id: string;
  browser_id: string;
  goal: string;
  value: number | null;
  /** The experiment's primary goal: its first counted conversion feeds the bandit. */
  is_primary: boolean;
}
export interface CombinationCounters {
  experiment_id: string;
  combination_id: string;
  visitors: number;
  conversions: number;
}
export interface ExperimentVersion {
  id: string;
  status: string;
  updated_at: Date;
}

/**
 * The tracker's writes and the runtime's reads, all as `samplit_system`. `shard`: the counter shard
 * a batch may write (unique per process and in-flight batch), so concurrent batches do not queue
 * on one counter row.
 */
export interface TrackerStore {
  /**
   * Enrols each visitor in its proposed combination unless it already has one (the first stored
   * assignment wins, whatever comes later); in input order, the combination each visitor has and
   * whether this call created it. Nothing is stored for an experiment that is not running, archived
   * or gone: such a visitor gets its existing combination, else `combination_id: null`.
   */
  assign(rows: AssignRow[], shard: number): Promise<AssignResult[]>;
  /** Existing assignments (or undefined), in input order. */
  findAssignments(keys: { experiment_id: string; browser_id: string }[]): Promise<(string | undefined)[]>;
  /**
   * Stores each event of an existing experiment; the first per (experiment, visitor, goal) of an
   * assigned visitor is `counted`, and a counted primary-goal event adds a conversion to the
   * visitor's combination. In input order, what became of each event.
   */
  convert(rows: ConvertRow[], shard: number): Promise<ConvertResult[]>;
  /**
   * Visitors and primary-goal conversions of every combination of these experiments (zero when
   * none yet), and the status and last change of those that still exist.
   */
  counters(
    experimentIds: string[],
  ): Promise<{ counters: CombinationCounters[]; versions: ExperimentVersion[] }>;
  /**
   * Records the experiment's allocation, unless a point was recorded for it (by any process) in the
   * last `minIntervalSeconds`.
   */
  recordAllocation(
    experimentId: string,
    weights: Record<string, unknown>,
    minIntervalSeconds: number,
  ): Promise<void>;
}

/**
 * Rows are written only for experiments that exist (and, for assignments, are running) when the
 * statement runs, and each statement holds a KEY SHARE lock on those experiment rows until it
 * commits: deleting an experiment locks its row FOR UPDATE first (experiment-store.ts), so it waits
 * for every batch already writing to it, and batches that come later find no row and write
 * nothing. That is what foreign keys would do, for one lock per batch instead of one per row.
 */
const LIVE_CTE = (statusFilter: string) => `live AS (
  SELECT id FROM experiments WHERE id IN (SELECT experiment_id FROM input)${statusFilter}
  FOR KEY SHARE
)`;

/**
 * One statement for a whole batch of first-time visitors: insert each assignment unless the
 * visitor already has one (the primary key decides between racing processes), bump the
 * combinations' visitor counters for the rows actually inserted, and return every visitor's
 * combination in input order.
 */
const ASSIGN_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::float8[], $5::int[])
    AS t(experiment_id, browser_id, combination_id, probability, ord)
), ${LIVE_CTE(" AND status = 'running' AND archived_at IS NULL")}, ins AS (
  INSERT INTO assignments (experiment_id, browser_id, combination_id, probability)
  SELECT DISTINCT ON (experiment_id, browser_id) experiment_id, browser_id, combination_id, probability
  FROM input WHERE experiment_id IN (SELECT id FROM live) ORDER BY experiment_id, browser_id, ord
  ON CONFLICT (experiment_id, browser_id) DO NOTHING
  RETURNING experiment_id, browser_id, combination_id
), counted AS (
  -- Rows in combination order: concurrent upserts lock counter rows in the same order (no deadlock).
  INSERT INTO combination_counters (combination_id, experiment_id, shard, visitors)
  SELECT combination_id, experiment_id, $6, count(*) FROM ins
  GROUP BY combination_id, experiment_id ORDER BY combination_id
  ON CONFLICT (combination_id, shard) DO UPDATE SET visitors = combination_counters.visitors + excluded.visitors
)
SELECT i.ord, coalesce(ins.combination_id, a.combination_id)::text AS combination_id,
       (ins.combination_id IS NOT NULL) AS created
FROM input i
LEFT JOIN ins ON ins.experiment_id = i.experiment_id AND ins.browser_id = i.browser_id
LEFT JOIN assignments a ON a.experiment_id = i.experiment_id AND a.browser_id = i.browser_id
ORDER BY i.ord`;

/**
 * One statement for a batch of conversion events: every event is stored; the first one per
 * (experiment, visitor, goal) of an assigned visitor is `counted` (a partial unique index makes
 * that exact across processes); counted primary-goal events bump the combination's counter.
 */
const CONVERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::boolean[], $6::int[])
    AS t(experiment_id, browser_id, goal, value, is_primary, ord)
), ${LIVE_CTE('')}, resolved AS (
  SELECT i.*, a.combination_id FROM input i
  LEFT JOIN assignments a ON a.experiment_id = i.experiment_id AND a.browser_id = i.browser_id
  WHERE i.experiment_id IN (SELECT id FROM live)
), candidates AS (
  SELECT DISTINCT ON (experiment_id, browser_id, goal) * FROM resolved
  WHERE combination_id IS NOT NULL
  ORDER BY experiment_id, browser_id, goal, ord
), firsts AS (
  INSERT INTO conversions (experiment_id, browser_id, combination_id, goal, value, counted)
  SELECT experiment_id, browser_id, combination_id, goal, value, true FROM candidates
  ON CONFLICT (experiment_id, browser_id, goal) WHERE counted DO NOTHING
  RETURNING experiment_id, browser_id, goal, combination_id
), counted_ords AS (
  SELECT c.ord, c.experiment_id, c.combination_id, c.is_primary FROM candidates c
  JOIN firsts f ON f.experiment_id = c.experiment_id AND f.browser_id = c.browser_id AND f.goal = c.goal
), rest AS (
  INSERT INTO conversions (experiment_id, browser_id, combination_id, goal, value, counted)
  SELECT experiment_id, browser_id, combination_id, goal, value, false FROM resolved
  WHERE ord NOT IN (SELECT ord FROM counted_ords)
), bumped AS (
  INSERT INTO combination_counters (combination_id, experiment_id, shard, successful_conversions)
  SELECT combination_id, experiment_id, $7, count(*) FROM counted_ords WHERE is_primary
  GROUP BY combination_id, experiment_id ORDER BY combination_id
  ON CONFLICT (combination_id, shard)
    DO UPDATE SET successful_conversions = combination_counters.successful_conversions + excluded.successful_conversions
)
SELECT i.ord, i.ord IN (SELECT ord FROM counted_ords) AS counted,
       i.experiment_id IN (SELECT id FROM live) AS stored
FROM input i`;

export function createTrackerStore(system: Queryable): TrackerStore {
  return {
    async assign(rows, shard) {
      const result = await system.query<{ ord: number; combination_id: string | null; created: boolean }>(
        ASSIGN_SQL,
        [
          rows.map((r) => r.experiment_id),
          rows.map((r) => r.browser_id),
          rows.map((r) => r.combination_id),
          rows.map((r) => r.probability),
          rows.map((_, i) => i),
          shard,
        ],
        'samplit_assign',
      );
      const out: AssignResult[] = result.map((r) => ({
        combination_id: r.combination_id,
        created: r.created,
      }));
      // A visitor twice in one batch: only its first request created the assignment.
      const seen = new Set<string>();
      rows.forEach((r, i) => {
        const key = `${r.experiment_id}\n${r.browser_id}`;
        if (seen.has(key)) out[i].created = false;
        seen.add(key);
      });
      // A conflicting row committed by another process after this statement's snapshot was taken
      // is invisible to it; read those few again (a new statement sees them).
      const missing = out.flatMap((r, i) => (r.combination_id ? [] : [i]));
      if (missing.length > 0) {
        const found = await this.findAssignments(missing.map((i) => rows[i]));
        missing.forEach((i, j) => {
          out[i].combination_id = found[j] ?? null;
        });
      }
      return out;
    },

    async findAssignments(keys) {
      const rows = await system.query<{ ord: number; combination_id: string }>(
        `SELECT i.ord, a.combination_id::text AS combination_id
         FROM unnest($1::uuid[], $2::text[], $3::int[]) AS i(experiment_id, browser_id, ord)
         JOIN assignments a ON a.experiment_id = i.experiment_id AND a.browser_id = i.browser_id`,
        [keys.map((k) => k.experiment_id), keys.map((k) => k.browser_id), keys.map((_, i) => i)],
      );
      const out: (string | undefined)[] = new Array(keys.length).fill(undefined);
      for (const r of rows) out[r.ord] = r.combination_id;
      return out;
    },

    async convert(rows, shard) {
      const result = await system.query<{ ord: number; counted: boolean; stored: boolean }>(
        CONVERT_SQL,
        [
          rows.map((r) => r.experiment_id),
          rows.map((r) => r.browser_id),
          rows.map((r) => r.goal),
          rows.map((r) => r.value),
          rows.map((r) => r.is_primary),
          rows.map((_, i) => i),
          shard,
        ],
        'samplit_convert',
      );
      const out = new Array<ConvertResult>(rows.length);
      for (const r of result) out[r.ord] = r.counted ? 'counted' : r.stored ? 'stored' : 'gone';
      return out;
    },

    async counters(experimentIds) {
      const counters = await system.query<CombinationCounters>(
        `SELECT c.experiment_id::text, c.id::text AS combination_id,
                coalesce(sum(k.visitors), 0)::float8 AS visitors,
                coalesce(sum(k.successful_conversions), 0)::float8 AS conversions
         FROM combinations c LEFT JOIN combination_counters k ON k.combination_id = c.id
         WHERE c.experiment_id = ANY($1::uuid[])
         GROUP BY c.experiment_id, c.id`,
        [experimentIds],
      );
      const versions = await system.query<ExperimentVersion>(
        'SELECT id::text, status, updated_at FROM experiments WHERE id = ANY($1::uuid[])',
        [experimentIds],
      );
      return { counters, versions };
    },

    async recordAllocation(experimentId, weights, minIntervalSeconds) {
      await system.query(
        `INSERT INTO allocation_history (experiment_id, weights)
         SELECT $1, $2::jsonb WHERE NOT EXISTS (
           SELECT 1 FROM allocation_history
           WHERE experiment_id = $1 AND recorded_at > now() - make_interval(secs => $3))`,
        [experimentId, JSON.stringify(weights), minIntervalSeconds],
      );
    },
  };
}
