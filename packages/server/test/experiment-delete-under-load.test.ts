import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { createTestApp, MULTI_ELEMENT, signUp, type TestContext } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

const TABLES = [
  'assignments',
  'conversions',
  'combination_counters',
  'goal_counters',
  'experiment_decisions',
  'allocation_history',
  'combinations',
  'element_variants',
  'elements',
];

// A second app on the same database stands for a second process: its own runtime cache, its own
// group-commit batches, still serving the experiment for up to a refresh after it is deleted.
describe('deleting an experiment while traffic flows', () => {
  let ctx: TestContext;
  let other: App;

  beforeAll(async () => {
    ctx = await createTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 200 });
    other = await buildApp({ config: ctx.config, db: ctx.db, logger: false });
  });
  afterAll(async () => {
    await other.close();
    await ctx.close();
  });

  it('leaves no row behind in any table, whichever app served the traffic', async () => {
    const user = await signUp(ctx.app);
    const exp = await launch(ctx.app, user.headers, MULTI_ELEMENT);
    const statuses = new Map<number, number>();
    let running = true;
    let n = 0;
    const visitor = async (app: App) => {
      while (running) {
        const browser_id = `v${n++}`;
        for (const url of ['assign', 'convert']) {
          const res = await app.inject({
            method: 'POST',
            url: `/api/v1/tracker/${url}`,
            payload: { experiment_id: exp.id, browser_id },
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }
      }
    };
    const load = Array.from({ length: 8 }, (_, i) => visitor(i % 2 ? other : ctx.app));
    // Delete once traffic is flowing: at least 400 ms and some answered visitors (a loaded machine
    // can take longer than that to serve the first of them).
    await new Promise((r) => setTimeout(r, 400));
    while ((statuses.get(200) ?? 0) < 20) await new Promise((r) => setTimeout(r, 20));
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/experiments/${exp.id}`,
      headers: user.headers,
    });
    expect(deleted.statusCode).toBe(204);
    // Keep the traffic going past the other app's cache refresh, then stop.
    await new Promise((r) => setTimeout(r, 600));
    running = false;
    await Promise.all(load);

    const left = await ctx.db.asSystem(async (q) => {
      const out: Record<string, number> = {};
      for (const t of TABLES) {
        out[t] = (
          await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE experiment_id = $1`, [
            exp.id,
          ])
        )[0].n;
      }
      return out;
    });
    expect(left).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
    // Traffic before the delete succeeded, after it the tracker says the experiment is gone; never a 5xx.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(404)).toBeGreaterThan(0);
    expect([...statuses.keys()].every((s) => s === 200 || s === 404)).toBe(true);
  });
});
