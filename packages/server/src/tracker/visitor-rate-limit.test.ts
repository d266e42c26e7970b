import { describe, expect, it } from 'vitest';
import { createWindowLimiter, isPrivateAddress, limitedPerAddress } from './visitor-rate-limit.js';

describe('visitor rate limit', () => {
  it('tells proxy addresses from visitors', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.255.1',
      '192.168.0.9',
      '100.64.0.1',
      '::1',
      'fd12::3',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '203.0.113.5', '2001:db8::1', '::ffff:8.8.4.4']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
    expect(limitedPerAddress('10.0.0.1', false)).toBe(false);
    expect(limitedPerAddress('10.0.0.1', true)).toBe(true);
    expect(limitedPerAddress('8.8.8.8', false)).toBe(true);
  });

  it('allows perSecond hits per key per window, a new window starts over, and 0 means unlimited', () => {
    let clock = 5_000;
    const allow = createWindowLimiter(2, () => clock);
    expect([allow('a'), allow('a'), allow('a'), allow('b')]).toEqual([true, true, false, true]);
    clock = 5_999;
    expect(allow('a')).toBe(false);
    clock = 6_000;
    expect(allow('a')).toBe(true);
    const unlimited = createWindowLimiter(0);
    expect(Array.from({ length: 1000 }, () => unlimited('a')).every(Boolean)).toBe(true);
  });
});
