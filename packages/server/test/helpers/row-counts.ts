import type { Database } from '../../src/db/database.js';

/** Every table a request can write to. */
export const TABLES = [
  'users',
  'experiments',
  'elements',
  'element_variants',
  'combinations',
  'combination_counters',
  'goal_counters',
  'experiment_decisions',
  'assignments',
  'conversions',
  'allocation_history',
  'allocation_epochs',
] as const;

export type RowCounts = Record<(typeof TABLES)[number], number>;

const COUNT_SQL = `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`;

/** Row counts of every table, read as samplit_system so row-level security hides nothing. */
export async function rowCounts(db: Database): Promise<RowCounts> {
  const [row] = await db.asSystem((q) => q.query<Record<string, string | number>>(COUNT_SQL));
  return Object.fromEntries(TABLES.map((t) => [t, Number(row[t])])) as RowCounts;
}
