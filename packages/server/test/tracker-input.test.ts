import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, createTestApp, signUp, type TestContext } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

let ctx: TestContext;
let experimentId: string;
beforeAll(async () => {
  ctx = await createTestApp({ trackerRateLimitPerIp: 0 });
  const { headers } = await signUp(ctx.app);
  experimentId = (await launch(ctx.app, headers, AB_TEST)).id;
});
afterAll(() => ctx.close());

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
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) expect(res.json().error.code).toBe('RATE_LIMITED');
      }
      // Even if the one-second window turns over once mid-test, at most 10 of 15 pass.
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(5);
    } finally {
      await limited.close();
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
