import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** Node's parser errors (before any request exists) mapped onto the registry. */
function codeFor(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_HTTP_002';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'REQUEST_HTTP_003';
  return 'REQUEST_HTTP_001';
}

/**
 * What a connection gets when Node's HTTP parser gives up on it (garbage request line, headers
 * too large, a request that never finished): the one error shape, then the socket is closed,
 * as Fastify's default does with a body of its own.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = codeFor(error);
  const { status, message } = ERROR_CODES[code];
  const body = JSON.stringify({ error: { code, message, details: [] } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
