import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startProcess } from './processes.js';

export const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** One statement on its own connection to `database` of the server at `pgUrl`. */
export async function sql<T>(
  pgUrl: string,
  database: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: `${pgUrl}/${database}` });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** `samplit serve` in production mode on `database`, without the tracker's rate limits. */
export function startSamplit(options: {
  url: string;
  pgUrl: string;
  database: string;
  workers: number;
}): Promise<ChildProcess> {
  const { port } = new URL(options.url);
  return startProcess(
    [
      root('packages/server/bin/samplit.js'),
      'serve',
      '--port',
      port,
      '--host',
      '127.0.0.1',
      '--workers',
      String(options.workers),
    ],
    {
      DATABASE_URL: `${options.pgUrl}/${options.database}`,
      NODE_ENV: 'production',
      JWT_SECRET: 'benchmark-secret-0123456789abcdef0123456789',
      LOG_LEVEL: 'warn',
      TRACKER_RATE_LIMIT_PER_IP: '0',
      TRACKER_RATE_LIMIT_PER_EXPERIMENT: '0',
    },
    `${options.url}/health`,
  );
}

/** The bare Fastify baseline (bare-fastify.mjs) on `url`'s port. */
export function startBareFastify(url: string): Promise<ChildProcess> {
  return startProcess([root('bench/tracker/bare-fastify.mjs')], { PORT: new URL(url).port }, `${url}/`);
}

/** The benchmark's two-element adaptive test (3 × 3 = 9 combinations). */
export const HERO_TEST = {
  type: 'multi_element',
  traffic_allocation: 'adaptive',
  elements: [
    {
      name: 'CTA',
      selector: '#cta',
      variants: ['A', 'B', 'C'].map((name) => ({ name, content: { text: name } })),
    },
    {
      name: 'Copy',
      selector: 'h1',
      variants: ['X', 'Y', 'Z'].map((name) => ({ name, content: { text: name } })),
    },
  ],
};

/** A signed-in API client of the Samplit at `url`: `launch` creates and starts a HERO_TEST. */
export async function benchAccount(url: string) {
  const api = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    return res.json();
  };
  const credentials = { email: 'bench@example.com', password: 'benchmark password' };
  await api('/auth/register', credentials);
  const { access_token } = await api('/auth/token', credentials);
  return {
    async launch(name: string): Promise<string> {
      const exp = await api('/experiments', { ...HERO_TEST, name }, access_token);
      await api(`/experiments/${exp.id}/start`, {}, access_token);
      return exp.id as string;
    },
  };
}
