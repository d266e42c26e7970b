import { readFile } from 'node:fs/promises';
import { parse } from 'libpg-query';
import type { Queryable } from '../../src/db/database.js';

/**
 * Citus's rules for a schema and its statements (docs/scaling.md#citus), checked without Citus:
 * the placement of every table as docs/scaling.md states it, the schema as the migrations made it
 * (read from the catalogs), and each statement parsed by PostgreSQL's own parser (libpg-query).
 * The rule ids are the document's.
 */

export type Placement = { kind: 'distributed'; column: string } | { kind: 'reference' } | { kind: 'local' };

/** The placement table of docs/scaling.md ("Where each table goes"), read from the document itself. */
export async function placementFromDocs(path: string): Promise<Map<string, Placement>> {
  const text = await readFile(path, 'utf8');
  const section = text.slice(text.indexOf('### Where each table goes'));
  const placement = new Map<string, Placement>();
  for (const line of section.split('\n')) {
    if (line.startsWith('#') && placement.size > 0) break;
    const row = line.match(/^\| `(\w+)` \| (distributed by `(\w+)`|reference|local) \|/);
    if (!row) continue;
    placement.set(
      row[1],
      row[3] ? { kind: 'distributed', column: row[3] } : { kind: row[2] as 'reference' | 'local' },
    );
  }
  return placement;
}

// ---------------------------------------------------------------------------------------------
// The schema: R1 unique keys, R2 foreign keys, R3 identity columns, R4 policies.

export async function schemaViolations(q: Queryable, placement: Map<string, Placement>): Promise<string[]> {
  const out: string[] = [];
  const distributed = (table: string) => {
    const p = placement.get(table);
    return p?.kind === 'distributed' ? p.column : undefined;
  };
  const tables = await q.query<{ table: string }>(
    `SELECT relname AS table FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace ORDER BY 1`,
  );
  for (const { table } of tables) if (!placement.has(table)) out.push(`placement: ${table} has none`);

  const uniques = await q.query<{ table: string; index: string; columns: string[]; expressions: boolean }>(
    `SELECT t.relname AS table, i.relname AS index, ix.indexprs IS NOT NULL AS expressions,
            array(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                  WHERE k.n <= ix.indnkeyatts ORDER BY k.n) AS columns
     FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
     WHERE ix.indisunique AND t.relnamespace = 'public'::regnamespace ORDER BY 1, 2`,
  );
  for (const u of uniques) {
    const column = distributed(u.table);
    if (column && !u.columns.includes(column)) {
      out.push(`R1 ${u.table}: unique ${u.index} (${u.columns.join(', ')}) lacks ${column}`);
    }
  }

  const foreign = await q.query<{
    table: string;
    name: string;
    referenced: string;
    columns: string[];
    referenced_columns: string[];
    on_delete: string;
    on_update: string;
  }>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.confrelid::regclass::text AS referenced,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS referenced_columns,
            c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
     FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace ORDER BY 1, 2`,
  );
  for (const f of foreign) {
    const from = placement.get(f.table)?.kind;
    const to = placement.get(f.referenced)?.kind;
    const label = `R2 ${f.table}: foreign key ${f.name} (${f.columns.join(', ')}) → ${f.referenced}`;
    if (to === 'distributed' && from !== 'distributed')
      out.push(`${label}: a ${from} table may not reference a distributed one`);
    if (from === 'distributed' && to === 'local')
      out.push(`${label}: a distributed table may not reference a local one`);
    if (from === 'distributed' && to === 'distributed') {
      const at = f.columns.indexOf(distributed(f.table) as string);
      if (at < 0 || f.referenced_columns[at] !== distributed(f.referenced)) {
        out.push(`${label}: does not pair the distribution columns`);
      } else if ('nd'.includes(f.on_delete) || 'cnd'.includes(f.on_update)) {
        out.push(`${label}: SET NULL/SET DEFAULT or ON UPDATE CASCADE on a key with the distribution column`);
      }
    }
  }

  const identities = await q.query<{ table: string; column: string; type: string }>(
    `SELECT table_name AS table, column_name AS column, data_type AS type FROM information_schema.columns
     WHERE table_schema = 'public' AND is_identity = 'YES' ORDER BY 1, 2`,
  );
  for (const c of identities) {
    if (placement.get(c.table)?.kind === 'distributed' && c.type !== 'bigint') {
      out.push(`R3 ${c.table}.${c.column}: identity of type ${c.type} (bigint only)`);
    }
  }

  const policies = await q.query<{
    table: string;
    policy: string;
    qual: string | null;
    with_check: string | null;
  }>(
    `SELECT tablename AS table, policyname AS policy, qual, with_check FROM pg_policies
     WHERE schemaname = 'public' ORDER BY 1, 2`,
  );
  for (const p of policies) {
    if (placement.get(p.table)?.kind === 'local') continue;
    for (const expression of [p.qual, p.with_check]) {
      if (expression && nodes(await parse(`SELECT 1 WHERE ${expression}`)).some((n) => 'SubLink' in n)) {
        out.push(`R4 ${p.table}: policy ${p.policy} has a subquery`);
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statements: R5 row locks, R6 outer joins, R7 joins, R8 CASE/COALESCE, R10 ON CONFLICT; and the
// shards each one touches.

/** `single`: every distributed table pinned to one scalar; `multi`: some to a list; `all`: some unfiltered. */
export type Reach = 'single' | 'multi' | 'all';

export interface StatementReport {
  sql: string;
  reach: Reach;
  violations: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: libpg-query's JSON AST, walked by node name
type Node = Record<string, any>;

/** Every object node under `root`, depth first. */
function nodes(root: unknown): Node[] {
  const out: Node[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      out.push(value as Node);
      for (const child of Object.values(value)) walk(child);
    }
  };
  walk(root);
  return out;
}

const unwrap = (n: Node | undefined): Node | undefined => (n?.TypeCast ? unwrap(n.TypeCast.arg) : n);
const columnOf = (n: Node | undefined): string[] | undefined =>
  unwrap(n)?.ColumnRef?.fields?.map((f: Node) => f.String?.sval ?? '*');
const isScalar = (n: Node | undefined) => {
  const v = unwrap(n);
  return Boolean(v?.ParamRef || v?.A_Const);
};

interface Source {
  alias: string;
  /** A base table's name; undefined for CTEs, functions, subqueries and VALUES. */
  table?: string;
}

interface Conjuncts {
  equal: [string[], string[]][];
  scalar: string[][];
  list: string[][];
}

const WORST: Record<Reach, number> = { single: 0, multi: 1, all: 2 };
const VOLATILE = new Set([
  'now',
  'clock_timestamp',
  'statement_timestamp',
  'transaction_timestamp',
  'random',
  'gen_random_uuid',
  'nextval',
]);

export class StatementChecker {
  constructor(private readonly placement: Map<string, Placement>) {}

  private distColumn(table: string | undefined) {
    const p = table ? this.placement.get(table) : undefined;
    return p?.kind === 'distributed' ? p.column : undefined;
  }

  async check(sql: string): Promise<StatementReport> {
    const report: StatementReport = { sql: sql.replace(/\s+/g, ' ').trim(), reach: 'single', violations: [] };
    const ast = await parse(sql);
    for (const { stmt } of ast.stmts ?? []) if (stmt) this.statement(stmt as Node, new Set(), [], report);
    report.violations = [...new Set(report.violations)];
    return report;
  }

  private reach(report: StatementReport, reach: Reach) {
    if (WORST[reach] > WORST[report.reach]) report.reach = reach;
  }

  /** Any statement node ({SelectStmt} / {InsertStmt} / …), with the CTE names and outer sources in scope. */
  private statement(stmt: Node, ctes: Set<string>, outer: Source[], report: StatementReport) {
    const body = stmt.SelectStmt ?? stmt.InsertStmt ?? stmt.UpdateStmt ?? stmt.DeleteStmt;
    if (!body) return;
    const scope = new Set(ctes);
    for (const cte of body.withClause?.ctes ?? []) {
      this.statement(cte.CommonTableExpr.ctequery, scope, outer, report);
      scope.add(cte.CommonTableExpr.ctename);
    }
    if (stmt.SelectStmt) this.select(stmt.SelectStmt, scope, outer, report);
    else if (stmt.InsertStmt) this.insert(stmt.InsertStmt, scope, outer, report);
    else this.modify(stmt.UpdateStmt ?? stmt.DeleteStmt, Boolean(stmt.UpdateStmt), scope, outer, report);
  }

  private select(select: Node, ctes: Set<string>, outer: Source[], report: StatementReport) {
    if (select.op && select.op !== 'SETOP_NONE') {
      this.select(select.larg, ctes, outer, report);
      this.select(select.rarg, ctes, outer, report);
      return;
    }
    if (select.valuesLists) return;
    const sources: Source[] = [];
    const quals: Node[] = [select.whereClause];
    for (const item of select.fromClause ?? []) this.from(item, ctes, outer, sources, quals, report);
    this.block(sources, quals, outer, Boolean(select.lockingClause?.length), ctes, report);
    for (const expr of [select.targetList, select.havingClause])
      this.sublinks(expr, ctes, [...sources, ...outer], report);
  }

  private insert(insert: Node, ctes: Set<string>, outer: Source[], report: StatementReport) {
    const table = insert.relation.relname as string;
    const column = this.distColumn(table);
    if (insert.selectStmt) this.statement(insert.selectStmt, ctes, outer, report);
    const conflict = insert.onConflictClause;
    if (column && conflict?.infer) {
      const arbiter = (conflict.infer.indexElems ?? []).map((e: Node) => e.IndexElem?.name);
      if (!arbiter.includes(column))
        report.violations.push(`R10 ON CONFLICT (${arbiter.join(', ')}) on ${table} lacks ${column}`);
    }
    if (column && (conflict?.targetList ?? []).some((t: Node) => t.ResTarget?.name === column)) {
      report.violations.push(`R10 ON CONFLICT DO UPDATE sets ${table}.${column}`);
    }
  }

  private modify(body: Node, update: boolean, ctes: Set<string>, outer: Source[], report: StatementReport) {
    const table = body.relation.relname as string;
    const sources: Source[] = [{ alias: body.relation.alias?.aliasname ?? table, table }];
    const quals: Node[] = [body.whereClause];
    for (const item of body.fromClause ?? body.usingClause ?? [])
      this.from(item, ctes, outer, sources, quals, report);
    this.block(sources, quals, outer, false, ctes, report);
    if (update && this.placement.get(table)?.kind !== 'local') {
      for (const expr of [body.targetList, body.whereClause]) {
        for (const n of nodes(expr)) {
          const guarded = n.CaseExpr ?? n.CoalesceExpr;
          if (
            guarded &&
            nodes(guarded).some((f) => VOLATILE.has(f.FuncCall?.funcname?.at(-1)?.String?.sval))
          ) {
            report.violations.push(`R8 UPDATE ${table}: a non-immutable function inside CASE/COALESCE`);
          }
        }
      }
    }
    this.sublinks(body.targetList, ctes, [...sources, ...outer], report);
  }

  /** A FROM item: its sources, its join conditions, and R6 for outer joins. */
  private from(
    item: Node,
    ctes: Set<string>,
    outer: Source[],
    sources: Source[],
    quals: Node[],
    report: StatementReport,
  ) {
    if (item.RangeVar) {
      const name = item.RangeVar.relname as string;
      sources.push({
        alias: item.RangeVar.alias?.aliasname ?? name,
        table: ctes.has(name) ? undefined : name,
      });
    } else if (item.RangeFunction) {
      sources.push({ alias: item.RangeFunction.alias?.aliasname ?? 'function' });
    } else if (item.RangeSubselect) {
      this.statement(item.RangeSubselect.subquery, ctes, outer, report);
      sources.push({ alias: item.RangeSubselect.alias?.aliasname ?? 'subquery' });
    } else if (item.JoinExpr) {
      const join = item.JoinExpr;
      const left: Source[] = [];
      const right: Source[] = [];
      this.from(join.larg, ctes, outer, left, quals, report);
      this.from(join.rarg, ctes, outer, right, quals, report);
      quals.push(join.quals);
      const preserved =
        join.jointype === 'JOIN_LEFT'
          ? [left, right]
          : join.jointype === 'JOIN_RIGHT'
            ? [right, left]
            : undefined;
      if (preserved && !preserved[0].some((s) => this.distColumn(s.table))) {
        const conjuncts = this.conjuncts([join.quals], [...left, ...right]);
        for (const s of preserved[1]) {
          const column = this.distColumn(s.table);
          if (column && !conjuncts.scalar.some(([a, c]) => a === s.alias && c === column)) {
            report.violations.push(`R6 outer join from a CTE, function or VALUES to ${s.table}`);
          }
        }
      }
      sources.push(...left, ...right);
    }
  }

  /**
   * The AND-ed comparisons of `quals`, each column as [alias, column]: qualified, or unqualified
   * in a block with one source of its own (the innermost scope, as SQL resolves it).
   */
  private conjuncts(quals: Node[], own: Source[]): Conjuncts {
    const out: Conjuncts = { equal: [], scalar: [], list: [] };
    const resolve = (n: Node | undefined): string[] | undefined => {
      const c = columnOf(n);
      if (!c) return undefined;
      if (c.length === 2) return c;
      return own.length === 1 ? [own[0].alias, c[0]] : undefined;
    };
    const visit = (n: Node | undefined) => {
      if (!n) return;
      if (n.BoolExpr?.boolop === 'AND_EXPR') return n.BoolExpr.args.forEach(visit);
      const e = n.A_Expr;
      if (e && e.name?.[0]?.String?.sval === '=') {
        const [l, r] = [resolve(e.lexpr), resolve(e.rexpr)];
        if (e.kind === 'AEXPR_OP' && l && r) out.equal.push([l, r]);
        else if (e.kind === 'AEXPR_OP' && l && isScalar(e.rexpr)) out.scalar.push(l);
        else if (e.kind === 'AEXPR_OP' && r && isScalar(e.lexpr)) out.scalar.push(r);
        else if ((e.kind === 'AEXPR_OP_ANY' || e.kind === 'AEXPR_IN') && l) out.list.push(l);
      }
      if (n.SubLink?.subLinkType === 'ANY_SUBLINK') {
        const c = resolve(n.SubLink.testexpr);
        if (c) out.list.push(c);
      }
    };
    quals.forEach(visit);
    return out;
  }

  /**
   * One query block: which distributed tables are pinned to one value (by a scalar, or joined on the
   * distribution column to one that is), spread over a list, or unfiltered; R5 and R7.
   */
  private block(
    sources: Source[],
    quals: Node[],
    outer: Source[],
    locking: boolean,
    ctes: Set<string>,
    report: StatementReport,
  ) {
    const visible = [...sources, ...outer];
    const { equal, scalar, list } = this.conjuncts(quals, sources);
    const dist = (alias: string) => this.distColumn(visible.find((s) => s.alias === alias)?.table);
    const isDist = ([alias, column]: string[]) => dist(alias) === column;
    const pinned = new Set(scalar.filter(isDist).map(([a]) => a));
    const spread = new Set(list.filter(isDist).map(([a]) => a));
    for (const [l, r] of equal) {
      // Joined to a CTE or function's column: the values come from elsewhere in the statement.
      if (isDist(l) && !dist(r[0])) spread.add(l[0]);
      if (isDist(r) && !dist(l[0])) spread.add(r[0]);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const [l, r] of equal) {
        if (!isDist(l) || !isDist(r)) continue;
        for (const [a, b] of [
          [l[0], r[0]],
          [r[0], l[0]],
        ]) {
          if (pinned.has(a) && !pinned.has(b)) changed = Boolean(pinned.add(b));
          if (spread.has(a) && !spread.has(b) && !pinned.has(b)) changed = Boolean(spread.add(b));
        }
      }
    }
    const mine = sources.filter((s) => this.distColumn(s.table));
    for (const s of mine) {
      this.reach(report, pinned.has(s.alias) ? 'single' : spread.has(s.alias) ? 'multi' : 'all');
      if (locking && !pinned.has(s.alias))
        report.violations.push(`R5 row lock on ${s.table} without ${this.distColumn(s.table)} = one value`);
    }
    // R7: every two distributed tables of the block joined, directly or through others, on their distribution columns.
    const group = new Map(mine.map((s) => [s.alias, s.alias]));
    const root = (a: string): string => (group.get(a) === a ? a : root(group.get(a) as string));
    for (const [l, r] of equal)
      if (isDist(l) && isDist(r) && group.has(l[0]) && group.has(r[0])) group.set(root(l[0]), root(r[0]));
    if (new Set(mine.map((s) => root(s.alias))).size > 1) {
      report.violations.push(
        `R7 join of ${mine.map((s) => s.table).join(', ')} not on their distribution columns`,
      );
    }
    for (const q of quals) this.sublinks(q, ctes, visible, report);
  }

  /** Subqueries inside an expression (not those nested in them), each a block with the enclosing sources in scope. */
  private sublinks(expr: unknown, ctes: Set<string>, outer: Source[], report: StatementReport) {
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const n = value as Node;
        if (n.SubLink) this.statement(n.SubLink.subselect, ctes, outer, report);
        else Object.values(n).forEach(walk);
      }
    };
    walk(expr);
  }
}
