import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/test-app.js';
import {
  type Answer,
  byStatus,
  call,
  healthPoller,
  launchExperiment,
  ledger,
  report,
  type ServerProcess,
  sleep,
  startServer,
  trackerLoad,
} from './fault-harness.js';

/** The API pool's size (the default) and four times as many concurrent readers. */
const POOL = 10;
const READERS = 4 * POOL;
const LOCK_MS = 7000;
/** DATABASE_CONNECT_TIMEOUT_MS's default: how long a request may wait for a pooled connection. */
const CONNECT_TIMEOUT_MS = 5000;
const SLACK_MS = 1000;

describe.runIf(process.env.TEST_DATABASE_URL)(
  'pool exhaustion: four times more slow requests than connections',
  () => {
    let database: Awaited<ReturnType<typeof openTestDatabase>>;
    let server: ServerProcess;

    beforeAll(async () => {
      database = await openTestDatabase();
      server = await startServer(database.url!);
    });

    afterAll(async () => {
      await server?.stop();
      await database?.close();
    });

    it('queued requests get 503 + Retry-After within the connect timeout, the circuit stays closed, all recover', async () => {
      const { experimentId, headers } = await launchExperiment(server.url);
      const read = () =>
        call('read', `${server.url}/api/v1/experiments/${experimentId}`, { method: 'GET', headers }).then(
          (r) => r.answer,
        );
      const tracker = trackerLoad(server.url, experimentId, 2);
      const health = healthPoller(server.url, 500);
      await sleep(1000);

      // Slow statements, for real: a transaction (a migration, a long report, a stuck session)
      // holds the locks every read and tracker write needs.
      const locker = new pg.Client({ connectionString: database.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query(
        'LOCK TABLE combination_counters, goal_counters, assignments, conversions IN ACCESS EXCLUSIVE MODE',
      );
      const lockedAt = performance.now();
      const burst = Promise.all(Array.from({ length: READERS }, read));
      await sleep(LOCK_MS);
      await locker.query('COMMIT');
      const releasedAt = performance.now();
      await locker.end();
      const during: Answer[] = await burst;

      const after = await Promise.all(Array.from({ length: READERS }, read));
      await sleep(1500);
      await Promise.all([tracker.stop(), health.stop()]);

      const refused = during.filter((a) => a.status === 503);
      const served = during.filter((a) => a.status === 200);
      const trackerDuring = tracker.answers.filter(
        (a) => a.startedAt >= lockedAt && a.startedAt < releasedAt,
      );
      const healthDuring = health.answers.filter(
        (a) => a.startedAt >= lockedAt + 100 && a.startedAt < releasedAt - 2000,
      );
      const figures = await ledger(database.url!, experimentId, tracker.answers);
      report('pool exhaustion', {
        readers: READERS,
        pool: POOL,
        reads_during: byStatus(during),
        refused_worst_ms: Math.round(Math.max(...refused.map((a) => a.ms))),
        served_worst_ms: Math.round(Math.max(...served.map((a) => a.ms))),
        reads_after: byStatus(after),
        tracker_during: byStatus(trackerDuring),
        tracker_worst_ms: Math.round(Math.max(...trackerDuring.map((a) => a.ms))),
        health_during: byStatus(healthDuring),
        ...figures,
      });

      // The pool's connections wait for the lock and answer once it goes; the rest give up at the
      // connect timeout with a 503 instead of queueing without bound.
      expect(during.every((a) => a.status === 200 || a.status === 503)).toBe(true);
      expect(served.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThanOrEqual(READERS - 2 * POOL);
      for (const a of refused) {
        expect(a.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
        expect(a.ms).toBeGreaterThan(CONNECT_TIMEOUT_MS - SLACK_MS);
        expect(a.code).toBe('SERVER_UNAVAILABLE_002');
        expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      }
      expect(Math.max(...served.map((a) => a.ms))).toBeLessThan(LOCK_MS + SLACK_MS);
      expect(after.every((a) => a.status === 200)).toBe(true);

      // The tracker's statements give up at their statement timeout (5 s): 503, not 500, not a hang.
      expect(tracker.answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
      expect(Math.max(...trackerDuring.map((a) => a.ms))).toBeLessThan(LOCK_MS + SLACK_MS);
      expect(tracker.answers.filter((a) => a.startedAt > releasedAt).every((a) => a.status === 200)).toBe(
        true,
      );
      expect(figures.lost).toBe(0);
      expect(figures.duplicated).toBe(0);

      // /health says the database is slow, within its bound; an overloaded server is no reason to
      // open the circuit (it answers, just late).
      expect(healthDuring.length).toBeGreaterThanOrEqual(2);
      for (const h of [...healthDuring, ...health.answers.slice(-1)]) {
        expect(h.ms).toBeLessThan(2000);
        expect((h.body as { database: { circuit: string } }).database.circuit).toBe('closed');
      }
      expect(healthDuring.every((h) => h.status === 503 && Number(h.retryAfter) >= 1)).toBe(true);
      expect(health.answers.at(-1)?.status).toBe(200);
    }, 90_000);
  },
);
