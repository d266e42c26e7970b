import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from './helpers/server-process.js';
import { openTestDatabase, useTestApp } from './helpers/test-app.js';

const password = 'correct horse battery';

describe('auth rate limits (one process)', () => {
  const ctx = useTestApp({ registerRateLimitPerHour: 3, authRateLimitPerMinute: 4 });

  const register = (email: string, remoteAddress = '203.0.113.7') =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password },
      remoteAddress,
    });

  it('limits sign-ups per client address, with Retry-After, whatever the outcome of each', async () => {
    expect((await register('a@example.com')).statusCode).toBe(201);
    expect((await register('a@example.com')).statusCode).toBe(409); // a refused sign-up counts too
    expect((await register('b@example.com')).statusCode).toBe(201);
    const limited = await register('c@example.com');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('REQUEST_RATE_001');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const [{ n }] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE email = 'c@example.com'",
    );
    expect(n).toBe(0);
    // Another address has its own quota.
    expect((await register('c@example.com', '198.51.100.9')).statusCode).toBe(201);
  });

  it('limits token requests per client address apart from sign-ups', async () => {
    // The limit counts in fixed one-minute windows aligned to the clock (rate-limit-store.ts), and
    // six password checks take seconds on a loaded machine: start them well inside one window.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { email: 'a@example.com', password: i === 0 ? password : 'wrong' },
        remoteAddress: '203.0.113.7',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 401, 401, 401, 429, 429]);
  }, 60_000);
});

/** One request on a new connection, so that the cluster's primary may hand it to either worker. */
function postFresh(url: string, body: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

// Two worker processes (node:cluster) on one PostgreSQL: a per-process counter would let each of
// them grant the full quota; the counters in the database make it one quota.
describe.runIf(process.env.TEST_DATABASE_URL)('auth rate limits across two worker processes', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await startServer(['--workers', '2'], {
      DATABASE_URL: database.url ?? '',
      JWT_SECRET: 'shared-secret-for-both-processes-0123456789',
      AUTH_RATE_LIMIT_PER_MINUTE: '5',
      REGISTER_RATE_LIMIT_PER_HOUR: '4',
      // Round-robin hands new connections to the workers in turn, so both of them answer.
      NODE_CLUSTER_SCHED_POLICY: 'rr',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  it('grants one quota in all, not one per worker', async () => {
    const registers = [];
    for (let i = 0; i < 12; i++) {
      registers.push(
        await postFresh(`${server.url}/api/v1/auth/register`, { email: `w${i}@example.com`, password }),
      );
    }
    expect(registers.filter((s) => s === 201)).toHaveLength(4);
    expect(registers.filter((s) => s === 429)).toHaveLength(8);

    const tokens = await Promise.all(
      Array.from({ length: 16 }, () =>
        postFresh(`${server.url}/api/v1/auth/token`, { email: 'w0@example.com', password }),
      ),
    );
    expect(tokens.filter((s) => s === 200)).toHaveLength(5);
    expect(tokens.filter((s) => s === 429)).toHaveLength(11);
  });
});
