import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { type FetchPageOptions, fetchPage } from './fetch-page.js';
import { proxyContentSecurityPolicy } from './proxy-headers.js';
import type { ProxyClaims, ProxyTokenService } from './proxy-token.js';
import { rewriteHtml } from './rewrite-html.js';
import { ProxyQuery } from './visual-editor-schemas.js';

export const PROXY_PATH = '/api/v1/visual-editor/proxy';

export interface ProxyRouteOptions {
  proxyTokens: ProxyTokenService;
  /** How pages are fetched: the SSRF-safe dispatcher, the address policy and the limits. */
  fetch: FetchPageOptions;
  /** SAMPLIT_EDITOR_ORIGIN, when configured; else the origin the request came to. */
  editorOrigin: string | undefined;
  /** Proxy fetches per token subject (a user) per minute. */
  perMinute: number;
}

const claimsOf = new WeakMap<FastifyRequest, ProxyClaims>();

/** The origin the browser reached us at; it goes into the page and the CSP, so it is normalised. */
function requestOrigin(request: FastifyRequest): string {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    throw new AppError('REQUEST_HTTP_001', 'The Host header is not a host name.');
  }
}

/**
 * `GET /api/v1/visual-editor/proxy?url=&token=` on the editor app: the page at `url`, fetched
 * through the SSRF-safe path and rewritten for the editor's iframe. None of the target's
 * headers is passed on; the response's headers are ours (contract §3).
 */
export const proxyRoutes: FastifyPluginAsyncTypebox<ProxyRouteOptions> = async (
  app,
  { proxyTokens, fetch, editorOrigin, perMinute },
) => {
  // A refusal is shown inside the dashboard's iframe, so the dashboard that holds a valid token
  // may frame it too; it stays a document that can do nothing (default-src 'none').
  app.addHook('onSend', async (request, reply, payload) => {
    const claims = claimsOf.get(request);
    if (claims && reply.statusCode !== 200) {
      reply.removeHeader('x-frame-options');
      reply.header('content-security-policy', `default-src 'none'; frame-ancestors ${claims.parentOrigin}`);
    }
    return payload;
  });

  app.get(
    PROXY_PATH,
    {
      schema: {
        tags: ['visual-editor'],
        summary: 'The page at `url`, rewritten for the visual editor (editor origin only)',
        querystring: ProxyQuery,
      },
      preHandler: async (request) => {
        claimsOf.set(request, proxyTokens.verify(request.query.token));
      },
      config: {
        rateLimit: {
          max: perMinute,
          timeWindow: '1 minute',
          // After the token check (a route's own preHandler runs first): counted per user.
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => claimsOf.get(request)?.userId ?? request.ip,
        },
      },
    },
    async (request, reply) => {
      const claims = claimsOf.get(request) as ProxyClaims;
      if (!request.query.url) {
        throw new AppError('EDITOR_TARGET_001', 'Give the page’s address in the url parameter.', [
          { field: 'querystring.url', message: 'is required' },
        ]);
      }
      const page = await fetchPage(request.query.url, fetch);
      const origin = editorOrigin ?? requestOrigin(request);
      const { html, baseHref } = rewriteHtml(page.html, {
        pageUrl: page.url,
        editorOrigin: origin,
        parentOrigin: claims.parentOrigin,
      });
      reply.removeHeader('x-frame-options');
      return reply
        .headers({
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
          'content-security-policy': proxyContentSecurityPolicy({
            parentOrigin: claims.parentOrigin,
            editorOrigin: origin,
            pageUrl: page.url,
            baseHref,
          }),
        })
        .send(html);
    },
  );
};
