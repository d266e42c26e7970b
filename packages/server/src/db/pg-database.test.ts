import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../test/helpers/tcp-proxy.js';
import { openTestDatabase } from '../../test/helpers/test-app.js';
import { isDatabaseUnavailable } from './availability.js';
import { PgDatabase } from './pg-database.js';

describe.runIf(process.env.TEST_DATABASE_URL)('PgDatabase timeouts and the circuit', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let proxy: TcpProxy;
  let db: PgDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    const url = new URL(database.url!);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    db = new PgDatabase(url.toString(), {
      connectTimeoutMs: 500,
      statementTimeoutMs: 300,
      trackerStatementTimeoutMs: 200,
    });
  });
  afterAll(async () => {
    await proxy.restore();
    await db?.close();
    await proxy?.close();
    await database?.close();
  });

  it('sets statement_timeout per pool at connect time', async () => {
    expect(await db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
    expect(await db.system.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
  });

  it('a slow statement is cancelled by the server: a typed 503 cause, the circuit stays closed', async () => {
    const error = await db.asSystem((q) => q.query('SELECT pg_sleep(1)')).catch((e) => e);
    expect(isDatabaseUnavailable(error) && error.reason).toBe('busy');
    expect(db.availability().state).toBe('closed');
    expect(await db.asSystem((q) => q.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('a silent server: the client gives up, the circuit opens, statements fail at once, then it closes again', async () => {
    await db.query('SELECT 1');
    proxy.stall();
    const started = performance.now();
    const first = await db.asSystem((q) => q.query('SELECT 1')).catch((e) => e);
    expect(isDatabaseUnavailable(first) && first.reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(db.availability()).toMatchObject({ state: 'open', reason: 'timeout' });
    const refusedAt = performance.now();
    const refused = await db.query('SELECT 1').catch((e) => e);
    expect(refused.reason).toBe('circuit_open');
    expect(performance.now() - refusedAt).toBeLessThan(50);
    await proxy.restore();
    await new Promise((r) => setTimeout(r, 1100));
    // The timed-out transaction's connection was destroyed, not handed out again.
    expect(await db.asSystem((q) => q.query('SELECT 2 AS two'))).toEqual([{ two: 2 }]);
    expect(db.availability().state).toBe('closed');
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('PgDatabase.system statements', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: PgDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    // One session, so the second statement sees what the first prepared.
    db = new PgDatabase(database.url!, { systemMax: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await database?.close();
  });

  it('prepares a named statement once per session and executes it with a generic plan', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await db.system.query('SELECT $1::int + 1 AS n', [i], 'samplit_test_add')).toEqual([
        { n: i + 1 },
      ]);
    }
    const prepared = await db.system.query<{ name: string; generic_plans: number; custom_plans: number }>(
      `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE name = 'samplit_test_add'`,
    );
    expect(prepared).toEqual([{ name: 'samplit_test_add', generic_plans: 3, custom_plans: 0 }]);
    // Unnamed statements are not kept.
    await db.system.query('SELECT 1');
    const all = await db.system.query('SELECT name FROM pg_prepared_statements');
    expect(all).toEqual([{ name: 'samplit_test_add' }]);
  });
});
