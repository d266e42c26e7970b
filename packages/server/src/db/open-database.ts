import pg from 'pg';
import { MEMORY_DATA_DIR } from '../config.js';
import type { Database } from './database.js';
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
      const client = new pg.Client({ connectionString: options.databaseUrl });
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
    return { db: new PgDatabase(options.databaseUrl, { max: options.poolSize }), applied };
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
