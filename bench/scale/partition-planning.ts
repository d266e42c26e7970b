/**
 * What LIST partitioning `assignments` by experiment (one partition per experiment) would cost the
 * tracker's assign statement (docs/scaling.md, "Partitioning by experiment: measured, not done").
 * On a fresh database with Samplit's schema, a partitioned copy of the table gets P partitions,
 * and the real batch statement (50 new visitors of one experiment) is run under EXPLAIN ANALYZE
 * against the copy and against the table as it is: median planning and execution time of each.
 *
 *   npm run bench:partitions
 *   PARTITIONS=1,10,100,1000 RUNS=20 PGURL=postgres://postgres@127.0.0.1:5432 npm run bench:partitions
 */
import { randomUUID } from 'node:crypto';
import { ASSIGN_SQL, createScratchDatabase, openDatabase } from '@samplit/server';
import pg from 'pg';

const PARTITIONS = (process.env.PARTITIONS ?? '1,10,100,300,1000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 20);
const PGURL = process.env.PGURL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BATCH = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const scratch = await createScratchDatabase(PGURL, 'samplit_partitions');
  const { db } = await openDatabase({ databaseUrl: scratch.url });
  await db.close();
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    await client.query(`INSERT INTO users (email, password_hash) VALUES ('bench@example.com', 'x')`);
    await client.query(
      `CREATE TABLE assignments_by_experiment (LIKE assignments INCLUDING DEFAULTS, PRIMARY KEY (experiment_id, browser_id))
       PARTITION BY LIST (experiment_id)`,
    );
    const experiments: string[] = [];
    const combination = randomUUID();
    console.log(
      '| partitions | plan ms, partitioned | plan ms, as it is | execute ms, partitioned | execute ms, as it is |',
    );
    console.log('|---|---|---|---|---|');
    for (const target of PARTITIONS) {
      while (experiments.length < target) {
        const id = randomUUID();
        await client.query(
          `INSERT INTO experiments (id, owner_id, name, type, status, traffic_allocation)
           SELECT $1, id, 'partition probe', 'ab_test', 'running', 'adaptive' FROM users`,
          [id],
        );
        await client.query(
          `CREATE TABLE "assignments_${id.replaceAll('-', '')}" PARTITION OF assignments_by_experiment FOR VALUES IN ('${id}')`,
        );
        experiments.push(id);
      }
      const timings = {
        partitioned: { plan: [] as number[], run: [] as number[] },
        plain: { plan: [] as number[], run: [] as number[] },
      };
      for (let run = 0; run < RUNS; run++) {
        for (const [kind, sql] of [
          ['partitioned', ASSIGN_SQL.replace(/\bassignments\b/g, 'assignments_by_experiment')],
          ['plain', ASSIGN_SQL],
        ] as const) {
          const ids = Array.from({ length: BATCH }, () => randomUUID());
          const { rows } = await client.query(`EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) ${sql}`, [
            ids.map(() => experiments[0]),
            ids,
            ids.map(() => combination),
            ids.map(() => 1),
            ids.map(() => 0),
            ids.map((_, i) => i),
            run,
          ]);
          const [plan] = rows[0]['QUERY PLAN'];
          timings[kind].plan.push(plan['Planning Time']);
          timings[kind].run.push(plan['Execution Time']);
        }
      }
      const f = (xs: number[]) => median(xs).toFixed(2);
      console.log(
        `| ${target} | ${f(timings.partitioned.plan)} | ${f(timings.plain.plan)} | ${f(timings.partitioned.run)} | ${f(timings.plain.run)} |`,
      );
    }
  } finally {
    await client.end();
    await scratch.drop();
  }
}

await main();
