import { describe, expect, it } from 'vitest';
import { createMsprtTest } from './msprt-test.js';

describe('mSPRT baseline', () => {
  it('is Johari et al.’s normal mixture ratio on the pooled difference, at K / α', () => {
    const test = createMsprtTest(2, { alpha: 0.05 });
    test.add({
      probabilities: [0.5, 0.5],
      arms: [
        { visitors: 5000, conversions: 250 },
        { visitors: 5000, conversions: 330 },
      ],
    });
    const result = test.result();
    const [pk, pj] = [330 / 5000, 250 / 5000];
    const v = (pk * (1 - pk)) / 5000 + (pj * (1 - pj)) / 5000;
    const tau2 = (0.2 * (580 / 10_000)) ** 2;
    const lambda = Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * (pk - pj) ** 2) / (2 * v * (v + tau2)));
    expect(result.candidate).toBe(1);
    expect(result.statistic).toBeCloseTo(lambda, 9);
    expect(result.threshold).toBe(40);
    expect(result.passed).toBe(lambda >= 40);
  });

  it('never passes for equal observed rates', () => {
    const test = createMsprtTest(3, { alpha: 0.05 });
    test.add({
      probabilities: [1 / 3, 1 / 3, 1 / 3],
      arms: [0, 1, 2].map(() => ({ visitors: 4000, conversions: 200 })),
    });
    expect(test.result().passed).toBe(false);
    expect(test.result().statistic).toBe(0);
  });
});
