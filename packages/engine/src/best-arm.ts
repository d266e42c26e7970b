import {
  betaGrid,
  betaRanges,
  MAX_REFINEMENTS,
  NEGLIGIBLE_MASS,
  panelBreaks,
  refineBreaks,
} from './beta-grid.js';

// P(arm k is best) = ∫ f_k(x) Π_{j≠k} F_j(x) dx and E[max_j X_j] = ∫ (1 − Π_j F_j(x)) dx for
// independent X_j ~ Beta(α_j, β_j), by composite Gauss–Legendre quadrature on the grid of
// beta-grid.ts (numerical integration, not Monte Carlo).

/** Result of {@link bestArmProbabilities}. */
export interface BestArm {
  /** P(X_k = max_j X_j) per arm; sums to 1. */
  probBest: number[];
  /** E[max_j X_j − X_k] per arm: the expected conversion rate lost by shipping arm k. */
  expectedLoss: number[];
  /** E[max_j X_j]. */
  expectedMax: number;
}

/**
 * Probability to be best and expected loss for K independent Beta posteriors, by numerical
 * integration (accurate to ~1e-12; see `best-arm.test.ts` for the closed-form checks).
 *
 * @param alpha α_k = conversions_k + prior α
 * @param beta β_k = visitors_k − conversions_k + prior β
 * @example
 * const { probBest, expectedLoss } = bestArmProbabilities([11, 21], [91, 81]);
 * probBest[1]; // ≈ 0.975: P(Beta(21, 81) > Beta(11, 91))
 */
export function bestArmProbabilities(alpha: ArrayLike<number>, beta: ArrayLike<number>): BestArm {
  const k = alpha.length;
  const probBest = new Array<number>(k).fill(0);
  const expectedLoss = new Array<number>(k).fill(0);
  if (k === 0) return { probBest, expectedLoss, expectedMax: 0 };
  const ranges = betaRanges(alpha, beta);
  // The maximum lies above every arm's lower quantile: G(left) ≤ TAIL_MASS.
  let left = 0;
  let right = 0;
  for (let j = 0; j < k; j++) {
    left = Math.max(left, ranges.lo[j]);
    right = Math.max(right, ranges.hi[j]);
  }
  // Arms whose upper tail ends below `left` cannot be best (mass ≤ TAIL_MASS) and have CDF ≈ 1 on the range.
  const alive: number[] = [];
  for (let j = 0; j < k; j++) if (ranges.hi[j] > left) alive.push(j);
  if (alive.length === 1 || right <= left) {
    const only = alive[0] ?? 0;
    probBest[only] = 1;
    for (let j = 0; j < k; j++) expectedLoss[j] = Math.max(0, ranges.mean[only] - ranges.mean[j]);
    return { probBest, expectedLoss, expectedMax: ranges.mean[only] };
  }
  let breaks = panelBreaks(alive, alpha, beta, ranges, left, right);
  let result = integrateMaximum(alive, alpha, beta, ranges, breaks);
  // The integrand f_k Π_{j≠k} F_j also varies through the other arms' CDFs, whose combined
  // log-slope Σ f_j / F_j grows with K (e.g. x^80 for 81 flat posteriors). Panels were laid out
  // per arm; split those where that slope, measured on the first pass, is too steep.
  for (let pass = 0; pass < MAX_REFINEMENTS; pass++) {
    const refined = refineBreaks(breaks, result.panelSlope);
    if (refined.length === breaks.length) break;
    breaks = refined;
    result = integrateMaximum(alive, alpha, beta, ranges, breaks);
  }
  const expectedMax = left + result.aboveLeft;
  for (let q = 0; q < alive.length; q++) probBest[alive[q]] = result.mass[q];
  for (let j = 0; j < k; j++) expectedLoss[j] = Math.max(0, expectedMax - ranges.mean[j]);
  return { probBest, expectedLoss, expectedMax };
}

interface MaximumIntegral {
  /** P(best) per alive arm. */
  mass: Float64Array;
  /** ∫_left^right (1 − G(x)) dx, G the CDF of the maximum. */
  aboveLeft: number;
  /** Per panel, the largest Σ_j f_j / F_j where the integrand is not negligible. */
  panelSlope: Float64Array;
}

function integrateMaximum(
  alive: readonly number[],
  alpha: ArrayLike<number>,
  beta: ArrayLike<number>,
  ranges: ReturnType<typeof betaRanges>,
  breaks: readonly number[],
): MaximumIntegral {
  const { n, nodeCount, weight, density, cdf } = betaGrid(alive, alpha, beta, ranges, breaks);
  const r = alive.length;
  const prefix = new Float64Array(r + 1);
  const mass = new Float64Array(r);
  const panelSlope = new Float64Array(breaks.length - 1);
  let aboveLeft = 0;
  for (let i = 0; i < nodeCount; i++) {
    const off = i * r;
    prefix[0] = 1;
    for (let q = 0; q < r; q++) prefix[q + 1] = prefix[q] * cdf[off + q];
    // Π_{j≠q} F_j = prefix[q] · suffix: no division, so no trouble where some F_q = 0.
    let suffix = 1;
    const w = weight[i];
    let largest = 0;
    let slope = 0;
    for (let q = r - 1; q >= 0; q--) {
      const f = density[off + q];
      const term = w * f * prefix[q] * suffix;
      mass[q] += term;
      if (term > largest) largest = term;
      const c = cdf[off + q];
      if (c > 0) slope += f / c;
      suffix *= c;
    }
    aboveLeft += w * (1 - prefix[r]);
    const p = (i / n) | 0;
    if (largest > NEGLIGIBLE_MASS && slope > panelSlope[p]) panelSlope[p] = slope;
  }
  return { mass, aboveLeft, panelSlope };
}

/**
 * P(X_k > X_ref) for every arm k against one reference arm (the control), on one shared grid:
 * ∫ f_k(x) F_ref(x) dx. The reference's own entry is 0.5.
 *
 * @example
 * probabilitiesToBeatReference([11, 21, 15], [91, 81, 87], 0); // [0.5, ≈0.975, ≈0.8]
 */
export function probabilitiesToBeatReference(
  alpha: ArrayLike<number>,
  beta: ArrayLike<number>,
  reference: number,
): number[] {
  const k = alpha.length;
  const ranges = betaRanges(alpha, beta);
  let left = 1;
  let right = 0;
  for (let j = 0; j < k; j++) {
    left = Math.min(left, ranges.lo[j]);
    right = Math.max(right, ranges.hi[j]);
  }
  const arms = Array.from({ length: k }, (_, j) => j);
  const result = new Array<number>(k).fill(0);
  if (!(right > left)) return result.map((_, j) => (j === reference ? 0.5 : 0));
  const breaks = panelBreaks(arms, alpha, beta, ranges, left, right);
  const { nodeCount, weight, density, cdf } = betaGrid(arms, alpha, beta, ranges, breaks);
  for (let i = 0; i < nodeCount; i++) {
    const off = i * k;
    const w = weight[i] * cdf[off + reference];
    if (w === 0) continue;
    for (let j = 0; j < k; j++) result[j] += w * density[off + j];
  }
  result[reference] = 0.5;
  return result.map((p) => Math.min(1, Math.max(0, p)));
}
