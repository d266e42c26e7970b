import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { fillNormals, sampleBeta, sampleGamma, sampleNormal } from './sampling.js';

/** Sample mean and variance of n draws. */
function moments(n: number, draw: () => number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: (sumSq - n * mean * mean) / (n - 1) };
}

const N = 200_000;

describe('sampleNormal / fillNormals', () => {
  it('has mean 0 and variance 1', () => {
    const rng = createRng(1);
    const m = moments(N, () => sampleNormal(rng));
    expect(Math.abs(m.mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    const buffer = new Float64Array(N);
    fillNormals(buffer, createRng(2));
    const f = moments(
      N,
      (() => {
        let i = 0;
        return () => buffer[i++];
      })(),
    );
    expect(Math.abs(f.mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(f.variance - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
  });
});

describe('sampleGamma (Marsaglia–Tsang)', () => {
  it.each([0.1, 0.5, 1, 2.5, 30])('Gamma(%s) has mean = variance = shape', (shape) => {
    const rng = createRng(shape * 1000);
    const m = moments(N, () => sampleGamma(shape, rng));
    // SE of the mean is sqrt(shape / N); of the variance ≈ sqrt((μ4 − σ⁴) / N) with μ4 = 3k² + 6k.
    expect(Math.abs(m.mean - shape)).toBeLessThan(4 * Math.sqrt(shape / N));
    const seVariance = Math.sqrt((3 * shape * shape + 6 * shape - shape * shape) / N);
    expect(Math.abs(m.variance - shape)).toBeLessThan(5 * seVariance);
  });
});

describe('sampleBeta', () => {
  // Closed forms: mean a / (a + b), variance ab / ((a + b)² (a + b + 1)).
  it.each([
    [0.5, 0.5],
    [0.2, 3],
    [0.05, 0.05],
    [1, 1],
    [2, 5],
    [11, 91],
    [301, 9701],
  ])('Beta(%s, %s) matches the closed-form mean and variance', (a, b) => {
    const rng = createRng(a * 7919 + b);
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    const m = moments(N, () => sampleBeta(a, b, rng));
    expect(Math.abs(m.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / N));
    // Beta draws lie in [0, 1], so the variance estimate's SE is at most sqrt(variance / N).
    expect(Math.abs(m.variance - variance)).toBeLessThan(
      4 * Math.sqrt(variance / N) * Math.max(variance, 0.25) + 1e-12,
    );
  });

  it('stays inside [0, 1] for tiny shapes (no 0 / 0)', () => {
    const rng = createRng(3);
    for (let i = 0; i < 10_000; i++) {
      const x = sampleBeta(0.01, 0.02, rng);
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });
});
