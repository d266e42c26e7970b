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

describe('heterogeneityLogBayesFactor, mean model', () => {
  /** n visitors, a share `rate` of them buying orders of `order` ± `spread` (half each). */
  const revenue = (n: number, rate: number, order: number, spread = 20) => {
    const buyers = Math.round(n * rate);
    return {
      visitors: n,
      conversions: buyers,
      sum: buyers * order,
      sumSquares: (buyers / 2) * ((order - spread) ** 2 + (order + spread) ** 2),
    };
  };

  it('favours "all equal" for identical arms and grows with a real difference in revenue', () => {
    const same = heterogeneityLogBayesFactor([revenue(5000, 0.05, 50), revenue(5000, 0.05, 50)], 'mean');
    const more = heterogeneityLogBayesFactor([revenue(50_000, 0.05, 50), revenue(50_000, 0.05, 50)], 'mean');
    expect(same).toBeLessThan(0);
    expect(more).toBeLessThan(same);
    // Same conversion rate, 40% larger orders.
    const differ = heterogeneityLogBayesFactor(
      [revenue(20_000, 0.05, 50), revenue(20_000, 0.05, 70)],
      'mean',
    );
    expect(differ).toBeGreaterThan(Math.log(1e6));
    // The binary gate cannot see a difference in order values.
    expect(heterogeneityLogBayesFactor([revenue(20_000, 0.05, 50), revenue(20_000, 0.05, 70)])).toBeLessThan(
      0,
    );
  });

  it('is 0 (no evidence either way) without variance or with fewer than two arms with visitors', () => {
    expect(heterogeneityLogBayesFactor([revenue(100, 0, 0), revenue(100, 0, 0)], 'mean')).toBe(0);
    expect(heterogeneityLogBayesFactor([revenue(100, 0.1, 5), { visitors: 0, conversions: 0 }], 'mean')).toBe(
      0,
    );
    expect(heterogeneityLogBayesFactor([], 'mean')).toBe(0);
  });

  it('stays finite with refunds (a negative overall mean)', () => {
    const lbf = heterogeneityLogBayesFactor([revenue(1000, 0.05, -10), revenue(1000, 0.06, -12)], 'mean');
    expect(Number.isFinite(lbf)).toBe(true);
  });
});
