/**
 * The visual editor's agent (dist/samplit-editor.min.js) in a real headless Chromium, across real
 * origins: a dashboard stand-in on http://localhost:<port> frames a page of the editor origin
 * (http://127.0.0.1:<other port>), which is a small single-page app (test/editor-site) of a third
 * origin, rewritten the way the editor proxy rewrites pages (contract §3: <base> of the real page,
 * the agent's script tag first in <head>, Samplit's CSP). The proxy itself (fetching, SSRF checks,
 * parse5 rewrite, token) is the server's and tested there; here the page side of the protocol is.
 *
 * Run: npm run test:e2e -w @samplit/sdk    (Chromium: apt-get install -y chromium)
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentMessage } from '../src/editor/protocol.js';
import { launchChromium } from './chromium.js';

const SDK_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SITE_ROOT = SDK_ROOT + 'test/editor-site/';

let site: string;
let editor: string;
let dashboard: string;
let browser: Browser;
const servers: Server[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, [SDK_ROOT + 'scripts/build.mjs'], { stdio: 'inherit' });
  site = await listen(serveSite);
  editor = await listen(serveEditor);
  dashboard = (await listen(serveDashboard)).replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('visual editor agent in Chromium', () => {
  it('talks to a parent on another origin: ready, preview kept across re-renders, select without the page’s handler, routes, navigations', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text() + ' ' + m.location().url));
    page.on('requestfailed', (r) => errors.push('failed ' + r.url()));
    await page.goto(`${dashboard}/editor.html?page=${encodeURIComponent(site + '/shop')}`);

    const ready = await nextMessage(page, 'ready');
    expect(ready).toMatchObject({ url: site + '/shop', title: 'Acme shop' });
    const frame = page.frame({ url: (u) => u.origin === editor })!;
    expect(frame).toBeTruthy();
    // The page sees the real path, on the editor origin, and the token is gone from its URL.
    expect(await frame.evaluate(() => [location.origin, location.pathname, location.search])).toEqual([
      editor,
      '/shop',
      '',
    ]);
    await frame.waitForSelector('#cta');

    // Preview: text and background through the SDK's applyContent.
    await send(page, {
      type: 'preview',
      variants: [
        { selector: '#cta', content: { text: 'Buy now', styles: { backgroundColor: 'rgb(21, 128, 61)' } } },
      ],
    });
    await expectCta(frame, 'Buy now', 'rgb(21, 128, 61)');
    // The app re-renders its CTA (a new element each time): the preview stays.
    const renders = await shop(frame, 'renders');
    await frame.waitForFunction((n) => (window as unknown as Shop).__shop.renders >= n + 3, renders);
    await expectCta(frame, 'Buy now', 'rgb(21, 128, 61)');

    // Select mode (the default): a real click on the CTA picks it; the page's handler never runs.
    await frame.click('#cta');
    const selected = await nextMessage(page, 'selected');
    expect(selected).toMatchObject({ selector: '#cta', count: 1, tag: 'button', text: 'Buy now' });
    expect(await shop(frame, 'ctaClicks')).toBe(0);
    // Nor does the page's router: the nav link is picked, not followed.
    await frame.click('#nav-pricing');
    expect(await nextMessage(page, 'selected')).toMatchObject({ selector: '#nav-pricing', tag: 'a' });
    expect(await frame.evaluate(() => location.pathname)).toBe('/shop');

    // Interact mode: the page's handlers run, its router's pushState lands on the real path.
    await send(page, { type: 'mode', mode: 'interact' });
    await frame.click('#cta');
    expect(await shop(frame, 'ctaClicks')).toBe(1);
    await frame.click('#nav-pricing');
    expect(await nextMessage(page, 'route')).toMatchObject({ url: site + '/pricing' });
    expect(await frame.evaluate(() => location.href)).toBe(editor + '/pricing');
    await frame.waitForFunction(
      () => document.getElementById('headline')?.textContent === 'Plans for every team',
    );

    // A link the page does not handle, and a script setting location: `navigate`, and the frame
    // stays on its document (the dashboard loads the URL through the proxy).
    await frame.evaluate(() => {
      (window as unknown as { __same: boolean }).__same = true;
    });
    await frame.click('#docs');
    expect(await nextMessage(page, 'navigate')).toMatchObject({ url: site + '/docs.html' });
    await frame.click('#go-away');
    expect(await nextMessage(page, 'navigate')).toMatchObject({ url: site + '/docs.html' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await frame.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);

    // The dashboard loads it through the proxy: a navigation the agent does not stand in the way of.
    await page.evaluate(
      (url) => (window as unknown as { load(url: string): void }).load(url),
      site + '/docs.html',
    );
    expect(await nextMessage(page, 'ready')).toMatchObject({ url: site + '/docs.html', title: 'Docs' });
    expect(errors).toEqual([]);
    await page.close();
  });
});

// ---- helpers

interface Shop {
  __shop: { renders: number; ctaClicks: number };
}

const shop = (frame: Frame, key: 'renders' | 'ctaClicks') =>
  frame.evaluate((k) => (window as unknown as Shop).__shop[k], key);

async function expectCta(frame: Frame, text: string, background: string) {
  await frame.waitForFunction(
    ([t, bg]) => {
      const cta = document.getElementById('cta');
      return cta?.textContent === t && getComputedStyle(cta).backgroundColor === bg;
    },
    [text, background],
    { timeout: 5000 },
  );
}

/** The dashboard stand-in sends a message to the frame, with the editor origin as target. */
function send(page: Page, message: Record<string, unknown>) {
  return page.evaluate((m) => (window as unknown as { send(m: unknown): void }).send(m), message);
}

/** Takes the dashboard stand-in's oldest unread message of this type, waiting for one. */
async function nextMessage<T extends AgentMessage['type']>(page: Page, type: T) {
  const handle = await page.waitForFunction(
    (t) => {
      const inbox = (window as unknown as { inbox: Array<{ type: string }> }).inbox;
      const i = inbox.findIndex((m) => m.type === t);
      return i >= 0 ? inbox.splice(i, 1)[0] : null;
    },
    type,
    { timeout: 5000 },
  );
  return (await handle.jsonValue()) as Extract<AgentMessage, { type: T }>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  const server = createServer((req, res) => {
    handler(req, res).catch(() => send404(res));
  }).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function send404(res: ServerResponse) {
  if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

/** The real site: a single-page app, so every path that is not a file is the app. */
async function serveSite(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://site').pathname;
  const name = /^\/[\w-]+\.(html|js)$/.test(path) ? path.slice(1) : 'shop.html';
  const body = await readFile(SITE_ROOT + name);
  res.writeHead(200, {
    'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8',
  });
  res.end(body);
}

/** The editor origin: the agent bundle, and pages rewritten as the proxy does (see the file's head). */
async function serveEditor(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', editor);
  if (url.pathname === '/visual-editor/agent.js') {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
    res.end(await readFile(SDK_ROOT + 'dist/samplit-editor.min.js'));
    return;
  }
  if (url.pathname !== '/api/v1/visual-editor/proxy' || url.searchParams.get('token') !== 'test-token')
    return send404(res);
  const target = new URL(url.searchParams.get('url')!);
  const html = await (await fetch(target)).text();
  const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const injected =
    `<base href="${attr(target.href)}"><meta name="referrer" content="no-referrer">` +
    `<script src="${editor}/visual-editor/agent.js" data-samplit-editor data-url="${attr(target.href)}"` +
    ` data-parent-origin="${attr(dashboard)}"></script>`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      `frame-ancestors ${dashboard}; object-src 'none'; base-uri ${target.origin}; ` +
      `form-action ${editor} ${target.origin}`,
  });
  res.end(html.replace(/<head[^>]*>/i, (head) => head + injected));
}

/** The dashboard stand-in: frames the proxied page and checks origins as contract §4 says. */
async function serveDashboard(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://dashboard');
  if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
  if (url.pathname !== '/editor.html') return send404(res);
  const src = `${editor}/api/v1/visual-editor/proxy?url=${encodeURIComponent(url.searchParams.get('page')!)}&token=test-token`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Editor</title></head><body>
<iframe id="page" title="Page" sandbox="allow-scripts allow-same-origin allow-forms" width="1000" height="600"
  src="${src.replace(/&/g, '&amp;')}"></iframe>
<script>
  const EDITOR = ${JSON.stringify(editor)};
  const frame = document.getElementById('page');
  window.inbox = [];
  addEventListener('message', (e) => {
    if (e.origin === EDITOR && e.source === frame.contentWindow && e.data && e.data.samplit === 'editor/1')
      window.inbox.push(e.data);
  });
  window.send = (m) => frame.contentWindow.postMessage(Object.assign({ samplit: 'editor/1' }, m), EDITOR);
  window.load = (url) => {
    frame.src = EDITOR + '/api/v1/visual-editor/proxy?url=' + encodeURIComponent(url) + '&token=test-token';
  };
</script></body></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}
