import { choleskyInPlace, choleskyLogDet, choleskySolveInPlace, transposedLower } from './linalg.js';
import type { Rng } from './rng.js';
import { fillNormals } from './sampling.js';
import type { ArmCounts, MetricDirection } from './types.js';

// Bayesian logistic regression over the elements of a multi-element experiment:
//
//   logit p_arm = θ0 + Σ_e main[e][level_e] + Σ_{e<f} inter[e,f][level_e, level_f]
//
// with main effects ~ N(0, MAIN_SD²) and pairwise interactions ~ N(0, τ²), τ itself uncertain
// (a discrete log-uniform prior on TAU_GRID). Each τ gets a Laplace approximation (Newton
// MAP + Hessian); the grid points are weighted by their Laplace evidence, so the data decide
// how much combinations share (small τ: additive model) and real interactions such as the seed's
// "CTA-B only wins with Copy-Y" still surface (large τ). This is the hierarchical-prior
// approach of Scott (2015, "Multi-armed bandit experiments in the online service economy")
// and Hill et al. (2017, "An efficient bandit algorithm for realtime multivariate optimization").
// Every level gets its own coefficient (no reference level), so no variant is privileged.

/** Prior sd of the intercept around the logit of the pooled conversion rate. */
const INTERCEPT_SD = 2;
/** Prior sd of a main effect on the logit scale (a 2.7× odds ratio is one sd: weakly informative). */
const MAIN_SD = 1;
/** Candidate interaction scales τ (logit units), equally likely a priori. */
const TAU_GRID = [0.025, 0.05, 0.1, 0.2, 0.4, 0.8];
const NEWTON_MAX_ITER = 30;
const NEWTON_TOL = 1e-7;

/** Coefficient layout for a set of arms given as level vectors. */
export interface FactorialDesign {
  readonly arms: number;
  readonly dim: number;
  /** Per arm, the indices of its active coefficients (intercept first), flattened with stride `perArm`. */
  readonly active: Int32Array;
  readonly perArm: number;
  /** Coefficients with index ≥ this are interactions. */
  readonly firstInteraction: number;
}

/**
 * Builds the design for arms described by their level vectors (one variant index per element).
 *
 * @example
 * const design = factorialDesign([[0, 0], [0, 1], [1, 0], [1, 1]]); // 2 × 2: dim 1 + 4 + 4
 */
export function factorialDesign(levels: readonly (readonly number[])[]): FactorialDesign {
  const arms = levels.length;
  const elements = arms > 0 ? levels[0].length : 0;
  const counts = new Array<number>(elements).fill(0);
  for (const row of levels) {
    if (row.length !== elements) throw new RangeError('every arm needs one level per element');
    for (let e = 0; e < elements; e++) counts[e] = Math.max(counts[e], row[e] + 1);
  }
  const mainOffset: number[] = [];
  let dim = 1;
  for (let e = 0; e < elements; e++) {
    mainOffset.push(dim);
    dim += counts[e];
  }
  const firstInteraction = dim;
  const pairOffset: number[][] = [];
  for (let e = 0; e < elements; e++) {
    pairOffset.push([]);
    for (let f = e + 1; f < elements; f++) {
      pairOffset[e][f] = dim;
      dim += counts[e] * counts[f];
    }
  }
  const perArm = 1 + elements + (elements * (elements - 1)) / 2;
  const active = new Int32Array(arms * perArm);
  for (let k = 0; k < arms; k++) {
    const row = levels[k];
    let c = k * perArm;
    active[c++] = 0;
    for (let e = 0; e < elements; e++) active[c++] = mainOffset[e] + row[e];
    for (let e = 0; e < elements; e++) {
      for (let f = e + 1; f < elements; f++) active[c++] = pairOffset[e][f] + row[e] * counts[f] + row[f];
    }
  }
  return { arms, dim, active, perArm, firstInteraction };
}

/** One Laplace approximation N(mode, H⁻¹) for a fixed τ, with its log evidence. */
interface LaplaceFit {
  mode: Float64Array;
  /** Lᵀ for the Cholesky factor L of the posterior precision H = L Lᵀ (upper triangle, row-major). */
  upper: Float64Array;
  logEvidence: number;
}

/** The fitted model: a mixture of Laplace approximations over the τ grid. */
export interface FactorialPosterior {
  readonly design: FactorialDesign;
  readonly fits: readonly LaplaceFit[];
  /** Posterior probability of each τ grid point. */
  readonly tauWeights: Float64Array;
  readonly taus: readonly number[];
}

function logSigmoidParts(eta: number): { p: number; log1pExp: number } {
  // log(1 + e^η) without overflow.
  const log1pExp = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
  return { p: 1 / (1 + Math.exp(-eta)), log1pExp };
}

function fitLaplace(
  design: FactorialDesign,
  arms: readonly ArmCounts[],
  precision: Float64Array,
  priorMean: Float64Array,
  start: Float64Array,
): LaplaceFit | undefined {
  const { dim, active, perArm } = design;
  const theta = Float64Array.from(start);
  const h = new Float64Array(dim * dim);
  const g = new Float64Array(dim);
  const eta = new Float64Array(design.arms);
  const fill = (): number => {
    h.fill(0);
    let logLik = 0;
    for (let i = 0; i < dim; i++) {
      g[i] = -precision[i] * (theta[i] - priorMean[i]);
      h[i * dim + i] = precision[i];
    }
    for (let k = 0; k < design.arms; k++) {
      const base = k * perArm;
      let e = 0;
      for (let c = 0; c < perArm; c++) e += theta[active[base + c]];
      eta[k] = e;
      const n = arms[k].visitors;
      if (n <= 0) continue;
      const y = Math.min(arms[k].conversions, n);
      const { p, log1pExp } = logSigmoidParts(e);
      logLik += y * e - n * log1pExp;
      const resid = y - n * p;
      const w = n * p * (1 - p);
      for (let c = 0; c < perArm; c++) {
        const i = active[base + c];
        g[i] += resid;
        for (let c2 = 0; c2 < perArm; c2++) h[i * dim + active[base + c2]] += w;
      }
    }
    return logLik;
  };
  const logPrior = (): number => {
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const d = theta[i] - priorMean[i];
      s -= 0.5 * precision[i] * d * d;
    }
    return s;
  };
  let logLik = fill();
  let objective = logLik + logPrior();
  for (let iter = 0; iter < NEWTON_MAX_ITER; iter++) {
    if (!choleskyInPlace(h, dim)) return undefined;
    const step = Float64Array.from(g);
    choleskySolveInPlace(h, dim, step);
    // The log posterior is concave; halve the Newton step until it does not decrease.
    const previous = Float64Array.from(theta);
    let scale = 1;
    let maxStep = 0;
    for (;;) {
      maxStep = 0;
      for (let i = 0; i < dim; i++) {
        theta[i] = previous[i] + scale * step[i];
        maxStep = Math.max(maxStep, Math.abs(scale * step[i]));
      }
      logLik = fill();
      const next = logLik + logPrior();
      if (next >= objective - 1e-12 || scale < 1e-6) {
        objective = next;
        break;
      }
      scale /= 2;
    }
    if (maxStep < NEWTON_TOL) break;
  }
  // `fill` left H at the mode; factor it for sampling and the evidence.
  if (!choleskyInPlace(h, dim)) return undefined;
  let logDetPrior = 0;
  for (let i = 0; i < dim; i++) logDetPrior += Math.log(precision[i]);
  const logEvidence = objective + 0.5 * logDetPrior - 0.5 * choleskyLogDet(h, dim);
  return { mode: theta, upper: transposedLower(h, dim), logEvidence };
}

/**
 * Fits the factorial model to per-arm counts (a Laplace approximation per τ grid point).
 *
 * @example
 * const posterior = fitFactorial(factorialDesign(levels), snapshot.arms);
 * const probabilities = factorialThompsonProbabilities(posterior, 1000, createRng(1));
 */
export function fitFactorial(design: FactorialDesign, arms: readonly ArmCounts[]): FactorialPosterior {
  let visitors = 0;
  let conversions = 0;
  for (const arm of arms) {
    visitors += arm.visitors;
    conversions += Math.min(arm.conversions, arm.visitors);
  }
  const pooled = (conversions + 0.5) / (visitors + 1);
  const priorMean = new Float64Array(design.dim);
  priorMean[0] = Math.log(pooled / (1 - pooled));
  const fits: LaplaceFit[] = [];
  const taus: number[] = [];
  let start: Float64Array = Float64Array.from(priorMean);
  // Largest τ first: its mode is the best warm start for the more shrunk fits.
  for (const tau of [...TAU_GRID].reverse()) {
    const precision = new Float64Array(design.dim);
    precision[0] = 1 / (INTERCEPT_SD * INTERCEPT_SD);
    for (let i = 1; i < design.dim; i++) {
      precision[i] = i < design.firstInteraction ? 1 / (MAIN_SD * MAIN_SD) : 1 / (tau * tau);
    }
    const fit = fitLaplace(design, arms, precision, priorMean, start);
    if (!fit) continue;
    fits.push(fit);
    taus.push(tau);
    start = fit.mode;
  }
  const tauWeights = new Float64Array(fits.length);
  if (design.firstInteraction === design.dim) {
    // No interactions (one element): every τ gives the same model.
    tauWeights.fill(1 / Math.max(1, fits.length));
  } else {
    let max = Number.NEGATIVE_INFINITY;
    for (const fit of fits) max = Math.max(max, fit.logEvidence);
    let total = 0;
    for (let t = 0; t < fits.length; t++) {
      tauWeights[t] = Math.exp(fits[t].logEvidence - max);
      total += tauWeights[t];
    }
    for (let t = 0; t < fits.length; t++) tauWeights[t] /= total;
  }
  return { design, fits, tauWeights, taus };
}

/**
 * Thompson-sampling probabilities under the factorial posterior: the share of `draws`
 * posterior draws (τ from its grid posterior, then coefficients from that Laplace Gaussian)
 * in which each arm has the highest conversion rate (the lowest for `direction` 'lower').
 */
export function factorialThompsonProbabilities(
  posterior: FactorialPosterior,
  draws: number,
  rng: Rng,
  direction: MetricDirection = 'higher',
): number[] {
  const sign = direction === 'lower' ? -1 : 1;
  const { design, fits, tauWeights } = posterior;
  const { dim, active, perArm, arms } = design;
  const wins = new Array<number>(arms).fill(0);
  if (fits.length === 0) return wins.map(() => 1 / arms);
  const z = new Float64Array(dim);
  const theta = new Float64Array(dim);
  for (let s = 0; s < draws; s++) {
    let u = rng.next();
    let t = 0;
    while (t < fits.length - 1 && u >= tauWeights[t]) {
      u -= tauWeights[t];
      t++;
    }
    const { upper, mode } = fits[t];
    // θ = mode + L⁻ᵀ z has covariance (L Lᵀ)⁻¹ = H⁻¹: back-substitution on the rows of Lᵀ.
    fillNormals(z, rng);
    for (let i = dim - 1; i >= 0; i--) {
      const row = i * dim;
      let acc = z[i];
      for (let c = i + 1; c < dim; c++) acc -= upper[row + c] * z[c];
      z[i] = acc / upper[row + i];
      theta[i] = mode[i] + z[i];
    }
    let best = 0;
    let bestEta = Number.NEGATIVE_INFINITY;
    for (let k = 0, base = 0; k < arms; k++, base += perArm) {
      let eta = 0;
      for (let c = 0; c < perArm; c++) eta += theta[active[base + c]];
      eta *= sign;
      if (eta > bestEta) {
        bestEta = eta;
        best = k;
      }
    }
    wins[best]++;
  }
  return wins.map((w) => w / draws);
}

/** Posterior-mean conversion rate per arm under the most probable τ (for reports). */
export function factorialMeanRates(posterior: FactorialPosterior): number[] {
  const { design, fits, tauWeights } = posterior;
  let t = 0;
  for (let i = 1; i < fits.length; i++) if (tauWeights[i] > tauWeights[t]) t = i;
  const fit = fits[t];
  const rates: number[] = [];
  for (let k = 0; k < design.arms; k++) {
    let eta = 0;
    for (let c = 0; c < design.perArm; c++) eta += fit.mode[design.active[k * design.perArm + c]];
    rates.push(1 / (1 + Math.exp(-eta)));
  }
  return rates;
}
