import { choleskyInPlace, choleskySolveInPlace } from './linalg.js';
import { chiSquareSurvival } from './special/incomplete-gamma.js';
import { SRM_P_VALUE_THRESHOLD, type SrmResult } from './srm.js';
import type { Stratum } from './types.js';

const count = (x: number | undefined): number => (x !== undefined && Number.isFinite(x) && x > 0 ? x : 0);

/**
 * Sample-ratio mismatch check under adaptive allocation: did each allocation period send its
 * visitors to the arms in the proportions it announced?
 *
 * With N_s visitors in stratum s (all arms) and its probabilities π_s (normalised to sum to 1),
 * arm k expects E_k = Σ_s N_s π_ks visitors. The deviation d = observed − E has covariance
 * V = Σ_s N_s (diag π_s − π_s π_sᵀ), and the statistic is dᵀ V⁻¹ d on the first K − 1 arms
 * in use (Σ_k d_k = 0, so the last coordinate adds nothing), referred to χ²(K − 1)
 * (`chiSquareSurvival`), flagged below SRM_P_VALUE_THRESHOLD. With one stratum V⁻¹ is
 * diag(1/π) + 11ᵀ/π_K on those coordinates (Sherman–Morrison) and the statistic is Pearson's
 * Σ_k d_k² / E_k, i.e. {@link sampleRatioMismatch}.
 *
 * Why it holds when the probabilities depend on earlier data. Visitor i is assigned with
 * probabilities π_i fixed before it arrives, so X_i = e_i − π_i (e_i: the indicator of its arm)
 * is a bounded martingale difference with conditional covariance diag π_i − π_i π_iᵀ, and V is
 * exactly the predictable quadratic variation of d = Σ_i X_i. By the martingale central limit
 * theorem (Hall & Heyde 1980, *Martingale Limit Theory and Its Application*, Thm 3.2 and
 * Cor. 3.1, with the Cramér–Wold device) V^(−1/2) d is asymptotically N(0, I) provided the
 * normalised quadratic variation settles down, whatever the policy did. Pearson's test against
 * the average allocation p̄ would use N (diag p̄ − p̄ p̄ᵀ) instead, which exceeds V (Σ_s N_s π_s π_sᵀ
 * ⪰ N p̄ p̄ᵀ by convexity): conservative, and blind to mismatches the periods reveal. The χ² law
 * is asymptotic; the tests measure the size under a data-dependent allocation by Monte Carlo.
 *
 * Rules. Arms with π = 0 in every stratum that had visitors are excluded (df = arms in use − 1);
 * a visitor in a stratum that gave its arm π = 0 (or in a stratum without valid probabilities)
 * is impossible by design: chiSquare +∞, pValue 0. Non-finite or negative counts and
 * probabilities read as 0. If V is singular on the arms in use — they split into groups that no
 * stratum mixes, so each group's total is fixed — the test cannot be formed and the result is
 * chiSquare 0, df 0, pValue 1 (every arm's share > 0 in some common stratum, as a traffic floor
 * gives, rules this out). Cost O(S·K² + K³) for S strata and K arms.
 *
 * @example
 * adaptiveSampleRatioMismatch([
 *   { probabilities: [0.5, 0.5], arms: [{ visitors: 500, conversions: 0 }, { visitors: 500, conversions: 0 }] },
 *   { probabilities: [0.9, 0.1], arms: [{ visitors: 940, conversions: 0 }, { visitors: 60, conversions: 0 }] },
 * ]).pValue; // ≈ 0.030 (χ² = 40² / 340); Pearson against the average split 70/30 gives 0.051
 */
export function adaptiveSampleRatioMismatch(strata: readonly Stratum[]): SrmResult {
  let k = 0;
  for (const s of strata) k = Math.max(k, s.probabilities.length, s.arms.length);
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const pi = new Float64Array(k);
  const covariance = new Float64Array(k * k); // Σ_s N_s π_s π_sᵀ until the diagonal is added
  let impossible = false;
  for (const s of strata) {
    let visitors = 0;
    let total = 0;
    for (let j = 0; j < k; j++) {
      const n = count(s.arms[j]?.visitors);
      observed[j] += n;
      visitors += n;
      pi[j] = count(s.probabilities[j]);
      total += pi[j];
    }
    if (visitors === 0) continue;
    if (!(total > 0 && Number.isFinite(total))) {
      impossible = true;
      continue;
    }
    for (let j = 0; j < k; j++) {
      pi[j] /= total;
      if (pi[j] === 0 && count(s.arms[j]?.visitors) > 0) impossible = true;
      expected[j] += visitors * pi[j];
    }
    for (let j = 0; j < k; j++) {
      if (pi[j] === 0) continue;
      const row = visitors * pi[j];
      for (let l = 0; l < k; l++) covariance[j * k + l] += row * pi[l];
    }
  }
  if (impossible) {
    return { chiSquare: Number.POSITIVE_INFINITY, degreesOfFreedom: 0, pValue: 0, mismatch: true };
  }
  const used: number[] = [];
  for (let j = 0; j < k; j++) if (expected[j] > 0) used.push(j);
  const df = Math.max(0, used.length - 1);
  const none: SrmResult = { chiSquare: 0, degreesOfFreedom: 0, pValue: 1, mismatch: false };
  if (df === 0) return none;
  const v = new Float64Array(df * df);
  const d = new Float64Array(df);
  for (let a = 0; a < df; a++) {
    const j = used[a];
    d[a] = observed[j] - expected[j];
    for (let b = 0; b < df; b++) v[a * df + b] = -covariance[j * k + used[b]];
    v[a * df + a] += expected[j];
  }
  const deviation = Float64Array.from(d);
  if (!choleskyInPlace(v, df)) return none;
  choleskySolveInPlace(v, df, d);
  let chiSquare = 0;
  for (let a = 0; a < df; a++) chiSquare += deviation[a] * d[a];
  chiSquare = Math.max(0, chiSquare);
  const pValue = chiSquareSurvival(chiSquare, df);
  return { chiSquare, degreesOfFreedom: df, pValue, mismatch: pValue < SRM_P_VALUE_THRESHOLD };
}
