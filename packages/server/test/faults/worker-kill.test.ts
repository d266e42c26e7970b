import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/test-app.js';
import {
  byStatus,
  childPids,
  launchExperiment,
  ledger,
  report,
  type ServerProcess,
  sleep,
  startServer,
  trackerLoad,
} from './fault-harness.js';

const CLIENTS = 4;

/**
 * The processes that wrote this experiment's counters: a tracker batch writes the counter shard
 * (pid % 100000) × in-flight slots + slot (two slots by default).
 */
async function writerPids(url: string, experimentId: string): Promise<{ pid: number; visitors: number }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; visitors: number }>(
      `SELECT shard / 2 AS pid, sum(visitors)::int AS visitors FROM combination_counters
       WHERE experiment_id = $1 GROUP BY 1 ORDER BY 1`,
      [experimentId],
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function waitFor<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) {
    const value = probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(process.env.TEST_DATABASE_URL)('kill -9 of one of two workers under load', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let server: ServerProcess;
  let primary: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await startServer(database.url!, { workers: 2 });
    primary = server.child.pid!;
    await waitFor('two workers', 30_000, () => (childPids(primary).length === 2 ? true : undefined));
    // Both workers answer before the load starts (the first /health may have come from one).
    await sleep(3000);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  it('only in-flight requests fail, the primary forks a new worker, acknowledged writes are stored once', async () => {
    const { experimentId } = await launchExperiment(server.url);
    const load = trackerLoad(server.url, experimentId, CLIENTS, { freshConnections: true });
    await sleep(2000);
    const [victim] = childPids(primary);
    const killedAt = performance.now();
    process.kill(victim, 'SIGKILL');
    const replacement = await waitFor('a new worker', 30_000, () => {
      const pids = childPids(primary);
      return pids.length === 2 && !pids.includes(victim) ? pids.find((p) => p !== victim) : undefined;
    });
    const reforkedAt = performance.now();
    await sleep(3000);
    await load.stop();

    const answers = load.answers;
    const failed = answers.filter((a) => a.status !== 200);
    const figures = await ledger(database.url!, experimentId, answers);
    const writers = await writerPids(database.url!, experimentId);
    report('kill -9 of one of two workers', {
      ...figures,
      answers: byStatus(answers),
      visitors_by_worker: writers.map((w) => `${w.pid}:${w.visitors}`).join('/'),
      seconds_to_refork: (reforkedAt - killedAt) / 1000,
      failed_after_kill_s: failed.length
        ? (Math.max(...failed.map((a) => a.startedAt)) - killedAt) / 1000
        : 0,
    });

    // The victim was serving when it died, and its replacement serves.
    expect(writers.map((w) => w.pid)).toEqual(
      expect.arrayContaining([victim % 100_000, replacement % 100_000]),
    );
    expect(server.stderr()).toContain(`worker ${victim} exited with SIGKILL; starting another`);
    // A failure is a connection reset of a request the dead worker held (at most one in flight
    // per client), or of a connection the primary handed it before it noticed the death.
    expect(failed.every((a) => a.status === 0)).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(2 * CLIENTS);
    expect(failed.every((a) => a.startedAt < killedAt + 1000)).toBe(true);
    expect(answers.filter((a) => a.startedAt > reforkedAt).every((a) => a.status === 200)).toBe(true);
    expect(figures.acknowledgedAssignments).toBeGreaterThan(20);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
  }, 90_000);
});
