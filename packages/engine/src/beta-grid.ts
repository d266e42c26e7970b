import { gaussLegendre } from './gauss-legendre.js';
import { betaQuantile, incompleteBeta } from './special/incomplete-beta.js';
import { logBeta } from './special/log-gamma.js';

// A quadrature grid shared by the Beta integrals of the engine (probability to be best,
// expected loss, probability to beat control): composite Gauss–Legendre panels over [left, right]
// with every arm's density and CDF at every node. The CDFs are carried across the grid with a
// spectral integration matrix, so only one incomplete-beta call per arm is needed (at `left`)
// and the cost is O(K · nodes) exponentials.

/** Probability mass per arm allowed outside the integration range (each tail). */
export const TAIL_MASS = 1e-15;
/** Gauss–Legendre nodes per panel: exact for polynomials of degree 2 · 10 − 1 = 19. */
const NODES_PER_PANEL = 10;
/** Largest panel, in posterior standard deviations of the narrowest arm alive there. */
const MAX_PANEL_SD = 1.5;
/** Largest change of an arm's log-density across one panel (keeps tails well resolved). */
export const MAX_LOG_DENSITY_STEP = 3;
/** Never fewer than this many panels across the range. */
const MIN_PANELS = 4;
/** Node contributions to P(best) below this cannot affect results at 1e-12 and do not drive refinement. */
export const NEGLIGIBLE_MASS = 1e-17;
/** Refinement passes for steep products of CDFs (one is nearly always enough). */
export const MAX_REFINEMENTS = 2;
/** Closest approach to x = 1 when grading toward a singular density there (double resolution). */
export const END_GAP = 4e-16;
/** Hard cap, reached only for pathological inputs (then accuracy degrades gracefully). */
const MAX_PANELS = 20_000;

/** Posterior summaries that place the grid: mean, sd and the [TAIL_MASS, 1 − TAIL_MASS] quantiles. */
export interface BetaRanges {
  mean: Float64Array;
  sd: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
}

export function betaRanges(alpha: ArrayLike<number>, beta: ArrayLike<number>): BetaRanges {
  const k = alpha.length;
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  const lo = new Float64Array(k);
  const hi = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const a = alpha[j];
    const b = beta[j];
    if (!(a > 0 && b > 0)) throw new RangeError(`Beta parameters must be positive (arm ${j}: ${a}, ${b})`);
    const s = a + b;
    mean[j] = a / s;
    sd[j] = Math.sqrt((a * b) / (s * s * (s + 1)));
    lo[j] = betaQuantile(TAIL_MASS, a, b);
    hi[j] = Math.min(1 - betaQuantile(TAIL_MASS, b, a), 1 - END_GAP);
  }
  return { mean, sd, lo, hi };
}

/** Densities and CDFs of the `arms` (by index) at every node of a panel grid. */
export interface BetaGrid {
  n: number;
  nodeCount: number;
  /** Quadrature weight per node. */
  weight: Float64Array;
  /** Node-major: density[i * arms.length + q] for node i and the q-th listed arm (walks contiguously per node). */
  density: Float64Array;
  cdf: Float64Array;
}

/**
 * Densities and CDFs of the listed arms at the Gauss–Legendre nodes of the panels `breaks`
 * (which start at `breaks[0]`).
 */
export function betaGrid(
  arms: readonly number[],
  alpha: ArrayLike<number>,
  beta: ArrayLike<number>,
  ranges: BetaRanges,
  breaks: readonly number[],
): BetaGrid {
  const rule = gaussLegendre(NODES_PER_PANEL);
  const n = rule.n;
  const panels = breaks.length - 1;
  const nodeCount = panels * n;
  const logX = new Float64Array(nodeCount);
  const log1mX = new Float64Array(nodeCount);
  const weight = new Float64Array(nodeCount);
  const halfWidth = new Float64Array(panels);
  for (let p = 0; p < panels; p++) {
    const half = (breaks[p + 1] - breaks[p]) / 2;
    const mid = (breaks[p + 1] + breaks[p]) / 2;
    halfWidth[p] = half;
    for (let i = 0; i < n; i++) {
      const x = mid + half * rule.nodes[i];
      logX[p * n + i] = Math.log(x);
      log1mX[p * n + i] = Math.log1p(-x);
      weight[p * n + i] = half * rule.weights[i];
    }
  }

  const r = arms.length;
  const density = new Float64Array(nodeCount * r);
  const cdf = new Float64Array(nodeCount * r);
  const local = new Float64Array(n);
  for (let q = 0; q < r; q++) {
    const j = arms[q];
    const am1 = alpha[j] - 1;
    const bm1 = beta[j] - 1;
    const norm = logBeta(alpha[j], beta[j]);
    let start = incompleteBeta(breaks[0], alpha[j], beta[j]);
    for (let p = 0; p < panels; p++) {
      const base = p * n;
      if (breaks[p + 1] <= ranges.lo[j] || breaks[p] >= ranges.hi[j]) {
        // Outside the arm's central range its density is below TAIL_MASS: the CDF is flat here.
        for (let i = 0; i < n; i++) cdf[(base + i) * r + q] = Math.min(1, start);
        continue;
      }
      let panelMass = 0;
      for (let i = 0; i < n; i++) {
        const f = Math.exp(am1 * logX[base + i] + bm1 * log1mX[base + i] - norm);
        local[i] = f;
        density[(base + i) * r + q] = f;
        panelMass += rule.weights[i] * f;
      }
      const half = halfWidth[p];
      for (let i = 0; i < n; i++) {
        let acc = 0;
        const row = i * n;
        for (let l = 0; l < n; l++) acc += rule.integration[row + l] * local[l];
        cdf[(base + i) * r + q] = Math.min(1, Math.max(0, start + half * acc));
      }
      start += half * panelMass;
    }
  }
  return { n, nodeCount, weight, density, cdf };
}

/** Splits panels whose measured Σ f_j / F_j × width exceeds MAX_LOG_DENSITY_STEP. */
export function refineBreaks(breaks: readonly number[], panelSlope: Float64Array): number[] {
  const refined: number[] = [breaks[0]];
  for (let p = 0; p + 1 < breaks.length; p++) {
    const width = breaks[p + 1] - breaks[p];
    const pieces = Math.min(64, Math.ceil((width * panelSlope[p]) / MAX_LOG_DENSITY_STEP));
    for (let s = 1; s < pieces; s++) refined.push(breaks[p] + (width * s) / pieces);
    refined.push(breaks[p + 1]);
  }
  return refined;
}

/** A Beta shape whose density has a non-smooth power singularity at its end of [0, 1]. */
function isSingular(shape: number): boolean {
  return shape < 5 && !Number.isInteger(shape);
}

/**
 * Panel edges from `left` to `right`, chosen greedily so that inside each alive arm's
 * central range [lo, hi] a panel spans at most MAX_PANEL_SD posterior sds and at most
 * MAX_LOG_DENSITY_STEP units of log-density (which also grades the mesh geometrically
 * toward 0 or 1 when a shape parameter is below 1).
 */
export function panelBreaks(
  alive: readonly number[],
  alpha: ArrayLike<number>,
  beta: ArrayLike<number>,
  { sd, lo, hi }: BetaRanges,
  left: number,
  right: number,
): number[] {
  const span = right - left;
  // Only guarantees progress: the rules below shrink widths at most geometrically toward 0 or 1.
  const minWidth = span * 1e-18;
  const breaks = [left];
  let x = left;
  while (x < right && breaks.length <= MAX_PANELS) {
    let width = span / MIN_PANELS;
    for (const j of alive) {
      if (x < lo[j]) {
        // Stop at the start of this arm's central range rather than jumping into it.
        width = Math.min(width, lo[j] - x);
        continue;
      }
      if (x >= hi[j]) continue;
      const slope = Math.abs((alpha[j] - 1) / x - (beta[j] - 1) / (1 - x));
      const byShape = slope > 0 ? MAX_LOG_DENSITY_STEP / slope : Number.POSITIVE_INFINITY;
      width = Math.min(width, MAX_PANEL_SD * sd[j], byShape);
      // x^(α−1) with non-integer α has a branch point at 0 (likewise (1 − x)^(β−1) at 1). Panels
      // no longer than their distance to it (ratio-2 grading) keep Gauss–Legendre spectrally
      // accurate: the Bernstein-ellipse factor is then ≥ 3 + √8, i.e. < 1e-15 for 10 nodes.
      if (isSingular(alpha[j])) width = Math.min(width, x);
      if (isSingular(beta[j])) width = Math.min(width, (1 - x) / 2);
    }
    if (1 - x < END_GAP) {
      // Mass within END_GAP of 1 is beyond double resolution of x; close the range here.
      breaks.push(right);
      break;
    }
    x = Math.min(right, x + Math.max(width, minWidth));
    breaks.push(x);
  }
  if (breaks[breaks.length - 1] < right) breaks.push(right);
  return breaks;
}
