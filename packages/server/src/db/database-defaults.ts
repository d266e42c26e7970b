/** The PGlite data directory that keeps nothing (tests, benchmarks). */
export const MEMORY_DATA_DIR = 'memory://';

/** Defaults of the database timeouts (see Config), also used by callers that load no Config. */
export const DATABASE_TIMEOUT_DEFAULTS = {
  connectTimeoutMs: 5000,
  statementTimeoutMs: 30_000,
  trackerStatementTimeoutMs: 5000,
} as const;
