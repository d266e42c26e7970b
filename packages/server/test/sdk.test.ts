import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

describe('GET /sdk/samplit.js', () => {
  it('serves the built script-tag bundle with cache headers and revalidation', async () => {
    const built = readFileSync(createRequire(import.meta.url).resolve('@samplit/sdk/samplit.min.js'), 'utf8');
    const res = await ctx.app.inject({ method: 'GET', url: '/sdk/samplit.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('max-age=300');
    expect(res.body).toBe(built);
    const again = await ctx.app.inject({
      method: 'GET',
      url: '/sdk/samplit.js',
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});
