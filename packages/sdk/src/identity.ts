import { readCookie, readStore, writeCookie, writeStore } from './storage.js';

/** Name of the first-party cookie and of the localStorage key that hold the visitor id. */
export const ID_KEY = 'samplit_id';

/** A random visitor id (a UUID where the platform has one). */
export function newId(): string {
  try {
    return crypto.randomUUID();
  } catch {
    return (
      Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2)
    );
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
