import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATABASE_TIMEOUT_DEFAULTS, MEMORY_DATA_DIR } from './db/database-defaults.js';
import { assertCidr } from './visual-editor/address-policy.js';

/** Every setting of the server, read once from the environment (see README "Configuration"). */
export interface Config {
  production: boolean;
  host: string;
  port: number;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /**
   * PostgreSQL: longest wait for a connection, whether a new one (TCP connect and startup) or a
   * free one when every pooled connection is busy. Then the request gets a 503.
   */
  databaseConnectTimeoutMs: number;
  /**
   * PostgreSQL `statement_timeout` of API sessions (samplit_app). Generous: the time-series
   * aggregate reads every visitor of an experiment (about 0.8 s per million); CSV exports read in
   * pages of 5,000 rows, each well under it. Migrations run on their own connection without it.
   * 0: none.
   */
  databaseStatementTimeoutMs: number;
  /**
   * PostgreSQL `statement_timeout` of the tracker's sessions (samplit_system: tracker batches and
   * the snapshot refresh, each milliseconds). It bounds how long a tracker request can wait on a
   * database that has gone silent, before the circuit opens and the rest fail at once. 0: none
   * (then only the connect timeout and /health's ping notice a silent database).
   */
  trackerStatementTimeoutMs: number;
  /** Where PGlite keeps its files and the development JWT secret; `memory://` keeps nothing. */
  dataDir: string;
  jwtSecret: string;
  jwtExpiresInSeconds: number;
  bodyLimitBytes: number;
  maxCombinations: number;
  logLevel: string;
  /** Origins allowed to call the public tracker and load the SDK cross-origin; `true`: any. */
  corsOrigins: string[] | true;
  /**
   * Strict-Transport-Security max-age in seconds; 0 sends no HSTS. Only the operator knows that
   * every client reaches this host over TLS (often a proxy in front terminates it), and a wrong
   * HSTS header locks browsers out of a plain-HTTP host for max-age, so it is opt-in.
   */
  hstsMaxAgeSeconds: number;
  /**
   * Trust X-Forwarded-For (behind a load balancer) for client IPs and rate limits: `true` (any
   * peer) or the proxies' addresses/CIDRs; false when unset (Fastify's trustProxy).
   */
  trustProxy: boolean | string[];
  /** How often each process re-reads the posterior counters and recomputes allocations. */
  snapshotRefreshMs: number;
  /**
   * Tracker statements in flight at once per kind (assign, convert). Few and large beats many and
   * small: every commit waits for a WAL flush, so rows per flush is what sets throughput.
   */
  groupCommitInFlight: number;
  /** Rows one tracker statement writes at most (group commit). */
  groupCommitMaxBatch: number;
  /** Sticky assignments each process remembers, so a returning visitor needs no database trip. */
  assignmentCacheSize: number;
  /** Minimum seconds between two allocation-history points of one experiment. */
  allocationHistorySeconds: number;
  /** Largest tracker request body: a visitor's call is a few hundred bytes. */
  trackerBodyLimitBytes: number;
  /** Statistics payloads each process remembers per unchanged inputs. */
  statsCacheSize: number;
  /** Tracker requests per client IP per second (0: unlimited). */
  trackerRateLimitPerIp: number;
  /** Tracker requests per experiment per second and process (0: unlimited). */
  trackerRateLimitPerExperiment: number;
  /** Token requests per IP per minute (brute-force brake), counted in the database across processes. */
  authRateLimitPerMinute: number;
  /** Sign-ups per IP per hour (each costs a 32 MiB scrypt), counted in the database across processes. */
  registerRateLimitPerHour: number;
  /**
   * Milliseconds a client has to send a whole request, headers and body (REQUEST_TIMEOUT_MS):
   * a connection that trickles its headers (slowloris) is answered 408 and closed after this.
   */
  requestTimeoutMs: number;
  /**
   * Port of the visual editor's own app (SAMPLIT_EDITOR_PORT): a second origin, holding none of
   * the dashboard's credentials, that serves proxied pages. Default PORT+1; 0 when PORT is 0
   * (the OS picks both).
   */
  editorPort: number;
  /**
   * The editor app's public origin as browsers reach it (SAMPLIT_EDITOR_ORIGIN, e.g. behind a
   * reverse proxy); unset: the scheme and host name of the request, with the editor's port.
   */
  editorOrigin: string | undefined;
  /**
   * SAMPLIT_EDITOR_ALLOW_PRIVATE=true: the editor's proxy may fetch private, loopback and other
   * non-public addresses (a development box, an intranet). Off: public addresses only.
   */
  editorAllowPrivate: boolean;
  /** Ports the editor's proxy may fetch besides 80 and 443 (SAMPLIT_EDITOR_ALLOWED_PORTS, comma list). */
  editorAllowedPorts: number[];
  /** CIDRs the editor's proxy may fetch whatever their class (SAMPLIT_EDITOR_ALLOWED_ADDRESSES). */
  editorAllowedAddresses: string[];
  /**
   * SAMPLIT_RETENTION_DAYS: the server removes the raw assignments and events of experiments
   * completed more than this many days ago, keeping their aggregates (docs/scaling.md#retention),
   * once at start and then hourly. 0 (the default): keeps everything; `samplit retention` still
   * runs it on demand.
   */
  retentionDays: number;
  /** SAMPLIT_RETENTION_ARCHIVE_DIR: where the server's retention runs archive the rows first (gzipped CSV). */
  retentionArchiveDir: string | undefined;
}

// Defined by the database layer, which needs them without a Config; re-exported for callers.
export { DATABASE_TIMEOUT_DEFAULTS, MEMORY_DATA_DIR } from './db/database-defaults.js';

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, zeroAllowed = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw new Error(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  }
  return value;
}

function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return value.split(',').map((entry) => entry.trim());
}

function listFromEnv(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function portsFromEnv(env: NodeJS.ProcessEnv, name: string): number[] {
  return listFromEnv(env, name).map((raw) => {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new Error(`${name} must list ports (1-65535), got "${raw}"`);
    }
    return port;
  });
}

function booleanFromEnv(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase() ?? '';
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

function originFromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search) {
    throw new Error(`${name} must be an origin like https://editor.example.com, got "${raw}"`);
  }
  return url.origin;
}

function isProduction(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV === 'production' || env.IS_DEVELOPMENT === 'false';
}

/**
 * The development JWT secret is generated once and kept in the data directory so that tokens
 * survive restarts; production must set JWT_SECRET explicitly.
 */
function resolveJwtSecret(env: NodeJS.ProcessEnv, production: boolean, dataDir: string): string {
  if (env.JWT_SECRET) {
    if (env.JWT_SECRET.length < 32) throw new Error('JWT_SECRET must be at least 32 characters long');
    return env.JWT_SECRET;
  }
  if (production) throw new Error('JWT_SECRET is required when NODE_ENV=production');
  if (dataDir === MEMORY_DATA_DIR) return randomBytes(32).toString('hex');
  const file = join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const production = overrides.production ?? isProduction(env);
  const rawDir = overrides.dataDir ?? env.SAMPLIT_DATA_DIR ?? './data';
  const dataDir = rawDir === MEMORY_DATA_DIR ? rawDir : resolve(rawDir);
  const origins = env.CORS_ORIGINS?.trim();
  const port = overrides.port ?? intFromEnv(env, 'PORT', 8000);
  const editorAllowedAddresses = listFromEnv(env, 'SAMPLIT_EDITOR_ALLOWED_ADDRESSES');
  for (const cidr of editorAllowedAddresses) assertCidr(cidr);
  return {
    production,
    host: env.HOST ?? '0.0.0.0',
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseConnectTimeoutMs: intFromEnv(
      env,
      'DATABASE_CONNECT_TIMEOUT_MS',
      DATABASE_TIMEOUT_DEFAULTS.connectTimeoutMs,
    ),
    databaseStatementTimeoutMs: intFromEnv(
      env,
      'DATABASE_STATEMENT_TIMEOUT_MS',
      DATABASE_TIMEOUT_DEFAULTS.statementTimeoutMs,
      true,
    ),
    trackerStatementTimeoutMs: intFromEnv(
      env,
      'TRACKER_STATEMENT_TIMEOUT_MS',
      DATABASE_TIMEOUT_DEFAULTS.trackerStatementTimeoutMs,
      true,
    ),
    dataDir,
    jwtSecret: overrides.jwtSecret ?? resolveJwtSecret(env, production, dataDir),
    jwtExpiresInSeconds: intFromEnv(env, 'JWT_EXPIRES_IN', 3600),
    bodyLimitBytes: intFromEnv(env, 'BODY_LIMIT_BYTES', 1_048_576),
    maxCombinations: intFromEnv(env, 'SAMPLIT_MAX_COMBINATIONS', 256),
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    snapshotRefreshMs: intFromEnv(env, 'SAMPLIT_SNAPSHOT_REFRESH_MS', 1000),
    groupCommitInFlight: intFromEnv(env, 'SAMPLIT_GROUP_COMMIT_IN_FLIGHT', 2),
    trackerRateLimitPerIp: intFromEnv(env, 'TRACKER_RATE_LIMIT_PER_IP', 200, true),
    trackerRateLimitPerExperiment: intFromEnv(env, 'TRACKER_RATE_LIMIT_PER_EXPERIMENT', 50_000, true),
    groupCommitMaxBatch: intFromEnv(env, 'SAMPLIT_GROUP_COMMIT_MAX_BATCH', 500),
    assignmentCacheSize: intFromEnv(env, 'SAMPLIT_ASSIGNMENT_CACHE_SIZE', 100_000),
    allocationHistorySeconds: intFromEnv(env, 'SAMPLIT_ALLOCATION_HISTORY_SECONDS', 60),
    trackerBodyLimitBytes: intFromEnv(env, 'TRACKER_BODY_LIMIT_BYTES', 64 * 1024),
    statsCacheSize: intFromEnv(env, 'SAMPLIT_STATS_CACHE_SIZE', 500),
    authRateLimitPerMinute: intFromEnv(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 30),
    registerRateLimitPerHour: intFromEnv(env, 'REGISTER_RATE_LIMIT_PER_HOUR', 20),
    hstsMaxAgeSeconds: intFromEnv(env, 'HSTS_MAX_AGE', 0, true),
    requestTimeoutMs: intFromEnv(env, 'REQUEST_TIMEOUT_MS', 30_000),
    corsOrigins: !origins || origins === '*' ? true : origins.split(',').map((o) => o.trim()),
    editorPort: intFromEnv(env, 'SAMPLIT_EDITOR_PORT', port === 0 ? 0 : port + 1, true),
    editorOrigin: originFromEnv(env, 'SAMPLIT_EDITOR_ORIGIN'),
    editorAllowPrivate: booleanFromEnv(env, 'SAMPLIT_EDITOR_ALLOW_PRIVATE'),
    editorAllowedPorts: portsFromEnv(env, 'SAMPLIT_EDITOR_ALLOWED_PORTS'),
    editorAllowedAddresses,
    retentionDays: intFromEnv(env, 'SAMPLIT_RETENTION_DAYS', 0, true),
    retentionArchiveDir: env.SAMPLIT_RETENTION_ARCHIVE_DIR || undefined,
    ...overrides,
  };
}
