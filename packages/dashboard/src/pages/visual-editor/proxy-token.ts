import { api } from '../../api/client.js';
import type { ProxyToken } from '../../api/types.js';

/** A fresh proxy token: one per page load, so no frame keeps a token near its expiry. */
export const fetchProxyToken = (signal?: AbortSignal) =>
  api<ProxyToken>('/visual-editor/token', { method: 'POST', body: {}, signal });

/** The frame's address: the proxy, asked for `pageUrl` with the token. */
export function proxiedUrl(proxyUrl: string, pageUrl: string, token: string): string {
  const url = new URL(proxyUrl);
  url.searchParams.set('url', pageUrl);
  url.searchParams.set('token', token);
  return url.href;
}

/** `pageUrl` as an absolute http(s) URL, or null: the only addresses the proxy takes. */
export function pageAddress(pageUrl: string): string | null {
  const trimmed = pageUrl.trim();
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
