import pg from 'pg';
import type { CircuitState } from './availability.js';
import type { Database } from './database.js';
import { DATABASE_TIMEOUT_DEFAULTS, MEMORY_DATA_DIR } from './database-defaults.js';
import { type MigrationConnection, migrate } from './migrate.js';
import { PgDatabase } from './pg-database.js';
import { PgliteDatabase } from './pglite-database.js';

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; `memory://` or undefined keeps the database in memory. */
  dataDir?: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  poolSize?: number;
  /** PostgreSQL timeouts (see Config); unset ones take DATABASE_TIMEOUT_DEFAULTS. */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  trackerStatementTimeoutMs?: number;
  onCircuitChange?: (state: CircuitState, reason?: string) => void;
}

export interface OpenedDatabase {
  db: Database;
  applied: string[];
}

/** PostgreSQL when a URL is given, else the embedded PGlite; migrated, and running as the app role. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const shouldMigrate = options.migrate ?? true;
  if (options.databaseUrl) {
    let applied: string[] = [];
    if (shouldMigrate) {
      // Migrations run as the login role (it owns the tables); the pool then acts as samplit_app.
      // No statement timeout: building an index on a big table may rightly take minutes. A
      // connect timeout, so that a start against an unreachable server fails instead of hanging.
      const client = new pg.Client({
        connectionString: options.databaseUrl,
        connectionTimeoutMillis: options.connectTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.connectTimeoutMs,
        keepAlive: true,
      });
      await client.connect();
      try {
        const conn: MigrationConnection = {
          query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
          exec: async (sql) => {
            await client.query(sql);
          },
        };
        applied = await migrate(conn);
      } finally {
        await client.end();
      }
    }
    const db = new PgDatabase(options.databaseUrl, {
      max: options.poolSize,
      connectTimeoutMs: options.connectTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs,
      trackerStatementTimeoutMs: options.trackerStatementTimeoutMs,
      onCircuitChange: options.onCircuitChange,
    });
    return { db, applied };
  }
  const dir = options.dataDir === MEMORY_DATA_DIR ? undefined : options.dataDir;
  const db = await PgliteDatabase.open(dir);
  const conn: MigrationConnection = {
    query: async <T>(sql: string, params?: unknown[]) => (await db.pglite.query<T>(sql, params)).rows,
    exec: async (sql) => {
      await db.pglite.exec(sql);
    },
  };
  const applied = shouldMigrate ? await migrate(conn) : [];
  await db.useAppRole();
  return { db, applied };
}
