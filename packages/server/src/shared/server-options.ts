import { type FastifyReply, type FastifyServerOptions, LogController } from 'fastify';
import type { Config } from '../config.js';
import { clientErrorHandler } from '../errors/client-error-handler.js';
import { toAppError } from '../errors/error-handler.js';

/** Fastify's options shared by the main app and the visual editor's app. */
export function serverOptions(config: Config, logger?: FastifyServerOptions['logger']) {
  return {
    logger: logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Per-request log lines would cost more than the tracker's own work; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify disables Node's request timeout by default; a client that never finishes its
    // request would hold its socket for as long as it likes. Node looks for such connections
    // every connectionsCheckingInterval, so that bounds how late they are cut off.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    // The router refuses malformed percent-encoding and over-long path parameters before any
    // route (or its error handler) is chosen; mapped here, they get the one error shape too.
    // What Node's HTTP parser refuses before any request exists gets the one error shape too.
    clientErrorHandler,
    frameworkErrors: (error: Error, _request: unknown, reply: FastifyReply) => {
      const { code, message, details, statusCode } = toAppError(error);
      reply.status(statusCode).send({ error: { code, message, details } });
    },
  };
}
