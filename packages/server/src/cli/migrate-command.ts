import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open-database.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const config = loadConfig(process.env);
      const { db, applied } = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
      });
      await db.close();
      console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
    });
}
