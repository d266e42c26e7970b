import type { Stratum } from '../types.js';
import { EFFECT_PRIOR_SD } from './pairwise-evidence.js';
import { type SequentialTest, type SequentialTestResult, strongestArm } from './sequential-test.js';

/**
 * A baseline for the simulator, not the engine's rule: the two-sample mixture sequential
 * probability ratio test (mSPRT) of Johari, Koomen, Pekelis & Walsh (2017, "Peeking at A/B tests"),
 * as Optimizely's Stats Engine uses it, applied per pair of arms on the pooled counts. For the
 * difference of rates Δ = p̂_k − p̂_j with variance V = p̂_k(1 − p̂_k)/n_k + p̂_j(1 − p̂_j)/n_j and a
 * N(0, τ²) mixture over the true difference (τ = EFFECT_PRIOR_SD × the pair's pooled rate, i.e.
 * lifts of about 20%), Λ = √(V / (V + τ²)) · exp(τ²Δ² / (2V(V + τ²))). An arm is declared when, for
 * every other arm, Δ > 0 and Λ ≥ K / α (the engine's split of α). Its guarantee assumes normal increments with known
 * variance and non-adaptive allocation; the plug-in variance and adaptive traffic make it
 * approximate, which is what the simulator measures against the engine's rule.
 */
export function createMsprtTest(arms: number, { alpha }: { alpha: number }): SequentialTest {
  const visitors = new Float64Array(arms);
  const conversions = new Float64Array(arms);
  const threshold = Math.max(2, arms) / alpha;
  const logThreshold = Math.log(threshold);

  function logLambda(k: number, j: number): number {
    const nk = visitors[k];
    const nj = visitors[j];
    if (!(nk > 0 && nj > 0)) return Number.NEGATIVE_INFINITY;
    const pk = conversions[k] / nk;
    const pj = conversions[j] / nj;
    const delta = pk - pj;
    if (!(delta > 0)) return Number.NEGATIVE_INFINITY;
    const v = (pk * (1 - pk)) / nk + (pj * (1 - pj)) / nj;
    const pooled = (conversions[k] + conversions[j]) / (nk + nj);
    const tau2 = (EFFECT_PRIOR_SD * pooled) ** 2;
    if (!(v > 0 && tau2 > 0)) return Number.NEGATIVE_INFINITY;
    return 0.5 * Math.log(v / (v + tau2)) + (tau2 * delta * delta) / (2 * v * (v + tau2));
  }

  return {
    add(stratum: Stratum) {
      for (let k = 0; k < arms; k++) {
        const n = Math.max(0, stratum.arms[k]?.visitors ?? 0);
        visitors[k] += n;
        conversions[k] += Math.min(n, Math.max(0, stratum.arms[k]?.conversions ?? 0));
      }
    },
    result(): SequentialTestResult {
      const best = strongestArm(arms, logLambda);
      return {
        test: 'anytime',
        candidate: best.arm,
        rival: best.rival,
        statistic: Math.exp(Math.min(700, best.value)),
        threshold,
        passed: arms > 1 && best.value >= logThreshold,
        look: 0,
        looks: 0,
        horizonReached: false,
        visitorsToGo: null,
      };
    },
  };
}
