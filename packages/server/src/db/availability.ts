import { sqlState } from './sql-error.js';

/**
 * Telling "the database is not answering" apart from "the database refused this statement", and
 * failing fast while it is not answering.
 */

/** Why a statement got no answer: the reason a 503 carries and /health reports. */
export type UnavailableReason =
  /** Connection refused, broken or lost (server down, restarting, network gone). */
  | 'unreachable'
  /** Connected, but the server did not answer in time (silent server, partition). */
  | 'timeout'
  /**
   * The server answers but cannot do this now: pool exhausted, statement cancelled by
   * statement_timeout, a deadlock or serialization failure (a retry may well succeed).
   */
  | 'busy'
  /** Not tried: an earlier failure opened the circuit and its cool-down has not elapsed. */
  | 'circuit_open';

/** The one error for "try again later": every availability failure of the database layer. */
export class DatabaseUnavailableError extends Error {
  readonly reason: UnavailableReason;
  /** When a retry has a chance: for the Retry-After header (whole seconds, at least 1). */
  readonly retryAfterSeconds: number;

  constructor(reason: UnavailableReason, retryAfterSeconds: number, options?: { cause?: unknown }) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`database ${reason.replace('_', ' ')}${cause}`, options);
    this.name = 'DatabaseUnavailableError';
    this.reason = reason;
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/**
 * True for "the database is down or overloaded", false for "this statement was refused" (a
 * constraint, a bad value, a bug). Callers batching several requests into one statement fail the
 * whole batch on the former and may split it on the latter.
 */
export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return error instanceof DatabaseUnavailableError;
}

// Socket-level failures of node:net and node:dns while connecting or talking.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// node-pg reports these as plain Errors, told apart only by their message.
const UNREACHABLE_MESSAGES = ['Connection terminated', 'Client has encountered a connection error'];
const TIMEOUT_MESSAGES = [
  'Query read timeout', // query_timeout: the server never answered
  'timeout expired', // connectionTimeoutMillis while connecting
  'Connection terminated due to connection timeout',
];
/** The pool's wait for a free client timed out: every connection is busy, none is broken. */
const POOL_EXHAUSTED_MESSAGE = 'timeout exceeded when trying to connect';

/**
 * Which availability failure `error` is, or undefined when it is not one. SQLSTATE classes:
 * 08 (connection exception) and 57P01–57P04 (server shutting down, starting up, database
 * dropped) mean the server is gone (57P05, a session closed for idling, does not); 57014
 * (cancelled, here by statement_timeout), 53 (out of connections, memory, disk) and 40 (deadlock,
 * serialization failure: rolled back, worth a retry) mean it cannot do it now. Data and program
 * errors (22, 23, 42, …) are not availability failures.
 */
export function classifyDatabaseError(
  error: unknown,
): Exclude<UnavailableReason, 'circuit_open'> | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof DatabaseUnavailableError) {
    return error.reason === 'circuit_open' ? undefined : error.reason;
  }
  const { code } = error as { code?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return code === 'ETIMEDOUT' ? 'timeout' : 'unreachable';
    if (code.startsWith('08') || /^57P0[1-4]$/.test(code)) return 'unreachable';
    if (code === '57014' || code.startsWith('53') || code.startsWith('40')) return 'busy';
    if (sqlState(error)) return undefined;
  }
  if (error.message === POOL_EXHAUSTED_MESSAGE) return 'busy';
  if (TIMEOUT_MESSAGES.some((m) => error.message.startsWith(m))) return 'timeout';
  if (UNREACHABLE_MESSAGES.some((m) => error.message.startsWith(m))) return 'unreachable';
  // node-pg sometimes wraps the socket error (e.g. a connect timeout's cause).
  return error.cause ? classifyDatabaseError(error.cause) : undefined;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSnapshot {
  state: CircuitState;
  /** Seconds until a statement will be tried again (0 when closed). */
  retry_after_seconds: number;
  /** What opened the circuit, while it is not closed. */
  reason?: Exclude<UnavailableReason, 'circuit_open' | 'busy'>;
}

export interface CircuitBreakerOptions {
  coolDownMs: number;
  now?: () => number;
  /** Told about every state change (to log it once, not once per refused request). */
  onChange?: (state: CircuitState, reason?: string) => void;
}

/**
 * A circuit breaker in front of one database server. Closed: statements run. The first
 * connection-level failure opens it: for `coolDownMs` every statement fails at once with
 * `DatabaseUnavailableError('circuit_open')` instead of waiting for its own timeout. Then it is
 * half-open: one statement is let through as a probe (the others still fail fast); an answer from
 * the server (a result or a SQL error) closes it, another connection failure opens it again.
 *
 * One failure is enough to open it: when a server goes silent or restarts every connection
 * fails at once, and a client cannot tell one lost connection from the first of many.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private openedUntil = 0;
  private reason: CircuitSnapshot['reason'];
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  snapshot(): CircuitSnapshot {
    if (this.state === 'closed') return { state: 'closed', retry_after_seconds: 0 };
    const state = this.state === 'open' && this.now() >= this.openedUntil ? 'half_open' : this.state;
    return { state, retry_after_seconds: this.retryAfterSeconds(), reason: this.reason };
  }

  /** Runs `fn` unless the circuit is open; classifies its failure and rethrows it typed. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const probe = this.admit();
    try {
      const result = await fn();
      this.succeeded();
      return result;
    } catch (error) {
      const reason = classifyDatabaseError(error);
      if (reason === 'unreachable' || reason === 'timeout') {
        this.failed(reason);
        throw new DatabaseUnavailableError(reason, this.retryAfterSeconds(), { cause: error });
      }
      // A server error carries a SQLSTATE: proof that the server is there and answering.
      if (sqlState(error)) this.succeeded();
      else if (probe) this.probing = false; // no verdict: let the next statement probe
      if (reason === 'busy') throw new DatabaseUnavailableError('busy', 1, { cause: error });
      throw error;
    }
  }

  /** Whether this call is the half-open probe; throws when the circuit refuses it. */
  private admit(): boolean {
    if (this.state === 'closed') return false;
    if (this.state === 'open' && this.now() >= this.openedUntil) {
      this.setState('half_open');
      this.probing = false;
    }
    if (this.state === 'half_open' && !this.probing) {
      this.probing = true;
      return true;
    }
    throw new DatabaseUnavailableError('circuit_open', this.retryAfterSeconds());
  }

  private succeeded(): void {
    if (this.state === 'closed') return;
    // A statement admitted before the circuit opened may answer now: the server is back either way.
    this.probing = false;
    this.reason = undefined;
    this.setState('closed');
  }

  private failed(reason: 'unreachable' | 'timeout'): void {
    this.probing = false;
    this.reason = reason;
    this.openedUntil = this.now() + this.options.coolDownMs;
    this.setState('open', reason);
  }

  private retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.openedUntil - this.now()) / 1000));
  }

  private setState(state: CircuitState, reason?: string): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onChange?.(state, reason);
  }
}
