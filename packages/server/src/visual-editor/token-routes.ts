import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../shared/schemas.js';
import { type EditorOriginResolver, requestOrigin } from './editor-origin.js';
import { PROXY_PATH } from './proxy-routes.js';
import type { ProxyTokenService } from './proxy-token.js';
import { ProxyTokenBody, ProxyTokenResponse } from './visual-editor-schemas.js';

export interface TokenRouteOptions {
  proxyTokens: ProxyTokenService;
  /** The editor app's origin for this request (editor-origin.ts). */
  editorOrigin: EditorOriginResolver;
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

/**
 * `POST /visual-editor/token` (signed-in scope): a short-lived token for the editor's iframe,
 * which cannot send a bearer header. `par` is the dashboard's origin, the only page that may
 * frame the proxied page and talk to its agent.
 */
export const visualEditorTokenRoutes: FastifyPluginAsyncTypebox<TokenRouteOptions> = async (
  app,
  { proxyTokens, editorOrigin },
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
      const parentOrigin = webOrigin(request.headers.origin) ?? requestOrigin(request).origin;
      return {
        ...proxyTokens.issue({ userId: request.userId, parentOrigin }),
        proxy_url: `${editorOrigin(request)}${PROXY_PATH}`,
      };
    },
  );
};
