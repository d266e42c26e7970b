import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { freePorts, SAMPLIT_BIN, waitUntilUp } from './helpers/server-process.js';
import { MULTI_ELEMENT, openTestDatabase } from './helpers/test-app.js';

let PORTS: number[] = [];

// Several processes on one database only exist on PostgreSQL (PGlite is in-process).
describe.runIf(process.env.TEST_DATABASE_URL)('two server processes on one PostgreSQL', () => {
  let database: { db: Database; close(): Promise<void>; url?: string };
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    PORTS = await freePorts(2);
    database = await openTestDatabase();
    for (const port of PORTS) {
      const child = spawn(
        process.execPath,
        [SAMPLIT_BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'],
        {
          env: {
            ...process.env,
            DATABASE_URL: database.url,
            JWT_SECRET: 'shared-secret-for-both-processes-0123456789',
            TRACKER_RATE_LIMIT_PER_IP: '0',
            LOG_LEVEL: 'warn',
          },
          stdio: 'ignore',
        },
      );
      servers.push(child);
    }
    await Promise.all(PORTS.map((port, i) => waitUntilUp(port, servers[i])));
  }, 60_000);

  afterAll(async () => {
    for (const child of servers) child.kill('SIGTERM');
    await Promise.all(
      servers.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    await database?.close();
  });

  const post = async (port: number, path: string, body: object, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  it('gives a visitor the same combination whichever process answers, even when both race', async () => {
    const credentials = { email: 'racer@example.com', password: 'two processes' };
    expect((await post(PORTS[0], '/auth/register', credentials)).status).toBe(201);
    const { body: token } = await post(PORTS[1], '/auth/token', credentials);
    const auth = { authorization: `Bearer ${token.access_token}` };
    const { body: exp } = await post(PORTS[0], '/experiments', MULTI_ELEMENT, auth);
    expect((await post(PORTS[1], `/experiments/${exp.id}/start`, {}, auth)).status).toBe(200);

    const visitors = Array.from({ length: 150 }, (_, i) => `shared-${i}`);
    const answers = await Promise.all(
      visitors.flatMap((v) =>
        PORTS.flatMap((port) =>
          [0, 1].map(() => post(port, '/tracker/assign', { experiment_id: exp.id, browser_id: v })),
        ),
      ),
    );
    expect(answers.every((a) => a.status === 200 && a.body.eligible)).toBe(true);
    for (let i = 0; i < visitors.length; i++) {
      const mine = answers.slice(i * 4, i * 4 + 4).map((a) => a.body);
      expect(new Set(mine.map((a) => a.combination_id)).size).toBe(1);
      expect(mine.filter((a) => a.new_assignment)).toHaveLength(1);
    }
    const [row] = await database.db.asSystem((q) =>
      q.query<{ assignments: number; visitors: number }>(
        `SELECT (SELECT count(*) FROM assignments WHERE experiment_id = $1)::int AS assignments,
                (SELECT sum(visitors) FROM combination_counters WHERE experiment_id = $1)::int AS visitors`,
        [exp.id],
      ),
    );
    expect(row).toEqual({ assignments: 150, visitors: 150 });

    const conversions = await Promise.all(
      visitors.flatMap((v) =>
        PORTS.map((port) => post(port, '/tracker/convert', { experiment_id: exp.id, browser_id: v })),
      ),
    );
    expect(conversions.filter((c) => c.body.counted)).toHaveLength(150);
  });
});
