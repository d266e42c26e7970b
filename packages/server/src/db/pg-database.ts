import pg from 'pg';
import { APP_ROLE, type Database, type Queryable, SYSTEM_ROLE, scopeStatement } from './database.js';

// bigint counts come back as strings by default; Samplit's counters fit comfortably in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/** PostgreSQL through a `pg` pool whose sessions act as the RLS-bound application role. */
export class PgDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  /** Sessions already acting as samplit_system, so a tracker statement needs no BEGIN/SET round trip. */
  private readonly systemPool: pg.Pool;
  readonly system: Queryable;

  constructor(connectionString: string, options: { max?: number; systemMax?: number } = {}) {
    // Every session switches to the application role at connect time: RLS applies even when the
    // connection's login role owns the tables or is a superuser.
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10, options: `-c role=${APP_ROLE}` });
    this.systemPool = new pg.Pool({
      connectionString,
      max: options.systemMax ?? 10,
      // The tracker's few statements are prepared once per connection; a generic plan skips
      // re-planning their CTEs on every batch.
      options: `-c role=${SYSTEM_ROLE} -c plan_cache_mode=force_generic_plan`,
    });
    // An idle client that dies (server restart) must not crash the process.
    this.pool.on('error', () => {});
    this.systemPool.on('error', () => {});
    this.system = {
      query: async <T>(sql: string, params?: unknown[]) =>
        (await this.systemPool.query(sql, params)).rows as T[],
    };
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as T[];
  }

  asUser<T>(userId: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(scopeStatement({ userId }), fn);
  }

  asSystem<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction('', fn, this.systemPool);
  }

  private async transaction<T>(
    scope: string,
    fn: (q: Queryable) => Promise<T>,
    pool = this.pool,
  ): Promise<T> {
    const client = await pool.connect();
    const q: Queryable = {
      query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
    };
    try {
      await client.query(scope ? `BEGIN; ${scope}` : 'BEGIN');
      const result = await fn(q);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.systemPool.end()]);
  }
}
