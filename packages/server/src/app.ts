import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { accountRoutes, authRoutes } from './auth/auth-routes.js';
import { User } from './auth/auth-schemas.js';
import { createAuthService } from './auth/auth-service.js';
import { declareUserId, requireSignIn } from './auth/signed-in.js';
import { createTokenService } from './auth/token-service.js';
import { createUserStore } from './auth/user-store.js';
import type { Config } from './config.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';
import type { Database } from './db/database.js';
import { registerErrorHandler } from './errors/error-handler.js';
import { experimentRoutes } from './experiments/experiment-routes.js';
import { Experiment } from './experiments/experiment-schemas.js';
import { createExperimentService } from './experiments/experiment-service.js';
import { createExperimentStore } from './experiments/experiment-store.js';
import { createPreviewLinkService } from './experiments/preview-link-service.js';
import { createPreviewTokens } from './experiments/preview-token.js';
import { healthRoutes } from './health/health-routes.js';
import { sdkRoutes } from './sdk/sdk-routes.js';
import { parseJsonBody } from './shared/json-body.js';
import { databaseRateLimitStore } from './shared/rate-limit-store.js';
import { ErrorResponse } from './shared/schemas.js';
import { docsContentSecurityPolicy, securityHeaders } from './shared/security-headers.js';
import { serverOptions } from './shared/server-options.js';
import { validatorCompiler } from './shared/validator.js';
import { statsRoutes } from './stats/stats-routes.js';
import { ExperimentStats } from './stats/stats-schemas.js';
import { createStatsService } from './stats/stats-service.js';
import { createStatsStore } from './stats/stats-store.js';
import { createExperimentRuntime } from './tracker/experiment-runtime.js';
import { createPreviewService } from './tracker/preview-service.js';
import { trackerRoutes } from './tracker/tracker-routes.js';
import { createTrackerService } from './tracker/tracker-service.js';
import { createTrackerStore } from './tracker/tracker-store.js';
import { VERSION } from './version.js';
import { editorOriginResolver } from './visual-editor/editor-origin.js';
import { createProxyTokenService } from './visual-editor/proxy-token.js';
import { visualEditorTokenRoutes } from './visual-editor/token-routes.js';

export interface BuildAppOptions {
  config: Config;
  db: Database;
  logger?: FastifyServerOptions['logger'];
  /**
   * The port the visual editor's app listens on, asked when a token is issued (its proxy_url);
   * default config.editorPort. startServer passes the port the editor app actually got.
   */
  editorPort?: () => number;
}

/** The composition root: plugins (external → app → routes), services wired to their stores. */
export async function buildApp({ config, db, logger, editorPort }: BuildAppOptions) {
  const app = Fastify(serverOptions(config, logger)).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
  registerErrorHandler(app, config.production);
  declareUserId(app);

  // Security headers on every response (helmet's, computed once: see security-headers.ts).
  // CORS is not global: only the tracker and the SDK scopes open themselves to other origins.
  const headers = securityHeaders(config);
  const editorOrigin = editorOriginResolver(config.editorOrigin, editorPort ?? (() => config.editorPort));
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  // Only the auth routes opt in; their counters live in the database so the limits hold across
  // processes and hosts (the tracker has its own in-process limiter on the hot path).
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db) });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Samplit API',
        version: VERSION,
        description: 'Adaptive experimentation: experiments, tracker, statistics.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', transformStaticCSP: docsContentSecurityPolicy });
  for (const schema of [ErrorResponse, User, ExperimentStats, Experiment]) app.addSchema(schema);

  const tokens = createTokenService(config.jwtSecret, config.jwtExpiresInSeconds);
  const auth = createAuthService(createUserStore(db), tokens);
  const trackerStore = createTrackerStore(db.system);
  const runtime = createExperimentRuntime(db, trackerStore, {
    refreshMs: config.snapshotRefreshMs,
    historyIntervalSeconds: config.allocationHistorySeconds,
    onError: (error) =>
      app.log.error(
        { err: error },
        'tracker runtime error (snapshot refresh, experiment load or stored targeting)',
      ),
  });
  const tracker = createTrackerService(runtime, trackerStore, {
    groupCommit: {
      maxBatch: config.groupCommitMaxBatch,
      maxInFlight: db.kind === 'postgres' ? config.groupCommitInFlight : 1,
    },
    assignmentCacheSize: config.assignmentCacheSize,
  });
  const stats = createStatsService(
    (userId, fn) =>
      db.asUser(userId, (q) => fn({ stats: createStatsStore(q), experiments: createExperimentStore(q) })),
    { cacheSize: config.statsCacheSize, trackerAllocation: (id) => runtime.current(id)?.allocation },
  );
  const experiments = createExperimentService(
    (userId, fn) => db.asUser(userId, (q) => fn(createExperimentStore(q))),
    {
      maxCombinations: config.maxCombinations,
      onChange: (id) => runtime.invalidate(id),
      stats: (userId, row, structure) => stats.forExperiment(userId, row, structure),
    },
  );
  const previewTokens = createPreviewTokens(config.jwtSecret);
  const previewLinks = createPreviewLinkService(
    (userId, fn) => db.asUser(userId, (q) => fn(createExperimentStore(q))),
    previewTokens,
  );
  const preview = createPreviewService(trackerStore, previewTokens);
  runtime.start();
  app.addHook('onClose', async () => {
    await runtime.stop();
    await tracker.drain();
  });

  await app.register(healthRoutes, { db, version: VERSION });
  await app.register(sdkRoutes, { prefix: '/sdk', corsOrigins: config.corsOrigins });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(dashboardRoutes, {
    contentSecurityPolicy: headers['content-security-policy'],
    frameSrc: editorOrigin,
  });
  await app.register(
    async (api) => {
      await api.register(authRoutes, {
        auth,
        tokenPerMinute: config.authRateLimitPerMinute,
        registerPerHour: config.registerRateLimitPerHour,
      });
      await api.register(async (signedIn) => {
        requireSignIn(signedIn, auth);
        await signedIn.register(accountRoutes, { auth });
        await signedIn.register(experimentRoutes, { experiments, previewLinks });
        await signedIn.register(statsRoutes, { stats });
        await signedIn.register(visualEditorTokenRoutes, {
          proxyTokens: createProxyTokenService(config.jwtSecret),
          editorOrigin,
        });
      });
      await api.register(trackerRoutes, {
        prefix: '/tracker',
        corsOrigins: config.corsOrigins,
        tracker,
        preview,
        ipPerSecond: config.trackerRateLimitPerIp,
        experimentPerSecond: config.trackerRateLimitPerExperiment,
        proxyTrusted: config.trustProxy !== false,
        bodyLimit: config.trackerBodyLimitBytes,
      });
    },
    { prefix: '/api/v1' },
  );
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
