// Reporting benchmark (a program, not a test): GET /experiments/{id} with live stats, the
// timeseries and the CSV export on an experiment with 10^6 assignments, against the same GET on
// an empty experiment measured in the same run.
//
//   npm run bench:stats                      # embedded PGlite, in memory
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:stats
//   npm run bench:stats -- --assignments 100000 --runs 50
//
// With BENCH_DATABASE_URL a scratch database is created on that server and dropped at the end.
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createScratchDatabase,
  loadConfig,
  MEMORY_DATA_DIR,
  type PgliteDatabase,
  startServer,
} from '@samplit/server';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    assignments: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '100' },
    'skip-export': { type: 'boolean', default: false },
  },
});
const ASSIGNMENTS = Number(args.assignments);
const run = promisify(execFile);
const RUNS = Number(args.runs);

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

const fmt = (x: number) => `${x.toFixed(1)} ms`;

/** `before` runs untimed ahead of each call (here: a new visitor, so no response is cached). */
async function time(runs: number, fn: () => Promise<void>, before?: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up: JIT, plan caches, buffer cache
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out;
}

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, 'samplit_bench') : undefined;
  const config = loadConfig(
    {},
    {
      databaseUrl: scratch?.url,
      dataDir: MEMORY_DATA_DIR,
      jwtSecret: 'bench-secret-'.padEnd(40, 'x'),
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      // The bulk load of 10^6 rows runs through the tracker's pool, whose 5 s timeout is for visitors.
      trackerStatementTimeoutMs: 0,
    },
  );
  const { app, db, url: base, close } = await startServer(config);
  try {
    const credentials = { email: 'bench@example.com', password: 'correct horse battery' };
    await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: credentials });
    const token = (
      await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: credentials })
    ).json();
    const headers = { authorization: `Bearer ${token.access_token}` };
    const create = async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/experiments',
        headers,
        payload: {
          name: 'bench',
          type: 'multi_element',
          traffic_allocation: 'adaptive',
          elements: [
            { name: 'CTA', variants: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] },
            { name: 'Copy', variants: [{ name: 'X' }, { name: 'Y' }, { name: 'Z' }] },
          ],
        },
      });
      const exp = res.json() as { id: string; combinations: { id: string }[] };
      await app.inject({ method: 'POST', url: `/api/v1/experiments/${exp.id}/start`, headers });
      return exp;
    };
    const empty = await create();
    const small = await create();
    const big = await create();

    console.log(
      `database: ${db.kind}; filling one experiment with ${ASSIGNMENTS.toLocaleString('en-US')} assignments…`,
    );
    const fillStarted = performance.now();
    await db.asSystem((q) =>
      q.query(
        `INSERT INTO assignments (experiment_id, browser_id, combination_id, probability)
         SELECT $1, 'visitor-' || i, ($2::uuid[])[1 + i % 9], 1.0 / 9 FROM generate_series(1, 1000) i`,
        [small.id, small.combinations.map((c) => c.id)],
      ),
    );
    await db.asSystem(async (q) => {
      // As the tracker leaves them: assignments spread over a day, ~5% first conversions, the
      // counters that count both, and one allocation-history point a minute.
      await q.query(
        `INSERT INTO assignments (experiment_id, browser_id, combination_id, probability, assigned_at)
         SELECT $1, 'visitor-' || i, ($2::uuid[])[1 + i % 9], 1.0 / 9,
                now() - interval '1 day' + (i * interval '86400 seconds') / $3
         FROM generate_series(1, $3) i`,
        [big.id, big.combinations.map((c) => c.id), ASSIGNMENTS],
      );
      await q.query(
        `INSERT INTO conversions
           (experiment_id, browser_id, combination_id, goal, counted, created_at, visitor_events, visitor_value)
         SELECT experiment_id, browser_id, combination_id, 'conversion', true, assigned_at + interval '1 minute', 1, 0
         FROM assignments WHERE experiment_id = $1 AND hashtext(browser_id) % 20 = 0`,
        [big.id],
      );
      await q.query(
        `INSERT INTO combination_counters (combination_id, experiment_id, shard, visitors)
         SELECT combination_id, experiment_id, 0, count(*) FROM assignments
         WHERE experiment_id = $1 GROUP BY combination_id, experiment_id`,
        [big.id],
      );
      await q.query(
        `INSERT INTO goal_counters (combination_id, experiment_id, goal, shard, converted, events, events_squares)
         SELECT combination_id, experiment_id, goal, 0, count(*), count(*), count(*) FROM conversions
         WHERE experiment_id = $1 AND counted GROUP BY combination_id, experiment_id, goal`,
        [big.id],
      );
      await q.query(
        `INSERT INTO allocation_history (experiment_id, recorded_at, weights)
         SELECT $1, now() - interval '1 day' + m * interval '1 minute',
                jsonb_build_object('phase', 'explore', 'weights',
                  (SELECT jsonb_object_agg(id, 1.0 / 9) FROM unnest($2::uuid[]) id))
         FROM generate_series(0, 1439) m`,
        [big.id, big.combinations.map((c) => c.id)],
      );
    });
    // Planner statistics, as autovacuum would gather after a bulk load. Only the tables' owner may
    // ANALYZE them (the app role's attempt is skipped with a warning).
    if (scratch) {
      const owner = new pg.Client({ connectionString: scratch.url });
      await owner.connect();
      await owner.query('ANALYZE');
      await owner.end();
    } else {
      await (db as PgliteDatabase).pglite.exec('RESET ROLE; ANALYZE; SET ROLE samplit_app');
    }
    console.log(`filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`);

    const inject = (url: string) => async () => {
      const res = await app.inject({ method: 'GET', url, headers });
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    };
    const http = (url: string) => async () => {
      const res = await fetch(`${base}${url}`, { headers });
      if (res.status !== 200) throw new Error(`${url} → ${res.status}`);
      await res.arrayBuffer();
    };
    const check = (await app.inject({ method: 'GET', url: `/api/v1/experiments/${big.id}`, headers })).json();
    console.log(
      `stats of the big experiment: ${check.stats.total_visitors.toLocaleString('en-US')} visitors, ` +
        `${check.stats.total_conversions.toLocaleString('en-US')} conversions, leader ${check.stats.leader.name}\n`,
    );

    // The stats service remembers payloads for unchanged counters; each timed GET follows a new
    // visitor, so every one runs the engine (the worst case of a live experiment).
    const newVisitor = (exp: { id: string; combinations: { id: string }[] }) => async () => {
      await db.asSystem((q) =>
        q.query(
          `INSERT INTO combination_counters (combination_id, experiment_id, shard, visitors) VALUES ($1, $2, 99, 1)
           ON CONFLICT (experiment_id, combination_id, epoch, shard) DO UPDATE SET visitors = combination_counters.visitors + 1`,
          [exp.combinations[0].id, exp.id],
        ),
      );
    };
    const rows: [string, number[]][] = [
      [
        'GET experiment, 0 assignments (inject)',
        await time(RUNS, inject(`/api/v1/experiments/${empty.id}`), newVisitor(empty)),
      ],
      [
        `GET experiment, ${ASSIGNMENTS.toExponential(0)} assignments (inject)`,
        await time(RUNS, inject(`/api/v1/experiments/${big.id}`), newVisitor(big)),
      ],
      [
        `GET experiment, ${ASSIGNMENTS.toExponential(0)} assignments (HTTP)`,
        await time(RUNS, http(`/api/v1/experiments/${big.id}`), newVisitor(big)),
      ],
      [
        `GET experiment, ${ASSIGNMENTS.toExponential(0)}, counters unchanged (HTTP)`,
        await time(RUNS, http(`/api/v1/experiments/${big.id}`)),
      ],
      [
        'timeseries ?interval=hour (HTTP)',
        await time(5, http(`/api/v1/experiments/${big.id}/timeseries?interval=hour`)),
      ],
      [
        'timeseries ?interval=day (HTTP)',
        await time(5, http(`/api/v1/experiments/${big.id}/timeseries?interval=day`)),
      ],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(
      `${'request'.padEnd(width)}  ${'median'.padStart(9)}  ${'p95'.padStart(9)}  ${'max'.padStart(9)}`,
    );
    for (const [label, ms] of rows) {
      const s = summary(ms);
      console.log(
        `${label.padEnd(width)}  ${fmt(s.median).padStart(9)}  ${fmt(s.p95).padStart(9)}  ${fmt(s.max).padStart(9)}`,
      );
    }
    const ratio = summary(rows[1][1]).median / summary(rows[0][1]).median;
    console.log(
      `\nGET with ${ASSIGNMENTS.toLocaleString('en-US')} assignments / GET on an empty experiment: ${ratio.toFixed(2)}×`,
    );

    if (!args['skip-export']) {
      // Live memory (JS heap + buffers outside it, after a full GC, every 100 ms) above what it was
      // before the download: what the export holds, not garbage waiting for collection. (On PGlite
      // the database's own WASM memory is part of it.)
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const exportOnce = async (experimentId: string) => {
        gc();
        const live = () => {
          const m = process.memoryUsage();
          return m.heapUsed + m.external;
        };
        const before = live();
        let peak = before;
        const sampler = setInterval(() => {
          gc();
          peak = Math.max(peak, live());
        }, 100);
        const started = performance.now();
        // Read by a separate process (curl), as a real client would.
        const curl = await run('sh', ['-c', 'curl -sS -H "$AUTH" "$URL" | wc -lc'], {
          env: {
            ...process.env,
            AUTH: `authorization: ${headers.authorization}`,
            URL: `${base}/api/v1/experiments/${experimentId}/export.csv`,
          },
          maxBuffer: 1024,
        });
        clearInterval(sampler);
        const [lines, bytes] = curl.stdout.trim().split(/\s+/).map(Number);
        const seconds = (performance.now() - started) / 1000;
        return { rows: lines - 1, bytes, seconds, heapMb: (peak - before) / 1e6 };
      };
      console.log('\nexport.csv (streamed to curl)');
      for (const [label, id] of [
        ['1,000 assignments', small.id],
        [`${ASSIGNMENTS.toLocaleString('en-US')} assignments`, big.id],
      ]) {
        const r = await exportOnce(id);
        console.log(
          `  ${label.padEnd(22)} ${r.rows.toLocaleString('en-US').padStart(9)} rows, ${(r.bytes / 1e6).toFixed(1).padStart(6)} MB ` +
            `in ${r.seconds.toFixed(1).padStart(5)} s (${Math.round(r.rows / r.seconds).toLocaleString('en-US')} rows/s); ` +
            `peak live memory +${r.heapMb.toFixed(1)} MB`,
        );
      }
    }
  } finally {
    await close();
    await scratch?.drop();
  }
}

await main();
