import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/test-app.js';

const ctx = useTestApp();

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
