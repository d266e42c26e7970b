import { createSigner } from 'fast-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_TOKEN_SECONDS, previewKey } from '../src/experiments/preview-token.js';
import { rowCounts } from './helpers/row-counts.js';
import { AB_TEST, createTestApp, MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 50 });
let owner: Awaited<ReturnType<typeof signUp>>;
let stranger: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  owner = await signUp(ctx.app);
  stranger = await signUp(ctx.app);
});

interface Links {
  expires_in: number;
  items: {
    combination_id: string;
    variant_ids: string[];
    label: string;
    token: string;
    url: string | null;
  }[];
}

const links = (id: string, headers: Record<string, string> = owner.headers) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1/experiments/${id}/preview-links`, headers });

async function linksOf(id: string): Promise<Links> {
  const res = await links(id);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const preview = (payload: unknown, headers: Record<string, string> = {}) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/tracker/preview',
    headers,
    ...(typeof payload === 'string' ? { body: payload } : { payload: payload as object }),
  });

/** The token's claims, read without verifying (as the SDK reads `sub`). */
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /experiments/{id}/preview-links', () => {
  it('gives one link per combination, labelled by element and variant, for a draft', async () => {
    const exp = await launch(ctx.app, owner.headers, MULTI_ELEMENT, false);
    const body = await linksOf(exp.id);
    expect(body.expires_in).toBe(PREVIEW_TOKEN_SECONDS);
    expect(body.items.map((i) => i.combination_id)).toEqual(exp.combinations.map((c) => c.id));
    expect(body.items.map((i) => i.variant_ids)).toEqual(exp.combinations.map((c) => c.variant_ids));
    expect(body.items[0].label).toBe('CTA Button: A · Hero Copy: X');
    expect(body.items[5].label).toBe('CTA Button: B · Hero Copy: Z');
    // No url on the experiment: nothing to add the token to.
    expect(body.items.every((i) => i.url === null)).toBe(true);
    const c = claims(body.items[4].token);
    expect(c).toMatchObject({ aud: 'preview', sub: exp.id, cmb: exp.combinations[4].id });
    expect(c.exp - c.iat).toBe(PREVIEW_TOKEN_SECONDS);
  });

  it('adds the token to the experiment’s url, keeping its query and hash; one element: the variant’s name', async () => {
    const exp = await launch(ctx.app, owner.headers, {
      ...AB_TEST,
      url: 'https://shop.example/pricing?plan=pro#faq',
    });
    const body = await linksOf(exp.id);
    expect(body.items.map((i) => i.label)).toEqual(['Control', 'Green']);
    for (const item of body.items) {
      const url = new URL(item.url!);
      expect(url.origin + url.pathname).toBe('https://shop.example/pricing');
      expect(url.searchParams.get('plan')).toBe('pro');
      expect(url.searchParams.get('samplit_preview')).toBe(item.token);
      expect(url.hash).toBe('#faq');
    }
  });

  it('works, and its links show their combination, in every status', async () => {
    const exp = await launch(ctx.app, owner.headers, AB_TEST);
    for (const action of ['pause', 'complete', 'archive']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/experiments/${exp.id}/${action}`,
        headers: owner.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      const { items } = await linksOf(exp.id);
      expect(items).toHaveLength(2);
      const shown = await preview({ token: items[1].token });
      expect(shown.statusCode, `${action}: ${shown.body}`).toBe(200);
      expect(shown.json().variants[0].variant_name).toBe('Green');
    }
  });

  it('is 404 for another user’s experiment and for an unknown one, 401 signed out, 422 for a bad id', async () => {
    const exp = await launch(ctx.app, owner.headers, AB_TEST, false);
    const foreign = await links(exp.id, stranger.headers);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('EXP_FIND_001');
    expect((await links('00000000-0000-4000-8000-000000000000')).json().error.code).toBe('EXP_FIND_001');
    expect((await links(exp.id, {})).statusCode).toBe(401);
    expect((await links('not-a-uuid')).statusCode).toBe(422);
  });
});

describe('POST /tracker/preview', () => {
  it('answers with the token’s combination in the shape of an assign, for a draft', async () => {
    const exp = await launch(ctx.app, owner.headers, MULTI_ELEMENT, false);
    const item = (await linksOf(exp.id)).items[4];
    const res = await preview({ token: item.token });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({
      experiment_id: exp.id,
      browser_id: 'preview',
      eligible: false,
      reason: 'preview',
      combination_id: item.combination_id,
    });
    expect(answer.new_assignment).toBeUndefined();
    expect(answer.variants.map((v: { variant_id: string }) => v.variant_id)).toEqual(item.variant_ids);
    expect(answer.variants.map((v: { element_name: string }) => v.element_name)).toEqual([
      'CTA Button',
      'Hero Copy',
    ]);
    expect(answer.variants.map((v: { variant_name: string }) => v.variant_name)).toEqual(['B', 'Y']);
    // Assign, meanwhile, shows a draft's visitors the control.
    expect(await trackerFor(ctx.app, exp.id).assign('someone')).toMatchObject({ reason: 'not_running' });
  });

  it('serves the variant content as assign does, text/plain bodies too', async () => {
    const exp = await launch(ctx.app, owner.headers, AB_TEST);
    const green = (await linksOf(exp.id)).items[1];
    const res = await preview(JSON.stringify({ token: green.token }), { 'content-type': 'text/plain' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().variants).toEqual([
      expect.objectContaining({
        selector: '#cta',
        variant_name: 'Green',
        is_control: false,
        content: { text: 'Get started', styles: { background: 'green' } },
      }),
    ]);
  });

  it('writes no row in any table, for a running experiment no one has been assigned to and for a draft', async () => {
    // Running and never assigned: the runtime has not loaded it, and loading it would record an
    // allocation epoch; a preview must not.
    const running = await launch(ctx.app, owner.headers, MULTI_ELEMENT);
    const draft = await launch(ctx.app, owner.headers, AB_TEST, false);
    const tokens = [
      ...(await linksOf(running.id)).items.map((i) => i.token),
      ...(await linksOf(draft.id)).items.map((i) => i.token),
    ];
    await sleep(150); // the runtime's refreshes (every 50 ms) settle first
    const before = await rowCounts(ctx.db);
    for (const token of tokens) expect((await preview({ token })).statusCode).toBe(200);
    await Promise.all(tokens.map((token) => preview({ token })));
    await sleep(150); // and whatever a refresh would write after them
    expect(await rowCounts(ctx.db)).toEqual(before);
    // The experiment's stats still show no visitor.
    const got = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/experiments/${running.id}`,
      headers: owner.headers,
    });
    expect(got.json().stats.total_visitors).toBe(0);
    // The count would have seen an assign's rows: its first visitor records an epoch and an assignment.
    await trackerFor(ctx.app, running.id).assign('first-visitor');
    const after = await rowCounts(ctx.db);
    expect(after.assignments).toBe(before.assignments + 1);
    expect(after.allocation_epochs).toBe(before.allocation_epochs + 1);
  });

  it('refuses an expired, tampered, forged or mistaken token with 401 TRACKER_PREVIEW_001', async () => {
    const exp = await launch(ctx.app, owner.headers, MULTI_ELEMENT, false);
    const [first, second] = (await linksOf(exp.id)).items;
    const key = previewKey(ctx.config.jwtSecret);
    const claimsOf = { sub: exp.id, cmb: first.combination_id };
    const eightDaysAgo = Date.now() - 8 * 24 * 3600 * 1000;
    const expired = createSigner({
      key,
      aud: 'preview',
      expiresIn: PREVIEW_TOKEN_SECONDS * 1000,
      clockTimestamp: eightDaysAgo,
    })(claimsOf);
    // The same claims signed the same way but now: accepted, so it is only the expiry refused above.
    const fresh = createSigner({ key, aud: 'preview', expiresIn: PREVIEW_TOKEN_SECONDS * 1000 })(claimsOf);
    expect((await preview({ token: fresh })).statusCode).toBe(200);

    const [header, , signature] = first.token.split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({ ...claims(first.token), cmb: second.combination_id }),
    ).toString('base64url');
    const tampered = `${header}.${otherPayload}.${signature}`;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${first.token.split('.')[1]}.`;
    const withTheJwtSecret = createSigner({ key: ctx.config.jwtSecret, aud: 'preview', expiresIn: 60_000 })(
      claimsOf,
    );
    const otherAudience = createSigner({ key, aud: 'visual-editor-proxy', expiresIn: 60_000 })(claimsOf);
    const neverExpires = createSigner({ key, aud: 'preview' })(claimsOf);
    const bearer = owner.headers.authorization.slice('Bearer '.length);

    for (const token of [
      expired,
      tampered,
      unsigned,
      withTheJwtSecret,
      otherAudience,
      neverExpires,
      bearer,
      'x',
    ]) {
      const res = await preview({ token });
      expect(res.statusCode, token).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'TRACKER_PREVIEW_001', details: [] });
    }
  });

  it('is not a bearer token: the management API refuses it', async () => {
    const exp = await launch(ctx.app, owner.headers, AB_TEST, false);
    const { token } = (await linksOf(exp.id)).items[0];
    for (const url of [
      '/api/v1/experiments',
      `/api/v1/experiments/${exp.id}/preview-links`,
      '/api/v1/auth/me',
    ]) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('is 404 once the experiment is deleted, and once a draft’s edit has replaced its combinations', async () => {
    const gone = await launch(ctx.app, owner.headers, AB_TEST, false);
    const goneToken = (await linksOf(gone.id)).items[1].token;
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/experiments/${gone.id}`,
      headers: owner.headers,
    });
    expect(del.statusCode).toBe(204);
    const res = await preview({ token: goneToken });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('TRACKER_EXPERIMENT_001');

    const edited = await launch(ctx.app, owner.headers, AB_TEST, false);
    const staleToken = (await linksOf(edited.id)).items[1].token;
    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/experiments/${edited.id}`,
      headers: owner.headers,
      payload: { variants: [{ name: 'Control' }, { name: 'Blue', content: { text: 'Go' } }] },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const stale = await preview({ token: staleToken });
    expect(stale.statusCode).toBe(404);
    expect(stale.json().error.code).toBe('TRACKER_PREVIEW_002');
    // A fresh link shows the edit.
    const fresh = await preview({ token: (await linksOf(edited.id)).items[1].token });
    expect(fresh.json().variants[0]).toMatchObject({ variant_name: 'Blue', content: { text: 'Go' } });
  });

  it('sends custom JavaScript only while the experiment allows it', async () => {
    const exp = await launch(ctx.app, owner.headers, {
      ...AB_TEST,
      allow_custom_js: true,
      variants: [{ name: 'Control' }, { name: 'Scripted', content: { text: 'Hi', js: 'window.x = 1;' } }],
    });
    const { token } = (await linksOf(exp.id)).items[1];
    expect((await preview({ token })).json().variants[0].content).toEqual({
      text: 'Hi',
      js: 'window.x = 1;',
    });
    // The API refuses to switch it off while a variant has js; a row that says so anyway (an older
    // version, a hand edit) still gets no js from a preview.
    await ctx.db.asSystem((q) =>
      q.query('UPDATE experiments SET allow_custom_js = false WHERE id = $1', [exp.id]),
    );
    expect((await preview({ token })).json().variants[0].content).toEqual({ text: 'Hi' });
  });

  it('refuses malformed bodies with 4xx', async () => {
    for (const payload of [
      {},
      { token: '' },
      { token: 42 },
      { token: 'a'.repeat(2049) },
      { token: 'x', extra: 1 },
    ]) {
      const res = await preview(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().error.code).toBe('REQUEST_VALIDATION_001');
    }
    const broken = await preview('{"token":', { 'content-type': 'application/json' });
    expect(broken.statusCode).toBe(400);
  });

  it('answers CORS preflights and cross-origin calls like assign', async () => {
    const preflight = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/tracker/preview',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    const exp = await launch(ctx.app, owner.headers, AB_TEST, false);
    const { token } = (await linksOf(exp.id)).items[0];
    const res = await preview({ token }, { origin: 'https://shop.example' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    // Even a refusal is readable cross-origin, so the SDK can tell why.
    const refused = await preview({ token: 'x' }, { origin: 'https://shop.example' });
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('POST /tracker/preview rate limit', () => {
  it('shares the tracker’s per-IP limit', async () => {
    const limited = await createTestApp({ trackerRateLimitPerIp: 3 });
    try {
      // At once, so that even a slow machine spreads them over few of the limiter's fixed
      // one-second windows (3 allowed in each): 8 of 20 refused unless they span 4 windows.
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          limited.app.inject({
            method: 'POST',
            url: '/api/v1/tracker/preview',
            payload: { token: 'x' },
            remoteAddress: '203.0.113.9',
          }),
        ),
      );
      const limitedAnswers = answers.filter((r) => r.statusCode === 429);
      expect(limitedAnswers.length).toBeGreaterThanOrEqual(8);
      expect(limitedAnswers[0].json().error.code).toBe('REQUEST_RATE_001');
      expect(answers.filter((r) => r.statusCode !== 429).every((r) => r.statusCode === 401)).toBe(true);
    } finally {
      await limited.close();
    }
  });
});
