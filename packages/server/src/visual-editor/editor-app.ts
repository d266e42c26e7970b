import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { registerErrorHandler } from '../errors/error-handler.js';
import { ErrorResponse } from '../shared/schemas.js';
import { securityHeaders } from '../shared/security-headers.js';
import { serverOptions } from '../shared/server-options.js';
import { validatorCompiler } from '../shared/validator.js';
import { agentRoutes, defaultAgentBundlePath } from './agent-routes.js';
import { proxyRoutes } from './proxy-routes.js';
import { createProxyTokenService } from './proxy-token.js';
import { createSafeDispatcher, type LookupAll } from './safe-dispatcher.js';

/** Proxy fetches per user per minute (contract §2). */
export const PROXY_FETCHES_PER_MINUTE = 120;

export interface BuildEditorAppOptions {
  config: Config;
  logger?: FastifyServerOptions['logger'];
  /** How the proxy resolves host names (tests inject one); default dns.lookup. */
  lookup?: LookupAll;
  /** The agent bundle; default packages/sdk/dist/samplit-editor.min.js. */
  agentBundlePath?: string;
  /** Shorter limits for tests; default FETCH_LIMITS (fetch-page.ts). */
  limits?: { deadlineMs?: number; maxRedirects?: number; maxBytes?: number };
}

/**
 * The visual editor's app: a second origin (its own port or host) that serves only the page
 * proxy and the agent script. Proxied pages run their own scripts here, so this origin must
 * hold nothing of the dashboard's: no API, no dashboard, no cookies, and a proxy token that is
 * good for nothing else. Same error shape, timeouts and parser limits as the main app.
 */
export async function buildEditorApp({
  config,
  logger,
  lookup,
  agentBundlePath,
  limits,
}: BuildEditorAppOptions) {
  const app = Fastify(serverOptions(config, logger)).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandler(app, config.production);
  app.addSchema(ErrorResponse);

  // Every response gets the main app's strict headers (nosniff, CSP default-src 'self' with
  // frame-ancestors 'none', X-Frame-Options DENY); the proxy replaces the framing and CSP
  // headers of the pages it serves with the policy for proxied pages.
  const headers = securityHeaders(config);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  // In-process counters: a worker of `--workers N` counts its own share; the limit is a brake
  // on one user's runaway editor, not an accounting.
  await app.register(rateLimit, { global: false });

  const dispatcher = createSafeDispatcher({
    allowPrivate: config.editorAllowPrivate,
    allowedAddresses: config.editorAllowedAddresses,
    allowedPorts: config.editorAllowedPorts,
    lookup,
  });
  app.addHook('onClose', async () => {
    await dispatcher.destroy();
  });

  await app.register(proxyRoutes, {
    proxyTokens: createProxyTokenService(config.jwtSecret),
    editorOrigin: config.editorOrigin,
    perMinute: PROXY_FETCHES_PER_MINUTE,
    fetch: {
      dispatcher,
      allowPrivate: config.editorAllowPrivate,
      allowedAddresses: config.editorAllowedAddresses,
      allowedPorts: config.editorAllowedPorts,
      ...limits,
    },
  });
  await app.register(agentRoutes, { bundlePath: agentBundlePath ?? defaultAgentBundlePath() });
  return app;
}

export type EditorApp = Awaited<ReturnType<typeof buildEditorApp>>;
