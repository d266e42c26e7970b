import { describe, expect, it } from 'vitest';
import { duration, eValue, signedPct, upliftWithInterval, zScore } from './format.js';

describe('format', () => {
  it('writes a relative change with one decimal below 100% and whole percents from there', () => {
    expect(signedPct(0.123)).toBe('+12.3%');
    expect(signedPct(-0.018)).toBe('−1.8%');
    expect(signedPct(0.9994)).toBe('+99.9%');
    expect(signedPct(0.9996)).toBe('+100%');
    expect(signedPct(18.5)).toBe('+1850%');
    expect(signedPct(-0.00004)).toBe('0.0%');
    expect(signedPct(null)).toBe('—');
  });

  it('writes an uplift with its 95% interval', () => {
    expect(upliftWithInterval(0.123, [-0.018, 0.275])).toBe('+12.3% [−1.8%, +27.5%]');
    expect(upliftWithInterval(0.05, null)).toBe('+5.0%');
  });

  it('writes an e-value as a multiple and z with two decimals', () => {
    expect(eValue(1.7451)).toBe('×1.7');
    expect(eValue(40)).toBe('×40');
    expect(eValue(9_155_132)).toBe('×9.2 × 10⁶');
    expect(eValue(null)).toBe('—');
    expect(zScore(1.28089)).toBe('1.28');
    expect(zScore(-0.5)).toBe('−0.50');
    expect(zScore(-0.001)).toBe('0.00');
  });

  it('writes a duration in minutes, hours or days', () => {
    expect(duration(30)).toBe('1 minute');
    expect(duration(90)).toBe('2 minutes');
    expect(duration(3600)).toBe('1 hour');
    expect(duration(5 * 3600)).toBe('5 hours');
    expect(duration(4.847 * 86_400)).toBe('4.8 days');
    expect(duration(40.2 * 86_400)).toBe('40 days');
    expect(duration(Number.NaN)).toBe('—');
  });
});
