/**
 * The one registry of error codes: code → HTTP status and default message.
 * Every error the API sends carries one of these codes, in the one error shape (docs/architecture.md#error-shape).
 *
 * Codes are `<AREA>_<TOPIC>_<NNN>`: the part of the API (REQUEST: any request, before a route's
 * own rules; SERVER; AUTH; EXP: experiments; STATS; SDK; TRACKER; EDITOR: the visual editor's
 * origin, with the topics TOKEN (its proxy token), AGENT (its script) and TARGET (pages its proxy
 * refuses to fetch, each refusal saying why)), the topic within it, and a number per distinct
 * failure of that topic. A code never changes meaning; a new failure gets a new number.
 */
export const ERROR_CODES = {
  REQUEST_BODY_001: { status: 400, message: 'The request body is not valid JSON.' },
  REQUEST_HTTP_001: { status: 400, message: 'The request could not be understood.' },
  REQUEST_BODY_002: { status: 413, message: 'The request body is too large.' },
  REQUEST_HTTP_002: { status: 408, message: 'The request was not received in time.' },
  REQUEST_HTTP_003: { status: 431, message: 'The request headers are too large.' },
  REQUEST_BODY_003: { status: 415, message: 'This content type is not supported.' },
  REQUEST_VALIDATION_001: { status: 422, message: 'The request has invalid fields.' },
  REQUEST_ROUTE_001: { status: 404, message: 'No such route.' },
  REQUEST_RATE_001: { status: 429, message: 'Too many requests; slow down.' },
  SERVER_INTERNAL_001: { status: 500, message: 'Internal server error.' },
  SERVER_UNAVAILABLE_001: { status: 503, message: 'The service is not available right now.' },
  SERVER_UNAVAILABLE_002: {
    status: 503,
    message: 'The database is not answering right now; retry after the Retry-After header’s seconds.',
  },

  AUTH_REGISTER_001: { status: 409, message: 'An account with this email already exists.' },
  AUTH_TOKEN_001: { status: 401, message: 'Incorrect email or password.' },
  AUTH_TOKEN_002: { status: 422, message: 'Give email (or username) and password.' },
  AUTH_REQUEST_001: {
    status: 401,
    message: 'Authentication required: send an Authorization: Bearer <token> header.',
  },
  AUTH_REQUEST_002: { status: 401, message: 'The access token is invalid or has expired.' },

  EXP_CREATE_001: { status: 422, message: 'The experiment definition is invalid.' },
  EXP_FIND_001: { status: 404, message: 'Experiment not found.' },
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
  STATS_EXPORT_001: {
    status: 410,
    message:
      'Retention removed this experiment’s raw assignments and events; its per-visitor export is no longer available (statistics and time series remain).',
  },

  SDK_BUNDLE_001: {
    status: 503,
    message: 'The SDK bundle is not built on this server (npm run build -w @samplit/sdk).',
  },
  DASHBOARD_BUNDLE_001: {
    status: 503,
    message: 'The dashboard is not built on this server (npm run build -w @samplit/dashboard).',
  },
  TRACKER_EXPERIMENT_001: { status: 404, message: 'No experiment with this id.' },
  TRACKER_RATE_001: { status: 429, message: 'Too many tracker requests for this experiment; slow down.' },
  TRACKER_PREVIEW_001: {
    status: 401,
    message: 'The preview link is invalid or has expired: copy a fresh one from the experiment page.',
  },
  TRACKER_PREVIEW_002: {
    status: 404,
    message:
      'The preview link shows a combination the experiment no longer has (its variants were edited since): copy a fresh one.',
  },

  EDITOR_TOKEN_001: {
    status: 401,
    message: 'The editor token is invalid or has expired: reopen the page from the dashboard.',
  },
  EDITOR_AGENT_001: {
    status: 503,
    message: 'The visual editor’s agent script is not built on this server (npm run build -w @samplit/sdk).',
  },
  EDITOR_TARGET_001: { status: 422, message: 'The page address is not an absolute http(s) URL.' },
  EDITOR_TARGET_002: { status: 403, message: 'The page’s address is not one the visual editor may fetch.' },
  EDITOR_TARGET_003: { status: 403, message: 'The page’s port is not one the visual editor may fetch.' },
  EDITOR_TARGET_004: { status: 422, message: 'The page redirects more than 5 times.' },
  EDITOR_TARGET_005: { status: 422, message: 'The page is larger than 5 MB.' },
  EDITOR_TARGET_006: { status: 422, message: 'The page took longer than 10 s to load.' },
  EDITOR_TARGET_007: { status: 415, message: 'The address is not an HTML page.' },
  EDITOR_TARGET_008: { status: 502, message: 'The page could not be reached.' },
  EDITOR_TARGET_009: { status: 502, message: 'The page answered with an error status.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
