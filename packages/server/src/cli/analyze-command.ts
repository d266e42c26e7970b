import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { analyzeTally, formatAnalysis } from '../demo/analysis.js';
import { tallyCsv } from '../demo/csv-tally.js';
import type { DemoMetadata } from '../demo/demo-data.js';

/** The metadata demo-data wrote next to the CSV (`<file>.json`), if any. */
async function metadataNextTo(file: string): Promise<Partial<DemoMetadata> | undefined> {
  try {
    const metadata = JSON.parse(await readFile(file.replace(/\.csv$/i, '.json'), 'utf8'));
    return metadata?.generator === 'samplit demo-data' ? metadata : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `samplit analyze FILE.csv`: the posterior table per combination and per element variant, the
 * decision and the winner, from a per-visitor CSV (demo-data output or the server's export).
 *
 * @example
 * // samplit analyze demo-data/seed-multielement.csv --json
 * registerAnalyzeCommand(program);
 */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('Bayesian analysis of a per-visitor CSV: posteriors, P(best), decision, winner')
    .argument('<file>', 'CSV with one row per visitor (samplit demo-data, or GET …/export.csv)')
    .option('--goal <goal>', 'read the converted_<goal> column (server exports)')
    .option('--control <names>', 'comma-separated control variant names (default: "Control", else the first)')
    .option('--json', 'print one JSON object instead of tables')
    .action(async (file: string, options: { goal?: string; control?: string; json?: boolean }) => {
      const tally = await tallyCsv(createReadStream(file), {
        goal: options.goal,
        control: options.control?.split(',').map((s) => s.trim()),
      });
      const metadata = await metadataNextTo(file);
      // Show the elements' display names ("CTA Button") instead of their CSV columns.
      for (const element of tally.elements) {
        element.name = metadata?.elements?.find((e) => e.column === element.name)?.name ?? element.name;
      }
      const analysis = analyzeTally(tally, file, metadata?.true_winner?.name ?? null);
      console.log(options.json ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis));
    });
}
