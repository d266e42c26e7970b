import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { combinationName } from './demo-scenarios.js';

/** Visitors and conversions per combination of a per-visitor CSV, in engine order. */
export interface CsvTally {
  rows: number;
  /** The column read as the outcome: `converted` or `converted_<goal>`. */
  outcomeColumn: string;
  /** Elements with their variants, each element's control first. */
  elements: { name: string; variants: string[] }[];
  /** Combinations seen, ordered by variant index (first element slowest). */
  combinations: {
    name: string;
    variants: string[];
    levels: number[];
    visitors: number;
    conversions: number;
  }[];
  /** Index of the combination of every element's control, or 0 when it was never seen. */
  control: number;
}

export interface TallyOptions {
  /** Read `converted_<goal>` (the server's export has one such column per goal). */
  goal?: string;
  /** Control variant names (any element); default: a variant named like "control", else the first. */
  control?: string[];
}

// Columns of the demo-data CSV and of the server's export that are not elements.
const NOT_ELEMENTS = new Set(['visitor_id', 'combination_id', 'combination', 'assigned_at', 'probability']);
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

function orderVariants(seen: Set<string>, controls: readonly string[]): string[] {
  const sorted = [...seen].sort(natural.compare);
  const control =
    sorted.find((v) => controls.includes(v)) ?? sorted.find((v) => /\bcontrol\b/i.test(v)) ?? sorted[0];
  return [control, ...sorted.filter((v) => v !== control)];
}

/**
 * Reads a per-visitor CSV — the demo-data files (`visitor_id, <element>…, combination,
 * converted`) or the server's export (`…, converted_<goal>…`) — and counts visitors and
 * conversions per combination. Every column that is not a known one is an element; without
 * any, the `combination` column is the one element. Streams: memory grows with combinations,
 * not rows.
 */
export async function tallyCsv(input: Readable, options: TallyOptions = {}): Promise<CsvTally> {
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }));
  // pipe() does not forward errors: a missing file must reject, not crash the process.
  input.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  let outcome = -1;
  let elementIndexes: number[] = [];
  let elementNames: string[] = [];
  const cells = new Map<string, { variants: string[]; visitors: number; conversions: number }>();
  let rows = 0;
  let outcomeName = '';
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record.map((h) => h.trim());
      outcomeName = outcomeColumn(header, options.goal);
      outcome = header.indexOf(outcomeName);
      elementIndexes = header.flatMap((h, i) =>
        NOT_ELEMENTS.has(h) || h.startsWith('converted') ? [] : [i],
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
    const variants = elementIndexes.map((i) => record[i]);
    const key = variants.join('\u0000');
    let cell = cells.get(key);
    if (!cell) {
      cell = { variants, visitors: 0, conversions: 0 };
      cells.set(key, cell);
    }
    cell.visitors++;
    if (TRUE.has(flag)) cell.conversions++;
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
    }))
    .sort((a, b) => {
      for (let e = 0; e < a.levels.length; e++)
        if (a.levels[e] !== b.levels[e]) return a.levels[e] - b.levels[e];
      return 0;
    });
  const control = combinations.findIndex((c) => c.levels.every((l) => l === 0));
  return { rows, outcomeColumn: outcomeName, elements, combinations, control: Math.max(0, control) };
}
