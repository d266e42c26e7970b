import type { Queryable } from '../db/database.js';
import {
  type CombinationVisitors,
  type CounterStrata,
  createCounterReader,
  type DeclaredWinner,
  type GoalCounterRow,
} from '../experiments/experiment-counters.js';
import type { ServedVariant } from './tracker-schemas.js';

export interface AssignRow {
  experiment_id: string;
  browser_id: string;
  combination_id: string;
  probability: number;
  /** The allocation epoch the combination was drawn from (allocation_epochs; 0: none recorded). */
  epoch: number;
}
export interface AssignResult {
  /** null: nothing stored, because the experiment is no longer running (or no longer exists). */
  combination_id: string | null;
  created: boolean;
}
/**
 * What happened to one conversion event. Nothing is stored when it is `closed` (retention removed
 * its experiment's raw rows, docs/scaling.md#retention) or `gone` (its experiment no longer exists).
 */
export type ConvertResult = 'counted' | 'stored' | 'closed' | 'gone';
export interface ConvertRow {
  experiment_id: string;
  browser_id: string;
  goal: string;
  value: number | null;
}
/** What a preview link shows: one combination of an experiment in any status, read by id. */
export interface PreviewCombination {
  allow_custom_js: boolean;
  /** The combination's variants in element order; undefined when the experiment has no such combination. */
  variants: ServedVariant[] | undefined;
}
/** What the runtime refreshes from: the counters on each experiment's primary goal, and more. */
export interface TrackerCounters {
  visitors: CombinationVisitors[];
  goals: GoalCounterRow[];
  /** The same counts split by allocation epoch, with each epoch's probabilities. */
  strata: CounterStrata;
  winners: DeclaredWinner[];
  versions: ExperimentVersion[];
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
   * Stores each event of an existing experiment whose raw rows retention has not begun removing
   * (those are `closed`). The first per (experiment, visitor, goal) of an
   * assigned visitor is `counted`; every event of an assigned visitor, on any goal, adds to its
   * combination's counters for that goal. In input order, what became of each event.
   */
  convert(rows: ConvertRow[], shard: number): Promise<ConvertResult[]>;
  /**
   * Visitors of every combination of these experiments, each one's counters on the given goal
   * (its primary), their recorded winners, and the status and last change of those that still
   * exist.
   */
  counters(experiments: readonly { id: string; goal: string }[]): Promise<TrackerCounters>;
  /**
   * Records the winner of an adaptive experiment unless one is recorded already (by any process);
   * the winner recorded, this one or the earlier one (undefined: the experiment is gone).
   */
  recordWinner(winner: Omit<DeclaredWinner, 'decided_at'>): Promise<DeclaredWinner | undefined>;
  /**
   * Records the experiment's allocation, unless a point was recorded for it (by any process) in the
   * last `minIntervalSeconds`.
   */
  recordAllocation(
    experimentId: string,
    weights: Record<string, unknown>,
    minIntervalSeconds: number,
  ): Promise<void>;
  /**
   * Records a new allocation epoch of the experiment (the probabilities per combination it will
   * serve); its id, or 0 when the experiment is gone.
   */
  recordEpoch(experimentId: string, probabilities: Record<string, number>): Promise<number>;
  /**
   * One combination's variants as the tracker serves them, whatever the experiment's status
   * (the runtime's copy may not exist, and loading one records an epoch: a preview writes nothing);
   * undefined when the experiment does not exist.
   */
  previewCombination(experimentId: string, combinationId: string): Promise<PreviewCombination | undefined>;
}

/**
 * Rows are written only for experiments that exist (and, for assignments, are running) when the
 * statement runs, and each statement holds a KEY SHARE lock on those experiment rows until it
 * commits: deleting an experiment locks its row FOR UPDATE first (experiment-store.ts), so it waits
 * for every batch already writing to it, and batches that come later find no row and write
 * nothing. That is what foreign keys would do, for one lock per batch instead of one per row.
 */
const LIVE_CTE = (statusFilter: string, columns = 'id') => `live AS (
  SELECT ${columns} FROM experiments WHERE id IN (SELECT experiment_id FROM input)${statusFilter}
  FOR KEY SHARE
)`;

/**
 * One statement for a whole batch of first-time visitors: insert each assignment unless the
 * visitor already has one (the primary key decides between racing processes), bump the
 * combinations' visitor counters for the rows actually inserted, and return every visitor's
 * combination in input order. Exported for bench/scale/partition-planning.ts.
 */
export const ASSIGN_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::float8[], $5::int8[], $6::int[])
    AS t(experiment_id, browser_id, combination_id, probability, epoch, ord)
), ${LIVE_CTE(" AND status = 'running' AND archived_at IS NULL")}, ins AS (
  INSERT INTO assignments (experiment_id, browser_id, combination_id, probability, epoch)
  SELECT DISTINCT ON (experiment_id, browser_id) experiment_id, browser_id, combination_id, probability, epoch
  FROM input WHERE experiment_id IN (SELECT id FROM live) ORDER BY experiment_id, browser_id, ord
  ON CONFLICT (experiment_id, browser_id) DO NOTHING
  RETURNING experiment_id, browser_id, combination_id, epoch
), counted AS (
  -- Rows in key order: concurrent upserts lock counter rows in the same order (no deadlock).
  INSERT INTO combination_counters (combination_id, experiment_id, epoch, shard, visitors)
  SELECT combination_id, experiment_id, epoch, $7, count(*) FROM ins
  GROUP BY experiment_id, combination_id, epoch ORDER BY experiment_id, combination_id, epoch
  ON CONFLICT (experiment_id, combination_id, epoch, shard) DO UPDATE SET visitors = combination_counters.visitors + excluded.visitors
)
SELECT i.ord, coalesce(ins.combination_id, a.combination_id)::text AS combination_id,
       (ins.combination_id IS NOT NULL) AS created
FROM input i
LEFT JOIN ins ON ins.experiment_id = i.experiment_id AND ins.browser_id = i.browser_id
LEFT JOIN assignments a ON a.experiment_id = i.experiment_id AND a.browser_id = i.browser_id
ORDER BY i.ord`;

/**
 * One statement for a batch of conversion events (docs/architecture.md#goal). Every event is
 * stored, unless retention froze its experiment's raw rows. Per (experiment, visitor, goal) of an
 * assigned visitor, the batch's first event is upserted as the `counted` row (a partial unique index makes "first" exact across processes),
 * which carries the visitor's running totals on the goal; the old and new totals give what the
 * batch adds to the goal's counters, sums of squares included: T² − (T − d)² = d(2T − d).
 * Rows and counters are written in key order, so concurrent batches lock them in the same order.
 */
const CONVERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::int[])
    AS t(experiment_id, browser_id, goal, value, ord)
), ${LIVE_CTE('', 'id, raw_data_removed_at IS NULL AS open')}, resolved AS (
  SELECT i.*, a.combination_id, a.epoch FROM input i
  LEFT JOIN assignments a ON a.experiment_id = i.experiment_id AND a.browser_id = i.browser_id
  WHERE i.experiment_id IN (SELECT id FROM live WHERE open)
), per_visitor AS (
  SELECT experiment_id, browser_id, goal, combination_id, epoch, min(ord) AS first_ord,
         count(*)::int AS events, coalesce(sum(value), 0) AS value
  FROM resolved WHERE combination_id IS NOT NULL
  GROUP BY experiment_id, browser_id, goal, combination_id, epoch
), upserted AS (
  INSERT INTO conversions AS c
    (experiment_id, browser_id, combination_id, goal, value, counted, visitor_events, visitor_value)
  SELECT p.experiment_id, p.browser_id, p.combination_id, p.goal, r.value, true, p.events, p.value
  FROM per_visitor p JOIN resolved r ON r.ord = p.first_ord
  ORDER BY p.experiment_id, p.browser_id, p.goal
  ON CONFLICT (experiment_id, browser_id, goal) WHERE counted DO UPDATE
    SET visitor_events = c.visitor_events + excluded.visitor_events,
        visitor_value = c.visitor_value + excluded.visitor_value
  RETURNING c.experiment_id, c.browser_id, c.goal, c.visitor_events, c.visitor_value, (c.xmax = 0) AS first
), added AS (
  SELECT p.*, u.first, u.visitor_events, u.visitor_value FROM per_visitor p
  JOIN upserted u ON u.experiment_id = p.experiment_id AND u.browser_id = p.browser_id AND u.goal = p.goal
), rest AS (
  INSERT INTO conversions (experiment_id, browser_id, combination_id, goal, value, counted)
  SELECT experiment_id, browser_id, combination_id, goal, value, false FROM resolved
  WHERE ord NOT IN (SELECT first_ord FROM added WHERE first)
), bumped AS (
  INSERT INTO goal_counters AS g
    (combination_id, experiment_id, goal, epoch, shard, converted, events, events_squares, value_sum, value_squares)
  SELECT combination_id, experiment_id, goal, epoch, $6, count(*) FILTER (WHERE first), sum(events),
         sum(events::float8 * (2 * visitor_events - events)), sum(value),
         sum(value * (2 * visitor_value - value))
  FROM added GROUP BY experiment_id, combination_id, goal, epoch ORDER BY experiment_id, combination_id, goal, epoch
  ON CONFLICT (experiment_id, combination_id, goal, epoch, shard) DO UPDATE
    SET converted = g.converted + excluded.converted, events = g.events + excluded.events,
        events_squares = g.events_squares + excluded.events_squares,
        value_sum = g.value_sum + excluded.value_sum, value_squares = g.value_squares + excluded.value_squares
)
SELECT i.ord, i.ord IN (SELECT first_ord FROM added WHERE first) AS counted,
       i.experiment_id IN (SELECT id FROM live WHERE open) AS stored,
       i.experiment_id IN (SELECT id FROM live) AS exists
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
          rows.map((r) => r.epoch),
          rows.map((_, i) => i),
          shard,
        ],
        // Not prepared on purpose: its generic plan measured 20–25% slower than the plan made for
        // each batch's values (README, "Prepared statements"), while convert's pays.
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
      const result = await system.query<{ ord: number; counted: boolean; stored: boolean; exists: boolean }>(
        CONVERT_SQL,
        [
          rows.map((r) => r.experiment_id),
          rows.map((r) => r.browser_id),
          rows.map((r) => r.goal),
          rows.map((r) => r.value),
          rows.map((_, i) => i),
          shard,
        ],
        'samplit_convert',
      );
      const out = new Array<ConvertResult>(rows.length);
      for (const r of result) {
        out[r.ord] = r.counted ? 'counted' : r.stored ? 'stored' : r.exists ? 'closed' : 'gone';
      }
      return out;
    },

    async counters(experiments) {
      const counters = createCounterReader(system);
      const ids = experiments.map((e) => e.id);
      const versions = await system.query<ExperimentVersion>(
        'SELECT id::text, status, updated_at FROM experiments WHERE id = ANY($1::uuid[])',
        [ids],
      );
      return {
        visitors: await counters.visitors(ids),
        goals: await counters.goals(experiments.map((e) => ({ experiment_id: e.id, goal: e.goal }))),
        strata: await counters.strata(experiments.map((e) => ({ experiment_id: e.id, goal: e.goal }))),
        winners: await counters.declaredWinners(ids),
        versions,
      };
    },

    async recordWinner(winner) {
      await system.query(
        `INSERT INTO experiment_decisions (experiment_id, combination_id, goal, evidence)
         SELECT id, $2, $3, $4::jsonb FROM experiments WHERE id = $1
         ON CONFLICT (experiment_id) DO NOTHING`,
        [winner.experiment_id, winner.combination_id, winner.goal, JSON.stringify(winner.evidence)],
      );
      const [recorded] = await createCounterReader(system).declaredWinners([winner.experiment_id]);
      return recorded;
    },

    async recordEpoch(experimentId, probabilities) {
      const [row] = await system.query<{ id: number }>(
        // FOR KEY SHARE: a concurrent delete waits for this insert instead of failing its foreign key.
        `WITH live AS (SELECT id FROM experiments WHERE id = $1 FOR KEY SHARE)
         INSERT INTO allocation_epochs (experiment_id, probabilities)
         SELECT id, $2::jsonb FROM live RETURNING id::float8 AS id`,
        [experimentId, JSON.stringify(probabilities)],
      );
      return row?.id ?? 0;
    },

    async previewCombination(experimentId, combinationId) {
      // One row per variant of the combination, in its variant_ids order (element order); one row
      // with null variant columns when the experiment exists without that combination.
      const rows = await system.query<
        { allow_custom_js: boolean } & { [K in keyof ServedVariant]: ServedVariant[K] | null }
      >(
        `SELECT x.allow_custom_js, e.id::text AS element_id, e.name AS element_name, e.selector,
                v.id::text AS variant_id, v.name AS variant_name, v.is_control, v.content
         FROM experiments x
         LEFT JOIN combinations c ON c.experiment_id = x.id AND c.id = $2
         LEFT JOIN LATERAL unnest(c.variant_ids) WITH ORDINALITY AS u(variant_id, ord) ON true
         LEFT JOIN element_variants v ON v.experiment_id = x.id AND v.id = u.variant_id
         LEFT JOIN elements e ON e.experiment_id = x.id AND e.id = v.element_id
         WHERE x.id = $1
         ORDER BY u.ord`,
        [experimentId, combinationId],
      );
      if (rows.length === 0) return undefined;
      const variants = rows.flatMap(({ allow_custom_js, ...v }) =>
        v.variant_id === null ? [] : [v as ServedVariant],
      );
      return {
        allow_custom_js: rows[0].allow_custom_js,
        variants: variants.length > 0 ? variants : undefined,
      };
    },

    async recordAllocation(experimentId, weights, minIntervalSeconds) {
      await system.query(
        // Only for an experiment that still exists, held as recordEpoch holds it.
        `WITH live AS (SELECT id FROM experiments WHERE id = $1 FOR KEY SHARE)
         INSERT INTO allocation_history (experiment_id, weights)
         SELECT id, $2::jsonb FROM live WHERE NOT EXISTS (
           SELECT 1 FROM allocation_history
           WHERE experiment_id = $1 AND recorded_at > now() - make_interval(secs => $3))`,
        [experimentId, JSON.stringify(weights), minIntervalSeconds],
      );
    },
  };
}
