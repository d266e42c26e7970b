import { readCookie, readStore, writeCookie, writeStore } from './storage.js';

/** Name of the first-party cookie and of the localStorage key that hold the visitor id. */
export const ID_KEY = 'samplit_id';

/** A random visitor id: a UUID, or 128 random bits in hex where randomUUID is missing (plain http). */
export function newId(): string {
  try {
    return crypto.randomUUID();
  } catch {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
      (b + 256).toString(16).slice(1),
    ).join('');
  }
}

/**
 * The visitor's `browser_id`: read from the cookie or from localStorage, created once otherwise,
 * and written back to both so either survives if the other is cleared.
 */
export function loadBrowserId(cookieDomain?: string): string {
  const id = readCookie(ID_KEY) || readStore('localStorage', ID_KEY) || newId();
  writeCookie(ID_KEY, id, cookieDomain);
  writeStore('localStorage', ID_KEY, id);
  return id;
}
