import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { GoalDefinition } from '../experiments/experiment-schemas.js';
import type { ExperimentStructure } from '../experiments/experiment-store.js';
import type { ExportRow } from './stats-store.js';

/** Columns every export has, besides one per element and those of each goal. */
export const FIXED_COLUMNS = ['visitor_id', 'combination_id', 'combination', 'assigned_at', 'probability'];
export const CONVERTED_PREFIX = 'converted_';
/** Revenue goals: the visitor's summed `value`. */
export const VALUE_PREFIX = 'value_';
/** Count goals: the visitor's events. */
export const EVENTS_PREFIX = 'events_';

/** Assignments fetched per query: memory stays at one page whatever the experiment's size. */
export const EXPORT_PAGE_SIZE = 5000;

/** A goal as the export needs it: its key, and its kind for the extra column. */
export type ExportGoal = Pick<GoalDefinition, 'key' | 'kind'>;

export interface ExportLayout {
  columns: string[];
  goals: ExportGoal[];
  /** Per combination id: its variant names, one per element. */
  variantNames: Map<string, string[]>;
}

/** A goal's columns: `converted_<goal>` (0/1), then `value_<goal>` (revenue) or `events_<goal>` (count). */
function goalColumns(goal: ExportGoal): string[] {
  const converted = CONVERTED_PREFIX + goal.key;
  if (goal.kind === 'revenue') return [converted, VALUE_PREFIX + goal.key];
  if (goal.kind === 'count') return [converted, EVENTS_PREFIX + goal.key];
  return [converted];
}

const GOAL_PREFIXES = [CONVERTED_PREFIX, VALUE_PREFIX, EVENTS_PREFIX];

/**
 * The header: visitor, combination, one column per element (its name; the variant name in each
 * row), assigned_at, probability, then each goal's columns (goalColumns) in the goals' order.
 * The demo-data CSVs and `samplit analyze` use the same conventions.
 */
export function exportLayout(structure: ExperimentStructure, goals: ExportGoal[]): ExportLayout {
  const goalNames = goals.flatMap(goalColumns);
  const taken = new Set([...FIXED_COLUMNS, ...goalNames]);
  const elementColumns = structure.elements.map((e) => {
    let name = e.name;
    for (let n = 2; taken.has(name) || GOAL_PREFIXES.some((p) => name.startsWith(p)); n++) {
      name = `${e.name} (${n})`;
    }
    taken.add(name);
    return name;
  });
  const names = new Map<string, string>();
  for (const e of structure.elements) for (const v of e.variants) names.set(v.id, v.name);
  return {
    columns: [
      'visitor_id',
      'combination_id',
      'combination',
      ...elementColumns,
      'assigned_at',
      'probability',
      ...goalNames,
    ],
    goals,
    variantNames: new Map(
      structure.combinations.map((c) => [c.id, c.variant_ids.map((id) => names.get(id) ?? '')]),
    ),
  };
}

export function exportRecord(layout: ExportLayout, row: ExportRow): (string | number)[] {
  const variants = layout.variantNames.get(row.combination_id) ?? [];
  const byGoal = new Map(row.goals.map((g) => [g.goal, g]));
  return [
    row.browser_id,
    row.combination_id,
    variants.join(' × '),
    ...variants,
    new Date(row.assigned_at).toISOString(),
    row.probability,
    ...layout.goals.flatMap((goal) => {
      const totals = byGoal.get(goal.key);
      const converted = totals ? 1 : 0;
      if (goal.kind === 'revenue') return [converted, totals?.value ?? 0];
      if (goal.kind === 'count') return [converted, totals?.events ?? 0];
      return [converted];
    }),
  ];
}

export type FetchPage = (after: string | null, limit: number) => Promise<ExportRow[]>;

/**
 * The CSV text page by page: the next page is fetched only when the reader wants more
 * (backpressure), so memory holds about one page whatever the experiment's size.
 *
 * Visitor ids come from anyone who calls the public tracker, and element, variant and goal
 * names from users, yet the file is opened in spreadsheets, which evaluate a cell such as
 * `=HYPERLINK(…)` as a formula. `escape_formulas` applies the OWASP CSV-injection rule to every
 * string cell, header included: one that starts with `=`, `+`, `-`, `@`, tab or carriage return
 * (or the fullwidth ＝ ＋ － ＠) gets a leading `'`, so a visitor id `=1` is exported as `'=1`.
 * Numbers the server writes (probability, the 0/1 flags) are not strings and stay as they are.
 */
async function* pages(layout: ExportLayout, fetchPage: FetchPage, pageSize: number): AsyncGenerator<string> {
  let after: string | null = null;
  let header = true;
  for (;;) {
    const page = await fetchPage(after, pageSize);
    // One stringify call per page: a per-row stream transform costs about twice as much.
    const text = stringify(
      page.map((row) => exportRecord(layout, row)),
      { header, columns: layout.columns, escape_formulas: true },
    );
    if (text) yield text;
    header = false;
    if (page.length < pageSize) return;
    after = page[page.length - 1].browser_id;
  }
}

/** The CSV as a text stream; a failing page ends the stream with that error (the response is cut). */
export function exportStream(
  layout: ExportLayout,
  fetchPage: FetchPage,
  pageSize = EXPORT_PAGE_SIZE,
): Readable {
  return Readable.from(pages(layout, fetchPage, pageSize), { objectMode: false });
}
