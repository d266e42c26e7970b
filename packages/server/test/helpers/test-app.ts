import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type App, buildApp } from '../../src/app.js';
import { type Config, loadConfig, MEMORY_DATA_DIR } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createScratchDatabase } from '../../src/db/scratch-database.js';

export interface TestContext {
  app: App;
  db: Database;
  config: Config;
  close(): Promise<void>;
}

/**
 * A real database per test file: an in-memory PGlite by default, or a fresh database on the
 * PostgreSQL server of TEST_DATABASE_URL (created here, dropped on close).
 */
export async function openTestDatabase(): Promise<{ db: Database; close(): Promise<void>; url?: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const { db } = await openDatabase({ dataDir: MEMORY_DATA_DIR });
    return { db, close: () => db.close() };
  }
  const scratch = await createScratchDatabase(serverUrl, 'samplit_test');
  const { db } = await openDatabase({ databaseUrl: scratch.url, poolSize: 5 });
  return {
    db,
    url: scratch.url,
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestContext> {
  const database = await openTestDatabase();
  const config = loadConfig(
    {},
    {
      dataDir: MEMORY_DATA_DIR,
      jwtSecret: 'test-secret-'.padEnd(40, 'x'),
      // Test files sign up many users from one address; the limit's own tests lower it again.
      registerRateLimitPerHour: 100_000,
      ...overrides,
    },
  );
  const app = await buildApp({ config, db: database.db, logger: false });
  return {
    app,
    db: database.db,
    config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let counter = 0;

/** Registers a fresh user and returns its id, email and bearer headers. */
export async function signUp(app: App, email = `user${++counter}-${randomUUID().slice(0, 8)}@example.com`) {
  const password = 'correct horse battery';
  const registered = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password },
  });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.body}`);
  const token = await app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password } });
  const { access_token } = token.json() as { access_token: string };
  return {
    id: (registered.json() as { id: string }).id,
    email,
    password,
    headers: { authorization: `Bearer ${access_token}` },
  };
}

export const AB_TEST = {
  name: 'Homepage CTA',
  type: 'ab_test',
  traffic_allocation: 'adaptive',
  url: 'https://shop.example/',
  selector: '#cta',
  variants: [
    { name: 'Control', content: { text: 'Buy now' } },
    { name: 'Green', content: { text: 'Get started', styles: { background: 'green' } } },
  ],
};

export const MULTI_ELEMENT = {
  name: 'Hero test',
  type: 'multi_element',
  traffic_allocation: 'adaptive',
  elements: [
    { name: 'CTA Button', selector: '#cta', variants: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] },
    { name: 'Hero Copy', selector: 'h1', variants: [{ name: 'X' }, { name: 'Y' }, { name: 'Z' }] },
  ],
};

/**
 * The test file's (or describe block's) app, as fastify/demo's `build(t)`: created before its
 * tests, closed after them. The returned object is filled in by the time the first test runs.
 */
export function useTestApp(overrides: Partial<Config> = {}): TestContext {
  const ctx = {} as TestContext;
  beforeAll(async () => {
    Object.assign(ctx, await createTestApp(overrides));
  });
  afterAll(async () => {
    await ctx.close?.();
  });
  return ctx;
}
