import type { Stratum } from '../types.js';

/**
 * The mixing distribution over the log rate ratio λ = log(p_k / p_j) of the one-sided
 * e-processes: half-normals with these standard deviations and weights. Most weight sits on
 * lifts of 5–30% (scale 0.15), some on several-fold ratios (scale 0.5). A single narrow scale
 * (0.2) left ratios above 2 almost no weight, so the e-process could not record how much worse a
 * clearly bad arm was while the posterior (and hence the bandit) already treated it as settled
 * and starved it; an equal mixture of 0.1, 0.3 and 1 cost a third of the power on 20% lifts
 * (simulator, ab-20: 36% correct instead of 46.5%). Fixed before any data, as the guarantee requires.
 */
export const EFFECT_PRIOR_SCALES: readonly { sd: number; weight: number }[] = [
  { sd: 0.15, weight: 0.8 },
  { sd: 0.5, weight: 0.2 },
];
/** The mSPRT baseline's mixing scale on the relative lift (about 20%). */
export const EFFECT_PRIOR_SD = 0.2;
const GRID = 36;
const GRID_MIN = 0.005;
const GRID_MAX = 3;
/**
 * The mixture's support: 36 log rate ratios in geometric progression from 0.005 to 3 (a rate
 * ratio of 1.005 to 20), each carrying the prior mass of its cell (the mixture density times the
 * cell's width, normalised to 1).
 */
export const MIXTURE_THETAS: Float64Array = Float64Array.from(
  { length: GRID },
  (_, g) => GRID_MIN * (GRID_MAX / GRID_MIN) ** (g / (GRID - 1)),
);
/** log of the mixture's weights. */
export const MIXTURE_LOG_WEIGHTS: Float64Array = (() => {
  const density = (t: number) =>
    EFFECT_PRIOR_SCALES.reduce(
      (sum, { sd, weight }) => sum + (weight * Math.exp((-0.5 * t * t) / (sd * sd))) / sd,
      0,
    );
  const raw = Array.from(MIXTURE_THETAS, (t, g) => {
    const lo = g === 0 ? 0 : Math.sqrt(MIXTURE_THETAS[g - 1] * t);
    const hi = g === GRID - 1 ? t : Math.sqrt(t * MIXTURE_THETAS[g + 1]);
    return density(t) * (hi - lo);
  });
  const total = raw.reduce((sum, w) => sum + w, 0);
  return Float64Array.from(raw, (w) => Math.log(w / total));
})();
const LOG_WEIGHTS = MIXTURE_LOG_WEIGHTS;

/**
 * log Σ_g w_g exp(logLikelihood(g)) over the mixture's grid (w the mixture's weights), computed
 * stably: the log of a mixture e-value from each component's log likelihood ratio.
 */
export function logMixture(logLikelihood: (g: number) => number): number {
  const terms = new Float64Array(GRID);
  let max = Number.NEGATIVE_INFINITY;
  for (let g = 0; g < GRID; g++) {
    terms[g] = LOG_WEIGHTS[g] + logLikelihood(g);
    max = Math.max(max, terms[g]);
  }
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let g = 0; g < GRID; g++) sum += Math.exp(terms[g] - max);
  return max + Math.log(sum);
}
const RATIOS = Float64Array.from(MIXTURE_THETAS, Math.exp);

/**
 * Pairwise evidence between arms, accumulated stratum by stratum (one stratum = one allocation
 * period with known assignment probabilities), for binary outcomes. Two statistics per pair:
 *
 * **One-sided e-processes** (the anytime-valid test). For arms k and j and a visitor assigned
 * while the probabilities were π, let q₀ = π_k / (π_k + π_j). If k and j convert alike
 * (p_k(t) = p_j(t) at every time t, whatever that common rate does over time), a conversion from
 * a visitor of {k, j} comes from k with probability q₀: the assignment was randomised with known
 * probabilities and the outcome does not depend on the arm. If k converts ρ = e^λ times as often
 * as j, that probability is q_λ = π_k ρ / (π_k ρ + π_j). The product over conversions of
 * q_λ / q₀ (from k) or (1 − q_λ) / (1 − q₀) (from j) has conditional expectation
 * 1 + (q_λ − q₀)(π_k + π_j)(p_k − p_j) per visitor: exactly 1 under p_k = p_j, and ≤ 1 under
 * p_k ≤ p_j when λ > 0. A mixture over λ > 0 with weights fixed in advance (EFFECT_PRIOR_SCALES
 * on a 36-point grid) is therefore a non-negative supermartingale with initial
 * value 1 under H₀: p_k(t) ≤ p_j(t) for all t, for any adaptive allocation whose probabilities
 * are known, and Ville's inequality gives P(it ever reaches 1/a) ≤ a. No normal approximation, no
 * prior re-estimated from the data, no nuisance parameter: it is a conditional likelihood ratio
 * (the conditioning removes the common rate — the device of Cox's partial likelihood; the
 * guarantee is that of the mixture SPRT of Johari, Koomen, Pekelis & Walsh 2017 and of the safe
 * tests of Grünwald, de Heide & Koolen 2024: a likelihood ratio mixed with a prior fixed in
 * advance). Non-converters carry no factor, so only the order of conversions between arms
 * matters and a stratum enters through its conversion counts alone; the price is efficiency
 * 1 − p against a test that also uses the non-converters (small at the usual low rates).
 *
 * **Score statistics** (what the group-sequential test with a horizon reads). U = Σ (1{arm = k} − q₀)
 * (Y − c) over visitors in {k, j}, with c the pair's pooled rate, has mean 0 under p_k(t) = p_j(t)
 * for any c and any drift (E[1{arm = k} − q₀ | outcome] = 0), and V = Σ q₀(1 − q₀)(Y − c)² is its
 * variance given the outcomes, so Z = U / √V is approximately N(0, 1) by the martingale central
 * limit theorem — an approximation, unlike the e-process. With constant equal allocation Z is the
 * pooled two-proportion z statistic.
 *
 * Strata where π_k or π_j is 0 carry no information about the pair and are skipped.
 */
export interface PairwiseEvidence {
  readonly arms: number;
  /** Visitors seen so far (all arms). */
  readonly visitors: number;
  /** Adds the counts of one allocation period, in time order. */
  add(stratum: Stratum): void;
  /** log of the e-process for "k converts better than j" (0 before any data). */
  logE(k: number, j: number): number;
  /** Score statistic Z for "k converts better than j" (Z(j, k) = −Z(k, j); 0 without information). */
  z(k: number, j: number): number;
  /** The score and its conditional variance (Z = u / √v). */
  score(k: number, j: number): { u: number; v: number };
  /**
   * The conversions-only score at λ = 0 of the e-process and its information:
   * u = Σ_conversions (1{arm = k} − q₀), v = Σ_conversions q₀(1 − q₀).
   */
  conversionScore(k: number, j: number): { u: number; v: number };
}

/**
 * An empty {@link PairwiseEvidence} for `arms` arms.
 *
 * @example
 * const evidence = createPairwiseEvidence(2);
 * evidence.add({ probabilities: [0.5, 0.5], arms: [{ visitors: 500, conversions: 20 }, { visitors: 500, conversions: 45 }] });
 * evidence.logE(1, 0); // > log(20): arm 1 better, at a = 0.05
 */
export function createPairwiseEvidence(arms: number): PairwiseEvidence {
  const pairs = (arms * (arms - 1)) / 2;
  // Per unordered pair (k < j): log of the mixture components for +θ (k better) and −θ (j better).
  const plus = new Float64Array(pairs * GRID);
  const minus = new Float64Array(pairs * GRID);
  // Score sums: U = A − c·B, V = E(1 − 2c) + c²·G with c the pair's pooled rate.
  const sA = new Float64Array(pairs);
  const sB = new Float64Array(pairs);
  const sE = new Float64Array(pairs);
  const sG = new Float64Array(pairs);
  const visitors = new Float64Array(arms);
  const conversions = new Float64Array(arms);
  let total = 0;
  const index = (k: number, j: number): number => k * arms - (k * (k + 1)) / 2 + (j - k - 1);

  function add(stratum: Stratum): void {
    const pi = stratum.probabilities;
    const counts = stratum.arms;
    for (let k = 0; k < arms; k++) {
      for (let j = k + 1; j < arms; j++) {
        const pk = pi[k] ?? 0;
        const pj = pi[j] ?? 0;
        if (!(pk > 0 && pj > 0)) continue;
        const nk = Math.max(0, counts[k]?.visitors ?? 0);
        const nj = Math.max(0, counts[j]?.visitors ?? 0);
        if (nk + nj === 0) continue;
        const ck = Math.min(nk, Math.max(0, counts[k]?.conversions ?? 0));
        const cj = Math.min(nj, Math.max(0, counts[j]?.conversions ?? 0));
        const p = index(k, j);
        const q0 = pk / (pk + pj);
        if (ck + cj > 0) {
          const logQ0 = Math.log(q0);
          const log1Q0 = Math.log(1 - q0);
          for (let g = 0; g < GRID; g++) {
            const rho = RATIOS[g];
            // k better (ratio ρ) and j better (ratio 1/ρ).
            const up = Math.log(pk * rho + pj);
            const down = Math.log(pk + pj * rho);
            plus[p * GRID + g] += ck * (Math.log(pk * rho) - up - logQ0) + cj * (Math.log(pj) - up - log1Q0);
            minus[p * GRID + g] +=
              ck * (Math.log(pk) - down - logQ0) + cj * (Math.log(pj * rho) - down - log1Q0);
          }
        }
        const w = q0 * (1 - q0);
        sA[p] += (1 - q0) * ck - q0 * cj;
        sB[p] += (1 - q0) * nk - q0 * nj;
        sE[p] += w * (ck + cj);
        sG[p] += w * (nk + nj);
      }
    }
    for (let k = 0; k < arms; k++) {
      const n = Math.max(0, counts[k]?.visitors ?? 0);
      visitors[k] += n;
      conversions[k] += Math.min(n, Math.max(0, counts[k]?.conversions ?? 0));
      total += n;
    }
  }

  function logE(k: number, j: number): number {
    if (k === j) return 0;
    const [lo, hi, values] = k < j ? [k, j, plus] : [j, k, minus];
    const base = index(lo, hi) * GRID;
    return logMixture((g) => values[base + g]);
  }

  function score(k: number, j: number): { u: number; v: number } {
    if (k === j) return { u: 0, v: 0 };
    const [lo, hi, sign] = k < j ? [k, j, 1] : [j, k, -1];
    const p = index(lo, hi);
    const n = visitors[lo] + visitors[hi];
    const c = n > 0 ? (conversions[lo] + conversions[hi]) / n : 0;
    const u = sign * (sA[p] - c * sB[p]);
    const v = Math.max(0, sE[p] * (1 - 2 * c) + c * c * sG[p]);
    return { u, v };
  }

  function conversionScore(k: number, j: number): { u: number; v: number } {
    if (k === j) return { u: 0, v: 0 };
    const [lo, hi, sign] = k < j ? [k, j, 1] : [j, k, -1];
    const p = index(lo, hi);
    return { u: sign * sA[p], v: sE[p] };
  }

  return {
    arms,
    conversionScore,
    get visitors() {
      return total;
    },
    add,
    logE,
    score,
    z(k, j) {
      const { u, v } = score(k, j);
      return v > 0 ? u / Math.sqrt(v) : 0;
    },
  };
}
