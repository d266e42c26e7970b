import { describe, expect, it } from 'vitest';
import { normalizeGoals } from '../experiments/goals.js';
import { createExperimentRuntime, type LoadDefinition, type RuntimeOptions } from './experiment-runtime.js';
import { createFakeTrackerStore, fakeDefinition } from './fake-tracker-store.js';

/** `wrapLoad`: stands between the runtime and the fake's definitions (to make a load fail). */
function setup(
  options: Partial<RuntimeOptions> & { wrapLoad?: (load: LoadDefinition) => LoadDefinition } = {},
) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const fake = createFakeTrackerStore({ now: () => clock });
  const errors: unknown[] = [];
  const load = options.wrapLoad ? options.wrapLoad(fake.loadDefinition) : fake.loadDefinition;
  const runtime = createExperimentRuntime(load, fake.store, {
    refreshMs: options.refreshMs ?? 60_000,
    historyIntervalSeconds: options.historyIntervalSeconds ?? 60,
    onError: (error) => errors.push(error),
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { fake, runtime, errors, advance };
}

describe('experiment runtime cache', () => {
  it('loads an experiment once however many requests ask for it at the same time', async () => {
    const { fake, runtime } = setup();
    const { row } = fake.add(fakeDefinition());
    const loaded = await Promise.all(Array.from({ length: 20 }, () => runtime.get(row.id)));
    expect(new Set(loaded).size).toBe(1);
    expect(loaded[0]).toMatchObject({ id: row.id, status: 'running' });
    expect(fake.calls.load).toBe(1);
    expect(fake.calls.counters).toBe(1);
    await runtime.get(row.id);
    expect(fake.calls.load).toBe(1);

    const other = fake.add(fakeDefinition()).row;
    await runtime.get(other.id);
    expect(fake.calls.load).toBe(2);
  });

  it('answers undefined for an experiment that does not exist', async () => {
    const { runtime } = setup();
    expect(await runtime.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('loads again after invalidate, seeing the change', async () => {
    const { fake, runtime } = setup();
    const { row } = fake.add(fakeDefinition());
    expect((await runtime.get(row.id))?.trafficPercentage).toBe(100);
    fake.update(row.id, { traffic_percentage: 30 });
    expect((await runtime.get(row.id))?.trafficPercentage).toBe(100); // cached until told
    runtime.invalidate(row.id);
    expect((await runtime.get(row.id))?.trafficPercentage).toBe(30);
    expect(fake.calls.load).toBe(2);
  });

  it('reloads on refresh when the status or the last change moved, and only then', async () => {
    const { fake, runtime } = setup();
    const { row } = fake.add(fakeDefinition());
    await runtime.get(row.id);
    await runtime.refresh();
    expect(fake.calls.load).toBe(1);

    fake.update(row.id, { status: 'paused' });
    await runtime.refresh();
    expect((await runtime.get(row.id))?.status).toBe('paused');
    expect(fake.calls.load).toBe(2);

    fake.update(row.id, { goals: normalizeGoals(['signup']).goals }); // same status, later updated_at
    await runtime.refresh();
    expect((await runtime.get(row.id))?.primaryGoal.key).toBe('signup');
    expect(fake.calls.load).toBe(3);
  });

  it('forgets a deleted experiment on refresh, and looks for it again on the next request', async () => {
    const { fake, runtime } = setup();
    const { row } = fake.add(fakeDefinition());
    await runtime.get(row.id);
    fake.remove(row.id);
    await runtime.refresh();
    expect(await runtime.get(row.id)).toBeUndefined();
    expect(fake.calls.load).toBe(2);
  });

  it('re-allocates from the counters on refresh, and keeps a declared winner while the data dips', async () => {
    const { fake, runtime } = setup();
    const definition = fake.add(fakeDefinition());
    const [control, treatment] = definition.structure.combinations;
    const before = (await runtime.get(definition.row.id))!;
    expect(before.allocation.phase).toBe('burn_in');
    expect(before.allocation.probabilities).toEqual([0.5, 0.5]);

    fake.addCounts(control.id, 2000, 100);
    fake.addCounts(treatment.id, 2000, 300);
    await runtime.refresh();
    const after = (await runtime.get(definition.row.id))!;
    expect(after).toBe(before); // same definition: updated in place, not reloaded
    expect(after.snapshot.arms).toEqual([
      { visitors: 2000, conversions: 100 },
      { visitors: 2000, conversions: 300 },
    ]);
    expect(after.allocation).toMatchObject({ phase: 'exploit', winner: 1 });
    expect(after.allocation.probabilities[1]).toBeGreaterThan(0.9);

    // The control catches up: the verdict alone would no longer declare a winner, the runtime keeps it.
    fake.addCounts(control.id, 0, 200);
    await runtime.refresh();
    expect(after.allocation).toMatchObject({ phase: 'exploit', winner: 1 });
  });

  it('records a declared winner once, and every other and later runtime exploits that one', async () => {
    const { fake, runtime } = setup();
    const definition = fake.add(fakeDefinition());
    const [control, treatment] = definition.structure.combinations;
    const options = { refreshMs: 60_000, historyIntervalSeconds: 60 };
    const other = createExperimentRuntime(fake.loadDefinition, fake.store, options);
    await Promise.all([runtime.get(definition.row.id), other.get(definition.row.id)]);
    fake.addCounts(control.id, 2000, 100);
    fake.addCounts(treatment.id, 2000, 300);
    await runtime.refresh();
    expect(fake.winners.get(definition.row.id)).toMatchObject({
      combination_id: treatment.id,
      goal: 'conversion',
      evidence: { decision: 'winner' },
    });
    // The control catches up before the second process looks: on the counters alone it would
    // see no winner, but it reads the recorded one.
    fake.addCounts(control.id, 0, 200);
    await other.refresh();
    const seen = other.current(definition.row.id)!;
    expect(seen.declared?.combination_id).toBe(treatment.id);
    expect(seen.allocation).toMatchObject({ phase: 'exploit', winner: 1 });
    // A restart (a new runtime) too.
    const restarted = createExperimentRuntime(fake.loadDefinition, fake.store, options);
    const fresh = (await restarted.get(definition.row.id))!;
    expect(fresh.allocation.probabilities).toEqual(seen.allocation.probabilities);
    expect(fake.calls.recordWinner).toBe(1);
  });

  it('starts over when the primary goal changes: the recorded winner was decided on another goal', async () => {
    const { fake, runtime } = setup();
    const definition = fake.add(fakeDefinition());
    const [control, treatment] = definition.structure.combinations;
    fake.addCounts(control.id, 2000, 100);
    fake.addCounts(treatment.id, 2000, 300);
    await runtime.get(definition.row.id);
    expect(fake.winners.get(definition.row.id)?.goal).toBe('conversion');
    fake.update(definition.row.id, { goals: normalizeGoals(['signup']).goals });
    await runtime.refresh(); // sees the change and reloads
    const reloaded = (await runtime.get(definition.row.id))!;
    expect(reloaded.declared).toBeNull();
    expect(reloaded.allocation.phase).not.toBe('exploit');
  });

  it('records the allocation of a running experiment at most once per interval', async () => {
    const { fake, runtime, advance } = setup({ historyIntervalSeconds: 60 });
    const running = fake.add(fakeDefinition());
    const paused = fake.add(fakeDefinition({ status: 'paused' }));
    await runtime.get(running.row.id);
    await runtime.get(paused.row.id);
    await runtime.refresh();
    advance(30_000);
    await runtime.refresh();
    expect(fake.history).toHaveLength(1);
    advance(31_000);
    await runtime.refresh();
    expect(fake.history).toHaveLength(2);
    const [a, b] = running.structure.combinations;
    expect(fake.history.map((h) => h.experiment_id)).toEqual([running.row.id, running.row.id]);
    expect(fake.history[1].weights).toEqual({ phase: 'burn_in', weights: { [a.id]: 0.5, [b.id]: 0.5 } });
  });

  it('runs one refresh at a time: a call during a refresh joins it', async () => {
    const { fake, runtime } = setup();
    await runtime.get(fake.add(fakeDefinition()).row.id);
    const countersBefore = fake.calls.counters;
    await Promise.all([runtime.refresh(), runtime.refresh(), runtime.refresh()]);
    expect(fake.calls.counters).toBe(countersBefore + 1);
  });

  it('compiles a stored targeting rule once per load', async () => {
    const { fake, runtime, errors } = setup();
    const { row } = fake.add(fakeDefinition({ targeting: { language: { $in: ['de', 'fr'] } } }));
    const exp = (await runtime.get(row.id))!;
    expect(exp.matches?.({ language: 'de' })).toBe(true);
    expect(exp.matches?.({ language: 'en' })).toBe(false);
    expect(errors).toEqual([]);
  });

  it('lets a stored rule outside the allow-list match nobody, reported once per load', async () => {
    const { fake, runtime, errors } = setup();
    const { row } = fake.add(fakeDefinition({ targeting: { language: { $where: 'return true' } } }));
    for (let i = 0; i < 3; i++) {
      const exp = (await runtime.get(row.id))!;
      expect(exp.matches?.({ language: 'de' })).toBe(false);
      expect(exp.matches?.({})).toBe(false);
    }
    await runtime.refresh(); // unchanged: not reloaded, not reported again
    await runtime.get(row.id);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain(`experiment ${row.id}: stored targeting refused, it matches nobody`);
    expect(String(errors[0])).toContain('$where');
  });

  it('reports a failed load and tries again on the next request', async () => {
    let failures = 1;
    const { fake, runtime, errors } = setup({
      wrapLoad: (load) => async (id) => {
        if (failures-- > 0) throw new Error('connection reset');
        return load(id);
      },
    });
    const { row } = fake.add(fakeDefinition());
    await expect(runtime.get(row.id)).rejects.toThrow('connection reset');
    expect(errors.map(String)).toEqual(['Error: connection reset']);
    expect((await runtime.get(row.id))?.id).toBe(row.id);
  });
});
