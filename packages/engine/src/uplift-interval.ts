import type { BetaRanges } from './beta-grid.js';
import { drawQuantiles } from './draw-comparison.js';
import { probBelowScaled } from './prob-worse-than-control.js';

/**
 * Relative uplift of `value` over `control`: value / control − 1 for a positive control, i.e.
 * (value − control) / |control|, which is also used for a negative control; 0 when the control
 * is 0. Not flipped for 'lower' (a negative uplift is an improvement there).
 */
export function relativeUplift(value: number, control: number): number {
  if (control > 0) return value / control - 1;
  return control < 0 ? (value - control) / -control : 0;
}

/** Lower and upper tail probabilities of the equal-tailed 95% interval. */
const TAILS = [0.025, 0.975] as const;
/** z of the normal approximation at those tails. */
const Z = [-1.959963984540054, 1.959963984540054] as const;
/** Stop when a step in log(1 + u) is below this (relative error of 1 + u ≈ 1e-7)… */
const STEP_TOLERANCE = 1e-7;
/** …or the ratio's CDF is this close to its target probability. */
const PROBABILITY_TOLERANCE = 1e-10;
const MAX_EVALUATIONS = 60;

/**
 * Equal-tailed 95% credible interval of X_k / X_c − 1 for independent Beta posteriors
 * X_k ~ Beta(α_k, β_k), X_c ~ Beta(α_c, β_c): the u with P(X_k ≤ (1 + u) X_c) = 0.025 and
 * 0.975, found by root-finding in t = log(1 + u) on the exact CDF of the ratio (the
 * Gauss–Legendre integral of prob-worse-than-control.ts, probBelowScaled). Start: the
 * delta-method normal approximation of log X_k − log X_c (Var log X ≈ β / (α (α + β + 1))),
 * whose density also sets the first Newton-like step; then secant steps kept inside a bracket
 * (bisection when a secant step would leave it) until a step in t is below 1e-7 (2–4
 * evaluations of the CDF per end, each ≈ 0.1 ms). `ranges` = betaRanges(alpha, beta).
 *
 * @example
 * const alpha = Float64Array.of(1, 1); const beta = Float64Array.of(1, 1); // two uniforms
 * betaUpliftInterval(alpha, beta, betaRanges(alpha, beta), 1, 0); // ≈ [−0.95, 19]: P(U/V ≤ r) = r / 2, 1 − 1 / (2r)
 */
export function betaUpliftInterval(
  alpha: Float64Array,
  beta: Float64Array,
  ranges: BetaRanges,
  k: number,
  control: number,
): [number, number] {
  const cdf = (t: number): number => probBelowScaled(alpha, beta, ranges, k, control, Math.exp(t));
  const logVariance = (j: number) => beta[j] / (alpha[j] * (alpha[j] + beta[j] + 1));
  const centre = Math.log(ranges.mean[k] / ranges.mean[control]);
  const sd = Math.max(Math.sqrt(logVariance(k) + logVariance(control)), 1e-9);
  // The normal approximation's density in t at its z quantile is φ(z) / sd.
  const slope = Math.exp(-0.5 * Z[1] * Z[1]) / (sd * Math.sqrt(2 * Math.PI));
  const lo = Math.expm1(solve(cdf, TAILS[0], centre + Z[0] * sd, slope, sd));
  const hi = Math.expm1(solve(cdf, TAILS[1], centre + Z[1] * sd, slope, sd));
  return [lo, hi];
}

/**
 * t with f(t) = q for an increasing f, from a guess where f′ ≈ `slope` and on a scale `sd`:
 * a first Newton step with that slope, then secant steps; a step that would leave the bracket
 * of values seen on either side of q is replaced by bisection of the bracket, and until both
 * sides are seen steps are capped at 2^i · sd.
 */
function solve(f: (t: number) => number, q: number, guess: number, slope: number, sd: number): number {
  let below = Number.NEGATIVE_INFINITY; // largest t seen with f(t) < q …
  let above = Number.POSITIVE_INFINITY; // … and smallest with f(t) > q
  let t = guess;
  let ft = f(t) - q;
  let next = t - ft / slope;
  for (let evaluations = 1; evaluations < MAX_EVALUATIONS; evaluations++) {
    if (Math.abs(ft) <= PROBABILITY_TOLERANCE) return t;
    if (ft < 0) below = Math.max(below, t);
    else above = Math.min(above, t);
    const cap = sd * 2 ** evaluations;
    if (Number.isFinite(below) && Number.isFinite(above)) {
      if (!(next > below && next < above)) next = (below + above) / 2;
    } else if (!(Math.abs(next - t) <= cap)) {
      next = t + (ft < 0 ? cap : -cap);
    }
    const fNext = f(next) - q;
    if (Math.abs(next - t) <= STEP_TOLERANCE * Math.max(1, Math.abs(next))) return next;
    const secant = fNext !== ft ? next - (fNext * (next - t)) / (fNext - ft) : Number.NaN;
    // Secant steps converge superlinearly: a step this small is below the error it leaves.
    if (Math.abs(secant - next) <= STEP_TOLERANCE * Math.max(1, Math.abs(secant))) return secant;
    t = next;
    ft = fNext;
    next = secant;
  }
  return t;
}

/**
 * Equal-tailed 95% interval of the uplift from paired posterior draws: the type-7 quantiles
 * (drawQuantiles) of relativeUplift(draws[i], control[i]) over i.
 *
 * @example
 * drawUpliftInterval(Float64Array.of(1.1, 1.2, 1.3), Float64Array.of(1, 1, 1)); // ≈ [0.105, 0.295]
 */
export function drawUpliftInterval(draws: Float64Array, control: Float64Array): [number, number] {
  const n = Math.min(draws.length, control.length);
  const ratios = new Float64Array(n);
  for (let i = 0; i < n; i++) ratios[i] = relativeUplift(draws[i], control[i]);
  const [lo, hi] = drawQuantiles(ratios, TAILS);
  return [lo, hi];
}
