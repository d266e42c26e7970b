import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  /** The new database's connection string. */
  url: string;
  /** Drops it, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database on the PostgreSQL server of `serverUrl` (its login must be allowed to
 * create databases), for a test file or a benchmark run that must not share state with anyone.
 */
export async function createScratchDatabase(
  serverUrl: string,
  prefix = 'samplit_scratch',
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
