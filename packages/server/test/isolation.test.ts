import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';

const ctx = useTestApp();
let alice: Awaited<ReturnType<typeof signUp>>;
let bob: Awaited<ReturnType<typeof signUp>>;
let aliceExperiment: string;

beforeAll(async () => {
  alice = await signUp(ctx.app);
  bob = await signUp(ctx.app);
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/experiments',
    headers: alice.headers,
    payload: AB_TEST,
  });
  aliceExperiment = res.json().id;
  await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/experiments',
    headers: bob.headers,
    payload: { ...AB_TEST, name: 'Bob' },
  });
});

describe('isolation between users', () => {
  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['POST', '/start'],
    ['POST', '/pause'],
    ['POST', '/resume'],
    ['POST', '/complete'],
  ] as const)('answers %s on another user’s experiment%s with 404', async (method, suffix) => {
    const res = await ctx.app.inject({
      method,
      url: `/api/v1/experiments/${aliceExperiment}${suffix}`,
      headers: bob.headers,
      ...(method === 'PATCH' ? { payload: { name: 'stolen' } } : {}),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('EXP_FIND_001');
    const own = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/experiments/${aliceExperiment}`,
      headers: alice.headers,
    });
    expect(own.json()).toMatchObject({ name: 'Homepage CTA', status: 'draft' });
  });

  it('lists only the caller’s experiments', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments', headers: bob.headers });
    expect(res.json().items.map((e: { name: string }) => e.name)).toEqual(['Bob']);
  });

  it('is enforced by row-level security: queries without an owner filter see no foreign rows', async () => {
    const [{ user: role }] = await ctx.db.query<{ user: string }>('SELECT current_user AS user');
    expect(role).toBe('samplit_app');
    const seen = await ctx.db.asUser(bob.id, async (q) => ({
      experiments: await q.query<{ owner_id: string }>('SELECT owner_id FROM experiments'),
      variants: await q.query<{ experiment_id: string }>('SELECT experiment_id FROM element_variants'),
      combinations: await q.query<{ experiment_id: string }>('SELECT experiment_id FROM combinations'),
    }));
    expect(seen.experiments.length).toBe(1);
    expect(seen.experiments.every((e) => e.owner_id === bob.id)).toBe(true);
    expect(seen.variants.every((v) => v.experiment_id !== aliceExperiment)).toBe(true);
    expect(seen.combinations.every((c) => c.experiment_id !== aliceExperiment)).toBe(true);
    expect(seen.variants.length).toBe(2);
  });

  it('keeps the per-goal counters and the declared winners of an experiment to its owner', async () => {
    const [combination] = await ctx.db.asSystem((q) =>
      q.query<{ id: string }>('SELECT id::text FROM combinations WHERE experiment_id = $1', [
        aliceExperiment,
      ]),
    );
    await ctx.db.asSystem(async (q) => {
      await q.query(
        `INSERT INTO goal_counters (combination_id, experiment_id, goal, shard, converted) VALUES ($1, $2, 'secret', 0, 7)`,
        [combination.id, aliceExperiment],
      );
      await q.query(
        `INSERT INTO experiment_decisions (experiment_id, combination_id, goal, evidence) VALUES ($1, $2, 'secret', '{}')`,
        [aliceExperiment, combination.id],
      );
    });
    const seen = await ctx.db.asUser(bob.id, async (q) => [
      ...(await q.query('SELECT goal FROM goal_counters')),
      ...(await q.query('SELECT goal FROM experiment_decisions')),
    ]);
    expect(seen).toEqual([]);
    const mine = await ctx.db.asUser(alice.id, (q) => q.query('SELECT goal FROM experiment_decisions'));
    expect(mine).toEqual([{ goal: 'secret' }]);
    await expect(
      ctx.db.asUser(bob.id, (q) =>
        q.query(
          `INSERT INTO goal_counters (combination_id, experiment_id, goal, shard) VALUES ($1, $2, 'planted', 1)`,
          [combination.id, aliceExperiment],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('hides every experiment from a statement outside any user scope', async () => {
    expect(await ctx.db.query('SELECT id FROM experiments')).toEqual([]);
    expect(await ctx.db.query('SELECT id FROM combinations')).toEqual([]);
  });

  it('refuses writes into another user’s experiment even without an owner filter', async () => {
    const updated = await ctx.db.asUser(bob.id, (q) =>
      q.query("UPDATE experiments SET name = 'hijacked' RETURNING id"),
    );
    expect(updated.map((r) => (r as { id: string }).id)).not.toContain(aliceExperiment);
    await expect(
      ctx.db.asUser(bob.id, (q) =>
        q.query("INSERT INTO elements (experiment_id, position, name) VALUES ($1, 99, 'planted')", [
          aliceExperiment,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
    const own = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/experiments/${aliceExperiment}`,
      headers: alice.headers,
    });
    expect(own.json().name).toBe('Homepage CTA');
    expect(own.json().elements).toHaveLength(1);
  });
});
