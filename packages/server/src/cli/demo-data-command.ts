import { relative } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DEMO_SEED, writeDemoData } from '../demo/demo-data.js';
import { DEMO_SCENARIO_NAMES, demoScenario } from '../demo/demo-scenarios.js';
import { integer, positiveInteger, scenarioName } from './cli-arguments.js';

/**
 * `samplit demo-data`: writes a per-visitor CSV and a metadata
 * JSON for a scenario with hidden true rates (`npm run demo:data`, `npm run demo:multielement`).
 *
 * @example
 * // samplit demo-data --scenario seed-multielement --seed 42 --out demo-data
 * registerDemoDataCommand(program);
 */
export function registerDemoDataCommand(program: Command): void {
  program
    .command('demo-data')
    .description('write simulated visitors with hidden true conversion rates as CSV + metadata JSON')
    .option(
      '--scenario <name>',
      `scenario: ${DEMO_SCENARIO_NAMES.join(', ')}`,
      scenarioName,
      'seed-multielement',
    )
    .option('--seed <s>', 'random seed (same seed, same file)', integer, DEFAULT_DEMO_SEED)
    .option('--visitors <n>', "visitors (default: the scenario's)", positiveInteger)
    .option('--out <dir>', 'directory to write into', 'demo-data')
    .action(async (options: { scenario: string; seed: number; visitors?: number; out: string }) => {
      // --scenario was checked by scenarioName when the command line was parsed.
      const demo = demoScenario(options.scenario)!;
      const { csvPath, metadataPath, metadata } = await writeDemoData(demo, {
        dir: options.out,
        seed: options.seed,
        visitors: options.visitors,
      });
      const { totals } = metadata;
      console.log(
        `${metadata.scenario}: ${totals.visitors.toLocaleString('en-US')} visitors over ` +
          `${metadata.combinations.length} combinations, ${totals.conversions.toLocaleString('en-US')} conversions ` +
          `(${(100 * totals.conversion_rate).toFixed(2)}%), seed ${metadata.seed}`,
      );
      console.log(`true winner: ${metadata.true_winner?.name ?? 'none (equal rates)'}`);
      console.log(
        `wrote ${relative(process.cwd(), csvPath)}\n      ${relative(process.cwd(), metadataPath)}`,
      );
      console.log(`next: npm run samplit -- analyze ${options.out}/${metadata.csv}`);
    });
}
