import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
beforeAll(async () => {
  ({ headers } = await signUp(ctx.app));
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers });

const rows = async (id: string) =>
  (
    await ctx.db.asSystem((q) =>
      q.query<{ a: number; c: number }>(
        `SELECT (SELECT count(*) FROM assignments WHERE experiment_id = $1)::int AS a,
                (SELECT count(*) FROM conversions WHERE experiment_id = $1)::int AS c`,
        [id],
      ),
    )
  )[0];

describe('archive and restore', () => {
  it('hides a running experiment, stops enrolling, keeps its data, and restores it', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    const tracker = trackerFor(ctx.app, exp.id);
    const before = await tracker.assign('returning');
    expect(before.eligible).toBe(true);
    await tracker.convert('returning');

    const archived = await call('POST', `/experiments/${exp.id}/archive`);
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archived_at).toEqual(expect.any(String));
    expect(archived.json().status).toBe('running');
    expect((await call('POST', `/experiments/${exp.id}/archive`)).statusCode).toBe(409);

    const list = (await call('GET', '/experiments')).json();
    expect(list.items.map((e: { id: string }) => e.id)).not.toContain(exp.id);
    const archivedList = (await call('GET', '/experiments?archived=true')).json();
    expect(archivedList.items.map((e: { id: string }) => e.id)).toEqual([exp.id]);
    expect(archivedList.total).toBe(1);
    expect((await call('GET', `/experiments/${exp.id}`)).statusCode).toBe(200);

    // Everyone sees the control, nobody new is enrolled; what was recorded stays.
    const newcomer = await tracker.assign('newcomer');
    expect(newcomer).toMatchObject({ eligible: false, reason: 'not_running' });
    expect(newcomer.variants.every((v) => v.is_control)).toBe(true);
    expect(await rows(exp.id)).toEqual({ a: 1, c: 1 });

    const restored = await call('POST', `/experiments/${exp.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().archived_at).toBeNull();
    expect((await call('POST', `/experiments/${exp.id}/restore`)).statusCode).toBe(409);
    expect((await tracker.assign('newcomer')).eligible).toBe(true);
    expect((await tracker.assign('returning')).combination_id).toBe(before.combination_id);
    expect(await rows(exp.id)).toEqual({ a: 2, c: 1 });
  });

  it('is another user’s business only as a 404', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST, false);
    const other = await signUp(ctx.app);
    for (const action of ['archive', 'restore']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/experiments/${exp.id}/${action}`,
        headers: other.headers,
      });
      expect(res.statusCode).toBe(404);
    }
    expect((await call('GET', `/experiments/${exp.id}`)).json().archived_at).toBeNull();
  });

  it('deleting stays the explicit, irreversible way', async () => {
    const exp = await launch(ctx.app, headers, AB_TEST);
    await trackerFor(ctx.app, exp.id).assign('v');
    expect((await call('POST', `/experiments/${exp.id}/archive`)).statusCode).toBe(200);
    expect((await call('DELETE', `/experiments/${exp.id}`)).statusCode).toBe(204);
    expect((await call('POST', `/experiments/${exp.id}/restore`)).statusCode).toBe(404);
    expect(await rows(exp.id)).toEqual({ a: 0, c: 0 });
  });
});
