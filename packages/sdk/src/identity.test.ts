// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
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
  it('creates a random id once and keeps it in a cookie and in localStorage', () => {
    const id = loadBrowserId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
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
  it('falls back to 128 random bits where crypto.randomUUID is missing (insecure origins)', () => {
    const randomUUID = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(newId()).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: randomUUID, configurable: true });
    }
  });
});
