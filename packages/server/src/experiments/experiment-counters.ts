import type { Queryable } from '../db/database.js';

/**
 * One goal's running aggregates for one combination, summed over the counter shards: visitors
 * with at least one event, events, and the sum and sum of squares of the per-visitor totals
 * (events per visitor, summed `value` per visitor). Every kind of goal is a view of these.
 */
export interface GoalCounts {
  converted: number;
  events: number;
  events_squares: number;
  value_sum: number;
  value_squares: number;
}

export const NO_GOAL_COUNTS: Readonly<GoalCounts> = Object.freeze({
  converted: 0,
  events: 0,
  events_squares: 0,
  value_sum: 0,
  value_squares: 0,
});

export interface CombinationVisitors {
  experiment_id: string;
  combination_id: string;
  visitors: number;
}

export interface GoalCounterRow extends GoalCounts {
  experiment_id: string;
  combination_id: string;
  goal: string;
}

/**
 * The counts of (experiment, goal) pairs split by allocation epoch (migration 0006): per epoch
 * and combination, visitors and the goal's counts, and each epoch's probabilities. Epoch 0 holds
 * what was counted before epochs were recorded; it has no probabilities.
 */
export interface CounterStrata {
  visitors: (CombinationVisitors & { epoch: number })[];
  goals: (GoalCounterRow & { epoch: number })[];
  epochs: { experiment_id: string; epoch: number; probabilities: Record<string, number> }[];
}

/** The winner recorded for an experiment (migration 0005). */
export interface DeclaredWinner {
  experiment_id: string;
  combination_id: string;
  goal: string;
  decided_at: Date;
  evidence: Record<string, unknown>;
}

/** A goal with events that the experiment does not declare, and how many. */
export interface OtherGoal {
  goal: string;
  /** Visitors with at least one event on it. */
  conversions: number;
  events: number;
}

/**
 * The running aggregates of the tracker's tables (docs/architecture.md#goal), read by the tracker
 * runtime (as `samplit_system`) and by the reports (in the user's transaction, so row-level
 * security applies): neither ever scans assignments or conversions.
 */
export function createCounterReader(q: Queryable) {
  return {
    /** Visitors of every combination of these experiments (zero when none yet). */
    visitors(experimentIds: readonly string[]): Promise<CombinationVisitors[]> {
      return q.query<CombinationVisitors>(
        `SELECT c.experiment_id::text, c.id::text AS combination_id,
                coalesce(sum(k.visitors), 0)::float8 AS visitors
         FROM combinations c
         LEFT JOIN combination_counters k ON k.experiment_id = c.experiment_id AND k.combination_id = c.id
         WHERE c.experiment_id = ANY($1::uuid[])
         GROUP BY c.experiment_id, c.id`,
        [experimentIds],
      );
    },

    /** Per combination, the counts of each (experiment, goal) asked for; no row: nothing yet. */
    goals(keys: readonly { experiment_id: string; goal: string }[]): Promise<GoalCounterRow[]> {
      return q.query<GoalCounterRow>(
        `SELECT g.experiment_id::text, g.combination_id::text, g.goal,
                sum(g.converted)::float8 AS converted, sum(g.events)::float8 AS events,
                sum(g.events_squares) AS events_squares, sum(g.value_sum) AS value_sum,
                sum(g.value_squares) AS value_squares
         FROM unnest($1::uuid[], $2::text[]) AS k(experiment_id, goal)
         JOIN goal_counters g ON g.experiment_id = k.experiment_id AND g.goal = k.goal
         GROUP BY g.experiment_id, g.combination_id, g.goal`,
        [keys.map((k) => k.experiment_id), keys.map((k) => k.goal)],
      );
    },

    /** The counts of {@link CounterStrata}, for these (experiment, goal) pairs. */
    async strata(keys: readonly { experiment_id: string; goal: string }[]): Promise<CounterStrata> {
      const ids = keys.map((k) => k.experiment_id);
      const [visitors, goals, epochs] = [
        await q.query<CombinationVisitors & { epoch: number }>(
          `SELECT experiment_id::text, combination_id::text, epoch::float8 AS epoch,
                  sum(visitors)::float8 AS visitors
           FROM combination_counters WHERE experiment_id = ANY($1::uuid[])
           GROUP BY experiment_id, combination_id, epoch`,
          [ids],
        ),
        await q.query<GoalCounterRow & { epoch: number }>(
          `SELECT g.experiment_id::text, g.combination_id::text, g.goal, g.epoch::float8 AS epoch,
                  sum(g.converted)::float8 AS converted, sum(g.events)::float8 AS events,
                  sum(g.events_squares) AS events_squares, sum(g.value_sum) AS value_sum,
                  sum(g.value_squares) AS value_squares
           FROM unnest($1::uuid[], $2::text[]) AS k(experiment_id, goal)
           JOIN goal_counters g ON g.experiment_id = k.experiment_id AND g.goal = k.goal
           GROUP BY g.experiment_id, g.combination_id, g.goal, g.epoch`,
          [ids, keys.map((k) => k.goal)],
        ),
        await q.query<{ experiment_id: string; epoch: number; probabilities: Record<string, number> }>(
          `SELECT experiment_id::text, id::float8 AS epoch, probabilities
           FROM allocation_epochs WHERE experiment_id = ANY($1::uuid[]) ORDER BY id`,
          [ids],
        ),
      ];
      return { visitors, goals, epochs };
    },

    /** The declared winners of these experiments (none: no row). */
    declaredWinners(experimentIds: readonly string[]): Promise<DeclaredWinner[]> {
      return q.query<DeclaredWinner>(
        `SELECT experiment_id::text, combination_id::text, goal, decided_at, evidence
         FROM experiment_decisions WHERE experiment_id = ANY($1::uuid[])`,
        [experimentIds],
      );
    },

    /**
     * Goals of the experiment that have events but are not in `declared`, most events first (at
     * most `limit`), and how many such goals there are in all.
     */
    async otherGoals(
      experimentId: string,
      declared: readonly string[],
      limit: number,
    ): Promise<{ goals: OtherGoal[]; total: number }> {
      const rows = await q.query<OtherGoal & { total: number }>(
        `SELECT goal, sum(converted)::float8 AS conversions, sum(events)::float8 AS events,
                (count(*) OVER ())::float8 AS total
         FROM goal_counters WHERE experiment_id = $1 AND goal <> ALL($2::text[])
         GROUP BY goal ORDER BY sum(events) DESC, goal LIMIT $3`,
        [experimentId, declared, limit],
      );
      return {
        goals: rows.map(({ total, ...g }) => g),
        total: rows[0]?.total ?? 0,
      };
    },
  };
}

export type CounterReader = ReturnType<typeof createCounterReader>;
