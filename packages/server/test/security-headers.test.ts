import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tallyCsv } from '../src/demo/csv-tally.js';
import { AB_TEST, createTestApp, signUp, type TestContext, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
let experimentId: string;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
  experimentId = (await launch(ctx.app, headers, AB_TEST)).id;
});

const SHOP = 'https://shop.example';

function csp(res: LightMyRequestResponse): Map<string, string> {
  const value = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    value
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name, sources.join(' ')] as [string, string];
      }),
  );
}

// Swagger UI's logo stylesheet, allowed on /docs only.
const DOCS_STYLE_SRC = "'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/** What every response carries, whichever route (or none) answered it. */
function expectBaseline(res: LightMyRequestResponse, styleSrc = "'self'") {
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
  expect(res.headers['strict-transport-security']).toBeUndefined();
  expect(res.headers['x-powered-by']).toBeUndefined();
  const policy = csp(res);
  expect(Object.fromEntries(policy)).toEqual({
    'default-src': "'self'",
    'base-uri': "'self'",
    'connect-src': "'self'",
    'font-src': "'self' data:",
    'form-action': "'self'",
    'frame-ancestors': "'none'",
    'img-src': "'self' data:",
    'object-src': "'none'",
    'script-src': "'self'",
    'script-src-attr': "'none'",
    'style-src': styleSrc,
  });
}

/** The management surface: same-origin only. */
function expectPrivate(res: LightMyRequestResponse, styleSrc?: string) {
  expectBaseline(res, styleSrc);
  expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
  expect(res.headers['access-control-allow-methods']).toBeUndefined();
}

/** The public surface: any customer origin may load or call it. */
function expectPublic(res: LightMyRequestResponse, origin = '*') {
  expectBaseline(res);
  expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
  expect(res.headers['access-control-allow-origin']).toBe(origin);
}

const preflight = (url: string, origin = SHOP, app = ctx.app) =>
  app.inject({
    method: 'OPTIONS',
    url,
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });

describe('security headers', () => {
  it('are on management routes, the docs and the OpenAPI document', async () => {
    for (const url of ['/health', '/docs', '/docs/static/swagger-ui-bundle.js', '/openapi.json']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { origin: SHOP } });
      expect(res.statusCode, url).toBe(200);
      expectPrivate(res, url.startsWith('/docs') ? DOCS_STYLE_SRC : undefined);
    }
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments', headers });
    expect(list.statusCode).toBe(200);
    expectPrivate(list);
  });

  it('are on error responses: 404 unknown route, 401, 422', async () => {
    const unknown = await ctx.app.inject({ method: 'GET', url: '/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expectPrivate(unknown);
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments' });
    expect(anonymous.statusCode).toBe(401);
    expectPrivate(anonymous);
    const invalid = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/experiments',
      headers,
      payload: {},
    });
    expect(invalid.statusCode).toBe(422);
    expectPrivate(invalid);
  });

  it('let other origins call the tracker, errors included', async () => {
    const assign = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracker/assign',
      headers: { origin: SHOP },
      payload: { experiment_id: experimentId, browser_id: 'visitor-1' },
    });
    expect(assign.statusCode).toBe(200);
    expectPublic(assign);

    const beacon = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracker/convert',
      headers: { origin: SHOP, 'content-type': 'text/plain' },
      payload: JSON.stringify({ experiment_id: experimentId, browser_id: 'visitor-1' }),
    });
    expect(beacon.statusCode).toBe(200);
    expectPublic(beacon);

    const missing = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracker/assign',
      headers: { origin: SHOP },
      payload: { experiment_id: '00000000-0000-4000-8000-000000000000', browser_id: 'v' },
    });
    expect(missing.statusCode).toBe(404);
    expectPublic(missing);
    const invalid = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracker/assign',
      headers: { origin: SHOP },
      payload: { experiment_id: 'not-a-uuid' },
    });
    expect(invalid.statusCode).toBe(422);
    expectPublic(invalid);
  });

  it('let customer pages load the SDK from another origin', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/sdk/samplit.js', headers: { origin: SHOP } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expectPublic(res);
    const cached = await ctx.app.inject({
      method: 'GET',
      url: '/sdk/samplit.js',
      headers: { origin: SHOP, 'if-none-match': String(res.headers.etag) },
    });
    expect(cached.statusCode).toBe(304);
    expectPublic(cached);
  });
});

describe('CORS', () => {
  it('grants a preflight to the tracker and the SDK', async () => {
    for (const url of ['/api/v1/tracker/assign', '/api/v1/tracker/convert', '/sdk/samplit.js']) {
      const res = await preflight(url);
      expect(res.statusCode, url).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toBe('content-type');
      expect(res.headers['access-control-max-age']).toBe('600');
    }
  });

  it('grants nothing to the management API, health, docs or OpenAPI document', async () => {
    const routes = [
      '/api/v1/experiments',
      `/api/v1/experiments/${experimentId}`,
      `/api/v1/experiments/${experimentId}/export.csv`,
      '/api/v1/auth/token',
      '/api/v1/auth/register',
      '/api/v1/nowhere',
      '/health',
      '/docs',
      '/openapi.json',
      '/',
    ];
    for (const url of routes) {
      const res = await preflight(url);
      expect(res.statusCode, url).toBe(404);
      expectPrivate(res);
    }
    const token = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { origin: SHOP },
      payload: { email: 'nobody@example.com', password: 'wrong password!' },
    });
    expect(token.statusCode).toBe(401);
    expectPrivate(token);
  });
});

describe('a deployment with HSTS and a list of CORS origins', () => {
  let configured: TestContext;
  let id: string;
  beforeAll(async () => {
    configured = await createTestApp({
      hstsMaxAgeSeconds: 15_552_000,
      corsOrigins: [SHOP, 'https://blog.example'],
      trackerRateLimitPerIp: 5,
    });
    id = (await launch(configured.app, (await signUp(configured.app)).headers, AB_TEST)).id;
  });
  afterAll(() => configured.close());

  it('sends HSTS and upgrade-insecure-requests on every response', async () => {
    for (const url of ['/health', '/nowhere', '/sdk/samplit.js']) {
      const res = await configured.app.inject({ method: 'GET', url });
      expect(res.headers['strict-transport-security'], url).toBe('max-age=15552000; includeSubDomains');
      expect(csp(res).get('upgrade-insecure-requests'), url).toBe('');
    }
  });

  it('grants only the listed origins, echoing the one that asked', async () => {
    for (const url of ['/api/v1/tracker/assign', '/sdk/samplit.js']) {
      const listed = await preflight(url, 'https://blog.example', configured.app);
      expect(listed.statusCode).toBe(204);
      expect(listed.headers['access-control-allow-origin']).toBe('https://blog.example');
      expect(String(listed.headers.vary)).toContain('Origin');
      const other = await preflight(url, 'https://evil.example', configured.app);
      expect(other.headers['access-control-allow-origin'], url).toBeUndefined();
    }
    const management = await preflight('/api/v1/experiments', SHOP, configured.app);
    expect(management.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps the CORS grant on a 429, so the SDK can read it', async () => {
    const codes: number[] = [];
    let limited: LightMyRequestResponse | undefined;
    for (let i = 0; i < 20 && !limited; i++) {
      const res = await configured.app.inject({
        method: 'POST',
        url: '/api/v1/tracker/assign',
        headers: { origin: SHOP },
        payload: { experiment_id: id, browser_id: `v${i}` },
        remoteAddress: '203.0.113.5', // a visitor on the internet (loopback peers are not capped)
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(limited, `codes: ${codes}`).toBeDefined();
    expect(limited!.headers['access-control-allow-origin']).toBe(SHOP);
    expect(limited!.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });
});

describe('CSV export of visitor-supplied text', () => {
  it('neutralises every cell a spreadsheet would evaluate as a formula', async () => {
    const hostile = {
      name: 'Formula test',
      type: 'multi_element',
      traffic_allocation: 'adaptive',
      goals: ['purchase', '=goal'],
      elements: [
        { name: '=cmd', selector: '#a', variants: [{ name: '-10% price' }, { name: '@SUM(A1)' }] },
        { name: 'Copy', selector: 'h1', variants: [{ name: '+plain' }, { name: 'Plain' }] },
      ],
    };
    const exp = await launch(ctx.app, headers, hostile);
    const visitors = ['=HYPERLINK("http://evil","x")', '+1+1', '-2', '@SUM(A1)', '\t=1', '\r=1', 'plain'];
    const tracker = trackerFor(ctx.app, exp.id);
    for (const visitor of visitors) await tracker.assign(visitor);
    await tracker.convert('-2', { goal: 'purchase' });

    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/experiments/${exp.id}/export.csv`,
      headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expectPrivate(res);
    const records: string[][] = parse(res.body);
    const [header, ...rows] = records;
    expect(header).toEqual([
      'visitor_id',
      'combination_id',
      'combination',
      "'=cmd",
      'Copy',
      'assigned_at',
      'probability',
      'converted_purchase',
      'converted_=goal', // starts with "c": nothing to neutralise
    ]);
    expect(rows.map((r) => r[0]).sort()).toEqual(
      ['\'=HYPERLINK("http://evil","x")', "'+1+1", "'-2", "'@SUM(A1)", "'\t=1", "'\r=1", 'plain'].sort(),
    );
    const formulaStart = /^[=+\-@\t\r]/;
    for (const row of records) {
      for (const [i, cell] of row.entries()) {
        if (header[i] === 'probability') continue; // a number the server writes
        expect(cell, `column ${header[i]}`).not.toMatch(formulaStart);
      }
      if (row !== header) expect(Number(row[6])).toBeGreaterThan(0);
    }
    const variants = new Set(rows.flatMap((r) => [r[3], r[4]]));
    for (const name of variants) expect(["'-10% price", "'@SUM(A1)", "'+plain", 'Plain']).toContain(name);
    expect(rows.find((r) => r[0] === "'-2")?.[7]).toBe('1');

    // `samplit analyze` still reads the export, with the names as the file shows them.
    const tally = await tallyCsv(Readable.from([res.body]), { goal: 'purchase' });
    expect(tally.rows).toBe(visitors.length);
    expect(tally.elements.map((e) => e.name)).toEqual(["'=cmd", 'Copy']);
    expect(tally.combinations.reduce((n, c) => n + c.conversions, 0)).toBe(1);
  });
});
