import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import { AppError } from '../errors/app-error.js';
import { VERSION } from '../version.js';
import { type AddressPolicyOptions, createAddressPolicy } from './address-policy.js';
import { addressRefusal, isAllowedPort, portOf, portRefusal } from './safe-dispatcher.js';

export const FETCH_LIMITS = {
  /** One deadline for the whole chain: every hop's connect, headers and body. */
  deadlineMs: 10_000,
  maxRedirects: 5,
  maxBytes: 5 * 1024 * 1024,
} as const;

export interface FetchPageOptions extends AddressPolicyOptions {
  /** The SSRF-safe dispatcher (safe-dispatcher.ts); it is what checks resolved addresses. */
  dispatcher: Dispatcher;
  allowedPorts?: readonly number[];
  deadlineMs?: number;
  maxRedirects?: number;
  maxBytes?: number;
}

export interface FetchedPage {
  /** The URL the chain of redirects ended at: the page's real address. */
  url: string;
  html: string;
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function targetError(code: 'EDITOR_TARGET_001', reason: string): AppError {
  return new AppError(code, `The visual editor cannot open this address: ${reason}.`, [
    { field: 'url', message: reason },
  ]);
}

/** The absolute http(s) URL `raw` names, or a 422 that says what is wrong with it. */
export function parseTargetUrl(raw: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw targetError('EDITOR_TARGET_001', `"${raw.slice(0, 200)}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw targetError('EDITOR_TARGET_001', `only http and https pages can be edited, not ${url.protocol}`);
  }
  // Credentials in the URL would be sent to the target as an Authorization header.
  if (url.username || url.password)
    throw targetError('EDITOR_TARGET_001', 'the URL must not carry credentials');
  return url;
}

/** `text/html; charset="iso-8859-1"` → {type: 'text/html', charset: 'iso-8859-1'}. */
function parseContentType(header: string | undefined): { type: string; charset: string | undefined } {
  const [type = '', ...params] = (header ?? '').split(';');
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === 'charset') {
      charset = param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  return { type: type.trim().toLowerCase(), charset };
}

function decoderFor(charset: string | undefined): TextDecoder {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    // An unknown label: WHATWG's own fallback for HTML is windows-1252, but pages that send a
    // broken label are overwhelmingly UTF-8 today.
    return new TextDecoder('utf-8');
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The decoded body stream for a Content-Encoding (the size cap applies to what comes out). */
function decoded(body: Readable, encoding: string | undefined): Readable {
  switch ((encoding ?? 'identity').trim().toLowerCase()) {
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return body.pipe(createGunzip());
    case 'deflate':
      return body.pipe(createInflate());
    case 'br':
      return body.pipe(createBrotliDecompress());
    default:
      discard(body);
      throw new AppError('EDITOR_TARGET_008', 'The page was sent in an encoding the editor cannot read.', [
        { field: 'url', message: `Content-Encoding: ${encoding}` },
      ]);
  }
}

/** Stops reading a body; undici reports a body destroyed without a reason as an error event. */
function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      discard(body);
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): AppError {
  const mb = maxBytes / (1024 * 1024);
  return new AppError('EDITOR_TARGET_005', `The page is larger than ${mb} MB, more than the editor loads.`, [
    { field: 'url', message: `larger than ${maxBytes} bytes` },
  ]);
}

function unreachable(url: URL, error: unknown): AppError {
  const cause = error as NodeJS.ErrnoException;
  const why = cause.code ?? cause.message ?? 'unknown error';
  return new AppError('EDITOR_TARGET_008', `The page could not be reached (${url.host}: ${why}).`, [
    { field: 'url', message: String(why) },
  ]);
}

/**
 * Fetches a page for the visual editor: GET, no cookies and none of the user's headers,
 * redirects followed by hand (each hop's scheme, port and address checked again), at most
 * `maxRedirects` of them, a body of at most `maxBytes`, one deadline for the whole chain, and
 * only HTML. Every refusal is an AppError whose message says why.
 */
export async function fetchPage(rawUrl: string, options: FetchPageOptions): Promise<FetchedPage> {
  const deadlineMs = options.deadlineMs ?? FETCH_LIMITS.deadlineMs;
  const maxRedirects = options.maxRedirects ?? FETCH_LIMITS.maxRedirects;
  const maxBytes = options.maxBytes ?? FETCH_LIMITS.maxBytes;
  const check = createAddressPolicy(options);
  const signal = AbortSignal.timeout(deadlineMs);
  const timedOut = () =>
    new AppError('EDITOR_TARGET_006', `The page took longer than ${deadlineMs / 1000} s to load.`, [
      { field: 'url', message: `no complete answer within ${deadlineMs} ms` },
    ]);

  let url = parseTargetUrl(rawUrl);
  for (let hop = 0; ; hop++) {
    const port = portOf(url);
    if (!isAllowedPort(port, options.allowedPorts)) throw portRefusal(port);
    // Literal IPs are refused before any socket is opened; the dispatcher checks them again,
    // and is the only check for names.
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal)) {
      const verdict = check(literal);
      if (!verdict.allowed) throw addressRefusal(literal, verdict);
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher: options.dispatcher,
        signal,
        maxRedirections: 0,
        headers: {
          'user-agent': `Mozilla/5.0 (compatible; SamplitEditor/${VERSION})`,
          accept: 'text/html,application/xhtml+xml',
          'accept-encoding': 'gzip, deflate, br',
        },
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (signal.aborted) throw timedOut();
      throw unreachable(url, error);
    }
    const { statusCode, headers, body } = response;
    try {
      if (REDIRECTS.has(statusCode)) {
        const location = header(headers, 'location');
        if (!location) throw upstreamStatus(statusCode, 'a redirect without a Location');
        if (hop >= maxRedirects) {
          throw new AppError('EDITOR_TARGET_004', `The page redirects more than ${maxRedirects} times.`, [
            { field: 'url', message: `more than ${maxRedirects} redirects (the last to ${location})` },
          ]);
        }
        discard(body);
        url = parseTargetUrl(location, url.href);
        continue;
      }
      if (statusCode < 200 || statusCode >= 300) throw upstreamStatus(statusCode);
      const { type, charset } = parseContentType(header(headers, 'content-type'));
      if (!HTML_TYPES.has(type)) {
        throw new AppError('EDITOR_TARGET_007', `This address is not an HTML page (${type || 'no type'}).`, [
          { field: 'url', message: `Content-Type: ${type || 'none'}` },
        ]);
      }
      const length = Number(header(headers, 'content-length'));
      if (Number.isFinite(length) && length > maxBytes) throw tooLarge(maxBytes);
      const bytes = await readCapped(decoded(body, header(headers, 'content-encoding')), maxBytes);
      return { url: url.href, html: decoderFor(charset).decode(bytes) };
    } catch (error) {
      discard(body);
      if (error instanceof AppError) throw error;
      if (signal.aborted) throw timedOut();
      throw unreachable(url, error);
    }
  }
}

function upstreamStatus(status: number, what?: string): AppError {
  return new AppError('EDITOR_TARGET_009', `The page answered with ${what ?? `HTTP status ${status}`}.`, [
    { field: 'status', message: String(status) },
  ]);
}
