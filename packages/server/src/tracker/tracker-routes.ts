import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors/app-error.js';
import { parseJsonBody } from '../shared/json-body.js';
import { allowCrossOrigin } from '../shared/public-cross-origin.js';
import { errorResponses } from '../shared/schemas.js';
import type { PreviewService } from './preview-service.js';
import { AssignBody, AssignResponse, ConvertBody, ConvertResponse, PreviewBody } from './tracker-schemas.js';
import type { TrackerService } from './tracker-service.js';
import { createWindowLimiter, limitedPerAddress } from './visitor-rate-limit.js';

export interface TrackerRouteOptions {
  tracker: TrackerService;
  preview: PreviewService;
  /** Requests per IP per second (0: unlimited). */
  ipPerSecond: number;
  /** Requests per experiment per second in this process (0: unlimited). */
  experimentPerSecond: number;
  /** Whether `request.ip` comes from X-Forwarded-For (TRUST_PROXY), see visitor-rate-limit.ts. */
  proxyTrusted: boolean;
  /** Origins whose pages may call the tracker (`true`: any). */
  corsOrigins: string[] | true;
  /** Largest request body (413 above): anything near it is not a visitor's call. */
  bodyLimit: number;
}

/**
 * The public tracker (registered with the prefix `/tracker`): no user token; called from
 * customer pages, so open to their origins; beacons may send text/plain.
 */
export const trackerRoutes: FastifyPluginAsyncTypebox<TrackerRouteOptions> = async (app, options) => {
  const { tracker, preview } = options;
  // First: CORS headers must be on a 429 from the limiter below, or the SDK cannot read it.
  await allowCrossOrigin(app, options.corsOrigins);
  const ipAllowed = createWindowLimiter(options.ipPerSecond);
  const experimentAllowed = createWindowLimiter(options.experimentPerSecond);

  // navigator.sendBeacon can only send CORS-simple content types without a preflight.
  // The same parser as application/json, so prototype-poisoning keys are refused here too.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, parseJsonBody);

  app.addHook('onRequest', async (request) => {
    if (
      options.ipPerSecond > 0 &&
      limitedPerAddress(request.ip, options.proxyTrusted) &&
      !ipAllowed(request.ip)
    ) {
      throw new AppError('REQUEST_RATE_001');
    }
  });
  app.addHook('preHandler', async (request) => {
    const body = request.body as { experiment_id?: string } | undefined;
    if (body?.experiment_id && !experimentAllowed(body.experiment_id)) throw new AppError('TRACKER_RATE_001');
  });

  const common = { tags: ['tracker'], consumes: ['application/json', 'text/plain'] };
  const { bodyLimit } = options;

  app.post(
    '/assign',
    {
      bodyLimit,
      schema: {
        ...common,
        summary: 'Which variants this visitor sees (sticky)',
        body: AssignBody,
        response: { 200: AssignResponse, ...errorResponses(400, 404, 413, 422, 429) },
      },
    },
    async (request) => tracker.assign(request.body),
  );

  app.post(
    '/convert',
    {
      bodyLimit,
      schema: {
        ...common,
        summary: 'Record a goal event for a visitor',
        body: ConvertBody,
        response: { 200: ConvertResponse, ...errorResponses(400, 404, 413, 422, 429) },
      },
    },
    async (request) => tracker.convert(request.body),
  );

  app.post(
    '/preview',
    {
      bodyLimit,
      schema: {
        ...common,
        summary: 'What a preview link shows (the combination its token names); enrols and counts nothing',
        body: PreviewBody,
        response: { 200: AssignResponse, ...errorResponses(400, 401, 404, 413, 422, 429) },
      },
    },
    async (request) => preview.preview(request.body),
  );
};
