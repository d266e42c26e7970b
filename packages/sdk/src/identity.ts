import { readCookie, readStore, writeCookie, writeStore } from './storage.js';

/** Name of the first-party cookie and of the localStorage key that hold the visitor id. */
export const ID_KEY = 'samplit_id';

/**
 * A new visitor id, time-ordered: the time in milliseconds (48 bits), then 80 random bits, as 32
 * hex digits (UUIDv7's layout, without its dashes and version bits). New visitors' ids then sort
 * after every older one, so the tracker's index on (experiment, visitor) grows at its right edge
 * instead of at random pages (docs/scaling.md#time-ordered-visitor-ids). getRandomValues, unlike
 * randomUUID, exists on plain-http origins too.
 */
export function newId(): string {
  return (
    // 11 hex digits from 2004 to 2527: with the leading 0, always 12.
    `0${Date.now().toString(16)}` +
    Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => (b + 256).toString(16).slice(1)).join('')
  );
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
