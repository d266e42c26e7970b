// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ID_KEY, loadBrowserId, newId } from './identity.js';
import { readCookie } from './storage.js';

const clearCookie = () => {
  // biome-ignore lint/suspicious/noDocumentCookie: clearing the cookie the way a visitor would
  document.cookie = ID_KEY + '=; path=/; max-age=0';
};

beforeEach(() => {
  clearCookie();
  localStorage.clear();
});

describe('loadBrowserId', () => {
  it('creates an id once and keeps it in a cookie and in localStorage', () => {
    const id = loadBrowserId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(readCookie(ID_KEY)).toBe(id);
    expect(localStorage.getItem(ID_KEY)).toBe(id);
    expect(loadBrowserId()).toBe(id);
  });

  it('survives the cookie being cleared (and restores it)', () => {
    const id = loadBrowserId();
    clearCookie();
    expect(readCookie(ID_KEY)).toBeFalsy();
    expect(loadBrowserId()).toBe(id);
    expect(readCookie(ID_KEY)).toBe(id);
  });

  it('survives localStorage being cleared (and restores it)', () => {
    const id = loadBrowserId();
    localStorage.clear();
    expect(loadBrowserId()).toBe(id);
    expect(localStorage.getItem(ID_KEY)).toBe(id);
  });

  it('gives different visitors different ids', () => {
    const first = loadBrowserId();
    clearCookie();
    localStorage.clear();
    expect(loadBrowserId()).not.toBe(first);
  });
});

describe('newId', () => {
  it('is 128 bits in hex that start with the time, so later ids sort after earlier ones', () => {
    const before = Date.now();
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const millis = Number.parseInt(id.slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now());
    const later = new Date(before + 1);
    vi.useFakeTimers({ now: later, toFake: ['Date'] });
    try {
      expect(newId() > id).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('differs between two ids of the same millisecond (80 random bits)', () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z'), toFake: ['Date'] });
    try {
      const ids = new Set(Array.from({ length: 1000 }, () => newId()));
      expect(ids.size).toBe(1000);
      expect(new Set([...ids].map((id) => id.slice(0, 12))).size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('needs only getRandomValues, which plain-http origins have (randomUUID is missing there)', () => {
    const randomUUID = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(newId()).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: randomUUID, configurable: true });
    }
  });
});
