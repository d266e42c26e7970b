import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createRetention } from './retention-service.js';

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * SAMPLIT_RETENTION_DAYS in a running server: retention once at start, then hourly, one run at a
 * time per process (servers sharing a database take turns per experiment, retention-store.ts).
 * `stop` ends the run in progress between two statements and waits for it.
 */
export function scheduleRetention(
  db: Database,
  config: Pick<Config, 'retentionDays' | 'retentionArchiveDir'>,
  log: FastifyBaseLogger,
) {
  if (config.retentionDays <= 0) return { idle: async () => {}, stop: async () => {} };
  const retention = createRetention(db);
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = retention
      .run({ days: config.retentionDays, archiveDir: config.retentionArchiveDir, signal: abort.signal })
      .then((reports) => {
        const done = reports.filter((r) => !r.skipped);
        if (done.length > 0) {
          log.info(
            { experiments: done.map((r) => ({ id: r.experiment_id, ...r.rows, archived: r.archived })) },
            `retention removed the raw rows of ${done.length} experiment(s) completed over ${config.retentionDays} days ago`,
          );
        }
      })
      .catch((error) => log.error({ err: error }, 'retention run failed; the next one retries'))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, RETENTION_INTERVAL_MS);
  timer.unref();
  return {
    /** Resolves when the run in progress (if any) has ended. */
    idle: async () => {
      await running;
    },
    async stop() {
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}
