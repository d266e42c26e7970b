import type { CircuitSnapshot } from './availability.js';

/** Anything that runs one parameterised SQL statement: a pool, a PGlite instance, a transaction. */
export interface Queryable {
  /**
   * `name`: the statement's name. `PgDatabase.system` makes it a prepared statement of the session
   * (parsed once per connection); PGlite, one in-process session with no network round trip to
   * save, ignores it.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<T[]>;
}

/**
 * The one database abstraction of the server. Both implementations speak the same PostgreSQL
 * dialect; they differ only in how connections and transactions are obtained.
 *
 * Row-level security: statements made for a user run as the `samplit_app` role (which cannot
 * bypass RLS); `asUser` makes the current user visible to its policies for one transaction.
 * The public tracker and background jobs, which act for no single user, run as `samplit_system`,
 * whose policies let it see every experiment.
 */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction that sees only `userId`'s experiments. */
  asUser<T>(userId: string, fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Single statements as `samplit_system`, each its own transaction (autocommit): the tracker's
   * hot path, where one statement is one round trip.
   */
  readonly system: Queryable;
  /** Runs `fn` in one transaction as `samplit_system` (all rows). */
  asSystem<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Statements outside any scope: RLS hides every experiment row. Users, health checks. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** One round trip (health checks); a server that does not answer within `timeoutMs` fails it. */
  ping(timeoutMs: number): Promise<void>;
  /**
   * Whether statements are being tried: after a connection-level failure they fail fast with
   * DatabaseUnavailableError until a probe gets an answer again (always closed in process).
   */
  availability(): CircuitSnapshot;
  close(): Promise<void>;
}

export const APP_ROLE = 'samplit_app';
export const SYSTEM_ROLE = 'samplit_system';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statement that scopes the current transaction for the RLS policies. The user id is inlined
 * (after a strict UUID check) so that, on a server, BEGIN and the setting travel in one round trip.
 */
export function scopeStatement(scope: { userId: string } | 'system'): string {
  if (scope === 'system') return `SET LOCAL ROLE ${SYSTEM_ROLE}`;
  if (!UUID.test(scope.userId)) throw new Error('user id must be a UUID');
  return `SET LOCAL samplit.user_id = '${scope.userId}'`;
}
