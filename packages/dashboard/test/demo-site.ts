/**
 * The customer's site of the visual editor's browser test: a static page and a small single-page
 * app that renders its CTA again every second (a fresh element each time, as frameworks do), both
 * with Samplit's script tag for the experiments the test assigns to their paths. Plain node:http
 * on 127.0.0.1, port chosen by the OS.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoSite {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The Samplit server whose `/sdk/samplit.js` the pages load (set once it runs). */
  samplitUrl: string;
  /** Experiment ids per page path (`/`, `/app`); a page without any has no script tag. */
  experiments: Record<string, string[]>;
  close(): Promise<void>;
}

const CSS = `
body { font-family: system-ui, sans-serif; margin: 0; padding: 2rem; background: #fbfbfd; color: #222; }
.hero { max-width: 40rem; }
h1 { font-size: 2.2rem; margin: 0 0 1rem; }
.cta { font: inherit; font-size: 1.1rem; padding: 0.8rem 1.4rem; border: 0; border-radius: 8px;
  background-color: rgb(36, 86, 214); color: #fff; cursor: pointer; }
nav { margin-top: 2rem; display: flex; gap: 1rem; }
`;

// The static page's handler: a click on the CTA counts and leaves for the sign-up page.
const STATIC_JS = `
document.getElementById('cta').addEventListener('click', function () {
  window.ctaClicks = (window.ctaClicks || 0) + 1;
  location.href = '/signed-up';
});
`;

// The app renders everything anew every second and routes client-side with pushState.
const APP_JS = `
var renders = 0;
function render() {
  renders++;
  var path = location.pathname;
  var root = document.getElementById('root');
  root.innerHTML =
    '<main class="hero"><h1>' + (path === '/app/pricing' ? 'Pricing' : 'Your dashboard') + '</h1>' +
    '<p class="renders">Rendered ' + renders + ' times</p>' +
    '<button class="cta" data-testid="cta">Start free trial</button>' +
    '<nav><a href="/app/pricing" data-route>Pricing</a> <a href="/">Home page</a></nav></main>';
  root.querySelector('[data-testid=cta]').addEventListener('click', function () {
    window.ctaClicks = (window.ctaClicks || 0) + 1;
  });
  root.querySelector('[data-route]').addEventListener('click', function (event) {
    event.preventDefault();
    history.pushState({}, '', '/app/pricing');
    render();
  });
}
render();
setInterval(render, 1000);
`;

function page(site: DemoSite, path: string, title: string, body: string, script: string): string {
  const ids = site.experiments[path] ?? [];
  const sdk = ids.length
    ? `<script src="${site.samplitUrl}/sdk/samplit.js" data-experiments="${ids.join(',')}"></script>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/site.css">${sdk}</head><body>${body}<script src="${script}"></script></body></html>`;
}

export async function startDemoSite(): Promise<DemoSite> {
  const site: DemoSite = { url: '', port: 0, samplitUrl: '', experiments: {}, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site.invalid').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/site.css') return send(200, 'text/css', CSS);
    if (path === '/static.js') return send(200, 'text/javascript', STATIC_JS);
    if (path === '/app.js') return send(200, 'text/javascript', APP_JS);
    if (path === '/')
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          site,
          '/',
          'Demo shop',
          '<header class="hero"><h1>Grow your shop with less guesswork</h1>' +
            '<p>Every plan starts with a free trial.</p>' +
            '<button id="cta" class="cta">Start free trial</button></header>' +
            '<nav><a href="/app">Open the app</a></nav>',
          '/static.js',
        ),
      );
    if (path === '/app' || path.startsWith('/app/'))
      return send(
        200,
        'text/html; charset=utf-8',
        page(site, '/app', 'Demo app', '<div id="root"></div>', '/app.js'),
      );
    if (path === '/signed-up')
      return send(200, 'text/html; charset=utf-8', '<!doctype html><title>Signed up</title><p>Thanks!</p>');
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.port = (server.address() as AddressInfo).port;
  site.url = `http://127.0.0.1:${site.port}`;
  site.close = () => new Promise((resolve) => server.close(() => resolve()));
  return site;
}
