import type { ExperimentStats } from '../stats/stats-schemas.js';

/** The parts of the API's experiment view the demo reads. */
export interface DemoExperiment {
  id: string;
  elements: { id: string; name: string; variants: { id: string; name: string }[] }[];
  combinations: { id: string; variant_ids: string[] }[];
  stats?: ExperimentStats;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} → HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

// Backing off after a 429: the tracker's per-IP limit works in one-second windows.
const BACKOFF_START_MS = 100;
const BACKOFF_MAX_MS = 2000;
const MAX_ATTEMPTS = 30;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A small client of Samplit's public API, as any integration would call it: JSON over HTTP,
 * bearer token for the owner's endpoints. Rate-limited calls (429) wait and retry, and every
 * caller pauses together so the whole demo slows down to what the server allows.
 */
export function createDemoClient(baseUrl: string) {
  const root = baseUrl.replace(/\/+$/, '');
  let token: string | undefined;
  let pausedUntil = 0;
  const counters = { requests: 0, rateLimited: 0, retried: 0 };

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let backoff = BACKOFF_START_MS;
    for (let attempt = 1; ; attempt++) {
      const wait = pausedUntil - Date.now();
      if (wait > 0) await sleep(wait);
      counters.requests++;
      let res: Response;
      try {
        res = await fetch(`${root}${path}`, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        // A refused or reset connection under load: retry a few times, then give up.
        if (attempt >= 5) throw error;
        counters.retried++;
        await sleep(backoff);
        backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
        continue;
      }
      const text = await res.text();
      if (res.status === 429 && attempt < MAX_ATTEMPTS) {
        counters.rateLimited++;
        const retryAfter = Number(res.headers.get('retry-after'));
        const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff;
        pausedUntil = Math.max(pausedUntil, Date.now() + delay);
        backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
        continue;
      }
      if (!res.ok) throw new ApiError(res.status, text, `${method} ${path}`);
      return (text ? JSON.parse(text) : undefined) as T;
    }
  }

  return {
    counters,

    async health(): Promise<boolean> {
      try {
        const res = await fetch(`${root}/health`, { signal: AbortSignal.timeout(2000) });
        return res.ok;
      } catch {
        return false;
      }
    },

    /** Registers the account if it is new, then logs in. */
    async login(email: string, password: string): Promise<void> {
      try {
        await request('POST', '/api/v1/auth/register', { email, password });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error;
      }
      try {
        const res = await request<{ access_token: string }>('POST', '/api/v1/auth/token', {
          email,
          password,
        });
        token = res.access_token;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          throw new Error(
            `${email} exists on this server with another password: pass --email and --password`,
          );
        }
        throw error;
      }
    },

    createExperiment: (body: object) => request<DemoExperiment>('POST', '/api/v1/experiments', body),
    start: (id: string) => request<DemoExperiment>('POST', `/api/v1/experiments/${id}/start`),
    experiment: (id: string) => request<DemoExperiment>('GET', `/api/v1/experiments/${id}`),

    assign: (experimentId: string, browserId: string) =>
      request<{ eligible: boolean; combination_id?: string }>('POST', '/api/v1/tracker/assign', {
        experiment_id: experimentId,
        browser_id: browserId,
      }),
    convert: (experimentId: string, browserId: string) =>
      request<{ counted: boolean }>('POST', '/api/v1/tracker/convert', {
        experiment_id: experimentId,
        browser_id: browserId,
      }),
  };
}

export type DemoClient = ReturnType<typeof createDemoClient>;
