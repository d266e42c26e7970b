import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { type ServerProcess, startServer as startServerProcess } from '../helpers/server-process.js';
import { MULTI_ELEMENT } from '../helpers/test-app.js';

export type { ServerProcess };

/**
 * What the fault scenarios share: a real `samplit serve` child process, tracker load from a few
 * concurrent clients that records every answer, and the check of the database against the
 * answers the clients were given.
 */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `samplit serve` on `databaseUrl`, with the suite's settings (no tracker rate limit). */
export function startServer(
  databaseUrl: string,
  options: { workers?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  return startServerProcess(options.workers ? ['--workers', String(options.workers)] : [], {
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'fault-suite-secret-0123456789abcdef0123',
    TRACKER_RATE_LIMIT_PER_IP: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    LOG_LEVEL: 'error',
    ...options.env,
  });
}

async function post(base: string, path: string, body: object, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** A user with a running multi-element experiment; returns the experiment id and bearer headers. */
export async function launchExperiment(base: string) {
  const credentials = { email: `faults-${Date.now()}@example.com`, password: 'correct horse battery' };
  await post(base, '/auth/register', credentials);
  const token = await post(base, '/auth/token', credentials);
  const headers = { authorization: `Bearer ${token.access_token}` };
  const exp = await post(base, '/experiments', MULTI_ELEMENT, headers);
  await post(base, `/experiments/${exp.id}/start`, {}, headers);
  return { experimentId: exp.id as string, headers };
}

/** One answer a client got (or did not get). */
export interface Answer {
  kind: 'assign' | 'convert' | 'health' | 'read';
  browserId: string;
  /** HTTP status; 0 when the connection failed (reset, refused); -1 when no answer came in time. */
  status: number;
  startedAt: number;
  ms: number;
  retryAfter: string | null;
  code?: string;
  combinationId?: string;
}

/** A request that gets no answer in this long counts as hung. */
export const HUNG_MS = 20_000;

export async function call(
  kind: Answer['kind'],
  url: string,
  init: RequestInit,
  browserId = '',
): Promise<{ answer: Answer; body: unknown }> {
  const startedAt = performance.now();
  let status: number;
  let retryAfter: string | null = null;
  let body: unknown;
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HUNG_MS) });
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    const text = await res.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  } catch (error) {
    status = (error as Error).name === 'TimeoutError' ? -1 : 0;
  }
  const answer: Answer = {
    kind,
    browserId,
    status,
    startedAt,
    ms: performance.now() - startedAt,
    retryAfter,
  };
  const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
  if (code) answer.code = code;
  return { answer, body };
}

const json = (body: object, fresh: boolean): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(fresh ? { connection: 'close' } : {}) },
  body: JSON.stringify(body),
});

/**
 * `clients` concurrent visitors' browsers, each a loop: a new browser id is assigned, and once
 * the assignment is acknowledged (200) it converts once. No retries, so every stored row was sent
 * exactly once; after an error a client pauses briefly, as a tracker snippet would.
 */
export function trackerLoad(
  base: string,
  experimentId: string,
  clients: number,
  /** A new TCP connection per request, so node:cluster spreads requests over every worker. */
  options: { freshConnections?: boolean } = {},
) {
  const fresh = options.freshConnections ?? false;
  const answers: Answer[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; running; n++) {
      const browserId = `fault-${c}-${n}`;
      const { answer, body } = await call(
        'assign',
        `${base}/api/v1/tracker/assign`,
        json({ experiment_id: experimentId, browser_id: browserId }, fresh),
        browserId,
      );
      const assigned = body as { eligible?: boolean; combination_id?: string };
      if (answer.status === 200 && assigned.eligible) answer.combinationId = assigned.combination_id;
      answers.push(answer);
      if (answer.status !== 200) {
        await sleep(50);
        continue;
      }
      const converted = await call(
        'convert',
        `${base}/api/v1/tracker/convert`,
        json({ experiment_id: experimentId, browser_id: browserId }, fresh),
        browserId,
      );
      answers.push(converted.answer);
      if (converted.answer.status !== 200) await sleep(50);
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Polls /health every `everyMs` and records each answer. */
export function healthPoller(base: string, everyMs: number) {
  const answers: (Answer & { body: unknown })[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { answer, body } = await call('health', `${base}/health`, { method: 'GET' });
      answers.push({ ...answer, body });
      await sleep(everyMs);
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await loop;
    },
  };
}

export interface Ledger {
  acknowledgedAssignments: number;
  acknowledgedConversions: number;
  /** Acknowledged but not in the database (or stored with another combination). */
  lost: number;
  /** Stored more than once. */
  duplicated: number;
  /** Stored although the client got no 200 (it may retry: assignments are sticky, so no harm). */
  storedUnacknowledged: number;
}

/** Compares the database's rows with what the clients were told (as the login role: all rows). */
export async function ledger(directUrl: string, experimentId: string, answers: Answer[]): Promise<Ledger> {
  const client = new pg.Client({ connectionString: directUrl });
  await client.connect();
  try {
    const assignments = await client.query<{ browser_id: string; combination_id: string; n: number }>(
      `SELECT browser_id, combination_id::text, count(*)::int AS n FROM assignments
       WHERE experiment_id = $1 GROUP BY browser_id, combination_id`,
      [experimentId],
    );
    const conversions = await client.query<{ browser_id: string; n: number }>(
      `SELECT browser_id, count(*)::int AS n FROM conversions
       WHERE experiment_id = $1 AND goal = 'conversion' GROUP BY browser_id`,
      [experimentId],
    );
    const stored = new Map<string, { combination: string; n: number }[]>();
    for (const row of assignments.rows) {
      stored.set(row.browser_id, [
        ...(stored.get(row.browser_id) ?? []),
        { combination: row.combination_id, n: row.n },
      ]);
    }
    const convertedRows = new Map(conversions.rows.map((r) => [r.browser_id, r.n]));
    const ackedAssign = answers.filter((a) => a.kind === 'assign' && a.status === 200 && a.combinationId);
    const ackedConvert = answers.filter((a) => a.kind === 'convert' && a.status === 200);
    let lost = 0;
    for (const a of ackedAssign) {
      const rows = stored.get(a.browserId) ?? [];
      if (!(rows.length === 1 && rows[0].combination === a.combinationId)) lost++;
    }
    for (const a of ackedConvert) if (!convertedRows.get(a.browserId)) lost++;
    let duplicated = 0;
    for (const rows of stored.values()) if (rows.length > 1 || rows[0].n > 1) duplicated++;
    for (const n of convertedRows.values()) if (n > 1) duplicated++;
    const ackedAssignIds = new Set(ackedAssign.map((a) => a.browserId));
    const ackedConvertIds = new Set(ackedConvert.map((a) => a.browserId));
    const storedUnacknowledged =
      [...stored.keys()].filter((id) => !ackedAssignIds.has(id)).length +
      [...convertedRows.keys()].filter((id) => !ackedConvertIds.has(id)).length;
    return {
      acknowledgedAssignments: ackedAssign.length,
      acknowledgedConversions: ackedConvert.length,
      lost,
      duplicated,
      storedUnacknowledged,
    };
  } finally {
    await client.end();
  }
}

/** Answers by status, e.g. `200:812 503:97 reset:2`. */
export function byStatus(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = a.status === 0 ? 'reset' : a.status === -1 ? 'hung' : String(a.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}:${n}`)
    .join(' ');
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Prints one scenario's figures as one line (vitest shows test stdout). */
export function report(scenario: string, figures: Record<string, string | number>): void {
  const line = Object.entries(figures)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : v}`)
    .join(' ');
  console.log(`[faults] ${scenario}: ${line}`);
}

/** The PostgreSQL of TEST_DATABASE_URL as host and port, for a proxy in front of it. */
export function serverAddress(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) };
}

/** `url` with another host, port and database (same user). */
export function withAddress(
  url: string,
  address: { host?: string; port?: number; database?: string },
): string {
  const u = new URL(url);
  if (address.host) u.hostname = address.host;
  if (address.port) u.port = String(address.port);
  if (address.database) u.pathname = `/${address.database}`;
  return u.toString();
}

/** Node child processes of a process: node:cluster workers of a primary (not, say, esbuild). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, comm]) => comm === 'node')
      .map(([child]) => Number(child));
  } catch {
    return [];
  }
}
