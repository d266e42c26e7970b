import type { Database } from '../db/database.js';

/**
 * A completed experiment old enough for retention whose raw rows are there, or not yet all gone
 * (an earlier run froze it and stopped part-way: the rest go).
 */
export interface RetentionCandidate {
  id: string;
  name: string;
  completed_at: Date;
}

/** The raw tables retention removes, and the key it removes and archives them in. */
export const RAW_TABLES = {
  assignments: {
    key: 'browser_id',
    columns: ['browser_id', 'combination_id', 'probability', 'epoch', 'assigned_at'],
  },
  conversions: {
    key: 'id',
    columns: [
      'id',
      'browser_id',
      'combination_id',
      'goal',
      'value',
      'counted',
      'visitor_events',
      'visitor_value',
      'created_at',
    ],
  },
} as const;
export type RawTable = keyof typeof RAW_TABLES;

/** How long one run holds an experiment before another server may take it over (renewed per batch). */
const LEASE = "interval '10 minutes'";

/**
 * Retention's statements (docs/scaling.md#retention), as `samplit_system`, each its own
 * transaction but the freeze's two: no long transaction holds back vacuum, and no lock on an
 * experiment lasts longer than the tracker's own statements do.
 */
export function createRetentionStore(db: Database) {
  const system = db.system;
  return {
    /** Completed experiments completed more than `days` ago that still have raw rows. */
    candidates(days: number): Promise<RetentionCandidate[]> {
      return system.query<RetentionCandidate>(
        `SELECT id::text, name, completed_at FROM experiments e
         WHERE status = 'completed' AND completed_at < now() - make_interval(days => $1)
           AND (raw_data_removed_at IS NULL
                OR EXISTS (SELECT 1 FROM assignments a WHERE a.experiment_id = e.id)
                OR EXISTS (SELECT 1 FROM conversions c WHERE c.experiment_id = e.id))
         ORDER BY completed_at, id`,
        [days],
      );
    },

    async rawCounts(experimentId: string): Promise<Record<RawTable, number>> {
      const [row] = await system.query<Record<RawTable, number>>(
        `SELECT (SELECT count(*) FROM assignments WHERE experiment_id = $1)::float8 AS assignments,
                (SELECT count(*) FROM conversions WHERE experiment_id = $1)::float8 AS conversions`,
        [experimentId],
      );
      return row;
    },

    /**
     * Takes the experiment's lease for this run (renewed by every batch it deletes); false when
     * another run holds it, or the experiment is gone.
     */
    async lease(experimentId: string): Promise<boolean> {
      const rows = await system.query(
        `UPDATE experiments SET retention_lease_until = now() + ${LEASE}
         WHERE id = $1 AND status = 'completed' AND (retention_lease_until IS NULL OR retention_lease_until < now())
         RETURNING id`,
        [experimentId],
      );
      return rows.length > 0;
    },

    async release(experimentId: string): Promise<void> {
      await system.query('UPDATE experiments SET retention_lease_until = NULL WHERE id = $1', [experimentId]);
    },

    /**
     * Freezes the experiment's raw rows: waits for the tracker statements already writing to it
     * (each holds a KEY SHARE lock on its row, tracker-store.ts, which FOR UPDATE waits for) and
     * marks it, so that later ones store nothing for it. The lock lasts as long as those do.
     */
    async freeze(experimentId: string): Promise<void> {
      await db.asSystem(async (q) => {
        await q.query('SELECT id FROM experiments WHERE id = $1 FOR UPDATE', [experimentId]);
        await q.query(
          'UPDATE experiments SET raw_data_removed_at = now() WHERE id = $1 AND raw_data_removed_at IS NULL',
          [experimentId],
        );
      });
    },

    /**
     * Rolls the frozen raw rows up per minute into what the time series read. Each is one
     * statement, so a table's roll-up is there in full or not at all; ON CONFLICT makes a later
     * run's repeat (after a run stopped part-way through deleting) change nothing.
     */
    async rollUp(experimentId: string): Promise<void> {
      await system.query(
        `INSERT INTO visitor_rollups (experiment_id, minute, combination_id, visitors)
         SELECT experiment_id, date_trunc('minute', assigned_at, 'UTC'), combination_id, count(*)
         FROM assignments WHERE experiment_id = $1 GROUP BY 1, 2, 3
         ON CONFLICT DO NOTHING`,
        [experimentId],
      );
      await system.query(
        `INSERT INTO goal_rollups (experiment_id, goal, minute, combination_id, conversions, events, value)
         SELECT experiment_id, goal, date_trunc('minute', created_at, 'UTC'), combination_id,
                count(*) FILTER (WHERE counted), count(*), coalesce(sum(value), 0)
         FROM conversions WHERE experiment_id = $1 AND combination_id IS NOT NULL GROUP BY 1, 2, 3, 4
         ON CONFLICT DO NOTHING`,
        [experimentId],
      );
    },

    /** One page of a raw table in key order, after `after` (null: from the start). */
    page(experimentId: string, table: RawTable, after: string | null, limit: number) {
      const { key, columns } = RAW_TABLES[table];
      return system.query<Record<string, unknown>>(
        `SELECT ${columns.join(', ')} FROM ${table}
         WHERE experiment_id = $1 AND ($2::text IS NULL OR ${key} > $2::${key === 'id' ? 'int8' : 'text'})
         ORDER BY ${key} LIMIT $3`,
        [experimentId, after, limit],
      );
    },

    /** Deletes up to `limit` raw rows (in key order) and renews the lease; how many went. */
    async deleteBatch(experimentId: string, table: RawTable, limit: number): Promise<number> {
      const { key } = RAW_TABLES[table];
      const [row] = await system.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM ${table} WHERE experiment_id = $1 AND ${key} IN (
             SELECT ${key} FROM ${table} WHERE experiment_id = $1 ORDER BY ${key} LIMIT $2)
           RETURNING 1
         ), renewed AS (
           UPDATE experiments SET retention_lease_until = now() + ${LEASE} WHERE id = $1 RETURNING 1
         )
         SELECT (SELECT count(*) FROM gone)::int AS n`,
        [experimentId, limit],
      );
      return row.n;
    },
  };
}

export type RetentionStore = ReturnType<typeof createRetentionStore>;
