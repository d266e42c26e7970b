import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** One problem with one field of a request, as listed in `error.details`. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/** An error that knows its registry code and so its HTTP status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message?: string, details: ErrorDetail[] = []) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = ERROR_CODES[code].status;
    this.details = details;
  }
}
