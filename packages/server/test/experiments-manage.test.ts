import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';

const ctx = useTestApp();
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function createExperiment(
  payload: unknown = AB_TEST,
): Promise<{ id: string; combinations: { id: string }[] }> {
  const res = await call('POST', '/experiments', payload);
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('lifecycle', () => {
  it('follows draft → running ⇄ paused → completed', async () => {
    const { id } = await createExperiment();
    const started = await call('POST', `/experiments/${id}/start`);
    expect(started.json()).toMatchObject({ status: 'running', started_at: expect.any(String) });
    expect((await call('POST', `/experiments/${id}/pause`)).json().status).toBe('paused');
    expect((await call('POST', `/experiments/${id}/resume`)).json().status).toBe('running');
    expect((await call('POST', `/experiments/${id}/pause`)).json().status).toBe('paused');
    const done = await call('POST', `/experiments/${id}/complete`);
    expect(done.json()).toMatchObject({
      status: 'completed',
      completed_at: expect.any(String),
      winner_combination_id: null,
    });
  });

  it.each([
    ['draft', 'pause'],
    ['draft', 'resume'],
    ['draft', 'complete'],
    ['running', 'start'],
    ['running', 'resume'],
    ['paused', 'start'],
    ['paused', 'pause'],
    ['completed', 'start'],
    ['completed', 'pause'],
    ['completed', 'resume'],
    ['completed', 'complete'],
  ])('refuses %s → %s with 409 and changes nothing', async (status, action) => {
    const { id } = await createExperiment();
    const path: Record<string, string[]> = {
      draft: [],
      running: ['start'],
      paused: ['start', 'pause'],
      completed: ['start', 'complete'],
    };
    for (const step of path[status])
      expect((await call('POST', `/experiments/${id}/${step}`)).statusCode).toBe(200);
    const res = await call('POST', `/experiments/${id}/${action}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('EXP_STATE_001');
    expect((await call('GET', `/experiments/${id}`)).json().status).toBe(status);
  });

  it('accepts a lifecycle action with an empty JSON body (curl -X POST -H content-type:json)', async () => {
    const { id } = await createExperiment();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/experiments/${id}/start`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('running');
  });

  it('completes with a chosen winner, and rejects a combination of another experiment', async () => {
    const exp = await createExperiment();
    const other = await createExperiment();
    await call('POST', `/experiments/${exp.id}/start`);
    const bad = await call('POST', `/experiments/${exp.id}/complete`, {
      winner_combination_id: other.combinations[0].id,
    });
    expect(bad.statusCode).toBe(422);
    const good = await call('POST', `/experiments/${exp.id}/complete`, {
      winner_combination_id: exp.combinations[1].id,
    });
    expect(good.statusCode).toBe(200);
    expect(good.json().winner_combination_id).toBe(exp.combinations[1].id);
  });
});

describe('PATCH /experiments/{id}', () => {
  it('changes settings at any time and structure only in draft', async () => {
    const exp = await createExperiment();
    const renamed = await call('PATCH', `/experiments/${exp.id}`, {
      name: 'Renamed',
      variants: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Renamed');
    expect(renamed.json().combinations).toHaveLength(3);
    expect(renamed.json().selector).toBe('#cta');

    await call('POST', `/experiments/${exp.id}/start`);
    const settings = await call('PATCH', `/experiments/${exp.id}`, {
      traffic_percentage: 25,
      targeting: { language: 'fr' },
      traffic_allocation: 'fixed',
    });
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({
      traffic_percentage: 25,
      targeting: { language: 'fr' },
      traffic_allocation: 'fixed',
    });
    const structure = await call('PATCH', `/experiments/${exp.id}`, {
      variants: [{ name: 'X' }, { name: 'Y' }],
    });
    expect(structure.statusCode).toBe(409);
    expect(structure.json().error.code).toBe('EXP_EDIT_001');
    expect((await call('GET', `/experiments/${exp.id}`)).json().combinations).toHaveLength(3);
  });

  it('keeps the variants when only the selector changes, and validates new structure', async () => {
    const exp = await createExperiment();
    const moved = await call('PATCH', `/experiments/${exp.id}`, { selector: '.buy' });
    expect(moved.json().selector).toBe('.buy');
    expect(moved.json().variants.map((v: { name: string }) => v.name)).toEqual(['Control', 'Green']);
    const bad = await call('PATCH', `/experiments/${exp.id}`, { variants: [{ name: 'lonely' }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('EXP_EDIT_002');
  });

  it('replaces the elements of a multi_element draft', async () => {
    const exp = await createExperiment(MULTI_ELEMENT);
    const res = await call('PATCH', `/experiments/${exp.id}`, {
      elements: [
        { name: 'A', variants: [{ name: '1' }, { name: '2' }] },
        { name: 'B', variants: [{ name: '1' }, { name: '2' }] },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().combinations).toHaveLength(4);
  });

  it('rejects an empty or unknown patch', async () => {
    const exp = await createExperiment();
    expect((await call('PATCH', `/experiments/${exp.id}`, {})).statusCode).toBe(422);
    expect((await call('PATCH', `/experiments/${exp.id}`, { status: 'running' })).statusCode).toBe(422);
  });
});

describe('list and delete', () => {
  it('lists own experiments newest first, paginated and filterable', async () => {
    const fresh = await signUp(ctx.app);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/experiments',
        headers: fresh.headers,
        payload: { ...AB_TEST, name: `E${i}` },
      });
      ids.push(res.json().id);
    }
    const page = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/experiments?limit=2',
      headers: fresh.headers,
    });
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().items.map((e: { name: string }) => e.name)).toEqual(['E2', 'E1']);
    const next = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/experiments?limit=2&offset=2',
      headers: fresh.headers,
    });
    expect(next.json().items.map((e: { name: string }) => e.name)).toEqual(['E0']);
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/experiments/${ids[0]}/start`,
      headers: fresh.headers,
    });
    const running = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/experiments?status=running',
      headers: fresh.headers,
    });
    expect(running.json().items.map((e: { id: string }) => e.id)).toEqual([ids[0]]);
    const bad = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/experiments?limit=0',
      headers: fresh.headers,
    });
    expect(bad.statusCode).toBe(422);
  });

  it('searches by name: contains, case-insensitive, wildcards literal, with the other filters', async () => {
    const fresh = await signUp(ctx.app);
    const names = [
      'Checkout button',
      'CHECKOUT copy',
      'Pricing 100%',
      'Pricing 1000',
      'a_b',
      'axb',
      'back\\slash',
    ];
    const ids: Record<string, string> = {};
    for (const name of names) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/experiments',
        headers: fresh.headers,
        payload: { ...AB_TEST, name },
      });
      ids[name] = res.json().id;
    }
    const search = async (query: string) => {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/experiments?${query}`,
        headers: fresh.headers,
      });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      return { total: page.total, names: page.items.map((e: { name: string }) => e.name) };
    };
    expect(await search('q=checkout')).toEqual({ total: 2, names: ['CHECKOUT copy', 'Checkout button'] });
    // % and _ match themselves, not "anything".
    expect(await search(`q=${encodeURIComponent('100%')}`)).toEqual({ total: 1, names: ['Pricing 100%'] });
    expect(await search('q=a_b')).toEqual({ total: 1, names: ['a_b'] });
    expect(await search(`q=${encodeURIComponent('k\\s')}`)).toEqual({ total: 1, names: ['back\\slash'] });
    expect(await search('q=')).toMatchObject({ total: names.length });
    // Combined with pagination (total counts every match) and the status filter.
    expect(await search('q=pricing&limit=1&offset=1')).toEqual({ total: 2, names: ['Pricing 100%'] });
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/experiments/${ids['Checkout button']}/start`,
      headers: fresh.headers,
    });
    expect(await search('q=checkout&status=running')).toEqual({ total: 1, names: ['Checkout button'] });
    // Another user's experiments never match.
    const other = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments?q=checkout', headers });
    expect(other.json().items.some((e: { id: string }) => e.id === ids['Checkout button'])).toBe(false);
    const tooLong = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/experiments?q=${'x'.repeat(201)}`,
      headers: fresh.headers,
    });
    expect(tooLong.statusCode).toBe(422);
  });

  it('deletes an experiment with everything under it', async () => {
    const exp = await createExperiment(MULTI_ELEMENT);
    expect((await call('DELETE', `/experiments/${exp.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/experiments/${exp.id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/experiments/${exp.id}`)).statusCode).toBe(404);
    const left = await ctx.db.asSystem((q) =>
      q.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM elements WHERE experiment_id = $1)
              + (SELECT count(*) FROM element_variants WHERE experiment_id = $1)
              + (SELECT count(*) FROM combinations WHERE experiment_id = $1) AS n`,
        [exp.id],
      ),
    );
    expect(Number(left[0].n)).toBe(0);
  });
});
