import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rowCounts } from '../helpers/row-counts.js';
import { AB_TEST, createTestApp, MULTI_ELEMENT, signUp } from '../helpers/test-app.js';
import { launch } from '../helpers/tracker.js';
import { fillPath, listOperations, type Operation } from './openapi-operations.js';
import {
  hostileCondition,
  hostileNumber,
  hostileString,
  hostileValue,
  mutate,
  RawJson,
  toJsonText,
  validValue,
} from './schema-arbitrary.js';

// Property-based: every route of the OpenAPI document gets valid, near-valid (one thing changed)
// and hostile requests; none may be a 5xx, hang, answer outside the error shape, or write a row
// when it is refused. FUZZ_SEED / FUZZ_RUNS (per route) override the defaults; FUZZ_VERBOSE=1
// prints every request.
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_917);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const RESPONSE_BUDGET_MS = 5000;

const ctx = await createTestApp({
  trackerRateLimitPerIp: 0,
  authRateLimitPerMinute: 1_000_000,
  // The background refresh writes allocation_history on its own; the row check must see only
  // what requests write.
  snapshotRefreshMs: 3_600_000,
});
afterAll(() => ctx.close());
await ctx.app.ready();
const operations = listOperations(ctx.app.swagger());
const user = await signUp(ctx.app);

/** Real experiments of the user (running and draft), referred to by placeholders until sent. */
const pool: { id: string; combination: string }[] = [];
const poolPayloads = [AB_TEST, MULTI_ELEMENT, AB_TEST];
async function fillSlot(slot: number) {
  const exp = await launch(ctx.app, user.headers, poolPayloads[slot], slot !== 2);
  pool[slot] = { id: exp.id, combination: exp.combinations[0].id };
}
for (let slot = 0; slot < poolPayloads.length; slot++) await fillSlot(slot);
const placeholders = pool.flatMap((_, i) => [`@@exp${i}@@`, `@@comb${i}@@`]);
const resolve = (text: string) =>
  text.replace(/@@(exp|comb)(\d)@@/g, (_m, kind, i) => (kind === 'exp' ? pool[i].id : pool[i].combination));

interface FuzzRequest {
  kind: 'valid' | 'near-valid' | 'hostile';
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** encodeURIComponent, except that a lone surrogate is sent as its (invalid) UTF-8 bytes. */
function encodeComponent(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out +=
      ch.length === 1 && c >= 0xd800 && c <= 0xdfff
        ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('')
        : encodeURIComponent(ch);
  }
  return out;
}

const garbagePathSegment = fc.constantFrom(
  'not-a-uuid',
  '%00',
  '%ED%A0%80',
  '%2e%2e',
  '%F0%9F%92%A5',
  'x'.repeat(4000),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '%27%20OR%201%3D1%20--',
  '5b0a3c1e-9a43-4f47-9d55-4a3f0f7c2b1',
);

const hostileQueryValue = fc.oneof(
  fc.constantFrom(
    '99999999999999999999',
    '1e999',
    '-1e999',
    '-1',
    'NaN',
    'Infinity',
    '0x10',
    '1.5',
    '',
    '%00',
    '%ED%A0%80',
    '%ZZ',
    '0000-01-01T00:00:00Z',
    '275760-09-13T00:00:00Z',
    '2023-02-30T00:00:00Z',
    '9999-12-31T23:59:59-14:00',
    'x'.repeat(10_000),
  ),
  hostileString.map(encodeComponent),
);

/** How one part of a request (path, query, body) is made. */
type PartMode = 'valid' | 'mutated' | 'hostile';

function pathFor(op: Operation, mode: PartMode) {
  const real = fc.constantFrom(...pool.map((_, i) => `@@exp${i}@@`));
  const id = mode === 'valid' ? fc.oneof(real, fc.uuid()) : fc.oneof(garbagePathSegment, fc.uuid());
  return fc
    .tuple(...op.pathParams.map(() => id))
    .map((values) => fillPath(op.path, Object.fromEntries(op.pathParams.map((p, i) => [p, values[i]]))));
}

function queryFor(op: Operation, mode: PartMode): fc.Arbitrary<string> {
  const pairs = fc.tuple(
    ...op.query.map((p) =>
      fc.option(
        validValue(p.schema, { uuids: placeholders }).map((v) => `${p.name}=${encodeComponent(String(v))}`),
        { freq: 3 },
      ),
    ),
  );
  const valid = pairs.map((ps) => ps.filter((p) => p !== null).join('&'));
  if (mode === 'valid') return valid;
  const names = fc.oneof(
    ...(op.query.length ? [fc.constantFrom(...op.query.map((p) => p.name))] : []),
    fc.constantFrom('extra', '__proto__', 'constructor', 'a[b]', 'limit[]'),
  );
  const bad = fc.tuple(names, hostileQueryValue).map(([n, v]) => `${n}=${v}`);
  const count = mode === 'mutated' ? 1 : 3;
  return fc
    .tuple(valid, fc.array(bad, { minLength: 1, maxLength: count }))
    .map(([v, b]) => [v, ...b].filter(Boolean).join('&'));
}

const hostileText = fc.oneof(
  fc.constantFrom(
    '{"name": ',
    '[1,2',
    'null',
    '"text"',
    '{}',
    '[]',
    '\u0000',
    '\ufeff{}',
    'true',
    '{"a":1}{"b":2}',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  hostileValue.map(toJsonText),
);

/**
 * Known-good bodies per route, the seeds near-valid requests mutate: a schema-valid body is often
 * refused by the service (an ab_test without variants), and a mutation of it tests nothing past
 * that check.
 */
const seeds: Record<string, unknown[]> = {
  'POST /api/v1/auth/register': [{ email: 'fuzz-seed@example.com', password: 'correct horse battery' }],
  'POST /api/v1/auth/token': [{ email: user.email, password: user.password }],
  'POST /api/v1/experiments': [
    AB_TEST,
    MULTI_ELEMENT,
    {
      ...AB_TEST,
      traffic_allocation: 'fixed',
      traffic_percentage: 50,
      goals: ['signup', 'purchase'],
      targeting: { language: 'de' },
      variants: [
        { name: 'Control', weight: 1, content: { payload: { a: [1, 2] } } },
        { name: 'B', weight: 2, content: { attributes: { href: '/b' }, redirect_url: 'https://b.example/' } },
      ],
    },
  ],
  'PATCH /api/v1/experiments/{id}': [
    {
      name: 'Renamed',
      description: 'Why',
      traffic_percentage: 50,
      goals: ['signup'],
      targeting: { language: 'de' },
    },
    { variants: AB_TEST.variants, selector: '#cta' },
  ],
  'POST /api/v1/experiments/{id}/complete': [{ winner_combination_id: '@@comb0@@' }],
  'POST /api/v1/tracker/assign': [
    {
      experiment_id: '@@exp0@@',
      browser_id: 'visitor-1',
      context: { url: 'https://shop.example/', language: 'de', attributes: { plan: 'pro', visits: 3 } },
    },
  ],
  'POST /api/v1/tracker/convert': [
    { experiment_id: '@@exp1@@', browser_id: 'visitor-1', goal: 'conversion', value: 9.99 },
  ],
};

/** What near-valid requests put in place of one field: mostly bad strings, as most fields are. */
const replacement = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: hostileValue },
  { weight: 1, arbitrary: hostileCondition },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);

function bodyFor(op: Operation, mode: PartMode) {
  if (op.bodies.length === 0) {
    return mode === 'hostile'
      ? fc.option(fc.tuple(fc.constant('application/json'), hostileText))
      : fc.constant(null);
  }
  const declared = fc.constantFrom(...op.bodies);
  return declared.chain(({ contentType, schema }) => {
    const generated = validValue(schema, { uuids: placeholders });
    const seeded = seeds[`${op.method} ${op.path}`];
    const valid = seeded ? fc.oneof(generated, fc.constantFrom(...seeded)) : generated;
    const text =
      mode === 'valid'
        ? valid.map((v) => encodeBody(contentType, v))
        : mode === 'mutated'
          ? fc
              .tuple(
                valid,
                fc.nat(),
                replacement,
                fc.constantFrom('replace', 'remove', 'add') as fc.Arbitrary<'replace' | 'remove' | 'add'>,
              )
              .map(([v, pick, replacement, how]) =>
                encodeBody(contentType, mutate(v, pick, replacement, how)),
              )
          : hostileText;
    const type =
      mode === 'hostile'
        ? fc.constantFrom(
            contentType,
            'application/json',
            'text/plain',
            'application/xml',
            'application/json; charset=utf-16',
            '',
          )
        : fc.constant(contentType);
    return fc.tuple(type, text);
  });
}

function encodeBody(contentType: string, value: unknown): string {
  if (contentType !== 'application/x-www-form-urlencoded') return toJsonText(value);
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value)
    .map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v instanceof RawJson ? v.text : String(v))}`)
    .join('&');
}

function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.constant(user.headers.authorization) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'Bearer',
        'Bearer x.y.z',
        `${user.headers.authorization}x`,
        'Basic YTpi',
      ),
    },
  );
  // Near-valid: exactly one part (path, query or body) is mutated, the others are valid.
  const parts = ['query', ...(op.pathParams.length ? ['path'] : []), ...(op.bodies.length ? ['body'] : [])];
  return fc.constantFrom('valid', 'near-valid', 'hostile').chain((k) => {
    const kind = k as FuzzRequest['kind'];
    return fc.constantFrom(...parts).chain((mutated) => {
      const mode = (part: string): PartMode =>
        kind === 'valid' ? 'valid' : kind === 'hostile' ? 'hostile' : part === mutated ? 'mutated' : 'valid';
      return fc
        .record({
          path: pathFor(op, mode('path')),
          query: queryFor(op, mode('query')),
          body: bodyFor(op, mode('body')),
          auth,
        })
        .map(({ path, query, body, auth: authorization }) => {
          const headers: Record<string, string> = {};
          if (authorization) headers.authorization = authorization;
          if (body?.[0]) headers['content-type'] = body[0];
          return {
            kind,
            method: op.method,
            url: query ? `${path}?${query}` : path,
            headers,
            ...(body ? { payload: body[1] } : {}),
          };
        });
    });
  });
}

const statuses = new Map<number, number>();
let requests = 0;
const started = performance.now();

/** Sends one request and checks every property; returns nothing, throws on a violation. */
async function check(request: FuzzRequest) {
  const url = resolve(request.url);
  const payload = request.payload === undefined ? undefined : resolve(request.payload);
  const before = await rowCounts(ctx.db);
  const sentAt = performance.now();
  const res = await ctx.app.inject({ method: request.method, url, headers: request.headers, payload });
  const elapsed = performance.now() - sentAt;
  requests++;
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  const what = `${request.kind} ${request.method} ${url.slice(0, 300)} ${JSON.stringify(request.headers)} ${String(payload).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 500)}`;

  if (process.env.FUZZ_VERBOSE) console.log(what.slice(0, 400));
  expect(res.statusCode, what).toBeLessThan(500);
  expect(elapsed, what).toBeLessThan(RESPONSE_BUDGET_MS);
  if (res.statusCode >= 400) {
    expect(res.json(), what).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
    });
    expect(await rowCounts(ctx.db), `a refused request wrote rows: ${what}`).toEqual(before);
  }
  // A real experiment deleted by the fuzzer is replaced, so later runs still reach real rows.
  if (request.method === 'DELETE' && res.statusCode === 204) {
    const slot = pool.findIndex((p) => url.includes(p.id));
    if (slot >= 0) await fillSlot(slot);
  }
}

describe(`fuzzing every route (seed ${SEED}, ${RUNS} runs per route)`, () => {
  console.log(`fuzz-routes: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}, ${operations.length} operations`);

  it('finds the routes in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(17);
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}`, { timeout: 120_000 }, async () => {
      await fc.assert(fc.asyncProperty(requestFor(op), check), { seed: SEED, numRuns: RUNS });
    });
  }

  it('refuses JSON nested 400 000 deep, with and without prototype keys, on every body route', async () => {
    const depth = 400_000;
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    for (const op of operations.filter((o) => o.bodies.length > 0)) {
      for (const text of [deep, `{"a":${deep},"__proto__":{}}`, `{"constructor":{"prototype":${deep}}}`]) {
        const res = await ctx.app.inject({
          method: op.method,
          url: resolve(fillPath(op.path, { id: '@@exp2@@' })),
          headers: { ...user.headers, 'content-type': 'application/json' },
          payload: text,
        });
        expect(res.statusCode, `${op.method} ${op.path} → ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(
          400,
        );
        expect(res.statusCode).toBeLessThan(500);
      }
    }
  });

  it('still answers /health and a valid request afterwards', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments', headers: user.headers });
    expect(list.statusCode).toBe(200);
    // No generated targeting rule ever ran as code (schema-arbitrary.ts sends `$where` payloads).
    expect((globalThis as { __samplitFuzzPwned?: boolean }).__samplitFuzzPwned).toBeUndefined();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const histogram = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    const fiveXX = [...statuses.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `fuzz-routes: ${requests} requests in ${seconds} s, 5xx: ${fiveXX}; statuses ${histogram.join(' ')}`,
    );
  });
});
