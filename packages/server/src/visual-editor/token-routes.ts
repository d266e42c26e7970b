import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../shared/schemas.js';
import { PROXY_PATH } from './proxy-routes.js';
import type { ProxyTokenService } from './proxy-token.js';
import { ProxyTokenBody, ProxyTokenResponse } from './visual-editor-schemas.js';

export interface TokenRouteOptions {
  proxyTokens: ProxyTokenService;
  /** SAMPLIT_EDITOR_ORIGIN, when configured. */
  editorOrigin: string | undefined;
  /** The port the editor app listens on (known once it listens). */
  editorPort: () => number;
}

/** `https://host:port` of an origin header value, or undefined for `null`, junk or other schemes. */
function webOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** This request's own origin (behind a trusted proxy: the forwarded scheme and host). */
function requestOrigin(request: FastifyRequest): URL {
  try {
    return new URL(`${request.protocol}://${request.host}`);
  } catch {
    throw new AppError('REQUEST_HTTP_001', 'The Host header is not a host name.');
  }
}

/**
 * `POST /visual-editor/token` (signed-in scope): a short-lived token for the editor's iframe,
 * which cannot send a bearer header. `par` is the dashboard's origin, the only page that may
 * frame the proxied page and talk to its agent.
 */
export const visualEditorTokenRoutes: FastifyPluginAsyncTypebox<TokenRouteOptions> = async (
  app,
  { proxyTokens, editorOrigin, editorPort },
) => {
  app.post(
    '/visual-editor/token',
    {
      schema: {
        tags: ['visual-editor'],
        summary: 'A token for the visual editor’s page proxy (10 minutes, valid on the proxy only)',
        security: [{ bearerAuth: [] }],
        body: ProxyTokenBody,
        response: { 200: ProxyTokenResponse, ...errorResponses(401, 422) },
      },
    },
    async (request) => {
      const own = requestOrigin(request);
      const parentOrigin = webOrigin(request.headers.origin) ?? own.origin;
      const editor = new URL(own);
      editor.port = String(editorPort());
      const origin = editorOrigin ?? editor.origin;
      return {
        ...proxyTokens.issue({ userId: request.userId, parentOrigin }),
        proxy_url: `${origin}${PROXY_PATH}`,
      };
    },
  );
};
