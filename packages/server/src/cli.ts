import { Command } from 'commander';
import { registerAnalyzeCommand } from './cli/analyze-command.js';
import { registerDemoCommand } from './cli/demo-command.js';
import { registerDemoDataCommand } from './cli/demo-data-command.js';
import { registerMigrateCommand } from './cli/migrate-command.js';
import { registerRetentionCommand } from './cli/retention-command.js';
import { registerServeCommand } from './cli/serve-command.js';
import { registerSimulateCommand } from './cli/simulate-command.js';
import { VERSION } from './version.js';

const program = new Command()
  .name('samplit')
  .description('Samplit: adaptive experimentation with Bayesian bandits')
  .version(VERSION);
registerServeCommand(program);
registerMigrateCommand(program);
registerRetentionCommand(program);
registerSimulateCommand(program);
registerDemoDataCommand(program);
registerAnalyzeCommand(program);
registerDemoCommand(program);

program.parseAsync(process.argv).catch((error: Error) => {
  console.error(`samplit: ${error.message}`);
  process.exit(1);
});
