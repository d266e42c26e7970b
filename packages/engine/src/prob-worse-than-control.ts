import { type BetaRanges, betaRanges, panelBreaks } from './beta-grid.js';
import { gaussLegendre } from './gauss-legendre.js';
import { hurdleDraws } from './hurdle-draws.js';
import { hurdlePosteriors } from './hurdle-posterior.js';
import { incompleteBeta } from './special/incomplete-beta.js';
import { logBeta } from './special/log-gamma.js';
import { type BetaPrior, DEFAULT_PRIOR, posteriorParameters, type Snapshot } from './types.js';

/**
 * Per arm, the posterior probability that its metric is worse than the control's by more than
 * `relativeMargin` × the control's metric: P(X_k < X_c − m·|X_c|) for 'higher' and
 * P(X_k > X_c + m·|X_c|) for 'lower'; null for the control. This is what guardrail goals report
 * (margin 0.02: "worse by more than 2%"). Binary: one-dimensional integral over the narrower of
 * the two Beta posteriors (composite Gauss–Legendre on the panels of beta-grid.ts) of the other's
 * CDF at the scaled point. Mean: the share of the hurdle model's posterior draws (seeded
 * internally, the same draws as the statistics) in which the arm is worse by that much.
 *
 * @example
 * probWorseThanControl({ arms: [{ visitors: 10_000, conversions: 500 }, { visitors: 10_000, conversions: 400 }] }, 0.02);
 * // [null, ≈ 1]: the variant converts 20% less
 */
export function probWorseThanControl(
  snapshot: Snapshot,
  relativeMargin: number,
  prior: BetaPrior = DEFAULT_PRIOR,
): (number | null)[] {
  const k = snapshot.arms.length;
  if (k === 0) return [];
  const control = Math.min(Math.max(0, snapshot.controlArm ?? 0), k - 1);
  const lower = snapshot.direction === 'lower';
  const margin = Number.isFinite(relativeMargin) ? relativeMargin : 0;
  if (snapshot.metric === 'mean') {
    const draws = hurdleDraws(hurdlePosteriors(snapshot.arms, prior));
    const reference = draws[control];
    return draws.map((arm, j) => {
      if (j === control) return null;
      let worse = 0;
      for (let i = 0; i < arm.length; i++) {
        const c = reference[i];
        const shift = margin * Math.abs(c);
        if (lower ? arm[i] > c + shift : arm[i] < c - shift) worse++;
      }
      return arm.length > 0 ? worse / arm.length : 0;
    });
  }
  // Rates are ≥ 0, so |X_c| = X_c and the events are X_k < (1 − m) X_c or X_k > (1 + m) X_c.
  const { alpha, beta } = posteriorParameters(snapshot.arms, prior);
  const ranges = betaRanges(alpha, beta);
  return snapshot.arms.map((_, j) => {
    if (j === control) return null;
    if (lower) {
      const ratio = 1 + margin;
      return ratio > 0 ? clamp01(1 - probBelowScaled(alpha, beta, ranges, j, control, ratio)) : 1;
    }
    const ratio = 1 - margin;
    return ratio > 0 ? clamp01(probBelowScaled(alpha, beta, ranges, j, control, ratio)) : 0;
  });
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * P(X_k < r · X_c) for independent Beta posteriors and r > 0, integrating over whichever density
 * is narrower on the common scale (the other's CDF is then smooth across each panel):
 * ∫ f_c(y) F_k(min(1, r y)) dy, or ∫ f_k(x) (1 − F_c(min(1, x / r))) dx. Also the CDF of the
 * ratio X_k / X_c that uplift-interval.ts inverts.
 */
export function probBelowScaled(
  alpha: Float64Array,
  beta: Float64Array,
  ranges: BetaRanges,
  k: number,
  c: number,
  r: number,
): number {
  const overControl = r * ranges.sd[c] <= ranges.sd[k];
  const over = overControl ? c : k;
  const other = overControl ? k : c;
  const left = ranges.lo[over];
  const right = ranges.hi[over];
  const otherCdf = (x: number): number => {
    const at = Math.min(1, overControl ? r * x : x / r);
    const cdf = at >= 1 ? 1 : incompleteBeta(at, alpha[other], beta[other]);
    return overControl ? cdf : 1 - cdf;
  };
  if (!(right > left)) return otherCdf(ranges.mean[over]);
  const breaks = panelBreaks([over], alpha, beta, ranges, left, right);
  const rule = gaussLegendre(10);
  const a = alpha[over];
  const b = beta[over];
  const norm = logBeta(a, b);
  let total = 0;
  for (let p = 0; p + 1 < breaks.length; p++) {
    const half = (breaks[p + 1] - breaks[p]) / 2;
    const mid = (breaks[p + 1] + breaks[p]) / 2;
    for (let i = 0; i < rule.n; i++) {
      const x = mid + half * rule.nodes[i];
      const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - norm);
      total += half * rule.weights[i] * density * otherCdf(x);
    }
  }
  return total;
}
