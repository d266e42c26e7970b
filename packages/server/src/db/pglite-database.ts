import { PGlite } from '@electric-sql/pglite';
import type { CircuitSnapshot } from './availability.js';
import { lockDataDir } from './data-dir-lock.js';
import { APP_ROLE, type Database, type Queryable, scopeStatement } from './database.js';

/**
 * The embedded default: PostgreSQL compiled to WASM, in-process, one connection. The same
 * migrations and queries as on a server, and the same row-level security (the session runs as the
 * application role after migrations).
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly system: Queryable = {
    query: (sql, params) => this.asSystem((q) => q.query(sql, params)),
  };

  private constructor(
    readonly pglite: PGlite,
    private readonly lock?: { release(): void },
  ) {}

  /**
   * `dataDir` undefined keeps everything in memory (tests). A directory is locked for this
   * process until close (data-dir-lock.ts); a second process gets a DataDirLockedError.
   */
  static async open(dataDir: string | undefined): Promise<PgliteDatabase> {
    const lock = dataDir ? lockDataDir(dataDir) : undefined;
    try {
      const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
      await pglite.waitReady;
      return new PgliteDatabase(pglite, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  /** Called after migrations, which run as the owner. */
  async useAppRole(): Promise<void> {
    await this.pglite.exec(`SET ROLE ${APP_ROLE}`);
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.pglite.query<T>(sql, params)).rows;
  }

  /** In process: nothing to wait for, so no timeout either. */
  async ping(): Promise<void> {
    await this.pglite.query('SELECT 1');
  }

  /** An in-process database is never unreachable. */
  availability(): CircuitSnapshot {
    return { state: 'closed', retry_after_seconds: 0 };
  }

  asUser<T>(userId: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(scopeStatement({ userId }), fn);
  }

  asSystem<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(scopeStatement('system'), fn);
  }

  private transaction<T>(scope: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    // PGlite's transaction() holds its single connection for the callback, so concurrent
    // requests queue instead of interleaving statements.
    return this.pglite.transaction(async (tx) => {
      await tx.exec(scope);
      return fn({
        query: async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows,
      });
    });
  }

  async close(): Promise<void> {
    try {
      await this.pglite.close();
    } finally {
      this.lock?.release();
    }
  }
}
