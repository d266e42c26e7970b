import { describe, expect, it } from 'vitest';
import { elementEffects } from './element-effects.js';
import { createRng } from './rng.js';
import { sampleBeta } from './sampling.js';
import { fullFactorialLevels } from './simulator/scenarios.js';
import { normalCdf } from './special/normal.js';
import { computeStats } from './stats.js';
import type { Snapshot } from './types.js';

// Element 0: A / B; element 1: X / Y. Combinations A-X 5%, A-Y 3%, B-X 4%, B-Y 4.5%, most traffic
// on A-X. Pooled, A converts 1,060 / 22,000 = 4.82% and B 170 / 4,000 = 4.25%; balanced, A is
// (5% + 3%) / 2 = 4% and B (4% + 4.5%) / 2 = 4.25%: B is 6.25% better.
const visitors = [20_000, 2000, 2000, 2000];
const conversions = [1000, 60, 80, 90];
const snapshot: Snapshot = {
  arms: visitors.map((v, i) => ({ visitors: v, conversions: conversions[i] })),
  levels: fullFactorialLevels([2, 2]),
  controlArm: 0,
};
const posteriorMean = (i: number) => (conversions[i] + 1) / (visitors[i] + 2);
const posteriorVariance = (i: number) => {
  const a = conversions[i] + 1;
  const b = visitors[i] - conversions[i] + 1;
  return (a * b) / ((a + b) ** 2 * (a + b + 1));
};

describe('elementEffects', () => {
  const [first] = elementEffects(snapshot)!;
  const [a, b] = first.variants;

  it('keeps the pooled counts as served but reports the balanced effect: no Simpson reversal', () => {
    expect(a).toMatchObject({
      visitors: 22_000,
      conversions: 1060,
      alpha: 1061,
      beta: 20_941,
      isControl: true,
    });
    expect(b).toMatchObject({ visitors: 4000, conversions: 170, rate: 170 / 4000 });
    expect(a.rate).toBeGreaterThan(b.rate); // pooled: A looks better
    // Balanced means are exact averages of the arms' posterior means.
    expect(a.mean).toBeCloseTo((posteriorMean(0) + posteriorMean(1)) / 2, 15);
    expect(b.mean).toBeCloseTo((posteriorMean(2) + posteriorMean(3)) / 2, 15);
    expect(b.mean).toBeGreaterThan(a.mean);
    expect(b.uplift).toBeCloseTo(b.mean / a.mean - 1, 12);
    expect(Math.abs(b.uplift - 0.0625)).toBeLessThan(0.01); // the Beta(1, 1) prior moves it to 6.7%
    expect(b.probBest).toBeGreaterThan(0.5);
    expect(a.probBest + b.probBest).toBeCloseTo(1, 12);
    expect(b.upliftCi95![0]).toBeLessThan(0.0625);
    expect(b.upliftCi95![1]).toBeGreaterThan(0.0625);
    expect(a.upliftCi95).toBeNull();
  });

  it('agrees with the normal approximation of the balanced difference', () => {
    // Var of an average of two independent Betas: (v_1 + v_2) / 4; P(B > A) ≈ Φ(Δ / √(σ_A² + σ_B²)).
    const sdA = Math.sqrt((posteriorVariance(0) + posteriorVariance(1)) / 4);
    const sdB = Math.sqrt((posteriorVariance(2) + posteriorVariance(3)) / 4);
    const z = (b.mean - a.mean) / Math.hypot(sdA, sdB);
    // Tolerance: the skew of the Betas, which the normal approximation ignores.
    expect(Math.abs(b.probBeatControl! - normalCdf(z))).toBeLessThan(0.02);
    expect(b.probBeatControl!).toBeCloseTo(b.probBest, 12); // two variants (two integrals of one event)
    expect(b.expectedLoss).toBeLessThan(a.expectedLoss);
  });

  it('gives the intervals of 10^6 independent Monte Carlo draws (effects and uplift)', () => {
    const rng = createRng(41);
    const n = 1_000_000;
    const ends = [...a.ci95, ...b.ci95, ...b.upliftCi95!];
    const below = [0, 0, 0];
    const above = [0, 0, 0];
    const draw = (i: number) => sampleBeta(conversions[i] + 1, visitors[i] - conversions[i] + 1, rng);
    for (let i = 0; i < n; i++) {
      const effectA = (draw(0) + draw(1)) / 2;
      const effectB = (draw(2) + draw(3)) / 2;
      const values = [effectA, effectB, effectB / effectA - 1];
      for (let j = 0; j < 3; j++) {
        if (values[j] <= ends[2 * j]) below[j]++;
        if (values[j] > ends[2 * j + 1]) above[j]++;
      }
    }
    // The engine's ends are quantiles of the moment-matched Beta (an approximation of the average);
    // the tolerance, 4 sd of a tail share √(q(1 − q)(1/10^4 + 1/10^6)), is what 10^4 exact draws would get.
    const sd = Math.sqrt(0.025 * 0.975 * (1e-4 + 1e-6));
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(below[j] / n - 0.025)).toBeLessThan(4 * sd);
      expect(Math.abs(above[j] / n - 0.025)).toBeLessThan(4 * sd);
    }
  });

  it('is what computeStats reports, deterministically', () => {
    expect(computeStats(snapshot).elements).toEqual(elementEffects(snapshot));
    expect(elementEffects({ ...snapshot, levels: undefined })).toBeNull();
  });
});
