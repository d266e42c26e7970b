import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleRetention } from '../src/retention/retention-schedule.js';
import { createRetention } from '../src/retention/retention-service.js';
import { createRetentionStore } from '../src/retention/retention-store.js';
import { MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
let archiveDir: string;

beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
  archiveDir = await mkdtemp(join(tmpdir(), 'samplit-retention-'));
});
afterAll(async () => {
  await rm(archiveDir, { recursive: true, force: true });
});

const api = (method: 'GET' | 'POST', url: string) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers });

/** An experiment with visitors and events on three goals (repeats and values), completed `daysAgo`. */
async function completedExperiment(daysAgo: number, status: 'completed' | 'running' = 'completed') {
  const exp = await launch(ctx.app, headers, {
    ...MULTI_ELEMENT,
    goals: [{ key: 'purchase', kind: 'revenue' }, 'signup'],
  });
  const tracker = trackerFor(ctx.app, exp.id);
  for (let i = 0; i < 40; i++) await tracker.assign(`visitor-${i}`);
  for (let i = 0; i < 12; i++) await tracker.convert(`visitor-${i}`, { goal: 'purchase', value: 10 + i });
  for (let i = 0; i < 5; i++) await tracker.convert(`visitor-${i}`, { goal: 'purchase', value: 3 });
  for (let i = 20; i < 27; i++) await tracker.convert(`visitor-${i}`, { goal: 'signup' });
  await tracker.convert('stranger', { goal: 'signup' }); // never assigned: stored, counted nowhere
  if (status === 'completed') {
    expect((await api('POST', `/experiments/${exp.id}/complete`)).statusCode).toBe(200);
    await ctx.db.asSystem((q) =>
      q.query(`UPDATE experiments SET completed_at = now() - make_interval(days => $2) WHERE id = $1`, [
        exp.id,
        daysAgo,
      ]),
    );
  }
  return exp;
}

const rawRows = (id: string) =>
  ctx.db.asSystem(async (q) => {
    const [row] = await q.query<{ assignments: number; conversions: number }>(
      `SELECT (SELECT count(*) FROM assignments WHERE experiment_id = $1)::int AS assignments,
              (SELECT count(*) FROM conversions WHERE experiment_id = $1)::int AS conversions`,
      [id],
    );
    return row;
  });

/** Everything the reports show of an experiment: its statistics (but when) and every time series. */
async function reports(id: string) {
  const view = (await api('GET', `/experiments/${id}`)).json();
  const series: unknown[] = [];
  for (const goal of ['purchase', 'signup']) {
    for (const interval of ['minute', 'hour', 'day']) {
      const res = await api('GET', `/experiments/${id}/timeseries?goal=${goal}&interval=${interval}`);
      expect(res.statusCode, res.body).toBe(200);
      series.push(res.json());
    }
  }
  const { computed_at, ...stats } = view.stats;
  return { stats, series };
}

describe('retention', () => {
  it('removes the raw rows of an old completed experiment and keeps every statistic and time series', async () => {
    const old = await completedExperiment(100);
    const recent = await completedExperiment(5);
    const running = await completedExperiment(0, 'running');
    const before = await reports(old.id);
    const rows = await rawRows(old.id);
    expect(rows).toEqual({ assignments: 40, conversions: 25 });
    const exported = await api('GET', `/experiments/${old.id}/export.csv`);
    expect(exported.statusCode).toBe(200);

    const runReports = await createRetention(ctx.db).run({ days: 30, archiveDir, batchSize: 7 });
    const mine = runReports.find((r) => r.experiment_id === old.id);
    expect(mine).toMatchObject({ rows, archived: [expect.any(String), expect.any(String)] });
    expect(runReports.map((r) => r.experiment_id)).not.toContain(recent.id);
    expect(runReports.map((r) => r.experiment_id)).not.toContain(running.id);

    expect(await rawRows(old.id)).toEqual({ assignments: 0, conversions: 0 });
    expect(await rawRows(recent.id)).toEqual(rows);
    expect(await rawRows(running.id)).toEqual(rows);
    expect(await reports(old.id)).toEqual(before);

    const view = (await api('GET', `/experiments/${old.id}`)).json();
    expect(view.raw_data_removed_at).toEqual(expect.any(String));
    const gone = await api('GET', `/experiments/${old.id}/export.csv`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error.code).toBe('STATS_EXPORT_001');

    // The archive holds every raw row, in the tables' columns.
    const files = (await readdir(join(archiveDir, old.id))).sort();
    expect(files).toEqual([
      expect.stringMatching(/^assignments-.*\.csv\.gz$/),
      expect.stringMatching(/^conversions-.*\.csv\.gz$/),
    ]);
    const table = async (file: string) =>
      parse(gunzipSync(await readFile(join(archiveDir, old.id, file))), { columns: true }) as Record<
        string,
        string
      >[];
    const assignments = await table(files[0]);
    expect(assignments).toHaveLength(40);
    expect(new Set(assignments.map((a) => a.browser_id)).size).toBe(40);
    expect(Object.keys(assignments[0])).toEqual([
      'browser_id',
      'combination_id',
      'probability',
      'epoch',
      'assigned_at',
    ]);
    const events = await table(files[1]);
    expect(events).toHaveLength(25);
    expect(events.filter((e) => e.counted === 'true' || e.counted === '1')).toHaveLength(19);
    expect(events.filter((e) => e.goal === 'purchase').reduce((s, e) => s + Number(e.value), 0)).toBe(
      [...Array(12).keys()].reduce((s, i) => s + 10 + i, 0) + 5 * 3,
    );
    // A second run finds nothing left to do.
    expect((await createRetention(ctx.db).run({ days: 30 })).map((r) => r.experiment_id)).not.toContain(
      old.id,
    );
  });

  it('answers a late event of a frozen experiment without storing it or counting it', async () => {
    const exp = await completedExperiment(100);
    const before = await reports(exp.id);
    await createRetention(ctx.db).run({ days: 30 });
    const tracker = trackerFor(ctx.app, exp.id);
    expect(await tracker.convert('visitor-30', { goal: 'signup' })).toEqual({ counted: false });
    expect(await tracker.convert('visitor-0', { goal: 'purchase', value: 99 })).toEqual({ counted: false });
    expect(await rawRows(exp.id)).toEqual({ assignments: 0, conversions: 0 });
    expect(await reports(exp.id)).toEqual(before);
  });

  it('lists without removing on a dry run, and skips an experiment another run holds', async () => {
    const exp = await completedExperiment(100);
    const rows = await rawRows(exp.id);
    const dry = await createRetention(ctx.db).run({ days: 30, dryRun: true });
    expect(dry.find((r) => r.experiment_id === exp.id)).toMatchObject({ rows, archived: [] });
    expect(await rawRows(exp.id)).toEqual(rows);

    await ctx.db.asSystem((q) =>
      q.query(`UPDATE experiments SET retention_lease_until = now() + interval '5 minutes' WHERE id = $1`, [
        exp.id,
      ]),
    );
    const held = await createRetention(ctx.db).run({ days: 30 });
    expect(held.find((r) => r.experiment_id === exp.id)).toMatchObject({ skipped: 'leased' });
    expect(await rawRows(exp.id)).toEqual(rows);
    // An expired lease (its run stopped) is taken over.
    await ctx.db.asSystem((q) =>
      q.query(`UPDATE experiments SET retention_lease_until = now() - interval '1 second' WHERE id = $1`, [
        exp.id,
      ]),
    );
    await createRetention(ctx.db).run({ days: 30 });
    expect(await rawRows(exp.id)).toEqual({ assignments: 0, conversions: 0 });
  });

  it('finishes a run that stopped part-way without counting anything twice', async () => {
    const exp = await completedExperiment(100);
    const before = await reports(exp.id);
    // A run that froze, rolled up and deleted one batch of each table, then stopped.
    const store = createRetentionStore(ctx.db);
    await store.freeze(exp.id);
    await store.rollUp(exp.id);
    expect(await store.deleteBatch(exp.id, 'assignments', 15)).toBe(15);
    expect(await store.deleteBatch(exp.id, 'conversions', 10)).toBe(10);
    expect(await reports(exp.id)).toEqual(before);
    await store.rollUp(exp.id); // repeated by the next run: changes nothing
    // The stopped run's lease (renewed by each batch it deleted) runs out; the next run takes over.
    await ctx.db.asSystem((q) =>
      q.query(`UPDATE experiments SET retention_lease_until = now() - interval '1 second' WHERE id = $1`, [
        exp.id,
      ]),
    );
    const resumed = await createRetention(ctx.db).run({ days: 30 });
    expect(resumed.find((r) => r.experiment_id === exp.id)).toMatchObject({
      rows: { assignments: 25, conversions: 15 },
    });
    expect(await rawRows(exp.id)).toEqual({ assignments: 0, conversions: 0 });
    expect(await reports(exp.id)).toEqual(before);
  });

  it('runs at once in the schedule the server starts when SAMPLIT_RETENTION_DAYS is set', async () => {
    const exp = await completedExperiment(100);
    const schedule = scheduleRetention(
      ctx.db,
      { retentionDays: 30, retentionArchiveDir: undefined },
      ctx.app.log,
    );
    await schedule.idle(); // the run it started at once
    await schedule.stop();
    expect(await rawRows(exp.id)).toEqual({ assignments: 0, conversions: 0 });
    const off = scheduleRetention(ctx.db, { retentionDays: 0, retentionArchiveDir: undefined }, ctx.app.log);
    await off.stop();
  });
});
