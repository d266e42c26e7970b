import type { Database } from '../db/database.js';
import { archiveRawTable } from './raw-archive.js';
import { createRetentionStore, RAW_TABLES, type RawTable } from './retention-store.js';

export interface RetentionOptions {
  /** Completed experiments completed more than this many days ago. */
  days: number;
  /** Writes each experiment's raw rows here (gzipped CSV) before removing them. */
  archiveDir?: string;
  /** Reports what would be removed, removes nothing. */
  dryRun?: boolean;
  /** Rows deleted per statement (each its own transaction). */
  batchSize?: number;
  onProgress?: (progress: RetentionProgress) => void;
  /** Stops the run between two statements (the experiment in progress is finished by a later run). */
  signal?: AbortSignal;
}

export interface RetentionProgress {
  experiment_id: string;
  step: 'archive' | 'delete';
  table: RawTable;
  done: number;
  total: number;
}

export interface RetentionReport {
  experiment_id: string;
  name: string;
  completed_at: Date;
  /** Raw rows found (and, unless a dry run, removed). */
  rows: Record<RawTable, number>;
  /** Archive files written. */
  archived: string[];
  /** `leased`: another run (another server) is removing this experiment's rows right now. */
  skipped?: 'leased';
}

const TABLES = Object.keys(RAW_TABLES) as RawTable[];

/**
 * Retention (docs/scaling.md#retention): for each completed experiment completed more than
 * `days` ago, freeze its raw rows (the tracker stores no more), roll them up per minute for the
 * time series, archive them if asked, then delete them in batches. The counters every statistic
 * and the decision read are kept as they are. Safe to run from several servers at once (a lease
 * per experiment) and to re-run after a stop part-way (each step is idempotent).
 */
export function createRetention(db: Database) {
  const store = createRetentionStore(db);
  return {
    async run(options: RetentionOptions): Promise<RetentionReport[]> {
      const batch = options.batchSize ?? 5000;
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const reports: RetentionReport[] = [];
      for (const candidate of await store.candidates(options.days)) {
        if (options.signal?.aborted) break;
        const entry = async (): Promise<RetentionReport> => ({
          experiment_id: candidate.id,
          name: candidate.name,
          completed_at: candidate.completed_at,
          rows: await store.rawCounts(candidate.id),
          archived: [],
        });
        if (options.dryRun) {
          reports.push(await entry());
          continue;
        }
        if (!(await store.lease(candidate.id))) {
          reports.push({ ...(await entry()), skipped: 'leased' });
          continue;
        }
        try {
          await store.freeze(candidate.id);
          await store.rollUp(candidate.id);
          // Counted after the freeze: nothing is added to them from here on.
          const report = await entry();
          reports.push(report);
          const progress = (step: RetentionProgress['step'], table: RawTable) => {
            let done = 0;
            return (n: number) => {
              done += n;
              options.onProgress?.({
                experiment_id: candidate.id,
                step,
                table,
                done,
                total: report.rows[table],
              });
            };
          };
          if (options.archiveDir) {
            for (const table of TABLES) {
              report.archived.push(
                await archiveRawTable(
                  store,
                  candidate.id,
                  table,
                  options.archiveDir,
                  stamp,
                  progress('archive', table),
                ),
              );
            }
          }
          for (const table of TABLES) {
            const deleted = progress('delete', table);
            for (let n = batch; n === batch && !options.signal?.aborted; ) {
              n = await store.deleteBatch(candidate.id, table, batch);
              deleted(n);
            }
          }
        } finally {
          await store.release(candidate.id);
        }
      }
      return reports;
    },
  };
}
