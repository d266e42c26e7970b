import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startProcess } from './processes.js';

// The peer the tracker benchmark measures beside bare Fastify: Unleash 7.5.1 (Node +
// PostgreSQL; 8.x needs Node 22), set up as the loopback peer benchmark does. Its frontend API
// evaluates a 50/50 variant flag for a visitor (≈ assign, nothing stored per visitor) and records
// variant counts (≈ convert). Installed once from the npm registry into a cache directory.

const run = promisify(execFile);
export const UNLEASH_VERSION = '7.5.1';
const DIR = process.env.PEERS_DIR ?? join(tmpdir(), 'samplit-peers');
const DB_NAME = 'unleash_peer';
const ADMIN = '*:*.admintoken';
export const UNLEASH_URL = 'http://127.0.0.1:4242';

async function install(): Promise<void> {
  if (existsSync(join(DIR, 'node_modules', 'unleash-server', 'package.json'))) return;
  await mkdir(DIR, { recursive: true });
  if (!existsSync(join(DIR, 'package.json')))
    await writeFile(join(DIR, 'package.json'), '{"private":true}\n');
  console.log(`installing unleash-server@${UNLEASH_VERSION} into ${DIR} (once)…`);
  await run('npm', ['install', '--silent', '--no-audit', '--no-fund', `unleash-server@${UNLEASH_VERSION}`], {
    cwd: DIR,
    maxBuffer: 1 << 24,
  });
}

async function ensureDatabase(pgUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${pgUrl}/postgres` });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
}

async function admin(path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${UNLEASH_URL}/api/admin${path}`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Starts Unleash on `pgUrl` with the benchmark's flag (a 50/50 variant flag), once it answers. */
export async function startUnleash(pgUrl: string): Promise<ChildProcess> {
  await install();
  await ensureDatabase(pgUrl);
  const child = await startProcess(
    [join(DIR, 'node_modules', 'unleash-server', 'dist', 'server.js')],
    {
      DATABASE_URL: `${pgUrl}/${DB_NAME}`,
      DATABASE_SSL: 'false',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '4242',
      LOG_LEVEL: 'warn',
      CHECK_VERSION: 'false',
      SEND_TELEMETRY: 'false',
      INIT_ADMIN_API_TOKENS: ADMIN,
      INIT_FRONTEND_API_TOKENS: 'default:development.frontendtoken',
      FRONTEND_METRICS_RATE_LIMIT_PER_MINUTE: '100000000',
      REGISTER_CLIENT_RATE_LIMIT_PER_MINUTE: '100000000',
      CLIENT_METRICS_RATE_LIMIT_PER_MINUTE: '100000000',
      REGISTER_FRONTEND_RATE_LIMIT_PER_MINUTE: '100000000',
      NODE_ENV: 'production',
    },
    `${UNLEASH_URL}/health`,
    undefined,
    DIR,
  );
  // 201 the first time; a later run finds the flag already there (409).
  if ((await admin('/projects/default/features', { name: 'button-color', type: 'experiment' })) === 201) {
    await admin('/projects/default/features/button-color/environments/development/strategies', {
      name: 'flexibleRollout',
      parameters: { rollout: '100', stickiness: 'default', groupId: 'button-color' },
      variants: [
        { name: 'red', weight: 500, weightType: 'variable', stickiness: 'default' },
        { name: 'blue', weight: 500, weightType: 'variable', stickiness: 'default' },
      ],
    });
    await admin('/projects/default/features/button-color/environments/development/on');
  }
  // The frontend API serves from a cache refreshed in the background.
  await new Promise((r) => setTimeout(r, 2000));
  return child;
}
