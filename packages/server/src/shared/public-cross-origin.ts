import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * Opens the calling plugin's scope to other origins: CORS for `origins` (`true`: any), and
 * `Cross-Origin-Resource-Policy: cross-origin` in place of helmet's `same-origin`, which would
 * stop a customer page that sets Cross-Origin-Embedder-Policy from loading the SDK script or
 * reading a tracker response. Only the public surface (tracker, SDK) calls this; the management
 * API stays same-origin.
 *
 * @fastify/cors answers preflights through an `OPTIONS *` route of the scope it is registered
 * in, so the scope must have its own prefix: registered under /api/v1 it would grant a
 * preflight to every management route.
 */
export async function allowCrossOrigin(scope: FastifyInstance, origins: string[] | true): Promise<void> {
  // Before the CORS hook, which ends a preflight without running later hooks.
  scope.addHook('onRequest', (_request, reply, done) => {
    reply.header('cross-origin-resource-policy', 'cross-origin');
    done();
  });
  // A literal `*` rather than echoing the Origin: no credentials are involved, and caches
  // (the SDK bundle behind a CDN) keep one copy instead of one per `Vary: Origin`.
  await scope.register(cors, { origin: origins === true ? '*' : origins, maxAge: 600 });
}
