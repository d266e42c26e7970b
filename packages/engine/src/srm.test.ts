import { describe, expect, it } from 'vitest';
import { sampleRatioMismatch } from './srm.js';

describe('sampleRatioMismatch', () => {
  it('computes Pearson’s chi-square and its p-value (closed form for 1 degree of freedom)', () => {
    const r = sampleRatioMismatch([5000, 5200], [1, 1]);
    expect(r.chiSquare).toBeCloseTo((100 * 100 * 2) / 5100, 12);
    expect(r.degreesOfFreedom).toBe(1);
    expect(r.pValue).toBeCloseTo(0.04771, 4); // pchisq(3.9216, 1, lower = FALSE)
    expect(r.mismatch).toBe(false);
  });

  it('flags a broken split and respects unequal weights', () => {
    expect(sampleRatioMismatch([5000, 5600], [1, 1]).mismatch).toBe(true);
    expect(sampleRatioMismatch([8000, 2000], [4, 1]).pValue).toBeCloseTo(1, 12);
    expect(sampleRatioMismatch([10, 5], [1, 0]).pValue).toBe(0); // traffic to a weight-0 arm
  });
});
