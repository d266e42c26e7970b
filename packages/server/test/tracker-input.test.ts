import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, createTestApp, signUp, type TestContext, useTestApp } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let experimentId: string;
beforeAll(async () => {
  const { headers } = await signUp(ctx.app);
  experimentId = (await launch(ctx.app, headers, AB_TEST)).id;
});

const errorShape = {
  error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
};

describe('malformed tracker requests get a 4xx and write nothing', () => {
  const cases: [string, 'assign' | 'convert', () => unknown, string, number][] = [
    ['missing browser_id', 'assign', () => ({ experiment_id: experimentId }), 'application/json', 422],
    [
      'empty browser_id',
      'assign',
      () => ({ experiment_id: experimentId, browser_id: '' }),
      'application/json',
      422,
    ],
    [
      'a 129-character browser_id',
      'assign',
      () => ({ experiment_id: experimentId, browser_id: 'x'.repeat(129) }),
      'application/json',
      422,
    ],
    [
      'a numeric browser_id',
      'assign',
      () => ({ experiment_id: experimentId, browser_id: 42 }),
      'application/json',
      422,
    ],
    [
      'a bad experiment uuid',
      'assign',
      () => ({ experiment_id: 'exp-1', browser_id: 'v' }),
      'application/json',
      422,
    ],
    [
      'an unknown field',
      'assign',
      () => ({ experiment_id: experimentId, browser_id: 'v', admin: true }),
      'application/json',
      422,
    ],
    [
      'a context that is a string',
      'assign',
      () => ({ experiment_id: experimentId, browser_id: 'v', context: 'de' }),
      'application/json',
      422,
    ],
    [
      'a string value',
      'convert',
      () => ({ experiment_id: experimentId, browser_id: 'v', value: '9.99' }),
      'application/json',
      422,
    ],
    [
      'a value beyond ±10^9 (its square would overflow the sums of squares soon after)',
      'convert',
      () => ({ experiment_id: experimentId, browser_id: 'v', value: 1e300 }),
      'application/json',
      422,
    ],
    [
      'an empty goal',
      'convert',
      () => ({ experiment_id: experimentId, browser_id: 'v', goal: '' }),
      'application/json',
      422,
    ],
    ['malformed JSON', 'convert', () => '{"experiment_id": ', 'application/json', 400],
    ['malformed text/plain JSON', 'convert', () => 'not json', 'text/plain', 400],
    ['an array body', 'assign', () => [], 'application/json', 422],
    [
      'an oversized body',
      'assign',
      () => ({ experiment_id: experimentId, browser_id: 'v', context: { url: 'x'.repeat(70_000) } }),
      'application/json',
      413,
    ],
    ['a form body', 'convert', () => 'experiment_id=x', 'application/x-www-form-urlencoded', 422],
  ];

  it.each(cases)('%s', async (_label, endpoint, payload, contentType, status) => {
    const body = payload();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tracker/${endpoint}`,
      headers: { 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject(errorShape);
    const [{ n }] = await ctx.db.asSystem((q) =>
      q.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM assignments) + (SELECT count(*) FROM conversions) AS n',
      ),
    );
    expect(Number(n)).toBe(0);
  });
});

describe('rate limits', () => {
  it('answers 429 in the error shape past the per-IP limit', async () => {
    const limited = await createTestApp({ trackerRateLimitPerIp: 5 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 15; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/tracker/assign',
          payload: { experiment_id: '00000000-0000-4000-8000-000000000000', browser_id: `v${i}` },
          remoteAddress: '203.0.113.5', // a visitor on the internet
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) expect(res.json().error.code).toBe('REQUEST_RATE_001');
      }
      // Even if the one-second window turns over once mid-test, at most 10 of 15 pass.
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(5);
    } finally {
      await limited.close();
    }
  });

  it('does not cap a whole site behind an untrusted proxy, and limits each visitor behind a trusted one', async () => {
    const assign = (app: TestContext['app'], remoteAddress: string, forwardedFor?: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tracker/assign',
        payload: { experiment_id: '00000000-0000-4000-8000-000000000000', browser_id: 'v' },
        remoteAddress,
        headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
      });
    const untrusted = await createTestApp({ trackerRateLimitPerIp: 3 });
    const trusted = await createTestApp({ trackerRateLimitPerIp: 3, trustProxy: ['10.0.0.2'] });
    try {
      // Without TRUST_PROXY, every visitor behind a load balancer arrives from its private address.
      for (const proxy of ['10.0.0.2', '127.0.0.1', '::ffff:192.168.1.4', 'fd00::1']) {
        const codes = [];
        for (let i = 0; i < 8; i++) codes.push((await assign(untrusted.app, proxy)).statusCode);
        expect(
          codes.filter((c) => c === 429),
          proxy,
        ).toEqual([]);
      }
      // With the proxy trusted, each visitor (X-Forwarded-For) has its own quota.
      const codes = { a: [] as number[], b: [] as number[] };
      for (let i = 0; i < 8; i++) {
        codes.a.push((await assign(trusted.app, '10.0.0.2', '198.51.100.1')).statusCode);
        codes.b.push((await assign(trusted.app, '10.0.0.2', '198.51.100.2')).statusCode);
      }
      expect(codes.a.filter((c) => c === 429).length).toBeGreaterThanOrEqual(2);
      expect(codes.b.filter((c) => c === 429).length).toBeGreaterThanOrEqual(2);
      // An X-Forwarded-For from an untrusted peer is ignored: the peer's own address counts.
      const spoofed = [];
      for (let i = 0; i < 8; i++)
        spoofed.push((await assign(trusted.app, '203.0.113.9', `192.0.2.${i}`)).statusCode);
      expect(spoofed.filter((c) => c === 429).length).toBeGreaterThanOrEqual(2);
    } finally {
      await untrusted.close();
      await trusted.close();
    }
  });

  it('answers 429 past the per-experiment limit', async () => {
    const limited = await createTestApp({ trackerRateLimitPerIp: 0, trackerRateLimitPerExperiment: 3 });
    try {
      const { headers } = await signUp(limited.app);
      const exp = await launch(limited.app, headers, AB_TEST);
      const codes = [];
      for (let i = 0; i < 10; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/tracker/assign',
          payload: { experiment_id: exp.id, browser_id: `v${i}` },
        });
        codes.push(res.statusCode);
      }
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(4);
    } finally {
      await limited.close();
    }
  });
});

describe('CORS', () => {
  it('lets any page call the tracker by default', async () => {
    const res = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/tracker/assign',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toMatch(/\*|https:\/\/shop\.example/);
  });
});
