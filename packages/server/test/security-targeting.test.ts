import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExperimentRuntime } from '../src/tracker/experiment-runtime.js';
import { createTrackerStore } from '../src/tracker/tracker-store.js';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

const ALLOWED_HINT = '(allowed: $and, $or, $nor, $eq';

const experimentCount = async () =>
  (await ctx.db.asSystem((q) => q.query<{ n: number }>('SELECT count(*)::int AS n FROM experiments')))[0].n;

const create = (targeting: unknown) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/experiments', headers, payload: { ...AB_TEST, targeting } });

/** Stores a rule as a row written before the grammar existed would hold it, bypassing the API. */
const storeRaw = (id: string, targeting: unknown) =>
  ctx.db.asSystem((q) =>
    q.query('UPDATE experiments SET targeting = $1::jsonb, updated_at = now() WHERE id = $2', [
      JSON.stringify(targeting),
      id,
    ]),
  );

// Before the grammar, targeting ran through sift, whose $where evaluates a string with new Function:
// each rule below then set the global and wrote the file (checked by hand against sift 17.1.4).
const MARKER = join(tmpdir(), `samplit-targeting-${process.pid}`);
const sideEffect =
  `(globalThis.__samplitTargetingRan = true, ` +
  `process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(MARKER)}, 'ran'), true)`;

const refused: [string, unknown, string][] = [
  ['$where at the top', { $where: sideEffect }, 'body.targeting.$where'],
  [
    '$where on a field',
    { 'attributes.plan': { $where: sideEffect } },
    'body.targeting.attributes.plan.$where',
  ],
  [
    '$where inside $and',
    { $and: [{ language: 'de' }, { $where: sideEffect }] },
    'body.targeting.$and.1.$where',
  ],
  [
    '$where inside $elemMatch',
    { 'attributes.orders': { $elemMatch: { $where: sideEffect } } },
    'body.targeting.attributes.orders.$elemMatch.$where',
  ],
  ['$where inside $not', { url: { $not: { $where: sideEffect } } }, 'body.targeting.url.$not.$where'],
  [
    '$function',
    { url: { $function: { body: sideEffect, args: [], lang: 'js' } } },
    'body.targeting.url.$function',
  ],
  ['$expr', { $expr: { $function: { body: sideEffect } } }, 'body.targeting.$expr'],
];

describe('create and PATCH refuse code in targeting', () => {
  it.each(refused)(
    'POST refuses %s with 422 naming it, and writes no experiment',
    async (_label, rule, field) => {
      const before = await experimentCount();
      const res = await create(rule);
      expect(res.statusCode).toBe(422);
      const { error } = res.json();
      expect(error.code).toBe('EXP_CREATE_001');
      const detail = error.details.find((d: { field: string }) => d.field === field);
      expect(detail.message).toContain(`operator ${field.slice(field.lastIndexOf('.') + 1)} is not allowed`);
      expect(detail.message).toContain(ALLOWED_HINT);
      expect(await experimentCount()).toBe(before);
    },
  );

  it.each(refused)('PATCH refuses %s with 422 and keeps the rule', async (_label, rule, field) => {
    const exp = await launch(ctx.app, headers, { ...AB_TEST, targeting: { language: 'de' } });
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/experiments/${exp.id}`,
      headers,
      payload: { targeting: rule },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('EXP_EDIT_002');
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    const stored = await ctx.app.inject({ method: 'GET', url: `/api/v1/experiments/${exp.id}`, headers });
    expect(stored.json().targeting).toEqual({ language: 'de' });
  });

  it('refuses a pattern RE2 cannot run in linear time', async () => {
    const res = await create({ url: { $regex: '^(?!.*checkout)(a)\\1' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({
        field: 'body.targeting.url.$regex',
        message: expect.stringContaining('no backreferences or lookaround'),
      }),
    ]);
  });

  it('documents the allowed operators in the OpenAPI schema', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(JSON.stringify(doc)).toContain('$where, $expr, $function, ...) is refused with 422');
  });
});

describe('a rule stored before the grammar existed', () => {
  it('is never executed: the visitor is not targeted and the code has no effect', async () => {
    rmSync(MARKER, { force: true });
    const exp = await launch(ctx.app, headers, { ...AB_TEST, targeting: { language: 'de' } });
    await storeRaw(exp.id, { $and: [{ language: 'de' }, { $where: sideEffect }] });
    const tracker = trackerFor(ctx.app, exp.id);
    for (const visitor of ['v1', 'v2', 'v3']) {
      expect(await tracker.assign(visitor, { language: 'de' })).toMatchObject({
        eligible: false,
        reason: 'targeting',
      });
    }
    expect((globalThis as { __samplitTargetingRan?: boolean }).__samplitTargetingRan).toBeUndefined();
    expect(existsSync(MARKER)).toBe(false);
  });

  it('is reported through onError once per load, not on every request', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    await storeRaw(exp.id, { url: { $where: sideEffect } });
    const reported: unknown[] = [];
    const runtime = createExperimentRuntime(ctx.db, createTrackerStore(ctx.db.system), {
      refreshMs: 60_000,
      historyIntervalSeconds: 60,
      onError: (error) => reported.push(error),
    });
    for (let i = 0; i < 5; i++) {
      const loaded = await runtime.get(exp.id);
      expect(loaded?.matches?.({ url: 'https://shop.example/' })).toBe(false);
    }
    await runtime.refresh(); // unchanged definition: not reloaded, not reported again
    await runtime.get(exp.id);
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toContain(
      `experiment ${exp.id}: stored targeting refused, it matches nobody`,
    );
    expect(String(reported[0])).toContain('targeting.url.$where: operator $where is not allowed');
    expect(existsSync(MARKER)).toBe(false);
  });
});

describe('regular expressions through the tracker', () => {
  it('matches a legitimate $regex on the url', async () => {
    const exp = await launch(ctx.app, headers, {
      ...AB_TEST,
      targeting: { url: { $regex: '^https://shop\\.example/(pricing|plans)(/|\\?|$)', $options: 'i' } },
    });
    const tracker = trackerFor(ctx.app, exp.id);
    expect(await tracker.assign('r1', { url: 'https://SHOP.example/Pricing?ref=ad' })).toMatchObject({
      eligible: true,
    });
    expect(await tracker.assign('r2', { url: 'https://shop.example/plans' })).toMatchObject({
      eligible: true,
    });
    expect(await tracker.assign('r3', { url: 'https://shop.example/pricingx' })).toMatchObject({
      eligible: false,
      reason: 'targeting',
    });
    expect(await tracker.assign('r4', {})).toMatchObject({ eligible: false, reason: 'targeting' });
  });

  it('answers the catastrophic ^(a+)+$ at once and delays no other request', async () => {
    const redos = await launch(ctx.app, headers, { ...AB_TEST, targeting: { url: { $regex: '^(a+)+$' } } });
    const plain = await launch(ctx.app, headers, AB_TEST);
    const evil = trackerFor(ctx.app, redos.id);
    const other = trackerFor(ctx.app, plain.id);
    // A backtracking engine needs about 2^n steps for n a's followed by a mismatch; n = 4000 would
    // not finish this century. Twenty of them in flight, and an ordinary visitor among them.
    const url = `${'a'.repeat(4000)}!`;
    const start = performance.now();
    const [otherDone, ...evilAnswers] = await Promise.all([
      other.assign('bystander').then((answer) => ({ answer, ms: performance.now() - start })),
      ...Array.from({ length: 20 }, (_, i) => evil.assign(`attacker-${i}`, { url })),
    ]);
    const total = performance.now() - start;
    console.log(
      `20 ReDoS assigns + 1 ordinary: all done in ${total.toFixed(0)} ms, ordinary in ${otherDone.ms.toFixed(0)} ms`,
    );
    expect(total).toBeLessThan(1000);
    expect(otherDone.ms).toBeLessThan(1000);
    expect(otherDone.answer.eligible).toBe(true);
    for (const answer of evilAnswers) expect(answer).toMatchObject({ eligible: false, reason: 'targeting' });
    expect(await evil.assign('aaaa', { url: 'aaaa' })).toMatchObject({ eligible: true });
  });
});
