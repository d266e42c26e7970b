import { logGamma } from './log-gamma.js';

// Regularized upper incomplete gamma Q(a, x), by series for x < a + 1 and by the
// Lentz continued fraction otherwise (Numerical Recipes 3rd ed. §6.2, gser / gcf).

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100_000;

function lowerSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the upper tail of Gamma(a, 1) at x.
 *
 * @example
 * upperIncompleteGamma(1, 2); // Math.exp(-2)
 */
export function upperIncompleteGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - lowerSeries(a, x);
  return upperFraction(a, x);
}

/**
 * Survival function of the chi-square distribution: P(X ≥ x) for X ~ χ²(df).
 *
 * @example
 * chiSquareSurvival(3.841458820694124, 1); // ≈ 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
  return upperIncompleteGamma(df / 2, x / 2);
}
