/**
 * Scale benchmark (README, "Scale"; docs/scaling.md). Grows the tracker's tables step by step
 * (bulk-loaded as the tracker would have written them, bulk-load.ts) and at each size measures the
 * tracker with its real statements over HTTP: new-visitor assign and convert (events of loaded
 * visitors, at random), throughput, p99 and WAL per request, next to bare Fastify measured at the
 * same step, plus the tables' and indexes' sizes per million rows. Two layouts: every row in one
 * running experiment, and the same number of rows spread over many (the same visitors in each,
 * as on a site running several tests), measured on one of them.
 *
 *   npm run bench:scale
 *   SIZES=100000,1000000 LAYOUTS=one SECONDS=5 npm run bench:scale
 *   EXPERIMENTS=20 CONNECTIONS=50 WORKERS=1 PGURL=postgres://postgres@127.0.0.1:5432 npm run bench:scale
 *   RESULTS=scale.json npm run bench:scale   # also writes every step as JSON (bench/scale/chart.ts draws it)
 *   CHECKPOINT=0 npm run bench:scale         # no checkpoint forced before each phase
 *   IDS=random npm run bench:scale           # random UUIDs as visitor ids (the SDK's time-ordered ids by default)
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { stopProcess } from '../tracker/processes.js';
import { benchAccount, sql, startBareFastify, startSamplit } from '../tracker/samplit.js';
import { ensureWrk, type WrkResult, wrk } from '../tracker/wrk.js';
import { BASE_MS, bulkLoad } from './bulk-load.js';

const SIZES = (process.env.SIZES ?? '100000,1000000,3000000,10000000').split(',').map(Number);
const LAYOUTS = (process.env.LAYOUTS ?? 'one,many').split(',') as ('one' | 'many')[];
const EXPERIMENTS = Number(process.env.EXPERIMENTS ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WORKERS = Number(process.env.WORKERS ?? 1);
const CHECKPOINT = process.env.CHECKPOINT !== '0';
/** Visitor ids as the SDK makes them (time-ordered), or random UUIDs (IDS=random: the SDK's before). */
const IDS = process.env.IDS === 'random' ? 'random' : 'time';
const PGURL = process.env.PGURL ?? 'postgres://postgres@127.0.0.1:5432';
const DB_NAME = 'samplit_scale';
const SAMPLIT = 'http://127.0.0.1:18180';
const FASTIFY = 'http://127.0.0.1:18190';
const TABLES = ['assignments', 'conversions'];

interface Step {
  layout: string;
  rows: number;
  baseline: WrkResult;
  assign: WrkResult;
  convert: WrkResult;
  walPerAssign: number;
  walPerConvert: number;
  /** Blocks read from outside shared_buffers per request. */
  readsPerAssign: number;
  readsPerConvert: number;
  sizes: { table: string; relation: string; bytes: number; rows: number }[];
}

const MB = 1024 * 1024;
const fmt = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const ratio = (r: WrkResult, base: WrkResult) => `${((100 * r.reqPerSec) / base.reqPerSec).toFixed(1)}%`;

async function measureStep(
  pool: pg.Pool,
  layout: string,
  experimentId: string,
  loaded: number,
): Promise<Omit<Step, 'sizes' | 'rows'>> {
  const phase = { connections: CONNECTIONS, seconds: SECONDS, url: SAMPLIT, script: 'scale.lua' as const };
  const lsn = async () =>
    (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
  // Blocks the database read from outside shared_buffers (the OS's cache or the disk). Backends
  // publish their counts at most once a second under load and within 10 s once idle: read after 11.
  const blocksRead = async () => {
    await new Promise((r) => setTimeout(r, 11_000));
    await pool.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await pool.query<{ n: string }>(
      'SELECT blks_read AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0].n);
  };
  const walPerRequest = async (run: () => Promise<WrkResult>) => {
    // Each phase starts on a fresh checkpoint (unless CHECKPOINT=0), so its WAL includes the
    // full-page image of every page it is the first to touch since: the seconds right after each
    // checkpoint, the worst of a checkpoint cycle. CHECKPOINT=0 measures wherever the cycle is.
    const reads = await blocksRead();
    if (CHECKPOINT) await pool.query('CHECKPOINT');
    const before = await lsn();
    const result = await run();
    const { rows } = await pool.query<{ bytes: string }>(
      'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS bytes',
      [before],
    );
    const requests = Math.max(1, result.requests);
    return {
      result,
      wal: Number(rows[0].bytes) / requests,
      reads: ((await blocksRead()) - reads) / requests,
    };
  };
  const baseline = await wrk({
    ...phase,
    name: 'bare Fastify POST JSON',
    url: `${FASTIFY}/`,
    script: 'post-json.lua',
  });
  const env = (path: string, loadedVisitors: number) => ({
    TRACKER_PATH: `/api/v1/tracker/${path}`,
    EXPERIMENT_ID: experimentId,
    LOADED: String(loadedVisitors),
    SEED: String(loaded),
    IDS,
    BASE_MS: String(BASE_MS),
    START_MS: String(Date.now()),
  });
  const assign = await walPerRequest(() =>
    wrk({ ...phase, name: `${layout}: assign`, env: env('assign', 0) }),
  );
  const convert = await walPerRequest(() =>
    wrk({ ...phase, name: `${layout}: convert`, env: env('convert', loaded) }),
  );
  return {
    layout,
    baseline,
    assign: assign.result,
    convert: convert.result,
    walPerAssign: assign.wal,
    walPerConvert: convert.wal,
    readsPerAssign: assign.reads,
    readsPerConvert: convert.reads,
  };
}

/** Heap and index sizes of the tracker's tables, summed over partitions if there are any. */
async function relationSizes(pool: pg.Pool) {
  const out: Step['sizes'] = [];
  for (const table of TABLES) {
    const { rows: counted } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    const { rows } = await pool.query<{ relation: string; bytes: string }>(
      `SELECT r.relname AS relation, coalesce((SELECT sum(pg_relation_size(p.relid)) FROM pg_partition_tree(r.oid) p), pg_relation_size(r.oid)) AS bytes
       FROM pg_class r
       WHERE r.oid = $1::regclass OR r.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = $1::regclass)
       ORDER BY r.oid <> $1::regclass, r.relname`,
      [table],
    );
    for (const r of rows)
      out.push({ table, relation: r.relation, bytes: Number(r.bytes), rows: Number(counted[0].n) });
  }
  return out;
}

async function runLayout(layout: 'one' | 'many'): Promise<Step[]> {
  await sql(PGURL, 'postgres', `DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await sql(PGURL, 'postgres', `CREATE DATABASE ${DB_NAME}`);
  const samplit = await startSamplit({ url: SAMPLIT, pgUrl: PGURL, database: DB_NAME, workers: WORKERS });
  const pool = new pg.Pool({ connectionString: `${PGURL}/${DB_NAME}`, max: 2 });
  const steps: Step[] = [];
  try {
    const { launch } = await benchAccount(SAMPLIT);
    const count = layout === 'one' ? 1 : EXPERIMENTS;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await launch(`Scale ${layout} ${i + 1}`));
    // Warm-up (JIT, pools, the runtime's snapshot; records each experiment's first epoch).
    for (const id of ids) {
      await wrk({
        connections: CONNECTIONS,
        seconds: id === ids[0] ? 3 : 1,
        name: 'warm-up',
        url: SAMPLIT,
        script: 'scale.lua',
        env: {
          TRACKER_PATH: '/api/v1/tracker/assign',
          EXPERIMENT_ID: id,
          LOADED: '0',
          SEED: '7',
          IDS,
          START_MS: String(Date.now()),
        },
      });
    }
    let perExperiment = 0;
    for (const size of SIZES) {
      const target = Math.floor(size / count);
      const started = Date.now();
      let done = 0;
      const total = (target - perExperiment) * count;
      await bulkLoad(pool, { experimentIds: ids, ids: IDS, from: perExperiment, to: target }, (n) => {
        done += n;
        process.stderr.write(
          `\r  ${layout}: loading ${fmt(size)} rows per table: ${Math.round((100 * done) / total)}%   `,
        );
      });
      perExperiment = target;
      await pool.query(`VACUUM (ANALYZE) ${TABLES.join(', ')}`);
      process.stderr.write(
        `\r  ${layout}: ${fmt(size)} rows per table loaded in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
      );
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM assignments');
      const measured = await measureStep(pool, layout, ids[0], perExperiment);
      const step = { ...measured, rows: Number(rows[0].n), sizes: await relationSizes(pool) };
      steps.push(step);
      printCurve([step], steps.length === 1 && layout === LAYOUTS[0]);
    }
  } finally {
    await pool.end();
    await stopProcess(samplit);
    await sql(PGURL, 'postgres', `DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  }
  return steps;
}

function printCurve(steps: Step[], header: boolean) {
  if (header) {
    console.log(
      '| layout | assignments rows | bare Fastify req/s | assign req/s (vs Fastify) | assign p99 ms | WAL / blocks read per assign | convert req/s (vs Fastify) | convert p99 ms | WAL / blocks read per convert | errors |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
  }
  for (const s of steps) {
    console.log(
      `| ${s.layout} | ${s.rows.toLocaleString('en')} | ${Math.round(s.baseline.reqPerSec)} | ${Math.round(s.assign.reqPerSec)} (${ratio(s.assign, s.baseline)}) | ${s.assign.p99.toFixed(2)} | ${(s.walPerAssign / 1024).toFixed(1)} kB / ${s.readsPerAssign.toFixed(1)} | ${Math.round(s.convert.reqPerSec)} (${ratio(s.convert, s.baseline)}) | ${s.convert.p99.toFixed(2)} | ${(s.walPerConvert / 1024).toFixed(1)} kB / ${s.readsPerConvert.toFixed(1)} | ${s.assign.errors + s.convert.errors} |`,
    );
  }
}

function printSizes(steps: Step[]) {
  console.log('\n| layout | rows | relation | MB | bytes per row |');
  console.log('|---|---|---|---|---|');
  for (const s of steps) {
    for (const r of s.sizes) {
      console.log(
        `| ${s.layout} | ${r.rows.toLocaleString('en')} | ${r.relation} | ${(r.bytes / MB).toFixed(1)} | ${(r.bytes / Math.max(1, r.rows)).toFixed(0)} |`,
      );
    }
  }
}

async function main() {
  await ensureWrk();
  const [settings] = await sql<Record<string, string>>(
    PGURL,
    'postgres',
    `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
            current_setting('max_wal_size') AS max_wal_size, current_setting('wal_compression') AS wal_compression,
            current_setting('synchronous_commit') AS synchronous_commit`,
  );
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}`,
  );
  console.log(
    `PostgreSQL ${settings.version} at ${PGURL}: ${Object.entries(settings)
      .slice(1)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `load: wrk -t1 -c${CONNECTIONS}, ${SECONDS} s per phase${CHECKPOINT ? ', each after a CHECKPOINT' : ''}; visitor ids ${IDS === 'time' ? 'time-ordered (the SDK’s)' : 'random UUIDs'}; Samplit workers ${WORKERS}; sizes ${SIZES.map(fmt).join(', ')} rows in assignments (as many in conversions); many = ${EXPERIMENTS} experiments\n`,
  );
  const fastify = await startBareFastify(FASTIFY);
  const steps: Step[] = [];
  try {
    for (const layout of LAYOUTS) steps.push(...(await runLayout(layout)));
  } finally {
    await stopProcess(fastify);
  }
  printSizes(steps);
  if (process.env.RESULTS) {
    await writeFile(
      process.env.RESULTS,
      JSON.stringify({ date: new Date().toISOString(), settings, steps }, null, 2),
    );
  }
  console.log(`\nload average after the run: ${loadavg()[0].toFixed(2)}`);
  if (steps.some((s) => s.assign.errors + s.convert.errors > 0)) process.exitCode = 1;
}

await main();
