import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { loadConfig, MEMORY_DATA_DIR } from '../src/config.js';
import type { Database, Queryable } from '../src/db/database.js';
import { createRetention } from '../src/retention/retention-service.js';
import { createTrackerStore } from '../src/tracker/tracker-store.js';
import {
  type Placement,
  placementFromDocs,
  StatementChecker,
  type StatementReport,
  schemaViolations,
} from './helpers/citus-rules.js';
import { AB_TEST, MULTI_ELEMENT, openTestDatabase, signUp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

/**
 * docs/scaling.md#citus, checked: every table has the placement the document gives it, and the
 * schema and every statement the server runs for the tracker, the reports, experiment management
 * and retention keep Citus's rules, except the breaches the document lists with their fix (a new
 * one fails here, and so does a listed one that no longer occurs). Citus itself is not installed:
 * this checks the rules as docs/scaling.md states them, not Citus.
 */

const DOC = fileURLToPath(new URL('../../../docs/scaling.md', import.meta.url));

/** The breaches docs/scaling.md lists ("What a Citus port changes"), each with the statements it concerns. */
const KNOWN_SCHEMA = [
  'R1 combinations: unique combinations_pkey (id) lacks experiment_id',
  'R1 element_variants: unique element_variants_element_id_position_key (element_id, position) lacks experiment_id',
  'R1 element_variants: unique element_variants_pkey (id) lacks experiment_id',
  'R1 elements: unique elements_pkey (id) lacks experiment_id',
  'R2 element_variants: foreign key element_variants_element_id_fkey (element_id) → elements: does not pair the distribution columns',
  ...[
    'allocation_epochs',
    'allocation_history',
    'assignments',
    'combination_counters',
    'combinations',
    'conversions',
    'element_variants',
    'elements',
    'experiment_decisions',
    'goal_counters',
    'goal_rollups',
    'visitor_rollups',
  ].map((t) => `R4 ${t}: policy ${t}_owner has a subquery`),
];

const KNOWN_STATEMENTS: { statement: RegExp; violations: string[] }[] = [
  {
    // The tracker's assign batch: visitors of several experiments in one statement.
    statement: /INSERT INTO assignments \(experiment_id, browser_id, combination_id, probability, epoch\)/,
    violations: [
      'R5 row lock on experiments without id = one value',
      'R6 outer join from a CTE, function or VALUES to assignments',
    ],
  },
  {
    // The tracker's convert batch.
    statement: /INSERT INTO conversions AS c/,
    violations: [
      'R5 row lock on experiments without id = one value',
      'R6 outer join from a CTE, function or VALUES to assignments',
    ],
  },
  {
    statement: /^UPDATE experiments SET archived_at = CASE/,
    violations: ['R8 UPDATE experiments: a non-immutable function inside CASE/COALESCE'],
  },
  {
    statement: /^UPDATE experiments SET status = \$2/,
    violations: ['R8 UPDATE experiments: a non-immutable function inside CASE/COALESCE'],
  },
];

/** A Database that passes the text of every statement it runs to `record`. */
function recording(db: Database, record: (sql: string) => void): Database {
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params, name) => {
      record(sql);
      return q.query(sql, params, name);
    },
  });
  return {
    kind: db.kind,
    asUser: (userId, fn) => db.asUser(userId, (q) => fn(wrap(q))),
    system: wrap(db.system),
    asSystem: (fn) => db.asSystem((q) => fn(wrap(q))),
    query: (sql, params) => {
      record(sql);
      return db.query(sql, params);
    },
    ping: (timeoutMs) => db.ping(timeoutMs),
    availability: () => db.availability(),
    close: () => db.close(),
  };
}

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let app: App;
let placement: Map<string, Placement>;
const tracker = new Set<string>();
const reports = new Set<string>();
const management = new Set<string>();
let seen = management;

beforeAll(async () => {
  placement = await placementFromDocs(DOC);
  database = await openTestDatabase();
  const all = new Set<string>();
  const db = recording(database.db, (sql) => {
    all.add(sql);
    seen.add(sql);
  });
  const config = loadConfig(
    {},
    { dataDir: MEMORY_DATA_DIR, jwtSecret: 'test-secret-'.padEnd(40, 'x'), trackerRateLimitPerIp: 0 },
  );
  app = await buildApp({ config, db, logger: false });
  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, headers, payload });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res;
  };
  const { headers } = await signUp(app);

  // Experiment management: create, edit, start, archive, restore.
  const ab = await launch(app, headers, {
    ...AB_TEST,
    goals: ['signup', { key: 'revenue', kind: 'revenue' }],
  });
  const multi = await launch(app, headers, MULTI_ELEMENT, false);
  await api('PATCH', `/experiments/${multi.id}`, { name: 'Hero test, edited', planned_visitors: 1000 });
  await api('POST', `/experiments/${multi.id}/start`);
  await api('POST', `/experiments/${ab.id}/pause`);
  await api('POST', `/experiments/${ab.id}/resume`);

  // The tracker: new and returning visitors, events on several goals, a preview.
  seen = tracker;
  for (const exp of [ab, multi]) {
    const visitors = trackerFor(app, exp.id);
    for (let i = 0; i < 30; i++) await visitors.assign(`v-${i}`);
    for (let i = 0; i < 30; i++) await visitors.assign(`v-${i}`);
    for (let i = 0; i < 10; i++) await visitors.convert(`v-${i}`, { goal: 'signup' });
    for (let i = 0; i < 5; i++) await visitors.convert(`v-${i}`, { goal: 'revenue', value: 20 });
    await visitors.convert('stranger');
  }
  const store = createTrackerStore(db.system);
  await store.findAssignments([{ experiment_id: ab.id, browser_id: 'v-1' }]);
  await store.recordWinner({
    experiment_id: ab.id,
    combination_id: ab.combinations[1].id,
    goal: 'signup',
    evidence: {},
  });
  await store.recordAllocation(ab.id, { weights: {} }, 0);
  await store.counters([{ id: ab.id, goal: 'signup' }]);
  await store.previewCombination(ab.id, ab.combinations[0].id);

  // The reports.
  seen = reports;
  for (const exp of [ab, multi]) {
    await api('GET', `/experiments/${exp.id}`);
    for (const interval of ['minute', 'hour', 'day'])
      await api('GET', `/experiments/${exp.id}/timeseries?interval=${interval}`);
    await api('GET', `/experiments/${exp.id}/timeseries?goal=revenue`);
    await api('GET', `/experiments/${exp.id}/export.csv`);
  }
  await api('GET', '/experiments');

  // Completing, retention, archive, delete.
  seen = management;
  await api('POST', `/experiments/${ab.id}/complete`);
  await database.db.asSystem((q) =>
    q.query(`UPDATE experiments SET completed_at = now() - interval '40 days'`),
  );
  await createRetention(db).run({ days: 30 });
  await api('POST', `/experiments/${ab.id}/archive`);
  await api('POST', `/experiments/${ab.id}/restore`);
  await api('DELETE', `/experiments/${multi.id}`);
  await api('GET', `/experiments/${ab.id}/preview-links`);
  expect(all.size).toBeGreaterThan(50);
  console.log(
    `recorded ${all.size} distinct statements: tracker ${tracker.size}, reports ${reports.size}, management ${management.size}`,
  );
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function check(statements: Set<string>): Promise<StatementReport[]> {
  const checker = new StatementChecker(placement);
  return Promise.all([...statements].map((sql) => checker.check(sql)));
}

const knownFor = (report: StatementReport) => KNOWN_STATEMENTS.find((k) => k.statement.test(report.sql));

describe('docs/scaling.md#citus', () => {
  it('gives every table a placement, and the schema keeps the rules but for the breaches it lists', async () => {
    expect(placement.get('assignments')).toEqual({ kind: 'distributed', column: 'experiment_id' });
    const found = await database.db.asSystem((q) => schemaViolations(q, placement));
    expect(found.sort()).toEqual([...KNOWN_SCHEMA].sort());
  });

  it('every statement keeps the rules but for the breaches it lists, each of which still occurs', async () => {
    const all = await check(new Set([...tracker, ...reports, ...management]));
    const unexpected = all.filter(
      (r) => r.violations.join('\n') !== (knownFor(r)?.violations ?? []).join('\n'),
    );
    expect(unexpected.map((r) => ({ sql: r.sql.slice(0, 160), violations: r.violations }))).toEqual([]);
    for (const known of KNOWN_STATEMENTS) {
      expect(
        all.some((r) => known.statement.test(r.sql)),
        String(known.statement),
      ).toBe(true);
    }
  });

  it('every report statement reaches only the experiment it reports on', async () => {
    const found = await check(reports);
    // `= ANY($1)` with the one experiment of the report is 'multi' here: the shards of a list.
    // Only the list of one's own experiments reads every shard (by owner).
    const everywhere = found.filter((r) => r.reach === 'all').map((r) => r.sql);
    expect(everywhere.length).toBe(2);
    for (const sql of everywhere) expect(sql).toMatch(/FROM experiments WHERE owner_id = \$1/);
    expect(found.filter((r) => r.reach === 'single').length).toBeGreaterThan(8);
  });

  it('prints where each tracker statement runs', async () => {
    const found = await check(tracker);
    for (const r of found)
      console.log(
        `${r.reach.padEnd(6)} ${r.violations.length ? `[${r.violations.map((v) => v.slice(0, 2)).join(' ')}] ` : ''}${r.sql.slice(0, 110)}`,
      );
    const batch = found.filter((r) => knownFor(r));
    expect(batch.map((r) => r.reach)).toEqual(['multi', 'multi']);
  });
});
