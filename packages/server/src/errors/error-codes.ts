/**
 * The one registry of error codes: code → HTTP status and default message.
 * Every error the API sends carries one of these codes, in the one error shape (docs/architecture.md#error-shape).
 */
export const ERROR_CODES = {
  REQUEST_BAD_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  REQUEST_BAD: { status: 400, message: 'The request could not be understood.' },
  REQUEST_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time.' },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  REQUEST_UNSUPPORTED_MEDIA: { status: 415, message: 'This content type is not supported.' },
  VALIDATION_001: { status: 422, message: 'The request has invalid fields.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  INTERNAL: { status: 500, message: 'Internal server error.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is not available right now.' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: 'The database is not answering right now; retry after the Retry-After header’s seconds.',
  },

  AUTH_REGISTER_001: { status: 409, message: 'An account with this email already exists.' },
  AUTH_TOKEN_001: { status: 401, message: 'Incorrect email or password.' },
  AUTH_TOKEN_002: { status: 422, message: 'Give email (or username) and password.' },
  AUTH_001: {
    status: 401,
    message: 'Authentication required: send an Authorization: Bearer <token> header.',
  },
  AUTH_002: { status: 401, message: 'The access token is invalid or has expired.' },

  EXP_CREATE_001: { status: 422, message: 'The experiment definition is invalid.' },
  EXP_NOT_FOUND: { status: 404, message: 'Experiment not found.' },
  EXP_EDIT_001: {
    status: 409,
    message: 'Elements and variants can only be changed while the experiment is a draft.',
  },
  EXP_EDIT_002: { status: 422, message: 'The experiment change is invalid.' },
  EXP_STATE_001: {
    status: 409,
    message: 'This lifecycle transition is not allowed from the current status.',
  },
  EXP_STATE_002: { status: 422, message: 'The winner must be one of the experiment’s combinations.' },

  STATS_TIMESERIES_001: { status: 422, message: 'The time window or interval is invalid.' },

  SDK_NOT_BUILT: {
    status: 503,
    message: 'The SDK bundle is not built on this server (npm run build -w @samplit/sdk).',
  },
  TRACKER_EXPERIMENT_NOT_FOUND: { status: 404, message: 'No experiment with this id.' },
  TRACKER_RATE_LIMITED: { status: 429, message: 'Too many tracker requests for this experiment; slow down.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
