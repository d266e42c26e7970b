import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors/app-error.js';
import { parseJsonBody } from '../shared/json-body.js';
import { errorResponses } from '../shared/schemas.js';
import { AssignBody, AssignResponse, ConvertBody, ConvertResponse } from './tracker-schemas.js';
import type { TrackerService } from './tracker-service.js';

export interface TrackerRouteOptions {
  tracker: TrackerService;
  /** Requests per IP per second (0: unlimited). */
  ipPerSecond: number;
  /** Requests per experiment per second in this process (0: unlimited). */
  experimentPerSecond: number;
}

/** A fixed one-second window per key: cheap enough for the hot path, exact enough for abuse. */
function createWindowLimiter(perSecond: number) {
  let window = 0;
  let counts = new Map<string, number>();
  return (key: string): boolean => {
    if (perSecond <= 0) return true;
    const now = Math.floor(Date.now() / 1000);
    if (now !== window) {
      window = now;
      counts = new Map();
    }
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n <= perSecond;
  };
}

/** The public tracker: no user token; CORS open (see app.ts); beacons may send text/plain. */
export const trackerRoutes: FastifyPluginAsyncTypebox<TrackerRouteOptions> = async (app, options) => {
  const { tracker } = options;
  const ipAllowed = createWindowLimiter(options.ipPerSecond);
  const experimentAllowed = createWindowLimiter(options.experimentPerSecond);

  // navigator.sendBeacon can only send CORS-simple content types without a preflight.
  // The same parser as application/json, so prototype-poisoning keys are refused here too.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, parseJsonBody);

  app.addHook('onRequest', async (request) => {
    if (!ipAllowed(request.ip)) throw new AppError('RATE_LIMITED');
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
