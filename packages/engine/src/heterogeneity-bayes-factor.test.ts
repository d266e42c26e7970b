import { describe, expect, it } from 'vitest';
import { heterogeneityLogBayesFactor } from './heterogeneity-bayes-factor.js';
import { createRng } from './rng.js';

describe('heterogeneityLogBayesFactor', () => {
  it('favours "all equal" for identical arms, more so with more data', () => {
    const few = heterogeneityLogBayesFactor([
      { visitors: 1000, conversions: 50 },
      { visitors: 1000, conversions: 50 },
    ]);
    const many = heterogeneityLogBayesFactor([
      { visitors: 100_000, conversions: 5000 },
      { visitors: 100_000, conversions: 5000 },
    ]);
    expect(few).toBeLessThan(0);
    expect(many).toBeLessThan(few);
  });

  it('grows with a real difference and does not depend on arm order', () => {
    const arms = [
      { visitors: 4000, conversions: 160 },
      { visitors: 4000, conversions: 300 },
      { visitors: 4000, conversions: 170 },
    ];
    const lbf = heterogeneityLogBayesFactor(arms);
    expect(lbf).toBeGreaterThan(Math.log(1e6));
    expect(heterogeneityLogBayesFactor([...arms].reverse())).toBeCloseTo(lbf, 10);
  });

  it('is a martingale-like e-value under "all equal": E[BF] ≈ 1 at a fixed sample size', () => {
    const rng = createRng(4);
    const runs = 4000;
    let mean = 0;
    for (let r = 0; r < runs; r++) {
      const arms = [0, 1, 2].map(() => {
        let conversions = 0;
        for (let v = 0; v < 2000; v++) if (rng.next() < 0.05) conversions++;
        return { visitors: 2000, conversions };
      });
      mean += Math.exp(heterogeneityLogBayesFactor(arms)) / runs;
    }
    expect(mean).toBeGreaterThan(0.8);
    expect(mean).toBeLessThan(1.2);
  });
});
