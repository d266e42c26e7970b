import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.js';
import { canCreateCluster, createPgCluster, type PgCluster } from './helpers/pg-cluster.js';

const DATABASES = 6;
const ROUNDS = 4;

// Roles are cluster-wide while the migration lock is per database: several installations on one
// PostgreSQL (one database each) that start together all try to create the same roles. The test
// owns its cluster, so it can drop the roles between rounds and make every round a first start.
describe.runIf(process.env.TEST_DATABASE_URL && canCreateCluster)(
  'installations migrating databases of one cluster at once',
  () => {
    let cluster: PgCluster;
    const admin = () => new pg.Client({ connectionString: cluster.url });

    beforeAll(async () => {
      cluster = await createPgCluster('samplit_migrate');
    });
    afterAll(() => cluster?.destroy());

    it(`all succeed, round after round (${ROUNDS} rounds × ${DATABASES} databases)`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const client = admin();
        await client.connect();
        const names = Array.from({ length: DATABASES }, (_, i) => `install_${round}_${i}`);
        for (const name of names) await client.query(`CREATE DATABASE ${name}`);
        await client.end();

        const results = await Promise.allSettled(
          names.map((name) => openDatabase({ databaseUrl: cluster.url.replace(/\/postgres$/, `/${name}`) })),
        );
        const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
        expect(failures).toEqual([]);
        for (const r of results) {
          if (r.status !== 'fulfilled') continue;
          expect(r.value.applied.length).toBeGreaterThan(0);
          // Each database works as the app role afterwards.
          expect(await r.value.db.query('SELECT current_user AS role')).toEqual([{ role: 'samplit_app' }]);
          await r.value.db.close();
        }

        const cleanup = admin();
        await cleanup.connect();
        for (const name of names) await cleanup.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await cleanup.query('DROP ROLE samplit_app');
        await cleanup.query('DROP ROLE samplit_system');
        await cleanup.end();
      }
    }, 120_000);
  },
);
