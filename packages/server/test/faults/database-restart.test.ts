import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canCreateCluster, createPgCluster } from '../helpers/pg-cluster.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { openTestDatabase } from '../helpers/test-app.js';
import {
  byStatus,
  launchExperiment,
  ledger,
  report,
  type ServerProcess,
  serverAddress,
  sleep,
  startServer,
  trackerLoad,
  withAddress,
} from './fault-harness.js';

/** The longest a request may wait during the restart: a connect timeout (5 s) plus slack. */
const WORST_MS = 6500;

/**
 * A PostgreSQL of its own (helpers/pg-cluster.ts), so it can be restarted without touching the
 * shared server. Where clusters cannot be created (no postgresql-common, not root), a restart is
 * simulated by a proxy that drops every connection and refuses new ones for 3 s.
 */
async function ownServer(): Promise<{
  url: string;
  restart(): Promise<void>;
  close(): Promise<void>;
  mode: string;
}> {
  if (!canCreateCluster) {
    // The figures line says which kind of restart was tested.
    const database = await openTestDatabase();
    const proxy = await TcpProxy.start(serverAddress(database.url!));
    return {
      mode: 'simulated (proxy drop + refuse 3 s)',
      url: withAddress(database.url!, { host: '127.0.0.1', port: proxy.port }),
      async restart() {
        await proxy.drop();
        await sleep(3000);
        await proxy.restore();
      },
      async close() {
        await proxy.close();
        await database.close();
      },
    };
  }
  const cluster = await createPgCluster('samplit_faults');
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  await client.query('CREATE DATABASE samplit');
  await client.end();
  return {
    mode: 'pg_ctlcluster restart',
    url: withAddress(cluster.url, { database: 'samplit' }),
    restart: () => cluster.ctl('restart'),
    async close() {
      cluster.destroy();
    },
  };
}

describe.runIf(process.env.TEST_DATABASE_URL)('database restart under load', () => {
  let database: Awaited<ReturnType<typeof ownServer>>;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await ownServer();
    // A fresh cluster has no samplit roles yet: the server's migrations create them.
    server = await startServer(database.url);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  }, 60_000);

  it('503s with Retry-After while it restarts, resumes on its own, loses nothing acknowledged', async () => {
    const { experimentId } = await launchExperiment(server.url);
    const load = trackerLoad(server.url, experimentId, 4);
    await sleep(2000);
    const restartAt = performance.now();
    await database.restart();
    const upAt = performance.now();

    let recoveredAt = Number.NaN;
    for (let waited = 0; waited < 15_000 && Number.isNaN(recoveredAt); waited += 100) {
      const first = load.answers.find((a) => a.kind === 'assign' && a.status === 200 && a.startedAt >= upAt);
      if (first) recoveredAt = first.startedAt + first.ms;
      else await sleep(100);
    }
    await sleep(2000);
    await load.stop();

    const answers = load.answers;
    const during = answers.filter((a) => a.startedAt >= restartAt && a.startedAt < upAt);
    const unavailable = answers.filter((a) => a.status === 503);
    const figures = await ledger(database.url, experimentId, answers);
    report('database restart', {
      mode: database.mode,
      ...figures,
      answers: byStatus(answers),
      during_restart: byStatus(during),
      restart_seconds: (upAt - restartAt) / 1000,
      worst_ms: Math.round(Math.max(...answers.map((a) => a.ms))),
      seconds_to_recover: (recoveredAt - upAt) / 1000,
    });

    expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((a) => Number(a.retryAfter) >= 1 && a.code === 'SERVER_UNAVAILABLE_002')).toBe(
      true,
    );
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(WORST_MS);
    expect(recoveredAt - upAt).toBeLessThan(5000);
    expect(figures.acknowledgedAssignments).toBeGreaterThan(20);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  }, 90_000);
});
