import pg from 'pg';
import {
  CircuitBreaker,
  type CircuitSnapshot,
  type CircuitState,
  classifyDatabaseError,
} from './availability.js';
import { APP_ROLE, type Database, type Queryable, SYSTEM_ROLE, scopeStatement } from './database.js';
import { DATABASE_TIMEOUT_DEFAULTS } from './database-defaults.js';

// bigint counts come back as strings by default; Samplit's counters fit comfortably in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/**
 * How much longer the client waits than the server's statement_timeout: a merely slow server
 * cancels the statement itself and says so (SQLSTATE 57014) within this margin; only a server that
 * has gone silent lets the client's timer fire.
 */
const QUERY_TIMEOUT_MARGIN_MS = 500;
/**
 * Kernel keepalive probes on idle connections from 10 s of silence on, so a connection to a host
 * that vanished (no FIN, no RST) is found dead instead of being handed to the next request.
 */
const KEEPALIVE_DELAY_MS = 10_000;
/**
 * Fail-fast period after a connection-level failure: one probe a second keeps a down database
 * from being hammered by every request, and service resumes within about a second of its return.
 */
export const CIRCUIT_COOL_DOWN_MS = 1000;

export interface PgDatabaseOptions {
  max?: number;
  systemMax?: number;
  connectTimeoutMs?: number;
  /** statement_timeout of the API sessions (samplit_app); 0: none. */
  statementTimeoutMs?: number;
  /** statement_timeout of the tracker's sessions (samplit_system); 0: none. */
  trackerStatementTimeoutMs?: number;
  /** Told when the circuit opens, half-opens or closes. */
  onCircuitChange?: (state: CircuitState, reason?: string) => void;
}

/** PostgreSQL through a `pg` pool whose sessions act as the RLS-bound application role. */
export class PgDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  /** Sessions already acting as samplit_system, so a tracker statement needs no BEGIN/SET round trip. */
  private readonly systemPool: pg.Pool;
  private readonly breaker: CircuitBreaker;
  readonly system: Queryable;

  constructor(connectionString: string, options: PgDatabaseOptions = {}) {
    const connectTimeout = options.connectTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.connectTimeoutMs;
    const session = (statementTimeout: number): pg.PoolConfig => ({
      connectionString,
      // Bounds both a new connection's connect + startup and the wait for a free pooled client.
      connectionTimeoutMillis: connectTimeout,
      // The server gives up on a statement (a startup parameter, so no extra round trip)…
      statement_timeout: statementTimeout || undefined,
      // …and the client gives up on a server that never answers; pool.query then destroys the
      // connection instead of returning it to the pool. 0 turns both off.
      query_timeout: statementTimeout ? statementTimeout + QUERY_TIMEOUT_MARGIN_MS : undefined,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    // Every session switches to the application role at connect time: RLS applies even when the
    // connection's login role owns the tables or is a superuser.
    this.pool = new pg.Pool({
      ...session(options.statementTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.statementTimeoutMs),
      max: options.max ?? 10,
      options: `-c role=${APP_ROLE}`,
    });
    this.systemPool = new pg.Pool({
      ...session(options.trackerStatementTimeoutMs ?? DATABASE_TIMEOUT_DEFAULTS.trackerStatementTimeoutMs),
      max: options.systemMax ?? 10,
      // The tracker's named statements are prepared once per session (see `system`); a generic
      // plan makes the next executions skip planning too, instead of five custom plans first.
      options: `-c role=${SYSTEM_ROLE} -c plan_cache_mode=force_generic_plan`,
    });
    // An idle client that dies (server restart) must not crash the process; the pool drops it.
    this.pool.on('error', () => {});
    this.systemPool.on('error', () => {});
    // Both pools talk to one server: a failure seen by either opens the circuit for both.
    this.breaker = new CircuitBreaker({
      coolDownMs: CIRCUIT_COOL_DOWN_MS,
      onChange: options.onCircuitChange,
    });
    this.system = {
      // A named statement is pg's prepared statement: parsed once per session, then only bound
      // and executed (docs/architecture.md#statement-plans).
      query: <T>(sql: string, params?: unknown[], name?: string) =>
        this.breaker.run(
          async () =>
            (
              await this.systemPool.query(
                name ? { name, text: sql, values: params } : { text: sql, values: params },
              )
            ).rows as T[],
        ),
    };
  }

  query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.breaker.run(async () => (await this.pool.query(sql, params as unknown[])).rows as T[]);
  }

  async ping(timeoutMs: number): Promise<void> {
    // node-pg takes a per-query query_timeout; its type declarations do not list it.
    const probe = { text: 'SELECT 1', query_timeout: timeoutMs } as pg.QueryConfig;
    await this.breaker.run(() => this.pool.query(probe));
  }

  availability(): CircuitSnapshot {
    return this.breaker.snapshot();
  }

  asUser<T>(userId: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(scopeStatement({ userId }), fn);
  }

  asSystem<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction('', fn, this.systemPool);
  }

  private transaction<T>(scope: string, fn: (q: Queryable) => Promise<T>, pool = this.pool): Promise<T> {
    return this.breaker.run(async () => {
      const client = await pool.connect();
      const q: Queryable = {
        query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
      };
      // Set when the connection can no longer be trusted: release(error) destroys it instead of
      // handing a broken or still-busy session to the next request.
      let broken: Error | undefined;
      try {
        await client.query(scope ? `BEGIN; ${scope}` : 'BEGIN');
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        const reason = classifyDatabaseError(error);
        if (reason === 'unreachable' || reason === 'timeout') {
          // A ROLLBACK would queue behind the unanswered statement; closing the connection makes
          // the server roll back instead.
          broken = error as Error;
        } else {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
        }
        throw error;
      } finally {
        client.release(broken);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.systemPool.end()]);
  }
}
