import { describe, expect, it } from 'vitest';
import { redirectTarget } from './redirect.js';

describe('redirectTarget', () => {
  it('keeps the query string and the hash of the current page', () => {
    expect(redirectTarget('/b.html', 'https://s.example/a.html?utm_source=x&id=1#pricing')).toBe(
      'https://s.example/b.html?utm_source=x&id=1#pricing',
    );
  });

  it("lets the target's own parameters and hash win", () => {
    expect(redirectTarget('/b?id=2#top', 'https://s.example/a?id=1&ref=y#pricing')).toBe(
      'https://s.example/b?id=2&ref=y#top',
    );
  });

  it('follows absolute URLs to other origins', () => {
    expect(redirectTarget('https://other.example/landing', 'https://s.example/?q=1')).toBe(
      'https://other.example/landing?q=1',
    );
  });

  it('returns null when the visitor is already on the variant page', () => {
    expect(redirectTarget('/b.html', 'https://s.example/b.html?utm=1#x')).toBeNull();
    expect(redirectTarget('/a?v=b', 'https://s.example/a?v=b&utm=1')).toBeNull();
  });

  it('refuses non-http targets and garbage', () => {
    expect(redirectTarget('javascript:alert(1)', 'https://s.example/')).toBeNull();
    expect(redirectTarget('http://[bad', 'https://s.example/')).toBeNull();
  });
});
