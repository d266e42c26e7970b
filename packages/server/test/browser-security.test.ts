/**
 * The security headers in a real browser. Swagger UI at /docs, and a page shaped like the future
 * dashboard (a Vite build: module script, stylesheet, data: image, fetch to the API), render
 * under the Content-Security-Policy every response carries, with no violation reported. A
 * customer page on another origin that isolates itself (Cross-Origin-Embedder-Policy) can still
 * load the SDK and call the tracker.
 * Needs Debian's chromium (CI installs it); skipped with a message without it.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, createTestApp, signUp, type TestContext } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`browser-security: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/** Assets of a dashboard-like page, served by the app under test so they get its headers. */
const SPA = {
  '/spa/': {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" crossorigin href="/spa/assets/index-3f9a1c.css">
<script type="module" crossorigin src="/spa/assets/index-8d2e4b.js"></script>
</head><body><div id="root"></div>
<img id="logo" alt="" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E">
</body></html>`,
  },
  '/spa/assets/index-3f9a1c.css': {
    type: 'text/css; charset=utf-8',
    body: '#root { color: rgb(0, 128, 0); }',
  },
  '/spa/assets/index-8d2e4b.js': {
    type: 'text/javascript; charset=utf-8',
    body: `const root = document.getElementById('root');
const health = await (await fetch('/health')).json();
const status = document.createElement('p');
status.id = 'status';
status.textContent = health.status;
status.style.setProperty('font-weight', '700'); // what React's style prop does
root.append(status);`,
  },
};

let ctx: TestContext;
let base: string;
let browser: Browser;
let experimentId: string;

beforeAll(async () => {
  if (!hasChromium) return;
  ctx = await createTestApp();
  for (const [url, asset] of Object.entries(SPA)) {
    ctx.app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply.type(asset.type).send(asset.body),
    );
  }
  experimentId = (await launch(ctx.app, (await signUp(ctx.app)).headers, AB_TEST)).id;
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

/** A page that records every CSP violation the browser reports, as an event or on the console. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await browser.newPage();
  const console: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      ),
    );
  });
  return {
    page,
    violations: async () => [
      ...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)),
      ...console,
    ],
  };
}

describe.skipIf(!hasChromium)('CSP in Chromium', () => {
  it('Swagger UI at /docs renders the operations and can call the API without a violation', async () => {
    const { page, violations } = await watchedPage();
    const response = await page.goto(`${base}/docs`);
    expect(response?.status()).toBe(200);
    const policy = (await response?.headerValue('content-security-policy')) ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');

    const assign = page.locator('.opblock-summary-path[data-path="/api/v1/tracker/assign"]');
    await assign.waitFor({ state: 'visible' });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);

    // Open the operation and run it: schemas, the body editor and a fetch to the API.
    await assign.click();
    const operation = page.locator('#operations-tracker-post_api_v1_tracker_assign');
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ state: 'visible' });
    // The example body names no real experiment: the API answered, with its 404.
    expect((await status.textContent())?.trim()).toBe('404');

    expect(await violations()).toEqual([]);

    // The watcher does see a violation: an injected inline script is blocked and reported.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect((await violations()).some((v) => v.startsWith('script-src-elem blocked inline'))).toBe(true);
    await page.close();
  });

  it('a dashboard-shaped page (module script, stylesheet, data: image, fetch) works under it', async () => {
    const { page, violations } = await watchedPage();
    const response = await page.goto(`${base}/spa/`);
    expect(response?.status()).toBe(200);
    const status = page.locator('#status');
    await status.waitFor({ state: 'visible' });
    expect(await status.textContent()).toBe('ok');
    expect(await status.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(0, 128, 0)');
    expect(await status.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    expect(await page.locator('#logo').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(4);
    expect(await violations()).toEqual([]);

    // Framing is refused, by this origin too (frame-ancestors 'none'): the frame never runs.
    await page.goto(`${base}/nowhere`);
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
      return new Promise((resolve) => frame.addEventListener('load', resolve));
    }, `${base}/spa/`);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    expect(await framed?.locator('#status').count()).toBe(0);
    expect((await violations()).some((v) => /frame-ancestors/.test(v))).toBe(true);
    await page.close();
  });

  it('a customer page under Cross-Origin-Embedder-Policy loads the SDK and calls the tracker', async () => {
    // Another origin (another port) that opts into cross-origin isolation.
    const customer: Server = createServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-opener-policy': 'same-origin',
      });
      response.end(`<!doctype html><html><head>
<script src="${base}/sdk/samplit.js"></script>
<script>window.sameOriginOnly = 'pending';</script>
<script src="${base}/docs/static/swagger-ui-standalone-preset.js"
  onload="window.sameOriginOnly = 'loaded'" onerror="window.sameOriginOnly = 'blocked'"></script>
</head><body></body></html>`);
    });
    await new Promise<void>((resolve) => customer.listen(0, '127.0.0.1', resolve));
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(customer.address() as AddressInfo).port}/`);
      expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
      // The control: a resource left at CORP same-origin is refused by such a page.
      await page.waitForFunction(
        () => (window as unknown as { sameOriginOnly: string }).sameOriginOnly !== 'pending',
      );
      expect(
        await page.evaluate(() => (window as unknown as { sameOriginOnly: string }).sameOriginOnly),
      ).toBe('blocked');
      const assignment = await page.evaluate(
        (id) =>
          (
            window as unknown as {
              samplit: { assign(id: string): Promise<{ eligible: boolean; reason?: string }> };
            }
          ).samplit.assign(id),
        experimentId,
      );
      expect(assignment.reason).toBeUndefined();
      expect(assignment.eligible).toBe(true);
      await page.close();
    } finally {
      await new Promise((resolve) => customer.close(resolve));
    }
  });
});
