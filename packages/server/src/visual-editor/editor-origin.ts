import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';

/** Where the dashboard finds the visual editor's app: see {@link editorOriginResolver}. */
export type EditorOriginResolver = (request: FastifyRequest) => string;

/** This request's own origin (behind a trusted proxy: the forwarded scheme and host). */
export function requestOrigin(request: FastifyRequest): URL {
  let url: URL | undefined;
  try {
    url = new URL(`${request.protocol}://${request.host}`);
  } catch {}
  // The URL parser lets through characters (`;`, `'`, `,`) that would end a CSP source list.
  if (!url || !/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname)) {
    throw new AppError('REQUEST_HTTP_001', 'The Host header is not a host name.');
  }
  return url;
}

/**
 * The editor app's origin as the browser that sent `request` reaches it: SAMPLIT_EDITOR_ORIGIN when
 * configured, else this request's scheme and host name with the editor app's port (known once it
 * listens, so asked each time). The token route puts it in `proxy_url`; the dashboard's page allows
 * exactly it as `frame-src`.
 */
export function editorOriginResolver(
  configured: string | undefined,
  port: () => number,
): EditorOriginResolver {
  return (request) => {
    if (configured) return configured;
    const editor = requestOrigin(request);
    editor.port = String(port());
    return editor.origin;
  };
}
