import { describe, expect, it } from 'vitest';
import { betaQuantile, incompleteBeta, incompleteBetaUpper } from './incomplete-beta.js';
import { chiSquareSurvival, upperIncompleteGamma } from './incomplete-gamma.js';
import { logBeta, logGamma } from './log-gamma.js';

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** I_x(a, b) for integer a, b is P(Binomial(a + b − 1, x) ≥ a) (closed form). */
function incompleteBetaIntegers(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let total = 0;
  for (let j = a; j <= n; j++) {
    total += Math.exp(
      logFactorial(n) - logFactorial(j) - logFactorial(n - j) + j * Math.log(x) + (n - j) * Math.log1p(-x),
    );
  }
  return total;
}

describe('logGamma / logBeta', () => {
  it('matches log((n − 1)!) and Γ(1/2) = √π', () => {
    for (const n of [1, 2, 3, 5, 10, 11, 20, 50, 171]) {
      expect(logGamma(n)).toBeCloseTo(logFactorial(n - 1), 10);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
  });

  it('gives B(a, b) = Γ(a)Γ(b)/Γ(a + b) on both the small and the large-argument paths', () => {
    expect(logBeta(1, 1)).toBe(0);
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    for (const [a, b] of [
      [12, 30],
      [3, 400],
      [50, 950],
      [0.5, 20],
    ]) {
      const direct = logGamma(a) + logGamma(b) - logGamma(a + b);
      expect(Math.abs(logBeta(a, b) - direct)).toBeLessThan(1e-10);
    }
  });

  it('keeps precision for counts in the millions (no cancellation)', () => {
    // B(a, b) with integer arguments: log B = log (a−1)! + log (b−1)! − log (a+b−1)!, summed exactly.
    const a = 20_001;
    const b = 980_001;
    const exact = logFactorial(a - 1) + logFactorial(b - 1) - logFactorial(a + b - 1);
    expect(Math.abs(logBeta(a, b) - exact) / Math.abs(exact)).toBeLessThan(1e-12);
  });
});

describe('incompleteBeta', () => {
  it('matches closed forms: I_x(1,1) = x, I_x(a,1) = x^a, I_x(1,b) = 1 − (1 − x)^b', () => {
    for (const x of [0.001, 0.2, 0.5, 0.77, 0.999]) {
      expect(incompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
      expect(incompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
      expect(incompleteBeta(x, 1, 0.4)).toBeCloseTo(1 - (1 - x) ** 0.4, 14);
    }
  });

  it('matches the binomial-sum closed form for integer shapes', () => {
    for (const [x, a, b] of [
      [0.05, 3, 60],
      [0.04, 41, 961],
      [0.5, 10, 10],
      [0.9, 7, 2],
    ]) {
      const expected = incompleteBetaIntegers(x, a, b);
      expect(Math.abs(incompleteBeta(x, a, b) - expected)).toBeLessThan(1e-12);
    }
    // 10,001 terms: the reference's own summed log-factorials are good to ~1e-10 here.
    const big = incompleteBetaIntegers(0.051, 501, 9501);
    expect(Math.abs(incompleteBeta(0.051, 501, 9501) - big) / big).toBeLessThan(1e-9);
  });

  it('is symmetric: I_x(a, b) = 1 − I_{1−x}(b, a), with the upper tail kept precise', () => {
    expect(incompleteBeta(0.3, 2.5, 4.2) + incompleteBeta(0.7, 4.2, 2.5)).toBeCloseTo(1, 14);
    // Far above the mean 0.054: 1 − I rounds to 0, the upper tail does not.
    expect(1 - incompleteBeta(0.4, 11, 191)).toBe(0);
    const tail = incompleteBetaUpper(0.4, 11, 191);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-20);
  });
});

describe('betaQuantile', () => {
  it('inverts the CDF, including extreme tails and shapes below 1', () => {
    for (const [a, b] of [
      [1, 1],
      [11, 91],
      [0.5, 0.5],
      [0.3, 8],
      [501, 9501],
      [3, 0.7],
    ]) {
      for (const p of [1e-15, 1e-6, 0.025, 0.5]) {
        const x = betaQuantile(p, a, b);
        expect(Math.abs(incompleteBeta(x, a, b) - p)).toBeLessThan(1e-11 * p);
        // Upper tail: x = 1 − Q_{b,a}(p) leaves p above it (where 1 − q is not rounded away).
        const upper = 1 - betaQuantile(p, b, a);
        if (upper < 0.99) expect(Math.abs(incompleteBetaUpper(upper, a, b) - p)).toBeLessThan(1e-10 * p);
      }
    }
  });

  it('matches closed forms: Beta(a, 1) has quantile p^(1/a)', () => {
    expect(betaQuantile(0.3, 4, 1)).toBeCloseTo(0.3 ** 0.25, 13);
    expect(betaQuantile(0.5, 3, 3)).toBeCloseTo(0.5, 14);
  });
});

describe('chi-square survival', () => {
  it('matches closed forms for 1, 2 and 4 degrees of freedom', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12); // qchisq(0.95, 1)
    expect(chiSquareSurvival(6.634896601021214, 1)).toBeCloseTo(0.01, 12); // qchisq(0.99, 1)
    for (const x of [0.1, 1, 5, 30]) {
      expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 14);
      expect(chiSquareSurvival(x, 4)).toBeCloseTo(Math.exp(-x / 2) * (1 + x / 2), 14);
    }
    expect(upperIncompleteGamma(1, 2)).toBeCloseTo(Math.exp(-2), 15);
  });
});
