import { betaQuantile, logBeta } from '@samplit/engine';

/** Beta(alpha, beta) probability density at x, in log space so counts in the millions stay finite. */
export function betaDensity(x: number, alpha: number, beta: number): number {
  if (x <= 0 || x >= 1) {
    if (x === 0 && alpha === 1) return beta;
    if (x === 1 && beta === 1) return alpha;
    return 0;
  }
  return Math.exp((alpha - 1) * Math.log(x) + (beta - 1) * Math.log1p(-x) - logBeta(alpha, beta));
}

/** Tail mass left off each side of the plotted rate range. */
const TAIL = 0.0005;

/**
 * Posterior density curves on one shared rate axis: `points` evenly spaced rates spanning every
 * arm's central 99.9% (so each curve holds ≥ 99.9% of its mass on the axis), and per arm its
 * Beta pdf at those rates.
 */
export function densityCurves(
  arms: readonly { alpha: number; beta: number }[],
  points = 240,
): { x: number[]; y: number[][] } {
  if (arms.length === 0) return { x: [], y: [] };
  let lo = 1;
  let hi = 0;
  for (const { alpha, beta } of arms) {
    lo = Math.min(lo, betaQuantile(TAIL, alpha, beta));
    hi = Math.max(hi, betaQuantile(1 - TAIL, alpha, beta));
  }
  const pad = (hi - lo) * 0.02;
  lo = Math.max(0, lo - pad);
  hi = Math.min(1, hi + pad);
  const x = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  return { x, y: arms.map(({ alpha, beta }) => x.map((r) => betaDensity(r, alpha, beta))) };
}
