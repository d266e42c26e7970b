import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open-database.js';
import { createRetention, type RetentionReport } from '../retention/retention-service.js';
import { positiveInteger } from './cli-arguments.js';

function formatReports(reports: RetentionReport[], dryRun: boolean): string {
  if (reports.length === 0) return 'no completed experiment old enough has raw rows left';
  const lines = reports.map((r) => {
    const what = `${r.rows.assignments.toLocaleString('en')} assignments, ${r.rows.conversions.toLocaleString('en')} events`;
    const state = r.skipped
      ? 'skipped: another run is removing them'
      : dryRun
        ? `would remove ${what}`
        : `removed ${what}${r.archived.length > 0 ? `; archived to ${r.archived.join(', ')}` : ''}`;
    return `  ${r.experiment_id}  ${r.name} (completed ${r.completed_at.toISOString().slice(0, 10)}): ${state}`;
  });
  return [`${reports.length} experiment(s):`, ...lines].join('\n');
}

/**
 * `samplit retention`: removes the raw assignments and conversion events of experiments completed
 * more than N days ago (SAMPLIT_RETENTION_DAYS, or --days), keeping the aggregates the statistics
 * and time series read (docs/scaling.md#retention).
 *
 * @example
 * // samplit retention --days 90 --archive /var/backups/samplit --dry-run
 * registerRetentionCommand(program);
 */
export function registerRetentionCommand(program: Command): void {
  program
    .command('retention')
    .description(
      'remove the raw rows of long-completed experiments, keeping their aggregates (and optionally archive them)',
    )
    .option(
      '--days <n>',
      'experiments completed more than n days ago (default: SAMPLIT_RETENTION_DAYS)',
      positiveInteger,
    )
    .option(
      '--archive <dir>',
      'first write each experiment’s raw rows to <dir>/<id>/*.csv.gz (default: SAMPLIT_RETENTION_ARCHIVE_DIR)',
    )
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--batch <n>', 'rows deleted per statement', positiveInteger, 5000)
    .action(async (options: { days?: number; archive?: string; dryRun?: boolean; batch: number }) => {
      const config = loadConfig(process.env);
      const days = options.days ?? config.retentionDays;
      if (!days) throw new Error('how old: pass --days N or set SAMPLIT_RETENTION_DAYS');
      const { db } = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const bar = process.stderr.isTTY
        ? new SingleBar({
            stream: process.stderr,
            format: 'retention {step} {table} {bar} {value}/{total} rows | ETA {eta_formatted}',
            clearOnComplete: true,
            hideCursor: true,
          })
        : undefined;
      let current = '';
      try {
        const reports = await createRetention(db).run({
          days,
          archiveDir: options.archive ?? config.retentionArchiveDir,
          dryRun: options.dryRun,
          batchSize: options.batch,
          onProgress: (p) => {
            const key = `${p.experiment_id} ${p.step} ${p.table}`;
            if (key !== current) {
              bar?.stop();
              bar?.start(p.total, 0, { step: p.step, table: p.table });
              current = key;
            }
            bar?.update(p.done);
          },
        });
        bar?.stop();
        console.log(formatReports(reports, options.dryRun ?? false));
      } finally {
        bar?.stop();
        await db.close();
      }
    });
}
