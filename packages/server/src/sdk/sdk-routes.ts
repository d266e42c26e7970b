import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { allowCrossOrigin } from '../shared/public-cross-origin.js';

const require = createRequire(import.meta.url);

/** The script-tag build of @samplit/sdk (built by `npm install` through the root `prepare` script). */
async function loadBundle(): Promise<{ code: string; etag: string } | undefined> {
  try {
    const code = await readFile(require.resolve('@samplit/sdk/samplit.min.js'), 'utf8');
    return { code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"` };
  } catch {
    return undefined;
  }
}

export interface SdkRouteOptions {
  corsOrigins: string[] | true;
}

/**
 * `GET /sdk/samplit.js` (registered with the prefix `/sdk`): a stable path for the script tag.
 * A short max-age plus an ETag lets browsers and CDNs cache it while a new release still reaches
 * pages within minutes. Customer sites load it from their own origin, hence CORS and CORP.
 */
export const sdkRoutes: FastifyPluginAsync<SdkRouteOptions> = async (app, options) => {
  await allowCrossOrigin(app, options.corsOrigins);
  const bundle = await loadBundle();
  if (!bundle) app.log.warn('SDK bundle not built: run `npm run build -w @samplit/sdk`');
  app.get(
    '/samplit.js',
    { schema: { tags: ['sdk'], summary: 'The browser SDK (script-tag build)' } },
    async (request, reply) => {
      if (!bundle) throw new AppError('SDK_BUNDLE_001');
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300, stale-while-revalidate=86400')
        .header('etag', bundle.etag);
      if (request.headers['if-none-match'] === bundle.etag) return reply.status(304).send();
      return reply.send(bundle.code);
    },
  );
};
