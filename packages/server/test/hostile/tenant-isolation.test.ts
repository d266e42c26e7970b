import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rowCounts } from '../helpers/row-counts.js';
import { AB_TEST, createTestApp, MULTI_ELEMENT, signUp } from '../helpers/test-app.js';
import { launch, trackerFor } from '../helpers/tracker.js';
import { fillPath, listOperations } from './openapi-operations.js';
import { toJsonText, validValue } from './schema-arbitrary.js';

// For every route of the OpenAPI document that takes an experiment id, another user's id is
// answered exactly like an id that does not exist (404), and changes nothing. Routes are read
// from the document, so a new one is covered without editing this file.
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_917);
const BODIES_PER_ROUTE = 12;

const ctx = await createTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 3_600_000 });
afterAll(() => ctx.close());
await ctx.app.ready();
const alice = await signUp(ctx.app);
const bob = await signUp(ctx.app);
const running = await launch(ctx.app, alice.headers, MULTI_ELEMENT);
const draft = await launch(ctx.app, alice.headers, AB_TEST, false);
await trackerFor(ctx.app, running.id).assign('visitor-1');
await trackerFor(ctx.app, running.id).convert('visitor-1');
await launch(ctx.app, bob.headers, { ...AB_TEST, name: 'Bob’s own' });
const idRoutes = listOperations(ctx.app.swagger()).filter((op) => op.pathParams.includes('id'));

async function aliceView(id: string) {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/experiments/${id}`,
    headers: alice.headers,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('tenant isolation on every experiment route', () => {
  it('finds the experiment routes in the OpenAPI document', () => {
    console.log(
      `tenant-isolation: FUZZ_SEED=${SEED}; ${idRoutes.map((op) => `${op.method} ${op.path}`).join(', ')}`,
    );
    expect(idRoutes.length).toBeGreaterThanOrEqual(9);
  });

  for (const op of idRoutes) {
    it(`${op.method} ${op.path}: another user’s experiment is indistinguishable from none`, async () => {
      const schema = op.bodies[0]?.schema;
      const bodies: (string | undefined)[] = schema
        ? [
            // A winner that exists (in Alice's experiment) is still not Bob's to name.
            toJsonText({ winner_combination_id: running.combinations[0].id }),
            ...fc
              .sample(validValue(schema, { uuids: running.combinations.map((c) => c.id) }), {
                seed: SEED,
                numRuns: BODIES_PER_ROUTE,
              })
              .map(toJsonText),
          ]
        : [undefined];
      for (const target of [running, draft]) {
        const before = { view: await aliceView(target.id), rows: await rowCounts(ctx.db) };
        let reachedLookup = false;
        for (const payload of bodies) {
          const send = (id: string) =>
            ctx.app.inject({
              method: op.method,
              url: fillPath(op.path, { id }),
              headers: {
                ...bob.headers,
                ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
              },
              payload,
            });
          const foreign = await send(target.id);
          const missing = await send(randomUUID());
          const what = `${op.method} ${op.path} ${payload?.slice(0, 200)} → ${foreign.statusCode} ${foreign.body.slice(0, 200)}`;
          // Schema-invalid bodies are refused (422) before any lookup, for any id alike.
          expect([404, 422], what).toContain(foreign.statusCode);
          expect({ status: foreign.statusCode, body: foreign.json() }, what).toEqual({
            status: missing.statusCode,
            body: missing.json(),
          });
          if (foreign.statusCode === 404) {
            expect(foreign.json().error.code, what).toBe('EXP_FIND_001');
            reachedLookup = true;
          }
        }
        expect(reachedLookup, `no request reached ${op.method} ${op.path}'s lookup`).toBe(true);
        expect(await aliceView(target.id)).toEqual(before.view);
        expect(await rowCounts(ctx.db)).toEqual(before.rows);
      }
    });
  }

  it('lists none of another user’s experiments, whatever the filter', async () => {
    for (const query of ['', '?status=running', '?status=draft', '?limit=100', '?offset=0&limit=1']) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/experiments${query}`,
        headers: bob.headers,
      });
      expect(res.statusCode).toBe(200);
      const ids = res.json().items.map((e: { id: string }) => e.id);
      expect(ids).not.toContain(running.id);
      expect(ids).not.toContain(draft.id);
    }
    const own = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments', headers: bob.headers });
    expect(own.json().total).toBe(1);
  });
});
