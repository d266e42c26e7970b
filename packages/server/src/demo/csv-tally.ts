import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { combinationName } from './demo-scenarios.js';

/** Visitors and conversions per combination of a per-visitor CSV, in engine order. */
export interface CsvTally {
  rows: number;
  /** The column read as the outcome: `converted` or `converted_<goal>`. */
  outcomeColumn: string;
  /**
   * The per-visitor total read with it: `value_<goal>` (a revenue goal) or `events_<goal>` (a
   * count goal) of the server's export; null for a conversion goal.
   */
  metricColumn: string | null;
  /** Elements with their variants, each element's control first. */
  elements: { name: string; variants: string[] }[];
  /** Combinations seen, ordered by variant index (first element slowest). */
  combinations: {
    name: string;
    variants: string[];
    levels: number[];
    visitors: number;
    conversions: number;
    /** Σ and Σ² of the metric column per visitor (0 without one). */
    sum: number;
    sumSquares: number;
  }[];
  /** Index of the combination of every element's control, or 0 when it was never seen. */
  control: number;
}

export interface TallyOptions {
  /**
   * Read `converted_<goal>` (the server's export has one such column per goal), and its
   * `value_<goal>` or `events_<goal>` when the export has one.
   */
  goal?: string;
  /** Control variant names (any element); default: a variant named like "control", else the first. */
  control?: string[];
}

// Columns of the demo-data CSV and of the server's export that are not elements.
const NOT_ELEMENTS = new Set(['visitor_id', 'combination_id', 'combination', 'assigned_at', 'probability']);
const GOAL_PREFIXES = ['converted', 'value_', 'events_'];
const TRUE = new Set(['1', 'true', 'yes']);
const FALSE = new Set(['0', 'false', 'no', '']);

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function outcomeColumn(header: string[], goal: string | undefined): string {
  if (goal !== undefined) {
    const wanted = `converted_${goal}`;
    if (!header.includes(wanted)) throw new Error(`no column "${wanted}" (columns: ${header.join(', ')})`);
    return wanted;
  }
  const column = header.includes('converted') ? 'converted' : header.find((h) => h.startsWith('converted_'));
  if (!column) throw new Error(`no "converted" or "converted_<goal>" column (columns: ${header.join(', ')})`);
  return column;
}

/** The goal's per-visitor total column in the export, if it has one. */
function metricColumn(header: string[], outcome: string): string | null {
  if (!outcome.startsWith('converted_')) return null;
  const goal = outcome.slice('converted_'.length);
  return [`value_${goal}`, `events_${goal}`].find((c) => header.includes(c)) ?? null;
}

function orderVariants(seen: Set<string>, controls: readonly string[]): string[] {
  const sorted = [...seen].sort(natural.compare);
  const control =
    sorted.find((v) => controls.includes(v)) ?? sorted.find((v) => /\bcontrol\b/i.test(v)) ?? sorted[0];
  return [control, ...sorted.filter((v) => v !== control)];
}

/**
 * Reads a per-visitor CSV — the demo-data files (`visitor_id, <element>…, combination,
 * converted`) or the server's export (`…, converted_<goal>…`, with `value_<goal>` for revenue
 * and `events_<goal>` for count goals) — and counts visitors and conversions per combination,
 * with the sums a revenue or count goal's statistics need. Every column that is not a known one is an element; without
 * any, the `combination` column is the one element. Streams: memory grows with combinations,
 * not rows.
 */
export async function tallyCsv(input: Readable, options: TallyOptions = {}): Promise<CsvTally> {
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }));
  // pipe() does not forward errors: a missing file must reject, not crash the process.
  input.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  let outcome = -1;
  let metric = -1;
  let metricName: string | null = null;
  let elementIndexes: number[] = [];
  let elementNames: string[] = [];
  const cells = new Map<
    string,
    { variants: string[]; visitors: number; conversions: number; sum: number; sumSquares: number }
  >();
  let rows = 0;
  let outcomeName = '';
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record.map((h) => h.trim());
      outcomeName = outcomeColumn(header, options.goal);
      outcome = header.indexOf(outcomeName);
      metricName = metricColumn(header, outcomeName);
      metric = metricName === null ? -1 : header.indexOf(metricName);
      elementIndexes = header.flatMap((h, i) =>
        NOT_ELEMENTS.has(h) || GOAL_PREFIXES.some((p) => h.startsWith(p)) ? [] : [i],
      );
      if (elementIndexes.length === 0) {
        const combination = header.indexOf('combination');
        if (combination < 0) throw new Error('no element columns and no "combination" column');
        elementIndexes = [combination];
      }
      elementNames = elementIndexes.map((i) => header![i]);
      continue;
    }
    rows++;
    const flag = record[outcome].trim().toLowerCase();
    if (!TRUE.has(flag) && !FALSE.has(flag)) {
      throw new Error(`row ${rows + 1}: ${outcomeName} must be 0 or 1, got "${record[outcome]}"`);
    }
    const total = metric < 0 ? 0 : Number(record[metric]);
    if (!Number.isFinite(total)) {
      throw new Error(`row ${rows + 1}: ${metricName} must be a number, got "${record[metric]}"`);
    }
    const variants = elementIndexes.map((i) => record[i]);
    const key = variants.join('\u0000');
    let cell = cells.get(key);
    if (!cell) {
      cell = { variants, visitors: 0, conversions: 0, sum: 0, sumSquares: 0 };
      cells.set(key, cell);
    }
    cell.visitors++;
    if (TRUE.has(flag)) cell.conversions++;
    cell.sum += total;
    cell.sumSquares += total * total;
  }
  if (!header || rows === 0) throw new Error('the CSV has no visitor rows');

  const elements = elementNames.map((name, e) => ({
    name,
    variants: orderVariants(new Set([...cells.values()].map((c) => c.variants[e])), options.control ?? []),
  }));
  const combinations = [...cells.values()]
    .map((c) => ({
      name: combinationName(c.variants),
      variants: c.variants,
      levels: c.variants.map((v, e) => elements[e].variants.indexOf(v)),
      visitors: c.visitors,
      conversions: c.conversions,
      sum: c.sum,
      sumSquares: c.sumSquares,
    }))
    .sort((a, b) => {
      for (let e = 0; e < a.levels.length; e++)
        if (a.levels[e] !== b.levels[e]) return a.levels[e] - b.levels[e];
      return 0;
    });
  const control = combinations.findIndex((c) => c.levels.every((l) => l === 0));
  return {
    rows,
    outcomeColumn: outcomeName,
    metricColumn: metricName,
    elements,
    combinations,
    control: Math.max(0, control),
  };
}
