/**
 * A proxied page in real headless Chromium, framed by a dashboard-like page: the agent runs
 * before the page's scripts, the page's own scripts and styles still load from the real site
 * through <base>, under our CSP with no violation, with no cookie of the target's; a page of
 * another origin cannot frame it. Needs Debian's chromium; skipped with a message without it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxyTokenService } from '../../src/visual-editor/proxy-token.js';
import { startTargetSites, startTestEditorApp, type TestEditorApp } from '../helpers/editor-app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`proxy-browser: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const SECRET = 'proxy-browser-test-secret'.padEnd(40, 'x');

const PAGE = `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="script-src 'none'">
<link rel="stylesheet" href="style.css">
<script src="app.js"></script>
</head><body><h1 id="hero">Pricing</h1>
<script>window.__order.push('inline'); document.cookie = 'page_set=1';</script>
</body></html>`;

describe.skipIf(!hasChromium)('a proxied page in Chromium', () => {
  let sites: Awaited<ReturnType<typeof startTargetSites>>;
  let editor: TestEditorApp;
  let dashboard: Server;
  let dashboardOrigin: string;
  let browser: Browser;
  let bundleDir: string;

  beforeAll(async () => {
    sites = await startTargetSites((req, res) => {
      if (req.url === '/shop/pricing') {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'set-cookie': 'target_session=secret; Path=/',
          'x-frame-options': 'DENY',
          'content-security-policy': "frame-ancestors 'none'",
        });
        return void res.end(PAGE);
      }
      if (req.url === '/shop/app.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        return void res.end("window.__order.push('app'); window.__baseURI = document.baseURI;");
      }
      if (req.url === '/shop/style.css') {
        res.writeHead(200, { 'content-type': 'text/css' });
        return void res.end('#hero { color: rgb(0, 128, 0); }');
      }
      res.writeHead(404).end();
    });
    bundleDir = mkdtempSync(join(tmpdir(), 'samplit-agent-'));
    // A stand-in agent, in this test's temporary directory only: it records that it ran first.
    writeFileSync(
      join(bundleDir, 'samplit-editor.min.js'),
      `window.__order = ['agent']; window.__agentData = Object.assign({}, document.currentScript.dataset);
       window.__violations = [];
       document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    editor = await startTestEditorApp(
      { jwtSecret: SECRET, editorAllowedAddresses: ['127.0.0.2/32'], editorAllowedPorts: [sites.port] },
      { agentBundlePath: join(bundleDir, 'samplit-editor.min.js') },
    );
    dashboard = createServer((req, res) => {
      const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><iframe id="editor" src="${src.replaceAll('"', '&quot;')}" width="800" height="600"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => dashboard.listen(0, '127.0.0.1', () => resolve()));
    dashboardOrigin = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => dashboard?.close(resolve));
    await editor?.close();
    await sites?.close();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  const proxied = (parentOrigin: string) => {
    const { token } = createProxyTokenService(SECRET).issue({
      userId: '00000000-0000-4000-8000-000000000003',
      parentOrigin,
    });
    const target = `http://127.0.0.2:${sites.port}/shop/pricing`;
    return `${editor.url}/api/v1/visual-editor/proxy?url=${encodeURIComponent(target)}&token=${token}`;
  };

  it('runs the agent first, then the page’s own scripts and styles from the real site', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${dashboardOrigin}/?src=${encodeURIComponent(proxied(dashboardOrigin))}`);
      const frame = await (await page.waitForSelector('#editor')).contentFrame();
      if (!frame) throw new Error('no frame');
      await frame.waitForFunction(() => (window as unknown as { __order?: string[] }).__order?.length === 3);
      const seen = await frame.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        return {
          order: w.__order,
          agentData: w.__agentData,
          baseURI: w.__baseURI,
          color: getComputedStyle(document.getElementById('hero') as HTMLElement).color,
          cookie: document.cookie,
          violations: w.__violations,
          origin: location.origin,
        };
      });
      const target = `http://127.0.0.2:${sites.port}`;
      expect(seen).toEqual({
        order: ['agent', 'app', 'inline'],
        agentData: { samplitEditor: '', url: `${target}/shop/pricing`, parentOrigin: dashboardOrigin },
        baseURI: `${target}/shop/pricing`,
        color: 'rgb(0, 128, 0)',
        // The target's Set-Cookie never reached the browser; the page's own script may set one
        // on the editor origin, which holds nothing else.
        cookie: 'page_set=1',
        violations: [],
        origin: editor.url,
      });
      expect(sites.public.requests).toEqual(expect.arrayContaining(['/shop/app.js', '/shop/style.css']));
      expect(sites.blocked.requests).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('another origin cannot frame the page (frame-ancestors is the token’s dashboard)', async () => {
    const page = await browser.newPage();
    try {
      // The dashboard server reached as localhost: a different origin from the token's.
      const other = dashboardOrigin.replace('127.0.0.1', 'localhost');
      await page.goto(`${other}/?src=${encodeURIComponent(proxied(dashboardOrigin))}`);
      const frame = await (await page.waitForSelector('#editor')).contentFrame();
      await page.waitForTimeout(500);
      const ran = await frame
        ?.evaluate(() => (window as unknown as { __order?: string[] }).__order ?? null)
        .catch(() => null);
      expect(ran ?? null).toBeNull();
    } finally {
      await page.close();
    }
  });
});
