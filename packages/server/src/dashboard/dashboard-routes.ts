import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';

/** Where `npm install` (the root `prepare` script) builds the dashboard. */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

/** Paths that belong to the API: never answered with the dashboard's page. */
const API_PATHS = /^\/(api|docs|sdk|health|openapi\.json|assets)(\/|$|\?)/;

/**
 * The dashboard, same origin as the API: its hashed assets under /assets/ cached for a year
 * (a new build has new names), and its page for `/` and for every other GET of a browser that
 * is not an API path (the app's own routes), never cached so a new build is seen at once.
 */
export interface DashboardRouteOptions {
  dist?: string;
  /** The app's Content-Security-Policy header (security-headers.ts). */
  contentSecurityPolicy?: string;
  /**
   * The visual editor's origin for this request: the one other origin the dashboard's page may
   * frame (`frame-src`, with 'self' that default-src gave; without it default-src 'self' would
   * refuse the editor). Our own pages still refuse to be framed (frame-ancestors 'none').
   */
  frameSrc?: (request: FastifyRequest) => string;
}

export const dashboardRoutes: FastifyPluginAsync<DashboardRouteOptions> = async (app, options) => {
  const dist = options.dist ?? DASHBOARD_DIST;
  const { contentSecurityPolicy, frameSrc } = options;
  const page = await readFile(`${dist}index.html`, 'utf8').catch(() => undefined);
  if (!page) app.log.warn('dashboard not built: run `npm run build -w @samplit/dashboard`');

  const sendPage = (request: FastifyRequest, reply: FastifyReply) => {
    if (!page) throw new AppError('DASHBOARD_BUNDLE_001');
    if (contentSecurityPolicy && frameSrc) {
      reply.header(
        'content-security-policy',
        `${contentSecurityPolicy};frame-src 'self' ${frameSrc(request)}`,
      );
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  };

  if (page) {
    await app.register(fastifyStatic, {
      root: `${dist}assets`,
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
      wildcard: true,
    });
  }
  app.get('/', { schema: { hide: true } }, async (request, reply) => sendPage(request, reply));
  // Lowest priority of all routes: only what no other route matched gets here.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const wantsPage = (request.headers.accept ?? '').includes('text/html');
    if (API_PATHS.test(request.url) || !wantsPage) return reply.callNotFound();
    return sendPage(request, reply);
  });
};
