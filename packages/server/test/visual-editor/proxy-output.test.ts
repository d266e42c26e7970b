import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxyTokenService } from '../../src/visual-editor/proxy-token.js';
import { startTargetSites, startTestEditorApp, type TestEditorApp } from '../helpers/editor-app.js';
import { createTestApp, signUp, type TestContext } from '../helpers/test-app.js';

type Element = DefaultTreeAdapterTypes.Element;

const SECRET = 'proxy-output-test-secret'.padEnd(40, 'x');
const DASHBOARD = 'http://dashboard.test:5173';

const PAGE = `<!doctype html>
<html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<meta http-equiv="X-Frame-Options" content="DENY">
<META HTTP-EQUIV="refresh" content="0; url=https://elsewhere.example/">
<meta http-equiv="set-cookie" content="sid=1">
<meta charset="utf-8">
<title>Pricing</title>
<base href="/shop/">
<script src="app.js"></script>
</head><body><a id="cta" href="buy">Buy now</a><script>document.title += '!'</script></body></html>`;

function elementsOf(node: DefaultTreeAdapterTypes.ParentNode, found: Element[] = []): Element[] {
  for (const child of node.childNodes) {
    if ('tagName' in child) {
      found.push(child);
      elementsOf(child, found);
    }
  }
  return found;
}

const attrs = (e: Element) => Object.fromEntries(e.attrs.map((a) => [a.name, a.value]));

describe('the visual editor proxy: output, origins and tokens', () => {
  let sites: Awaited<ReturnType<typeof startTargetSites>>;
  let editor: TestEditorApp;
  let ctx: TestContext;
  let user: Awaited<ReturnType<typeof signUp>>;
  let bundleDir: string;
  let pageUrl: string;

  beforeAll(async () => {
    sites = await startTargetSites((req, res) => {
      if (req.url === '/pricing') {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'set-cookie': ['session=target-secret; HttpOnly', 'tracking=1'],
          'x-frame-options': 'DENY',
          'content-security-policy': "frame-ancestors 'none'; script-src 'none'",
          'access-control-allow-origin': '*',
          'strict-transport-security': 'max-age=63072000',
          'x-target-header': 'leak',
        });
        return void res.end(PAGE);
      }
      if (req.url === '/latin1') {
        res.writeHead(200, { 'content-type': 'text/html; charset=ISO-8859-1' });
        return void res.end(Buffer.from('<p>caf\xe9</p>', 'latin1'));
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
    });
    pageUrl = `http://127.0.0.2:${sites.port}/pricing`;
    bundleDir = mkdtempSync(join(tmpdir(), 'samplit-agent-'));
    const policy = { editorAllowedAddresses: ['127.0.0.2/32'], editorAllowedPorts: [sites.port] };
    editor = await startTestEditorApp(
      { jwtSecret: SECRET, ...policy },
      { agentBundlePath: join(bundleDir, 'samplit-editor.min.js') },
    );
    ctx = await createTestApp({ jwtSecret: SECRET, editorPort: editor.port, ...policy });
    user = await signUp(ctx.app);
  });

  afterAll(async () => {
    await ctx?.close();
    await editor?.close();
    await sites?.close();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  async function issue(origin: string | undefined = DASHBOARD) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/visual-editor/token',
      headers: { ...user.headers, ...(origin ? { origin } : {}) },
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { token: string; expires_in: number; proxy_url: string };
  }

  const proxyUrl = (token: string, url = pageUrl) =>
    `${editor.url}/api/v1/visual-editor/proxy?url=${encodeURIComponent(url)}&token=${encodeURIComponent(token)}`;

  describe('POST /api/v1/visual-editor/token', () => {
    it('issues a 10-minute token for the proxy, scoped to the dashboard origin that asked', async () => {
      const { token, expires_in, proxy_url } = await issue();
      expect(expires_in).toBe(600);
      // inject() requests come to host "localhost:80"; the editor's port is the one it listens on.
      expect(proxy_url).toBe(`http://localhost:${editor.port}/api/v1/visual-editor/proxy`);
      const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
      expect(claims).toMatchObject({ aud: 'visual-editor-proxy', sub: user.id, par: DASHBOARD });
      expect(claims.exp - claims.iat).toBe(600);
    });

    it('without an Origin header, par is the request’s own origin; without a body it works too', async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/visual-editor/token',
        headers: { ...user.headers, origin: 'null' },
      });
      expect(res.statusCode).toBe(200);
      const claims = JSON.parse(Buffer.from(res.json().token.split('.')[1], 'base64url').toString());
      expect(claims.par).toBe('http://localhost');
    });

    it('needs a signed-in user and refuses unknown fields', async () => {
      const anonymous = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/visual-editor/token',
        payload: {},
      });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('AUTH_REQUEST_001');
      const extra = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/visual-editor/token',
        headers: user.headers,
        payload: { url: 'http://x' },
      });
      expect(extra.statusCode).toBe(422);
      expect(extra.json().error.code).toBe('REQUEST_VALIDATION_001');
    });

    it('the proxy token is refused (401) as a bearer token on the main app’s routes', async () => {
      const { token } = await issue();
      for (const route of [
        { method: 'GET' as const, url: '/api/v1/experiments' },
        { method: 'GET' as const, url: '/api/v1/auth/me' },
        { method: 'POST' as const, url: '/api/v1/experiments', payload: { name: 'x' } },
        { method: 'POST' as const, url: '/api/v1/visual-editor/token', payload: {} },
      ]) {
        const res = await ctx.app.inject({ ...route, headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(res.json().error.code).toBe('AUTH_REQUEST_002');
      }
    });

    it('the main app does not serve the proxy (404)', async () => {
      const { token } = await issue();
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/visual-editor/proxy?url=${encodeURIComponent(pageUrl)}&token=${token}`,
        headers: user.headers,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('REQUEST_ROUTE_001');
      expect(sites.public.requests).not.toContain('/pricing');
    });
  });

  describe('GET /api/v1/visual-editor/proxy on the editor app (real HTTP)', () => {
    let res: Response;
    let body: string;
    let head: Element;

    beforeAll(async () => {
      const { token } = await issue();
      res = await fetch(proxyUrl(token));
      body = await res.text();
      const document = parse(body);
      head = elementsOf(document).find((e) => e.tagName === 'head') as Element;
    });

    it('answers 200 HTML with our headers and none of the target’s', () => {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-target-header')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const origin = `http://127.0.0.2:${sites.port}`;
      expect(res.headers.get('content-security-policy')).toBe(
        `frame-ancestors ${DASHBOARD}; object-src 'none'; base-uri ${origin}; form-action ${editor.url} ${origin}`,
      );
      expect(res.headers.get('content-security-policy')).not.toContain("'none'; script-src");
    });

    it('injects <base> first in <head>, then no-referrer, then the agent before every page script', () => {
      const [base, referrer, agent] = head.childNodes.filter((n): n is Element => 'tagName' in n);
      expect(base?.tagName).toBe('base');
      // The page's own <base href="/shop/">, resolved against where the page is.
      expect(attrs(base as Element)).toEqual({ href: `http://127.0.0.2:${sites.port}/shop/` });
      expect(attrs(referrer as Element)).toEqual({ name: 'referrer', content: 'no-referrer' });
      expect(agent?.tagName).toBe('script');
      expect(attrs(agent as Element)).toEqual({
        src: `${editor.url}/visual-editor/agent.js`,
        'data-samplit-editor': '',
        'data-url': pageUrl,
        'data-parent-origin': DASHBOARD,
      });
      const scripts = elementsOf(parse(body)).filter((e) => e.tagName === 'script');
      expect(scripts[0]).toBeDefined();
      expect(attrs(scripts[0] as Element).src).toBe(`${editor.url}/visual-editor/agent.js`);
      expect(scripts.map((s) => attrs(s).src)).toEqual([
        `${editor.url}/visual-editor/agent.js`,
        'app.js',
        undefined,
      ]);
      expect(elementsOf(parse(body)).filter((e) => e.tagName === 'base')).toHaveLength(1);
    });

    it('removes the meta tags that would restrict, redirect or set cookies; keeps the page', () => {
      const metas = elementsOf(parse(body)).filter((e) => e.tagName === 'meta');
      expect(metas.map((m) => attrs(m)['http-equiv']).filter(Boolean)).toEqual([]);
      expect(body).not.toMatch(/content-security-policy|x-frame-options|refresh|set-cookie/i);
      expect(body).toContain('<a id="cta" href="buy">Buy now</a>');
      expect(body).toContain('<title>Pricing</title>');
      expect(sites.public.requests).toContain('/pricing');
    });

    it('decodes the target’s charset and answers UTF-8', async () => {
      const { token } = await issue();
      const latin = await fetch(proxyUrl(token, `http://127.0.0.2:${sites.port}/latin1`));
      expect(latin.status).toBe(200);
      expect(Buffer.from(await latin.arrayBuffer()).toString('utf8')).toContain('<p>café</p>');
    });
  });

  describe('tokens on the editor app', () => {
    const refused = async (url: string) => {
      const res = await fetch(url);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('EDITOR_TOKEN_001');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    };

    it('a missing, garbled, expired or main-app token: 401 EDITOR_TOKEN_001, nothing fetched', async () => {
      const before = sites.public.requests.length;
      await refused(`${editor.url}/api/v1/visual-editor/proxy?url=${encodeURIComponent(pageUrl)}`);
      await refused(proxyUrl('not-a-token'));
      const expired = createProxyTokenService(SECRET, () => Date.now() - 11 * 60_000).issue({
        userId: user.id,
        parentOrigin: DASHBOARD,
      });
      await refused(proxyUrl(expired.token));
      // A token from just before that still works: the expiry is what refuses the other.
      const fresh = createProxyTokenService(SECRET, () => Date.now() - 9 * 60_000).issue({
        userId: user.id,
        parentOrigin: DASHBOARD,
      });
      expect((await fetch(proxyUrl(fresh.token))).status).toBe(200);
      // The main app's bearer token, valid there, is not a proxy token.
      await refused(proxyUrl(user.headers.authorization.slice('Bearer '.length)));
      // Signed with the JWT secret itself rather than the derived key.
      const wrongKey = createProxyTokenService('x'.repeat(40)).issue({
        userId: user.id,
        parentOrigin: DASHBOARD,
      });
      await refused(proxyUrl(wrongKey.token));
      expect(sites.public.requests.length - before).toBe(1); // the fresh token's fetch only
    });

    it('a refusal with a valid token may be framed by the dashboard (it says why in the iframe)', async () => {
      const { token } = await issue();
      const res = await fetch(proxyUrl(token, `http://127.0.0.1:${sites.port}/`));
      expect(res.status).toBe(403);
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('content-security-policy')).toBe(
        `default-src 'none'; frame-ancestors ${DASHBOARD}`,
      );
      expect((await res.json()).error.code).toBe('EDITOR_TARGET_002');
      expect(sites.blocked.requests).toEqual([]);
    });

    it('limits proxy fetches to 120 a minute per user (429 in the error shape), others unaffected', async () => {
      // A user of its own: the other tests' fetches count against theirs.
      const busy = await signUp(ctx.app);
      const { token } = createProxyTokenService(SECRET).issue({ userId: busy.id, parentOrigin: DASHBOARD });
      // Without a url: each request passes the token check and the limiter, then stops at 422.
      const noUrl = `${editor.url}/api/v1/visual-editor/proxy?token=${token}`;
      const statuses: number[] = [];
      for (let i = 0; i < 121; i++) statuses.push((await fetch(noUrl)).status);
      expect(statuses.slice(0, 120).every((s) => s === 422)).toBe(true);
      const limited = await fetch(noUrl);
      expect(limited.status).toBe(429);
      expect((await limited.json()).error.code).toBe('REQUEST_RATE_001');
      const other = await signUp(ctx.app);
      const otherToken = createProxyTokenService(SECRET).issue({ userId: other.id, parentOrigin: DASHBOARD });
      expect((await fetch(proxyUrl(otherToken.token))).status).toBe(200);
    });
  });

  describe('the rest of the editor origin', () => {
    it('serves nothing else: 404 in the error shape, strict headers, no cookies', async () => {
      for (const path of [
        '/',
        '/api/v1/experiments',
        '/api/v1/auth/me',
        '/health',
        '/docs',
        '/sdk/samplit.js',
      ]) {
        const res = await fetch(`${editor.url}${path}`);
        expect(res.status, path).toBe(404);
        expect((await res.json()).error.code).toBe('REQUEST_ROUTE_001');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.getSetCookie()).toEqual([]);
      }
    });

    it('answers garbage on the wire in the error shape too (the main app’s client error handler)', async () => {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(editor.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw).toContain('"code":"REQUEST_HTTP_001"');
      const long = await fetch(`${editor.url}/api/v1/visual-editor/proxy?url=${'a'.repeat(9000)}&token=x`);
      expect(long.status).toBe(422);
      expect((await long.json()).error.code).toBe('REQUEST_VALIDATION_001');
    });

    it('agent.js: 503 in the error shape while unbuilt, then the file, uncached', async () => {
      const missing = await fetch(`${editor.url}/visual-editor/agent.js`);
      expect(missing.status).toBe(503);
      expect((await missing.json()).error).toMatchObject({
        code: 'EDITOR_AGENT_001',
        message: expect.stringContaining('npm run build -w @samplit/sdk'),
      });
      // A placeholder in this test's temporary directory only.
      writeFileSync(join(bundleDir, 'samplit-editor.min.js'), 'window.__agent = 1;');
      const res = await fetch(`${editor.url}/visual-editor/agent.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe('window.__agent = 1;');
    });
  });
});
