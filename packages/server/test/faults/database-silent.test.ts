import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { openTestDatabase } from '../helpers/test-app.js';
import {
  byStatus,
  healthPoller,
  launchExperiment,
  ledger,
  quantile,
  report,
  type ServerProcess,
  serverAddress,
  sleep,
  startServer,
  trackerLoad,
  withAddress,
} from './fault-harness.js';

const STALL_MS = 10_000;
/**
 * Worst wait of a request while the database is silent: the tracker's statement timeout
 * (default 5 s) plus the client's margin (0.5 s), plus slack for a shared CI machine.
 */
const WORST_MS = 6500;

// A real server process and a silent PostgreSQL: PostgreSQL only (PGlite is in-process).
describe.runIf(process.env.TEST_DATABASE_URL)('database silent for 10 s (a stalled TCP proxy)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await openTestDatabase();
    proxy = await TcpProxy.start(serverAddress(database.url!));
    server = await startServer(withAddress(database.url!, { host: '127.0.0.1', port: proxy.port }));
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.close();
  });

  it('answers 503 + Retry-After within bounds while silent, recovers on its own, loses nothing acknowledged', async () => {
    const { experimentId } = await launchExperiment(server.url);
    const load = trackerLoad(server.url, experimentId, 4);
    const health = healthPoller(server.url, 250);
    await sleep(2000);

    const stallAt = performance.now();
    proxy.stall();
    await sleep(STALL_MS);
    const restoreAt = performance.now();
    await proxy.restore();

    let recoveredAt = Number.NaN;
    for (let waited = 0; waited < 15_000 && Number.isNaN(recoveredAt); waited += 100) {
      const first = load.answers.find(
        (a) => a.kind === 'assign' && a.status === 200 && a.startedAt >= restoreAt,
      );
      if (first) recoveredAt = first.startedAt + first.ms;
      else await sleep(100);
    }
    await sleep(2000);
    await Promise.all([load.stop(), health.stop()]);

    const tracker = load.answers;
    const during = tracker.filter((a) => a.startedAt >= stallAt && a.startedAt < restoreAt);
    const unavailable = tracker.filter((a) => a.status === 503);
    // The circuit is open from the first 503 on; requests after it are refused without a wait,
    // except the few riding on the one probe statement a cool-down lets through.
    const firstRefusal = Math.min(...unavailable.map((a) => a.startedAt + a.ms));
    const afterOpen = during
      .filter((a) => a.startedAt > firstRefusal + 50 && a.status === 503)
      .map((a) => a.ms);
    // Answered while silent: a probe still waiting at the restore gets its answer then (a 200).
    const healthDuring = health.answers.filter(
      (a) => a.startedAt >= stallAt + 100 && a.startedAt + a.ms < restoreAt,
    );
    const healthAfter = health.answers.filter((a) => a.startedAt >= recoveredAt);
    const figures = await ledger(database.url!, experimentId, tracker);

    report('database silent 10 s', {
      ...figures,
      answers: byStatus(tracker),
      stalled_answers: byStatus(during),
      worst_stalled_ms: Math.round(Math.max(...during.map((a) => a.ms))),
      refused_p50_ms: quantile(afterOpen, 0.5),
      refused_p90_ms: quantile(afterOpen, 0.9),
      health_worst_ms: Math.round(Math.max(...healthDuring.map((a) => a.ms))),
      health_statuses: byStatus(healthDuring),
      seconds_to_recover: (recoveredAt - restoreAt) / 1000,
    });

    expect(tracker.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    expect(new Set(unavailable.map((a) => a.code))).toEqual(new Set(['SERVER_UNAVAILABLE_002']));
    expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(WORST_MS);
    expect(quantile(afterOpen, 0.5)).toBeLessThan(50);
    expect(quantile(afterOpen, 0.9)).toBeLessThan(100);

    expect(healthDuring.length).toBeGreaterThan(5);
    for (const h of healthDuring) {
      expect(h.ms).toBeLessThan(2000);
      expect(h.status).toBe(503);
      expect(Number(h.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(h.body).toMatchObject({
        status: 'degraded',
        database: { kind: 'postgres', status: expect.stringMatching(/^(timeout|unreachable)$/) },
      });
    }
    expect(
      healthDuring.some((h) => (h.body as { database: { circuit: string } }).database.circuit === 'open'),
    ).toBe(true);
    expect(recoveredAt - restoreAt).toBeLessThan(5000);
    expect(healthAfter.at(-1)).toMatchObject({
      status: 200,
      body: { database: { status: 'ok', circuit: 'closed' } },
    });

    expect(figures.acknowledgedAssignments).toBeGreaterThan(20);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
  }, 90_000);
});
