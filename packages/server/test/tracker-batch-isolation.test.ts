import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentRuntime } from '../src/tracker/experiment-runtime.js';
import { createTrackerService, type TrackerService } from '../src/tracker/tracker-service.js';
import { createTrackerStore } from '../src/tracker/tracker-store.js';
import { AB_TEST, createTestApp, signUp, type TestContext } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

// The HTTP edge refuses values PostgreSQL cannot store; this drives the tracker service directly,
// on a real database, to prove the second line of defence: if a row still fails its statement,
// only its own caller sees the error and everyone batched with it is committed and answered.
describe('one refused row in a group-commit batch', () => {
  let ctx: TestContext;
  let tracker: TrackerService;
  let experimentId: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ctx = await createTestApp();
    const user = await signUp(ctx.app);
    experimentId = (await launch(ctx.app, user.headers, AB_TEST)).id;
    const store = createTrackerStore(ctx.db.system);
    const runtime = createExperimentRuntime(ctx.db, store, { refreshMs: 60_000, historyIntervalSeconds: 60 });
    tracker = createTrackerService(runtime, store, {
      groupCommit: { maxBatch: 500, maxInFlight: ctx.db.kind === 'postgres' ? 2 : 1 },
      assignmentCacheSize: 1000,
    });
    stop = () => runtime.stop();
    await tracker.assign({ experiment_id: experimentId, browser_id: 'warm-up' }); // loads the runtime
  });
  afterAll(async () => {
    await stop();
    await ctx.close();
  });

  const count = async (sql: string) =>
    (await ctx.db.asSystem((q) => q.query<{ n: number }>(sql, [experimentId])))[0].n;

  it('assign: the others are enrolled and stored, the bad one alone fails', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'bad\u0000visitor' : `visitor-${i}`));
    const settled = await Promise.allSettled(
      ids.map((browser_id) => tracker.assign({ experiment_id: experimentId, browser_id })),
    );
    const rejected = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []));
    expect(rejected).toEqual([17]);
    expect(await count('SELECT count(*)::int AS n FROM assignments WHERE experiment_id = $1')).toBe(40); // 39 + warm-up
    expect(
      await count('SELECT sum(visitors)::int AS n FROM combination_counters WHERE experiment_id = $1'),
    ).toBe(40);
  });

  it('convert: the others are stored and counted, the bad one alone fails', async () => {
    const goals = Array.from({ length: 30 }, (_, i) => (i === 3 ? 'bad\u0000goal' : 'conversion'));
    const settled = await Promise.allSettled(
      goals.map((goal, i) =>
        tracker.convert({ experiment_id: experimentId, browser_id: `visitor-${i}`, goal }),
      ),
    );
    const rejected = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []));
    expect(rejected).toEqual([3]);
    // visitor-17 was never assigned (its assign was the refused one): stored, not counted.
    expect(settled.filter((s) => s.status === 'fulfilled' && s.value.counted)).toHaveLength(28);
    expect(await count('SELECT count(*)::int AS n FROM conversions WHERE experiment_id = $1')).toBe(29);
  });
});
