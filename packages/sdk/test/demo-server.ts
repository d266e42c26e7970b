/**
 * Serves the demo site (packages/sdk/demo) with its placeholders filled in, the SDK's script-tag
 * build at /sdk/samplit.js, and an "outbound" origin (a second port) for outbound-link goals.
 *
 * Every page is sent with a strict Content-Security-Policy (scripts from 'self' or with the page's
 * nonce, no inline style, connections only to the Samplit API), to show the SDK works under one.
 * Query parameters `samplit_api` and `samplit_experiment` override the API and experiment of a
 * single page view (the e2e tests point the SDK at a dead or slow server that way), and `nonce=off`
 * leaves the nonce off the page's script tags. Under /slow-api/ it plays a Samplit server that
 * answers after 3 s with a 503.
 *
 * Run it by hand against a running Samplit (creates a demo user and experiments with --create):
 *   npm run build -w @samplit/sdk
 *   npx tsx packages/sdk/test/demo-server.ts --api http://localhost:8000 --create
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SDK_ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export interface DemoConfig {
  /** Base URL of the Samplit server (the SDK's data-api). */
  api: string;
  /** Experiment on #headline (index.html, spa.html). */
  headlineExperiment: string;
  /** Split-URL experiment (split.html → split-b.html). */
  splitExperiment: string;
  /** Experiment with custom JavaScript (custom-js.html). */
  customJsExperiment?: string;
}

export interface DemoSite {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The other origin, e.g. http://127.0.0.1:41235/outbound.html */
  outboundUrl: string;
  /** Mutable: experiments can be filled in after the site is up (split URLs need its address). */
  config: DemoConfig;
  close(): Promise<void>;
}

export async function startDemoSite(config: DemoConfig, host = '127.0.0.1'): Promise<DemoSite> {
  const outbound = createServer((req, res) => void serve(req, res, config, '')).listen(0, host);
  await new Promise((resolve) => outbound.once('listening', resolve));
  const outboundUrl = `http://${host}:${(outbound.address() as AddressInfo).port}/outbound.html`;
  const site = createServer((req, res) => void serve(req, res, config, outboundUrl)).listen(0, host);
  await new Promise((resolve) => site.once('listening', resolve));
  return {
    url: `http://${host}:${(site.address() as AddressInfo).port}`,
    outboundUrl,
    config,
    close: async () => {
      await Promise.all([close(site), close(outbound)]);
    },
  };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function serve(req: IncomingMessage, res: ServerResponse, config: DemoConfig, outboundUrl: string) {
  const url = new URL(req.url ?? '/', 'http://demo');
  try {
    if (url.pathname.startsWith('/slow-api/')) return slowApi(req, res);
    if (url.pathname === '/sdk/samplit.js') {
      const body = await readFile(SDK_ROOT + 'dist/samplit.min.js');
      return send(res, 200, TYPES['.js'], body, { 'cache-control': 'no-cache' });
    }
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    if (!/^[\w.-]+\.(html|css|js)$/.test(name)) return send(res, 404, 'text/plain', 'not found');
    let body = await readFile(SDK_ROOT + 'demo/' + name, 'utf8');
    const api = url.searchParams.get('samplit_api') ?? config.api;
    const nonce = randomBytes(16).toString('base64');
    if (name.endsWith('.html')) {
      const values: Record<string, string> = {
        __NONCE__: url.searchParams.get('nonce') === 'off' ? '' : nonce,
        __CUSTOM_JS_EXPERIMENT__:
          url.searchParams.get('samplit_experiment') ?? config.customJsExperiment ?? '',
        __SAMPLIT_API__: api,
        __SDK_SRC__: '/sdk/samplit.js',
        __HEADLINE_EXPERIMENT__: url.searchParams.get('samplit_experiment') ?? config.headlineExperiment,
        __SPLIT_EXPERIMENT__: url.searchParams.get('samplit_experiment') ?? config.splitExperiment,
        __OUTBOUND_URL__: outboundUrl,
      };
      body = body.replace(/__[A-Z_]+__/g, (key) => escapeAttribute(values[key] ?? key));
    }
    const csp =
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self'; ` +
      `connect-src 'self' ${new URL(api).origin}; base-uri 'none'; object-src 'none'`;
    return send(res, 200, TYPES[extname(name)], body, { 'content-security-policy': csp });
  } catch {
    return send(res, 404, 'text/plain', 'not found');
  }
}

/** A Samplit that takes 3 s to fail: CORS-enabled so the browser sees the 503. */
function slowApi(req: IncomingMessage, res: ServerResponse) {
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
  if (req.method === 'OPTIONS') return send(res, 204, 'text/plain', '', cors);
  const body = JSON.stringify({ error: { code: 'SLOW', message: 'too slow', details: [] } });
  setTimeout(() => send(res, 503, 'application/json', body, cors), 3000);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// CLI: npx tsx packages/sdk/test/demo-server.ts --api http://localhost:8000 [--create] [--headline ID] [--split ID]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf('--' + name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const api = arg('api') ?? 'http://localhost:8000';
  const site = await startDemoSite({
    api,
    headlineExperiment: arg('headline') ?? '',
    splitExperiment: arg('split') ?? '',
  });
  if (process.argv.includes('--create')) {
    const { SamplitApi, createDemoExperiments } = await import('./samplit-api.js');
    const admin = await SamplitApi.signUp(api);
    Object.assign(site.config, await createDemoExperiments(admin, site.url));
  }
  console.log(
    `Demo site: ${site.url}/  (headline experiment ${site.config.headlineExperiment || 'not set'},`,
  );
  console.log(`  split experiment ${site.config.splitExperiment || 'not set'}; Samplit at ${api})`);
}
