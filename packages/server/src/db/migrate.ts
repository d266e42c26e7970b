import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { APP_ROLE, type Queryable, SYSTEM_ROLE } from './database.js';
import { sqlState } from './sql-error.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
// Serialises migrations when several processes start at once against one PostgreSQL.
const MIGRATION_LOCK_ID = 726_451_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number.parseInt(file, 10),
      name: file.replace(/\.sql$/, ''),
      sql: await readFile(`${dir}${file}`, 'utf8'),
    })),
  );
}

/** A connection able to run multi-statement scripts (simple query protocol). */
export interface MigrationConnection extends Queryable {
  exec(sql: string): Promise<void>;
}

// The roles the sessions switch to, and the login role's membership in them (so it may SET ROLE;
// looked up in pg_auth_members because pg_has_role is always true for a superuser, whose missing
// membership the first migration's GRANT would then add, racing again).
const memberOf = (role: string) =>
  `EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = '${role}'::regrole AND m.member = current_user::regrole)`;
const ROLES_SQL = `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SYSTEM_ROLE}') THEN CREATE ROLE ${SYSTEM_ROLE} NOLOGIN; END IF;
  IF NOT ${memberOf(APP_ROLE)} THEN GRANT ${APP_ROLE} TO CURRENT_USER; END IF;
  IF NOT ${memberOf(SYSTEM_ROLE)} THEN GRANT ${SYSTEM_ROLE} TO CURRENT_USER; END IF;
END
$$`;

/**
 * What a concurrent creation of the same cluster-wide object looks like: 23505 (the catalog's
 * unique index, when two sessions insert the same role name), 42710 (duplicate object), XX000
 * ("tuple concurrently updated", two GRANTs of one membership).
 */
const CONCURRENT_DDL_STATES = new Set(['23505', '42710', 'XX000', '40001', '40P01']);
const ROLE_ATTEMPTS = 10;

/**
 * Roles belong to the cluster, not to a database, so the per-database migration lock cannot
 * serialise their creation: two installations migrating two databases of one cluster race.
 * Creating them is idempotent, so a conflict means another installation just did it: try again.
 */
async function ensureRoles(conn: MigrationConnection): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await conn.exec(ROLES_SQL);
      return;
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= ROLE_ATTEMPTS || !state || !CONCURRENT_DDL_STATES.has(state)) throw error;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 50 * attempt));
    }
  }
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction,
 * in version order, under a lock that serialises installations sharing the database. Returns the
 * names applied.
 */
export async function migrate(conn: MigrationConnection, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  await ensureRoles(conn);
  // Everything else, the migrations table included (CREATE TABLE IF NOT EXISTS is not safe
  // against a concurrent one), happens under the database's migration lock.
  await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
  try {
    await conn.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await conn.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      await conn.exec(
        `BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name.replaceAll("'", "''")}');\nCOMMIT;`,
      );
      applied.push(m.name);
    }
    return applied;
  } catch (error) {
    await conn.exec('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
  }
}
