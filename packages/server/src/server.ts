import type { AddressInfo } from 'node:net';
import { type App, buildApp } from './app.js';
import type { Config } from './config.js';
import type { CircuitState } from './db/availability.js';
import type { Database } from './db/database.js';
import { type OpenedDatabase, openDatabase } from './db/open-database.js';

/** Where the configured database is, in words (start-up messages). */
export function describeDatabase(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`;
}

/** The database `config` names, with its timeouts; migrated unless `migrate` is false. */
export function openConfiguredDatabase(
  config: Config,
  options: { migrate?: boolean; onCircuitChange?: (state: CircuitState, reason?: string) => void } = {},
): Promise<OpenedDatabase> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    migrate: options.migrate,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    trackerStatementTimeoutMs: config.trackerStatementTimeoutMs,
    onCircuitChange: options.onCircuitChange,
  });
}

export interface RunningServer {
  app: App;
  db: Database;
  /** http://host:port it listens on (port 0 in the config: the one the OS chose). */
  url: string;
  /** The migrations this start applied (for the caller to report). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens the database, builds the app and listens: what `samplit serve`, `samplit demo` and the
 * benchmarks run. Circuit-breaker changes are logged once the app's logger exists.
 */
export async function startServer(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<RunningServer> {
  let logCircuit = (_state: CircuitState, _reason?: string) => {};
  const { db, applied } = await openConfiguredDatabase(config, {
    migrate: options.migrate,
    onCircuitChange: (state, reason) => logCircuit(state, reason),
  });
  try {
    const app = await buildApp({ config, db });
    logCircuit = (state, reason) => app.log.warn({ circuit: state, reason }, `database circuit ${state}`);
    await app.listen({ port: config.port, host: config.host });
    const { port } = app.server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
    return {
      app,
      db,
      url: `http://${host}:${port}`,
      applied,
      async close() {
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
