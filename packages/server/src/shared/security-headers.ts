import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The Content-Security-Policy of every response. Helmet's defaults, tightened where the UI this
 * server sends (Swagger UI at /docs, a same-origin single-page dashboard built with hashed
 * assets) needs nothing looser:
 * - `frame-ancestors 'none'` (helmet: 'self'): no page, not even our own, frames the dashboard
 *   (clickjacking); `X-Frame-Options: DENY` says the same to browsers that only know that header.
 * - `style-src 'self'` (helmet adds `https:` and 'unsafe-inline'): stylesheets come from this
 *   origin only, so injected markup cannot pull in CSS that reads the page out through selectors.
 *   Style *attributes* in markup are blocked too; styles a script sets through the CSSOM
 *   (React's `style` prop, Swagger UI) are not subject to CSP. A CSS-in-JS library that injects
 *   `<style>` elements would need a nonce.
 * - `font-src 'self' data:` (helmet adds `https:`): no third-party fonts are used.
 * - `connect-src 'self'`: spelled out although default-src implies it, as the dashboard's
 *   fetches are what it governs.
 * - `upgrade-insecure-requests` only with HSTS: on a plain-HTTP host (a LAN install, a
 *   development box) it would rewrite this origin's own assets to https and break every page.
 */
export function contentSecurityPolicy(httpsOnly: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    ...(httpsOnly ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * Options for helmet. Everything not named here is helmet's default: nosniff,
 * `Referrer-Policy: no-referrer`, `Cross-Origin-Opener-Policy: same-origin`,
 * `Cross-Origin-Resource-Policy: same-origin` (the public tracker and SDK widen it, see
 * public-cross-origin.ts), Origin-Agent-Cluster, no X-Powered-By, `X-XSS-Protection: 0`;
 * helmet sends no Cross-Origin-Embedder-Policy, which would stop our pages from loading any
 * cross-origin resource that does not opt in with CORS or CORP.
 */
export function helmetOptions({ hstsMaxAgeSeconds }: { hstsMaxAgeSeconds: number }): HelmetOptions {
  const httpsOnly = hstsMaxAgeSeconds > 0;
  return {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(httpsOnly) },
    xFrameOptions: { action: 'deny' },
    // Off unless configured (see Config.hstsMaxAgeSeconds); preload is a decision for the
    // owner of the domain, not for this server.
    strictTransportSecurity: httpsOnly ? { maxAge: hstsMaxAgeSeconds, includeSubDomains: true } : false,
  };
}

/**
 * The headers helmet sets for these options, computed once. Our policy has no per-request part
 * (no nonces), and running helmet's middleware on every response cost about 15 µs a request, more
 * than a returning visitor's whole assign. Measured on the 2-core development machine with
 * `wrk -t1 -c50 -d8s -s bench/tracker/lua/tracker.lua` (RANGE=100: 100 returning visitors) against
 * `samplit serve` on an in-memory PGlite: 28.5k req/s with helmet per request, 46.3k with these
 * constant headers, 50.6k with none. Helmet still decides what the headers say.
 */
export function securityHeaders(config: { hstsMaxAgeSeconds: number }): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(helmetOptions(config))(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
      done = true;
    },
  );
  // Helmet's middleware is synchronous; a future version that is not must not go unnoticed.
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

/**
 * Swagger UI draws its own SVG logo, which carries a `<style>` element, before
 * @fastify/swagger-ui swaps in the Fastify logo; it is the one inline style on /docs. Allowing
 * exactly that stylesheet by its hash keeps 'unsafe-inline' out of the docs' policy too. A
 * Swagger UI release that changes it shows up as a violation in test/browser-security.test.ts.
 */
const SWAGGER_UI_LOGO_STYLE = '.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}';
const SWAGGER_UI_LOGO_HASH = `'sha256-${createHash('sha256').update(SWAGGER_UI_LOGO_STYLE).digest('base64')}'`;

/** @fastify/swagger-ui's `transformStaticCSP`: the global policy, plus the logo's stylesheet. */
export function docsContentSecurityPolicy(header: string): string {
  return header
    .split(';')
    .map((directive) =>
      directive.trim().startsWith('style-src ') ? `${directive} ${SWAGGER_UI_LOGO_HASH}` : directive,
    )
    .join(';');
}
