import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_DIST } from '../src/dashboard/dashboard-routes.js';
import { useTestApp } from './helpers/test-app.js';

// The dashboard is built by `npm install` (the root `prepare` script), as CI does.
const asset = readdirSync(`${DASHBOARD_DIST}assets`).find((f) => f.endsWith('.js'));

describe('the dashboard, served by the API at /', () => {
  const ctx = useTestApp();
  const get = (url: string, accept = 'text/html') =>
    ctx.app.inject({ method: 'GET', url, headers: { accept } });

  it('serves its page at / and never lets it be cached, under the security headers', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('<div id="root">');
  });

  it('lets its page frame the visual editor’s origin and nothing else', async () => {
    const page = (host: string) =>
      ctx.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html', host } });
    const res = await page('samplit.test:8000');
    expect(res.statusCode).toBe(200);
    // The editor app's port (default PORT+1) on the host the browser used.
    expect(res.headers['content-security-policy']).toMatch(
      new RegExp(`frame-src 'self' http://samplit\\.test:${ctx.config.editorPort}$`),
    );
    // An API response frames nothing (default-src 'self' and frame-ancestors 'none' only).
    const api = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(api.headers['content-security-policy']).not.toContain('frame-src');
    // A Host header that would end the source list is refused, not copied into the policy.
    const bad = await page("evil;script-src 'unsafe-inline'");
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('caches its hashed assets for a year', async () => {
    const res = await get(`/assets/${asset}`, '*/*');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers the app’s own routes with its page, so they survive a reload', async () => {
    for (const path of [
      '/experiments/new',
      '/experiments/4f1b8a52-8f7e-4a63-9a0f-6c1e2b3d4e5f',
      '/sign-in',
    ]) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('leaves API paths and non-browser requests to the API’s 404', async () => {
    for (const path of ['/api/v1/nope', '/docs/nope', '/sdk/nope.js', '/assets/missing.js']) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json().error.code).toBe('REQUEST_ROUTE_001');
    }
    const json = await get('/experiments/new', 'application/json');
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('REQUEST_ROUTE_001');
  });
});
