/*
 * Storage that never throws: private modes, disabled cookies, sandboxed iframes and Node all
 * degrade to "nothing stored" instead of an exception in the host page.
 */

type Kind = 'localStorage' | 'sessionStorage';

export function readStore(kind: Kind, key: string): string | null {
  try {
    return globalThis[kind]?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writeStore(kind: Kind, key: string, value: string): void {
  try {
    globalThis[kind]?.setItem(key, value);
  } catch {}
}

export function readJson<T>(kind: Kind, key: string, fallback: T): T {
  try {
    return (JSON.parse(readStore(kind, key) ?? 'null') as T) ?? fallback;
  } catch {
    return fallback;
  }
}

export function writeJson(kind: Kind, key: string, value: unknown): void {
  writeStore(kind, key, JSON.stringify(value));
}

export function readCookie(name: string): string | null {
  try {
    for (const part of document.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
    }
  } catch {}
  return null;
}

/** A first-party cookie kept for 400 days (the longest Chromium allows). */
export function writeCookie(name: string, value: string, domain?: string): void {
  try {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async and not in every browser yet
    document.cookie =
      name +
      '=' +
      encodeURIComponent(value) +
      ';path=/;max-age=34560000;samesite=lax' +
      (domain ? ';domain=' + domain : '') +
      (location.protocol === 'https:' ? ';secure' : '');
  } catch {}
}
