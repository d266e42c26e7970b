import { describe, expect, it } from 'vitest';
import { betaRanges } from './beta-grid.js';
import { createRng } from './rng.js';
import { sampleBeta, sampleGamma, sampleNormal } from './sampling.js';
import { computeStats } from './stats.js';
import { betaUpliftInterval, drawUpliftInterval } from './uplift-interval.js';

const interval = (a: number[], b: number[]) => {
  const alpha = Float64Array.from(a);
  const beta = Float64Array.from(b);
  return betaUpliftInterval(alpha, beta, betaRanges(alpha, beta), 1, 0);
};

/** |share − q| in binomial standard deviations over `n` draws. */
const zOfShare = (share: number, q: number, n: number) => Math.abs(share - q) / Math.sqrt((q * (1 - q)) / n);

describe('betaUpliftInterval (binary)', () => {
  it('matches the closed form for two uniforms: P(U/V ≤ r) = r/2 (r ≤ 1), 1 − 1/(2r) (r ≥ 1)', () => {
    const [lo, hi] = interval([1, 1], [1, 1]);
    expect(lo).toBeCloseTo(-0.95, 9);
    expect(hi).toBeCloseTo(19, 6);
  });

  it('is symmetric in the ratio for identical posteriors: (1 + lo)(1 + hi) = 1', () => {
    for (const [a, b] of [
      [56, 946],
      [3, 40],
      [5001, 95001],
    ]) {
      const [lo, hi] = interval([a, a], [b, b]);
      expect((1 + lo) * (1 + hi)).toBeCloseTo(1, 9);
      expect(lo).toBeLessThan(0);
    }
  });

  it('agrees with 4·10^6 Monte Carlo draws of the ratio (within 4 binomial sds of each tail)', () => {
    // Control Beta(41, 961), variant Beta(56, 946): 40 vs 55 conversions out of 1,000.
    const [lo, hi] = interval([41, 56], [961, 946]);
    const rng = createRng(31);
    const n = 4_000_000;
    let below = 0;
    let above = 0;
    for (let i = 0; i < n; i++) {
      const c = sampleBeta(41, 961, rng);
      const u = sampleBeta(56, 946, rng) / c - 1;
      if (u <= lo) below++;
      if (u > hi) above++;
    }
    expect(zOfShare(below / n, 0.025, n)).toBeLessThan(4);
    expect(zOfShare(above / n, 0.025, n)).toBeLessThan(4);
  });

  it('is what computeStats reports, null for the control, around the uplift', () => {
    const stats = computeStats({
      arms: [
        { visitors: 1000, conversions: 40 },
        { visitors: 1000, conversions: 55 },
      ],
    });
    expect(stats.arms[0].upliftCi95).toBeNull();
    const ci = stats.arms[1].upliftCi95!;
    expect(ci).toEqual(interval([41, 56], [961, 946]));
    expect(ci[0]).toBeLessThan(stats.arms[1].uplift);
    expect(ci[1]).toBeGreaterThan(stats.arms[1].uplift);
  });
});

describe('upliftCi95 (mean model)', () => {
  it('agrees with 10^6 independent draws of the hurdle posterior ratio', () => {
    // Two arms with 200 buyers each: orders 50 ± 30 vs 56 ± 30 (half at each value).
    const arm = (conversions: number, order: number) => ({
      visitors: 4000,
      conversions,
      sum: conversions * order,
      sumSquares: (conversions / 2) * ((order - 30) ** 2 + (order + 30) ** 2),
    });
    const arms = [arm(200, 50), arm(200, 56)];
    const stats = computeStats({ arms, metric: 'mean' });
    const [lo, hi] = stats.arms[1].upliftCi95!;
    // Independent Monte Carlo of the same posterior: Beta(201, 3801) × (mean + s/√n · t_199).
    const rng = createRng(32);
    const draw = (order: number) => {
      const s = Math.sqrt((200 * 30 * 30) / 199);
      const t = sampleNormal(rng) / Math.sqrt((2 * sampleGamma(199 / 2, rng)) / 199);
      return sampleBeta(201, 3801, rng) * (order + (s / Math.sqrt(200)) * t);
    };
    const n = 1_000_000;
    let below = 0;
    let above = 0;
    for (let i = 0; i < n; i++) {
      const u = draw(56) / draw(50) - 1;
      if (u <= lo) below++;
      if (u > hi) above++;
    }
    // The engine's ends are quantiles of 10^4 draws: sd of a tail share √(q(1 − q)(1/10^4 + 1/10^6)).
    const sd = Math.sqrt(0.025 * 0.975 * (1e-4 + 1e-6));
    expect(Math.abs(below / n - 0.025)).toBeLessThan(4 * sd);
    expect(Math.abs(above / n - 0.025)).toBeLessThan(4 * sd);
  });

  it('takes the quantiles of the paired ratios', () => {
    const [lo, hi] = drawUpliftInterval(Float64Array.of(1.1, 1.2, 1.3), Float64Array.of(1, 1, 1));
    expect(lo).toBeCloseTo(0.105, 12);
    expect(hi).toBeCloseTo(0.295, 12);
    // A negative control: (x − c) / |c|.
    expect(drawUpliftInterval(Float64Array.of(-1, -1), Float64Array.of(-2, -2))).toEqual([0.5, 0.5]);
  });
});
