import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, type MigrationConnection, migrate } from '../src/db/migrate.js';
import { createScratchDatabase, type ScratchDatabase } from '../src/db/scratch-database.js';

// Migration 0004 turns the goal names of existing experiments into definitions and rebuilds the
// per-goal counters from the stored events, so an installation upgraded mid-experiment reports
// what it reported before, and more.

async function pgliteConnection(): Promise<{ conn: MigrationConnection; close: () => Promise<void> }> {
  const db = new PGlite();
  return {
    conn: {
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      exec: async (sql) => {
        await db.exec(sql);
      },
    },
    close: () => db.close(),
  };
}

let scratch: ScratchDatabase | undefined;
afterAll(() => scratch?.drop());

async function pgConnection(): Promise<{ conn: MigrationConnection; close: () => Promise<void> }> {
  scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'samplit_migrate_goals');
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  return {
    conn: {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      exec: async (sql) => {
        await client.query(sql);
      },
    },
    close: () => client.end(),
  };
}

describe('migration 0004 (goal metrics) on an installation with data', () => {
  it('keeps every experiment’s goals and counts, now per goal', async () => {
    const { conn, close } = process.env.TEST_DATABASE_URL ? await pgConnection() : await pgliteConnection();
    try {
      const all = await loadMigrations();
      await migrate(
        conn,
        all.filter((m) => m.version <= 3),
      );
      const user = randomUUID();
      const exp = randomUUID();
      const [c1, c2] = [randomUUID(), randomUUID()];
      await conn.exec(`
        INSERT INTO users (id, email, password_hash) VALUES ('${user}', '${user}@example.com', 'x');
        INSERT INTO experiments (id, owner_id, name, type, traffic_allocation, status, goals)
          VALUES ('${exp}', '${user}', 'old', 'ab_test', 'adaptive', 'running', '["purchase", "signup"]');
        INSERT INTO combinations (id, experiment_id, position, variant_ids) VALUES
          ('${c1}', '${exp}', 0, '{}'), ('${c2}', '${exp}', 1, '{}');
        INSERT INTO combination_counters (combination_id, experiment_id, shard, visitors, successful_conversions)
          VALUES ('${c1}', '${exp}', 1, 10, 2), ('${c2}', '${exp}', 1, 10, 1);
        INSERT INTO conversions (experiment_id, browser_id, combination_id, goal, value, counted) VALUES
          ('${exp}', 'a', '${c1}', 'purchase', 10, true),
          ('${exp}', 'a', '${c1}', 'purchase', 5, false),
          ('${exp}', 'b', '${c1}', 'purchase', 7, true),
          ('${exp}', 'c', '${c2}', 'purchase', NULL, true),
          ('${exp}', 'c', '${c2}', 'signup', NULL, true),
          ('${exp}', 'z', NULL, 'purchase', 3, false);
      `);
      expect(await migrate(conn)).toEqual(all.filter((m) => m.version > 3).map((m) => m.name));

      const [{ goals }] = await conn.query<{ goals: unknown }>(
        'SELECT goals FROM experiments WHERE id = $1',
        [exp],
      );
      expect(goals).toEqual([
        { key: 'purchase', kind: 'conversion', direction: 'higher', role: 'primary', threshold: null },
        { key: 'signup', kind: 'conversion', direction: 'higher', role: 'secondary', threshold: null },
      ]);
      const counters = await conn.query(
        `SELECT combination_id::text, goal, converted::int, events::int, events_squares, value_sum, value_squares
         FROM goal_counters WHERE experiment_id = $1 ORDER BY combination_id = $2 DESC, goal`,
        [exp, c1],
      );
      expect(counters).toEqual([
        // a: 2 events worth 15; b: 1 event worth 7.
        {
          combination_id: c1,
          goal: 'purchase',
          converted: 2,
          events: 3,
          events_squares: 5,
          value_sum: 22,
          value_squares: 274,
        },
        {
          combination_id: c2,
          goal: 'purchase',
          converted: 1,
          events: 1,
          events_squares: 1,
          value_sum: 0,
          value_squares: 0,
        },
        {
          combination_id: c2,
          goal: 'signup',
          converted: 1,
          events: 1,
          events_squares: 1,
          value_sum: 0,
          value_squares: 0,
        },
      ]);
      const columns = await conn.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'combination_counters'`,
      );
      expect(columns.map((c) => c.column_name)).not.toContain('successful_conversions');
    } finally {
      await close();
    }
  });
});
