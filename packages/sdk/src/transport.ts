/** A subset of `fetch`, so tests and server runtimes can pass their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface PostResult {
  status: number;
  body: unknown;
}

/*
 * text/plain keeps tracker calls CORS-"simple": no preflight round trip before the assign that the
 * page is waiting for, and sendBeacon can use the same body. The server parses it as JSON.
 */
const TYPE = 'text/plain;charset=UTF-8';

/** POSTs JSON; rejects on network errors and after `timeout` ms. */
export async function postJson(
  fetchImpl: FetchLike,
  url: string,
  body: unknown,
  timeout: number,
  keepalive = false,
): Promise<PostResult> {
  const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = setTimeout(() => abort?.abort(), timeout);
  try {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': TYPE },
      body: JSON.stringify(body),
      credentials: 'omit',
      keepalive,
      signal: abort?.signal,
    });
    let json: unknown;
    try {
      json = await res.json();
    } catch {}
    return { status: res.status, body: json };
  } finally {
    clearTimeout(timer);
  }
}

/** Hands a POST to the browser to deliver even after the page is gone; false if it refused. */
export function beacon(url: string, body: unknown): boolean {
  try {
    return navigator.sendBeacon(url, new Blob([JSON.stringify(body)], { type: TYPE }));
  } catch {
    return false;
  }
}
