import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/availability.js';
import { sqlState } from '../db/sql-error.js';
import { AppError, type ErrorDetail } from './app-error.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** Fastify's own client-error codes, mapped onto the registry. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST_BODY_001',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_BODY_001',
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST_BODY_002',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQUEST_BODY_003',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_HTTP_001',
  FST_ERR_CTP_EMPTY_TYPE: 'REQUEST_BODY_003',
  FST_ERR_HANDLER_TIMEOUT: 'SERVER_UNAVAILABLE_001',
};

/** Retry-After of a 503 that does not say otherwise: the next second may already do. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

function validationDetails(error: FastifyError): ErrorDetail[] {
  const part = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const missing =
      v.keyword === 'required' ? `/${(v.params as { missingProperty?: string }).missingProperty}` : '';
    const extra =
      v.keyword === 'additionalProperties'
        ? `/${(v.params as { additionalProperty?: string }).additionalProperty}`
        : '';
    const path = `${v.instancePath}${missing}${extra}`.replace(/^\//, '').replaceAll('/', '.');
    const allowed = (v.params as { allowedValues?: unknown[] }).allowedValues;
    const message =
      v.keyword === 'additionalProperties'
        ? 'is not a known field'
        : allowed
          ? `must be one of: ${allowed.join(', ')}`
          : (v.message ?? 'is invalid');
    return { field: path ? `${part}.${path}` : part, message };
  });
}

export function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new AppError('SERVER_UNAVAILABLE_002');
  // The schema layer refuses what the database cannot store; a value that still gets through
  // and is refused for what it is (SQLSTATE class 22) is the request's fault, not the server's.
  if (sqlState(error)?.startsWith('22')) {
    return new AppError('REQUEST_VALIDATION_001', 'A value in the request cannot be stored.');
  }
  const fe = error as FastifyError;
  if (fe.validation) return new AppError('REQUEST_VALIDATION_001', undefined, validationDetails(fe));
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) return new AppError(mapped);
  if (fe.statusCode === 429) return new AppError('REQUEST_RATE_001', fe.message);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('REQUEST_HTTP_001', fe.message);
  }
  return new AppError('SERVER_INTERNAL_001');
}

/** Sends every error in the one shape `{error: {code, message, details}}`. */
export function registerErrorHandler(app: FastifyInstance, production: boolean): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError.statusCode === 503) {
      // Expected while the database is away, and possibly thousands a second: a warning per
      // failure, nothing per request the open circuit refused at once (the circuit's own state
      // changes are logged where it lives).
      const refused = isDatabaseUnavailable(error) && error.reason === 'circuit_open';
      if (!refused) request.log.warn({ code: appError.code, reason: error.message }, 'service unavailable');
      const retryAfter = isDatabaseUnavailable(error) ? error.retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS;
      // The registry's message, not the error's: a driver message may name hosts and ports.
      return reply
        .status(503)
        .header('retry-after', String(retryAfter))
        .send({ error: { code: appError.code, message: appError.message, details: appError.details } });
    }
    // A 502 is another server's failure (the visual editor's target site), described in our
    // own words: it is neither logged as our error nor hidden in production.
    if (appError.statusCode >= 500 && !(error instanceof AppError && appError.statusCode === 502)) {
      request.log.error({ err: error }, 'request failed');
      const body = production
        ? {
            error: {
              code: 'SERVER_INTERNAL_001',
              message: ERROR_CODES.SERVER_INTERNAL_001.message,
              details: [],
            },
          }
        : {
            error: {
              code: appError.code,
              message: error.message,
              details: [{ field: 'stack', message: String(error.stack ?? '') }],
            },
          };
      return reply.status(appError.statusCode).send(body);
    }
    return reply.status(appError.statusCode).send({
      error: { code: appError.code, message: appError.message, details: appError.details },
    });
  });

  // Every 503 says when to come back, whichever code path sent it.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS));
    }
    return payload;
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: {
        code: 'REQUEST_ROUTE_001',
        message: `No route ${request.method} ${request.url.split('?')[0]}.`,
        details: [],
      },
    });
  });
}
