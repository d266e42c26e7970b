import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../shared/schemas.js';
import { AssignBody, AssignResponse, ConvertBody, ConvertResponse } from './tracker-schemas.js';
import type { TrackerService } from './tracker-service.js';
import { createWindowLimiter, limitedPerAddress } from './visitor-rate-limit.js';

export interface TrackerRouteOptions {
  tracker: TrackerService;
  /** Requests per IP per second (0: unlimited). */
  ipPerSecond: number;
  /** Requests per experiment per second in this process (0: unlimited). */
  experimentPerSecond: number;
  /** Whether `request.ip` comes from X-Forwarded-For (TRUST_PROXY), see visitor-rate-limit.ts. */
  proxyTrusted: boolean;
}

/** The public tracker: no user token; CORS open (see app.ts); beacons may send text/plain. */
export const trackerRoutes: FastifyPluginAsyncTypebox<TrackerRouteOptions> = async (app, options) => {
  const { tracker } = options;
  const ipAllowed = createWindowLimiter(options.ipPerSecond);
  const experimentAllowed = createWindowLimiter(options.experimentPerSecond);

  // navigator.sendBeacon can only send CORS-simple content types without a preflight.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError('REQUEST_BAD_JSON'), undefined);
    }
  });

  app.addHook('onRequest', async (request) => {
    if (limitedPerAddress(request.ip, options.proxyTrusted) && !ipAllowed(request.ip)) {
      throw new AppError('RATE_LIMITED');
    }
  });
  app.addHook('preHandler', async (request) => {
    const body = request.body as { experiment_id?: string } | undefined;
    if (body?.experiment_id && !experimentAllowed(body.experiment_id))
      throw new AppError('TRACKER_RATE_LIMITED');
  });

  const common = { tags: ['tracker'], consumes: ['application/json', 'text/plain'] };
  // A tracker call is a few hundred bytes; anything near this is not a visitor.
  const bodyLimit = 64 * 1024;

  app.post(
    '/tracker/assign',
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
    '/tracker/convert',
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
};
