/**
 * Tracker load benchmark (README, "Performance"). Starts Samplit on the local PostgreSQL and a bare Fastify
 * server, loads both with the same generator (wrk, one thread, loopback, bounded time) and
 * prints req/s, p50 and p99 for assign (new visitors), assign (returning visitors) and convert,
 * each as a ratio of bare Fastify's POST JSON. Exact counts are checked on fixed-size runs
 * (autocannon with a request count, so no request is cut off mid-flight).
 *
 *   npm run bench:tracker
 *   CONNECTIONS=50 SECONDS=10 WORKERS=1 PGURL=postgres://postgres@127.0.0.1:5432 npm run bench:tracker
 *   UNLEASH=0 npm run bench:tracker   # without the Unleash peer (installed from npm on first use)
 */
import { cpus, loadavg } from 'node:os';
import { load } from './load.js';
import { stopProcess } from './processes.js';
import { benchAccount, sql as query, startBareFastify, startSamplit } from './samplit.js';
import { startUnleash, UNLEASH_URL, UNLEASH_VERSION } from './unleash.js';
import { ensureWrk, type WrkResult, wrk } from './wrk.js';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WORKERS = Number(process.env.WORKERS ?? 1);
const EXACT_VISITORS = Number(process.env.EXACT_VISITORS ?? 20_000);
const PGURL = process.env.PGURL ?? 'postgres://postgres@127.0.0.1:5432';
const UNLEASH = process.env.UNLEASH !== '0';
const DB_NAME = 'samplit_bench';
const SAMPLIT = 'http://127.0.0.1:18080';
const FASTIFY = 'http://127.0.0.1:18090';
const sql = <T>(database: string, text: string, params: unknown[] = []) =>
  query<T>(PGURL, database, text, params);

function row(r: WrkResult, baseline?: WrkResult): string {
  const ratio = baseline ? `${((100 * r.reqPerSec) / baseline.reqPerSec).toFixed(1)}%` : '-';
  return `| ${r.name} | ${Math.round(r.reqPerSec)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} | ${ratio} |`;
}

/** Exact counts after fixed-size runs: returns the failed checks. */
async function exactCounts(experimentId: string, assigned: number, events: number, converted: number) {
  const [counts] = await sql<Record<string, number>>(
    DB_NAME,
    `SELECT (SELECT count(*) FROM assignments WHERE experiment_id = $1)::int AS assignments,
            (SELECT coalesce(sum(visitors), 0) FROM combination_counters WHERE experiment_id = $1)::int AS visitors,
            (SELECT count(*) FROM conversions WHERE experiment_id = $1)::int AS events,
            (SELECT count(*) FROM conversions WHERE experiment_id = $1 AND counted)::int AS counted,
            (SELECT coalesce(sum(converted), 0) FROM goal_counters WHERE experiment_id = $1)::int AS successes`,
    [experimentId],
  );
  const checks: [string, number, number][] = [
    ['assignments = 200 responses to new visitors', counts.assignments, assigned],
    ['visitor counters = assignments', counts.visitors, assigned],
    ['stored conversion events = 200 responses to convert', counts.events, events],
    ['counted conversions = distinct converted visitors', counts.counted, converted],
    ['goal counters = counted conversions', counts.successes, converted],
  ];
  for (const [label, got, want] of checks) {
    console.log(
      `  ${got === want ? 'ok  ' : 'FAIL'} ${label}: ${got}${got === want ? '' : ` (expected ${want})`}`,
    );
  }
  return checks.filter(([, got, want]) => got !== want).length;
}

async function main() {
  await ensureWrk();
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}`,
  );
  console.log(
    `load: wrk -t1 -c${CONNECTIONS} for ${SECONDS} s per phase; Samplit workers: ${WORKERS}; PostgreSQL at ${PGURL}\n`,
  );
  await sql('postgres', `DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await sql('postgres', `CREATE DATABASE ${DB_NAME}`);

  const fastify = await startBareFastify(FASTIFY);
  const samplit = await startSamplit({ url: SAMPLIT, pgUrl: PGURL, database: DB_NAME, workers: WORKERS });

  let failures = 0;
  try {
    const { launch } = await benchAccount(SAMPLIT);
    const timedId = await launch('Benchmark: new visitors');
    const exactId = await launch('Benchmark: exact counts');
    const tracker = (path: string, experimentId: string, prefix: string, range = 0) => ({
      TRACKER_PATH: `/api/v1/tracker/${path}`,
      EXPERIMENT_ID: experimentId,
      PREFIX: prefix,
      RANGE: String(range),
    });
    const phase = { connections: CONNECTIONS, seconds: SECONDS };

    // Warm-ups (JIT, connection pools, snapshot cache), not reported.
    await wrk({ ...phase, seconds: 3, name: 'warm-up', url: `${FASTIFY}/`, script: 'post-json.lua' });
    await wrk({
      ...phase,
      seconds: 3,
      name: 'warm-up',
      url: SAMPLIT,
      script: 'tracker.lua',
      env: tracker('assign', timedId, 'w-'),
    });

    const baseline = await wrk({
      ...phase,
      name: 'bare Fastify POST JSON',
      url: `${FASTIFY}/`,
      script: 'post-json.lua',
    });
    // The peer, measured in the same run and stopped before Samplit's phases.
    const peers: WrkResult[] = [];
    if (UNLEASH) {
      const unleash = await startUnleash(PGURL);
      try {
        const peer = (name: string, script: 'unleash-assign.lua' | 'unleash-convert.lua') =>
          wrk({ ...phase, name, url: UNLEASH_URL, script });
        await wrk({ ...phase, seconds: 3, name: 'warm-up', url: UNLEASH_URL, script: 'unleash-assign.lua' });
        peers.push(
          await peer(`Unleash ${UNLEASH_VERSION}: evaluate a variant flag (≈ assign)`, 'unleash-assign.lua'),
        );
        peers.push(
          await peer(`Unleash ${UNLEASH_VERSION}: record variant metrics (≈ convert)`, 'unleash-convert.lua'),
        );
      } finally {
        await stopProcess(unleash);
      }
    }
    const fresh = await wrk({
      ...phase,
      name: 'assign, new visitors',
      url: SAMPLIT,
      script: 'tracker.lua',
      env: tracker('assign', timedId, 'n-'),
    });

    // Fixed-size runs on a second experiment: every request completes, so counts are exact.
    console.log(
      `exact counts (autocannon, ${EXACT_VISITORS} new visitors, then ${EXACT_VISITORS} conversions of half of them):`,
    );
    const body = (n: number) => JSON.stringify({ experiment_id: exactId, browser_id: `r-${n}` });
    const assigned = await load({
      name: 'exact assign',
      url: `${SAMPLIT}/api/v1/tracker/assign`,
      connections: CONNECTIONS,
      amount: EXACT_VISITORS,
      body,
    });
    const half = Math.floor(EXACT_VISITORS / 2);
    const converted = await load({
      name: 'exact convert',
      url: `${SAMPLIT}/api/v1/tracker/convert`,
      connections: CONNECTIONS,
      amount: EXACT_VISITORS,
      body: (n) => body(n % half),
    });
    failures += assigned.non2xx + assigned.errors + converted.non2xx + converted.errors;
    failures += await exactCounts(exactId, assigned.ok, converted.ok, half);

    const returning = await wrk({
      ...phase,
      name: 'assign, returning visitors',
      url: SAMPLIT,
      script: 'tracker.lua',
      env: tracker('assign', exactId, 'r-', EXACT_VISITORS),
    });
    const convert = await wrk({
      ...phase,
      name: 'convert',
      url: SAMPLIT,
      script: 'tracker.lua',
      env: tracker('convert', exactId, 'r-', EXACT_VISITORS),
    });
    const [{ n: stillAssigned }] = await sql<{ n: number }>(
      DB_NAME,
      'SELECT count(*)::int AS n FROM assignments WHERE experiment_id = $1',
      [exactId],
    );
    const sticky = stillAssigned === assigned.ok;
    console.log(`  ${sticky ? 'ok  ' : 'FAIL'} returning visitors created no assignment: ${stillAssigned}`);
    if (!sticky) failures++;

    const results = [fresh, returning, convert];
    failures += results.reduce((s, r) => s + r.errors, 0);
    console.log('\n| phase | req/s | p50 ms | p99 ms | errors | vs Fastify POST |');
    console.log('|---|---|---|---|---|---|');
    console.log(row(baseline));
    for (const r of [...peers, ...results]) console.log(row(r, baseline));
    console.log(
      `\nload average after the run: ${loadavg()[0].toFixed(2)}; ${failures === 0 ? 'no errors, counts exact' : `${failures} failures`}`,
    );
  } finally {
    await Promise.all([stopProcess(samplit), stopProcess(fastify)]);
    await sql('postgres', `DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  }
  if (failures) process.exitCode = 1;
}

await main();
