import type { FastifyInstance } from 'fastify';
import type { AuthService } from './auth-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The signed-in user. Only routes registered in a signed-in scope (see `requireSignIn`) may
     * read it; anywhere else reading it throws, so a route registered in the wrong scope fails
     * its first test instead of acting for nobody.
     */
    readonly userId: string;
  }
}

const USER_ID = Symbol('samplit.userId');
type WithUser = { [USER_ID]?: string };

/** Declares `request.userId` for the whole app (once, on the root instance). */
export function declareUserId(app: FastifyInstance): void {
  app.decorateRequest('userId', {
    getter() {
      const id = (this as WithUser)[USER_ID];
      if (!id) throw new Error('request.userId read outside a signed-in scope (auth/signed-in.ts)');
      return id;
    },
  });
}

/**
 * Makes `scope` a signed-in scope: every request to a route registered in it (or in its child
 * plugins) must carry a valid bearer token of an existing user, or gets a 401 before its handler
 * runs. The one place that authenticates requests (fastify/demo's `autohooks` pattern).
 */
export function requireSignIn(scope: FastifyInstance, auth: AuthService): void {
  scope.addHook('onRequest', async (request) => {
    (request as WithUser)[USER_ID] = (await auth.authenticate(request.headers.authorization)).userId;
  });
}
