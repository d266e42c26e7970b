import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, useTestApp } from '../helpers/test-app.js';

// Raw TCP garbage against a listening server: whatever arrives, the answer is a 4xx or a closed
// connection, never a 5xx, and the server keeps serving everyone else.
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_917);
const REQUEST_TIMEOUT_MS = 1500;

const ctx = useTestApp({ requestTimeoutMs: REQUEST_TIMEOUT_MS, trackerRateLimitPerIp: 0 });
let base: string;
let port: number;
let headers: Record<string, string>;

beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(base).port);
});

/** Writes `bytes`, then reads until the server closes or `idleMs` pass without data. */
function exchange(bytes: string | Uint8Array, idleMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      idle();
    });
    socket.on('close', finish);
    // The server may reset a connection it refuses while we are still writing: that is a refusal.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish() : reject(error),
    );
    socket.write(bytes);
    idle();
  });
}

// Not anchored to a line start: a pipelined response follows the previous body directly.
const statusLines = (response: string) =>
  [...response.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));

/** The server is healthy: /health is 200 and an authenticated request is answered normally. */
async function expectServing() {
  const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
  expect(health.status).toBe(200);
  const list = await fetch(`${base}/api/v1/experiments`, { headers, signal: AbortSignal.timeout(5000) });
  expect(list.status).toBe(200);
}

async function expectRefused(bytes: string | Uint8Array) {
  const response = await exchange(bytes);
  const statuses = statusLines(response);
  for (const status of statuses) expect(status, response.slice(0, 300)).toBeLessThan(500);
  // Even what Node's parser refuses before a request exists comes in the one error shape.
  const errors = statuses.filter((s) => s >= 400).length;
  expect([...response.matchAll(/\{"error":\{"code":"[A-Z0-9_]+"/g)].length, response.slice(0, 300)).toBe(
    errors,
  );
  await expectServing();
  return response;
}

const GET = 'GET /health HTTP/1.1\r\nHost: localhost\r\n';

describe('raw HTTP garbage', () => {
  it('sets the timeouts that cut off clients that never finish a request', () => {
    expect(ctx.app.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(ctx.app.server.headersTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(ctx.app.server.keepAliveTimeout).toBeGreaterThan(0);
  });

  it('survives random bytes (property-based)', { timeout: 60_000 }, async () => {
    console.log(`raw-http: FUZZ_SEED=${SEED}`);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 2000 }),
          // Random bytes after a plausible start reach deeper into the parser.
          fc.uint8Array({ maxLength: 500 }).map((tail) => Buffer.concat([Buffer.from(GET), tail])),
        ),
        async (bytes) => {
          await expectRefused(bytes);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it.each([
    ['an empty request line', '\r\n\r\n\r\n'],
    ['no version', 'GET /health\r\n\r\n'],
    ['an unknown version', 'GET /health HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['an invalid method', 'G@T /health HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a NUL in the target', 'GET /he\u0000alth HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a space in the target', 'GET /a b/c HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an absolute-form target', 'GET http://evil.example/health HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a 100 kB target', `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['the HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['a header without a colon', `${GET}Broken header\r\n\r\n`],
    ['a header with a NUL', `${GET}X-A: b\u0000c\r\n\r\n`],
    ['an obsolete folded header', `${GET}X-A: b\r\n c\r\n\r\n`],
    ['a 100 kB header', `${GET}X-Big: ${'a'.repeat(100_000)}\r\n\r\n`],
    ['3000 headers', `${GET}${'X-A: b\r\n'.repeat(3000)}\r\n`],
    ['bare LF line endings', 'GET /health HTTP/1.1\nHost: x\n\n'],
  ])('refuses %s', async (_label, bytes) => {
    await expectRefused(bytes);
  });

  const post = (extra: string, body: string) =>
    `POST /api/v1/tracker/assign HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${extra}\r\n${body}`;
  const body = '{"experiment_id":"00000000-0000-4000-8000-000000000000","browser_id":"v"}';

  it.each([
    ['a negative Content-Length', post('Content-Length: -1\r\n', body)],
    ['a non-numeric Content-Length', post('Content-Length: abc\r\n', body)],
    ['a Content-Length beyond 2^64', post('Content-Length: 99999999999999999999\r\n', body)],
    ['two different Content-Lengths', post('Content-Length: 5\r\nContent-Length: 10\r\n', body)],
    ['a Content-Length longer than the body', post('Content-Length: 100000\r\n', body)],
    ['a Content-Length shorter than the body', post('Content-Length: 5\r\n', body)],
    [
      'Content-Length and chunked together',
      post(`Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`, body),
    ],
    ['an unknown Transfer-Encoding', post('Transfer-Encoding: gzip, identity\r\n', body)],
    ['a chunk size that is not hex', post('Transfer-Encoding: chunked\r\n', 'ZZ\r\nabc\r\n0\r\n\r\n')],
    ['a chunk size beyond 2^64', post('Transfer-Encoding: chunked\r\n', 'FFFFFFFFFFFFFFFFFF\r\nabc\r\n')],
    ['a chunk longer than its size', post('Transfer-Encoding: chunked\r\n', `3\r\n${body}\r\n0\r\n\r\n`)],
    [
      'chunks without the last chunk',
      post('Transfer-Encoding: chunked\r\n', `${body.length.toString(16)}\r\n${body}\r\n`),
    ],
    [
      'a chunk extension flood',
      post('Transfer-Encoding: chunked\r\n', `1;${'a=b;'.repeat(20_000)}\r\nx\r\n0\r\n\r\n`),
    ],
    ['a body too large for the tracker', post('Content-Length: 200000\r\n', 'x'.repeat(200_000))],
  ])('refuses %s', async (_label, bytes) => {
    await expectRefused(bytes);
  });

  it('refuses garbage pipelined in the same packet as a valid request', async () => {
    // Node's parser reads ahead: the garbage is refused (400, close) whether or not the valid
    // request's response made it out first.
    await expectRefused(`${GET}\r\ngarbage garbage\r\n\r\n`);
  });

  it('answers a valid request, then refuses garbage on the same connection', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(`${GET}\r\n`);
    await expect.poll(() => statusLines(received), { timeout: 5000 }).toEqual([200]);
    socket.write('garbage garbage\r\n\r\n');
    await closed;
    expect(statusLines(received)).toEqual([200, 400]);
    await expectServing();
  });

  it('answers pipelined valid requests in order', async () => {
    const response = await exchange(`${GET}\r\n${GET}\r\n${GET}Connection: close\r\n\r\n`);
    expect(statusLines(response)).toEqual([200, 200, 200]);
  });

  it('cuts off a slowloris connection without delaying anyone else', { timeout: 30_000 }, async () => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    const openedAt = performance.now();
    socket.write(GET);
    // A header line every 200 ms: never idle, never done.
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
    try {
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await expectServing();
        expect(performance.now() - started).toBeLessThan(1000);
      }
      const closedAt = await closed;
      // The timeout plus at most one connection check (every second).
      expect(closedAt - openedAt).toBeLessThan(REQUEST_TIMEOUT_MS + 2500);
      for (const status of statusLines(received)) expect(status).toBe(408);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    await expectServing();
  });

  it('cuts off a client that sends its headers and never its body', { timeout: 30_000 }, async () => {
    const started = performance.now();
    const response = await exchange(
      post('Content-Length: 1000\r\n', '{"experiment_id":'),
      REQUEST_TIMEOUT_MS + 3000,
    );
    expect(performance.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
    for (const status of statusLines(response)) expect(status).toBeLessThan(500);
    await expectServing();
  });
});
