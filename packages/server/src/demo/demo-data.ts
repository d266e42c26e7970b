import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRng } from '@samplit/engine';
import { stringify } from 'csv-stringify';
import { combinationName, type DemoScenario, trueWinner } from './demo-scenarios.js';

/** The seed the npm scripts use; the analyzer's test checks it finds the true winner with it. */
export const DEFAULT_DEMO_SEED = 42;

export interface DemoVisitor {
  visitor_id: string;
  /** Engine arm index. */
  arm: number;
  converted: boolean;
}

/**
 * The simulated visitors: visitor i sees combination i mod K (spread evenly) and
 * converts with the combination's hidden true rate, drawn from a generator
 * seeded with `seed` — the same seed always gives the same file.
 */
/**
 * Visitors the demo files hold by default where the scenario's own count is too few for the
 * analysis to declare the true winner with the anytime-valid rule (its guarantee holds however
 * often an export is analysed, so it needs more data than one look at the end): the seed's
 * runner-up combinations are 3 points behind among 9 arms (at 10,000 visitors the e-value of
 * CTA-B × Copy-Y over the best of them is ≈ 30 of the 180 it needs), five-arms' best two 1 point
 * apart at 11–12%.
 */
export const DEMO_DATA_VISITORS: Readonly<Record<string, number>> = {
  'seed-multielement': 30_000,
  'five-arms': 200_000,
};

export function* demoVisitors(demo: DemoScenario, visitors: number, seed: number): Generator<DemoVisitor> {
  const rng = createRng(seed);
  const k = demo.combinations.length;
  const width = String(visitors).length;
  for (let i = 0; i < visitors; i++) {
    const arm = i % k;
    yield {
      visitor_id: `visitor-${String(i + 1).padStart(width, '0')}`,
      arm,
      converted: rng.next() < demo.combinations[arm].rate,
    };
  }
}

/** Metadata written next to the CSV: what was simulated and what the right answer is. */
export interface DemoMetadata {
  generator: string;
  scenario: string;
  description: string;
  seed: number;
  visitors: number;
  csv: string;
  columns: string[];
  elements: { name: string; column: string; variants: string[] }[];
  combinations: {
    name: string;
    variants: string[];
    true_rate: number;
    visitors: number;
    conversions: number;
    observed_rate: number;
  }[];
  true_winner: { name: string; variants: string[]; true_rate: number } | null;
  totals: { visitors: number; conversions: number; conversion_rate: number };
}

export interface WrittenDemoData {
  csvPath: string;
  metadataPath: string;
  metadata: DemoMetadata;
}

/**
 * Writes `<scenario>.csv` (visitor_id, one column per element, combination, converted 0/1) and
 * `<scenario>.json` into `dir`, streaming the rows (any number of visitors in constant memory).
 */
export async function writeDemoData(
  demo: DemoScenario,
  options: { dir: string; seed: number; visitors?: number },
): Promise<WrittenDemoData> {
  const visitors = options.visitors ?? DEMO_DATA_VISITORS[demo.scenario.name] ?? demo.scenario.visitors;
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const base = demo.scenario.name;
  const csvPath = join(dir, `${base}.csv`);
  const metadataPath = join(dir, `${base}.json`);
  const columns = ['visitor_id', ...demo.elements.map((e) => e.column), 'combination', 'converted'];
  const counts = demo.combinations.map(() => ({ visitors: 0, conversions: 0 }));

  function* rows() {
    for (const v of demoVisitors(demo, visitors, options.seed)) {
      const combination = demo.combinations[v.arm];
      counts[v.arm].visitors++;
      if (v.converted) counts[v.arm].conversions++;
      yield [v.visitor_id, ...combination.variants, combination.name, v.converted ? 1 : 0];
    }
  }
  await pipeline(
    Readable.from(rows()),
    stringify({ header: true, columns }),
    createWriteStream(csvPath, { encoding: 'utf8' }),
  );

  const winner = trueWinner(demo);
  const conversions = counts.reduce((s, c) => s + c.conversions, 0);
  const metadata: DemoMetadata = {
    generator: 'samplit demo-data',
    scenario: base,
    description: demo.scenario.description,
    seed: options.seed,
    visitors,
    csv: `${base}.csv`,
    columns,
    elements: demo.elements,
    combinations: demo.combinations.map((c, i) => ({
      name: c.name,
      variants: c.variants,
      true_rate: c.rate,
      visitors: counts[i].visitors,
      conversions: counts[i].conversions,
      observed_rate: counts[i].visitors > 0 ? counts[i].conversions / counts[i].visitors : 0,
    })),
    true_winner:
      winner === null
        ? null
        : {
            name: combinationName(demo.combinations[winner].variants),
            variants: demo.combinations[winner].variants,
            true_rate: demo.combinations[winner].rate,
          },
    totals: { visitors, conversions, conversion_rate: visitors > 0 ? conversions / visitors : 0 },
  };
  await writeFile(metadataPath, `${JSON.stringify(metadata, null, 2)}\n`);
  return { csvPath, metadataPath, metadata };
}
