import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { normalizeGoals } from '../experiments/goals.js';
import { createExperimentRuntime } from './experiment-runtime.js';
import { createFakeTrackerStore, fakeDefinition } from './fake-tracker-store.js';
import { createTrackerService } from './tracker-service.js';
import { trafficBucket } from './traffic-bucket.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

/** One process: its runtime and service over `fake` (the shared database). */
function processOver(fake: ReturnType<typeof createFakeTrackerStore>) {
  const runtime = createExperimentRuntime(fake.loadDefinition, fake.store, {
    refreshMs: 60_000,
    historyIntervalSeconds: 60,
  });
  const tracker = createTrackerService(runtime, fake.store, {
    groupCommit: { maxBatch: 100, maxInFlight: 1 },
    assignmentCacheSize: 1000,
  });
  return { runtime, tracker };
}

function setup(row: Parameters<typeof fakeDefinition>[0] = {}) {
  const fake = createFakeTrackerStore();
  const definition = fake.add(fakeDefinition(row));
  const [control, treatment] = definition.structure.combinations;
  const variantOf = (combinationId: string) =>
    definition.structure.combinations.find((c) => c.id === combinationId)!.variant_ids[0];
  return { fake, id: definition.row.id, control, treatment, variantOf, ...processOver(fake) };
}

const variantIds = (answer: { variants: { variant_id: string }[] }) =>
  answer.variants.map((v) => v.variant_id);

async function expectNotFound(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'TRACKER_EXPERIMENT_001', statusCode: 404 });
}

describe('tracker service: the lifecycle', () => {
  it('shows a draft’s control without enrolling anyone', async () => {
    const { fake, id, control, variantOf, tracker } = setup({ status: 'draft' });
    const answer = await tracker.assign({ experiment_id: id, browser_id: 'v1' });
    expect(answer).toMatchObject({ eligible: false, reason: 'not_running' });
    expect(variantIds(answer)).toEqual([variantOf(control.id)]);
    expect(fake.calls.assign).toBe(0);
    expect(fake.assignments.size).toBe(0);
  });

  it('enrols a running experiment’s visitors once, and answers a returning one from memory', async () => {
    const { fake, id, variantOf, tracker } = setup();
    const first = await tracker.assign({ experiment_id: id, browser_id: 'v1' });
    expect(first).toMatchObject({ eligible: true, new_assignment: true });
    if (!first.eligible) throw new Error('unreachable');
    expect(variantIds(first)).toEqual([variantOf(first.combination_id)]);
    expect(fake.assignments.get(`${id}\nv1`)).toBe(first.combination_id);
    expect(fake.counts(first.combination_id).visitors).toBe(1);

    const calls = { ...fake.calls };
    for (let i = 0; i < 3; i++) {
      expect(await tracker.assign({ experiment_id: id, browser_id: 'v1' })).toMatchObject({
        eligible: true,
        combination_id: first.combination_id,
        new_assignment: false,
      });
    }
    expect(fake.calls).toEqual(calls); // no store call at all
    expect(fake.counts(first.combination_id).visitors).toBe(1);
  });

  it('keeps the first stored assignment when another process meets the same visitor', async () => {
    const { fake, id, tracker } = setup();
    const first = await tracker.assign({ experiment_id: id, browser_id: 'v1' });
    const elsewhere = processOver(fake).tracker;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => elsewhere.assign({ experiment_id: id, browser_id: 'v1' })),
    );
    for (const answer of answers) {
      expect(answer).toMatchObject({ eligible: true, new_assignment: false });
      if (answer.eligible && first.eligible) expect(answer.combination_id).toBe(first.combination_id);
    }
    expect(fake.assignments.size).toBe(1);
  });

  it('lets a paused experiment’s returning visitors keep theirs and shows new ones the control', async () => {
    const { fake, id, control, variantOf, tracker, runtime } = setup();
    const assigned = await tracker.assign({ experiment_id: id, browser_id: 'returning' });
    if (!assigned.eligible) throw new Error('expected an enrolment');
    fake.update(id, { status: 'paused' });
    await runtime.refresh();
    // This process remembers the visitor; a fresh one finds the stored assignment.
    for (const process of [tracker, processOver(fake).tracker]) {
      expect(await process.assign({ experiment_id: id, browser_id: 'returning' })).toMatchObject({
        eligible: true,
        combination_id: assigned.combination_id,
        new_assignment: false,
      });
      const newcomer = await process.assign({ experiment_id: id, browser_id: 'newcomer' });
      expect(newcomer).toMatchObject({ eligible: false, reason: 'not_running' });
      expect(variantIds(newcomer)).toEqual([variantOf(control.id)]);
    }
    expect(fake.assignments.has(`${id}\nnewcomer`)).toBe(false);
  });

  it('shows everyone a completed experiment’s final choice: the winner, else the control', async () => {
    const { fake, id, control, treatment, variantOf, tracker, runtime } = setup();
    const assigned = await tracker.assign({ experiment_id: id, browser_id: 'returning' });
    fake.update(id, { status: 'completed', winner_combination_id: treatment.id });
    await runtime.refresh();
    for (const browser_id of ['returning', 'newcomer']) {
      const answer = await tracker.assign({ experiment_id: id, browser_id });
      expect(answer).toMatchObject({ eligible: false, reason: 'not_running' });
      expect(variantIds(answer)).toEqual([variantOf(treatment.id)]);
    }
    expect(assigned.eligible).toBe(true);

    fake.update(id, { winner_combination_id: null });
    await runtime.refresh();
    const noWinner = await tracker.assign({ experiment_id: id, browser_id: 'returning' });
    expect(variantIds(noWinner)).toEqual([variantOf(control.id)]);
  });

  it('shows everyone an archived experiment’s control, returning visitors included', async () => {
    const { fake, id, control, variantOf, tracker, runtime } = setup();
    await tracker.assign({ experiment_id: id, browser_id: 'returning' });
    fake.update(id, { archived_at: new Date() });
    await runtime.refresh();
    for (const browser_id of ['returning', 'newcomer']) {
      const answer = await tracker.assign({ experiment_id: id, browser_id });
      expect(answer).toMatchObject({ eligible: false, reason: 'not_running' });
      expect(variantIds(answer)).toEqual([variantOf(control.id)]);
    }
    expect(fake.assignments.size).toBe(1);
  });

  it('answers 404 for an experiment that does not exist', async () => {
    const { tracker } = setup();
    await expectNotFound(tracker.assign({ experiment_id: MISSING, browser_id: 'v1' }));
    await expectNotFound(tracker.convert({ experiment_id: MISSING, browser_id: 'v1' }));
  });
});

describe('tracker service: exclusions', () => {
  it('shows visitors outside the targeting rule the control, unenrolled', async () => {
    const { fake, id, control, variantOf, tracker } = setup({ targeting: { language: { $in: ['de'] } } });
    const outside = await tracker.assign({
      experiment_id: id,
      browser_id: 'v1',
      context: { language: 'en' },
    });
    expect(outside).toMatchObject({ eligible: false, reason: 'targeting' });
    expect(variantIds(outside)).toEqual([variantOf(control.id)]);
    const noContext = await tracker.assign({ experiment_id: id, browser_id: 'v2' });
    expect(noContext).toMatchObject({ eligible: false, reason: 'targeting' });
    expect(fake.assignments.size).toBe(0);
    const inside = await tracker.assign({ experiment_id: id, browser_id: 'v3', context: { language: 'de' } });
    expect(inside).toMatchObject({ eligible: true, new_assignment: true });
  });

  it('enrols exactly the visitors whose bucket is under traffic_percentage, more as it rises', async () => {
    const { fake, id, control, variantOf, tracker, runtime } = setup({ traffic_percentage: 20 });
    const visitors = Array.from({ length: 200 }, (_, i) => `visitor-${i}`);
    const enrolledAt = async () => {
      const answers = await Promise.all(
        visitors.map((browser_id) => tracker.assign({ experiment_id: id, browser_id })),
      );
      for (const a of answers) {
        if (!a.eligible) {
          expect(a.reason).toBe('traffic');
          expect(variantIds(a)).toEqual([variantOf(control.id)]);
        }
      }
      return new Map(answers.flatMap((a) => (a.eligible ? [[a.browser_id, a.combination_id] as const] : [])));
    };
    const at20 = await enrolledAt();
    expect([...at20.keys()]).toEqual(visitors.filter((v) => trafficBucket(id, v) < 20));
    expect(at20.size).toBeGreaterThan(20);
    expect(fake.assignments.size).toBe(at20.size);

    fake.update(id, { traffic_percentage: 60 });
    await runtime.refresh();
    const at60 = await enrolledAt();
    expect([...at60.keys()]).toEqual(visitors.filter((v) => trafficBucket(id, v) < 60));
    for (const [visitor, combination] of at20) expect(at60.get(visitor)).toBe(combination);
  });
});

describe('tracker service: an experiment changed under a stale cache', () => {
  it('answers 404 on assign when the store finds the experiment gone', async () => {
    const { fake, id, tracker } = setup();
    await tracker.assign({ experiment_id: id, browser_id: 'returning' }); // cached as running
    fake.remove(id);
    await expectNotFound(tracker.assign({ experiment_id: id, browser_id: 'newcomer' }));
    expect(fake.calls.assign).toBe(2); // the store answered null; the reload then found nothing
  });

  it('answers 404 on convert when the store finds the experiment gone, and forgets it', async () => {
    const { fake, id, tracker, runtime } = setup();
    await tracker.assign({ experiment_id: id, browser_id: 'v1' });
    fake.remove(id);
    const loads = fake.calls.load;
    await expectNotFound(tracker.convert({ experiment_id: id, browser_id: 'v1' }));
    expect(fake.calls.convert).toBe(1); // answered from the cached definition, then 'gone'
    expect(await runtime.get(id)).toBeUndefined();
    expect(fake.calls.load).toBe(loads + 1);
  });

  it('shows the control to a new visitor when another process paused the experiment', async () => {
    const { fake, id, control, variantOf, tracker } = setup();
    await tracker.assign({ experiment_id: id, browser_id: 'v1' }); // loads it as running
    fake.update(id, { status: 'paused' });
    const answer = await tracker.assign({ experiment_id: id, browser_id: 'v2' });
    expect(answer).toMatchObject({ eligible: false, reason: 'not_running' });
    expect(variantIds(answer)).toEqual([variantOf(control.id)]);
    expect(fake.assignments.has(`${id}\nv2`)).toBe(false);
  });
});

describe('tracker service: conversions', () => {
  it('counts an assigned visitor’s conversion once per goal, every goal in its counters', async () => {
    const { fake, id, tracker } = setup({ goals: normalizeGoals(['purchase', 'signup']).goals });
    const assigned = await tracker.assign({ experiment_id: id, browser_id: 'v1' });
    if (!assigned.eligible) throw new Error('expected an enrolment');
    const convert = (goal: string) =>
      tracker.convert({ experiment_id: id, browser_id: 'v1', goal, value: 5 });
    expect(await convert('purchase')).toEqual({ counted: true });
    expect(await convert('purchase')).toEqual({ counted: false });
    expect(await convert('signup')).toEqual({ counted: true });
    expect(fake.conversions.map((c) => [c.goal, c.counted])).toEqual([
      ['purchase', true],
      ['purchase', false],
      ['signup', true],
    ]);
    expect(fake.counts(assigned.combination_id, 'purchase').conversions).toBe(1);
    expect(fake.counts(assigned.combination_id, 'signup').conversions).toBe(1);
  });

  it('stores an unassigned visitor’s conversion without counting it', async () => {
    const { fake, id, tracker } = setup();
    expect(await tracker.convert({ experiment_id: id, browser_id: 'stranger' })).toEqual({ counted: false });
    expect(fake.conversions).toEqual([
      {
        experiment_id: id,
        browser_id: 'stranger',
        goal: 'conversion',
        value: null,
        combination_id: null,
        counted: false,
      },
    ]);
  });
});
