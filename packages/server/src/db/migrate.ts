import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Queryable } from './database.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
// Serialises migrations when several processes start at once against one PostgreSQL.
const MIGRATION_LOCK_ID = 726_451_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number.parseInt(file, 10),
      name: file.replace(/\.sql$/, ''),
      sql: await readFile(`${dir}${file}`, 'utf8'),
    })),
  );
}

/** A connection able to run multi-statement scripts (simple query protocol). */
export interface MigrationConnection extends Queryable {
  exec(sql: string): Promise<void>;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction,
 * in version order. Returns the names applied.
 */
export async function migrate(conn: MigrationConnection, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  await conn.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
  try {
    const done = new Set(
      (await conn.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      await conn.exec(
        `BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name.replaceAll("'", "''")}');\nCOMMIT;`,
      );
      applied.push(m.name);
    }
    return applied;
  } catch (error) {
    await conn.exec('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
  }
}
