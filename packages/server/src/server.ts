import type { AddressInfo } from 'node:net';
import { type App, buildApp } from './app.js';
import type { Config } from './config.js';
import type { CircuitState } from './db/availability.js';
import type { Database } from './db/database.js';
import { type OpenedDatabase, openDatabase } from './db/open-database.js';
import { scheduleRetention } from './retention/retention-schedule.js';
import { buildEditorApp, type EditorApp } from './visual-editor/editor-app.js';

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
  /** The visual editor's app (the second origin). */
  editorApp: EditorApp;
  /** http://host:port the visual editor's app listens on. */
  editorUrl: string;
  /** The migrations this start applied (for the caller to report). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens the database, builds the app and the visual editor's app and listens on both ports:
 * what `samplit serve`, `samplit demo` and the benchmarks run. Circuit-breaker changes are
 * logged once the app's logger exists.
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
  let editorApp: EditorApp | undefined;
  let app: App | undefined;
  try {
    editorApp = await buildEditorApp({ config });
    const editor = editorApp;
    app = await buildApp({
      config,
      db,
      editorPort: () => (editor.server.address() as AddressInfo | null)?.port ?? config.editorPort,
    });
    const main = app;
    logCircuit = (state, reason) => main.log.warn({ circuit: state, reason }, `database circuit ${state}`);
    await app.listen({ port: config.port, host: config.host });
    try {
      await editorApp.listen({ port: config.editorPort, host: config.host });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(
          `the visual editor's port ${config.editorPort} is in use (SAMPLIT_EDITOR_PORT, default PORT+1)`,
          { cause: error },
        );
      }
      throw error;
    }
    const retention = scheduleRetention(db, config, app.log);
    const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
    const urlOf = (server: App | EditorApp) =>
      `http://${host}:${(server.server.address() as AddressInfo).port}`;
    return {
      app,
      db,
      url: urlOf(app),
      editorApp,
      editorUrl: urlOf(editorApp),
      applied,
      async close() {
        await Promise.all([main.close(), editor.close(), retention.stop()]);
        await db.close();
      },
    };
  } catch (error) {
    await Promise.all([app?.close(), editorApp?.close()]);
    await db.close();
    throw error;
  }
}
