import type { ArmCounts, Snapshot } from './types.js';

const finite = (x: number | undefined): number => (x !== undefined && Number.isFinite(x) ? x : 0);

/**
 * Design-robust counts per arm: what the posteriors of {@link computeStats} are computed from.
 *
 * Why. Pooled counts are biased under adaptive traffic: if the conversion rate drifts over time
 * (3% in week one, 6% in week three) while the policy moves traffic to arm B, B's visitors come
 * mostly from the late, high-rate period and B looks better than an identical A. Each stratum
 * (allocation period) of `snapshot.strata` says with which probability π_ks a visitor of period s
 * was sent to arm k, so a visitor of arm k assigned in period s stands for 1 / π_ks visitors of
 * that period. Per arm k, with n_ks visitors, c_ks conversions, Σ_ks totals and Q_ks squared
 * totals in stratum s and W_k = Σ_s n_ks / π_ks:
 *
 *  - rate r_k = Σ_s (c_ks / π_ks) / W_k, mean total m_k = Σ_s (Σ_ks / π_ks) / W_k and second
 *    moment q_k = Σ_s (Q_ks / π_ks) / W_k: the Hajek (self-normalised inverse-probability-weighted)
 *    estimators (Hájek 1971; Horvitz & Thompson 1952 for the unnormalised form). Because
 *    E[n_ks] = N_s π_ks (N_s = the period's visitors, all arms) and π_ks is fixed before the
 *    period's visitors arrive, numerator and denominator are unbiased for Σ_s N_s p_ks and
 *    Σ_s N_s, so r_k estimates Σ_s N_s p_ks / Σ_s N_s — arm k's rate averaged over all of the
 *    experiment's visitors (ratio estimator: consistent, bias O(1/n)). A drift common to all
 *    arms moves every arm's target alike, so it cannot separate identical arms.
 *  - visitors = Kish's effective sample size ESS_k = W_k² / Σ_s n_ks / π_ks² (Kish 1965,
 *    *Survey Sampling*, §11.7): the variance of a weighted mean of n_k equally variable
 *    visitors is that of an unweighted mean of ESS_k ≤ n_k of them. The arm is then reported as
 *    ESS_k visitors with conversions ESS_k·r_k, sum ESS_k·m_k and sumSquares ESS_k·q_k, so the
 *    Beta and hurdle posteriors get the Hajek centre and (approximately) its sampling variance.
 *
 * Exactly the arm's pooled counts (sums over its strata, no rescaling: `snapshot.arms[k]`, which
 * the strata add up to) when all of its used strata have the same π_k — fixed allocation, or
 * periods that happened to give the arm the same share — and `snapshot.arms` as given without
 * strata. Rules for bad input, per arm and stratum:
 * a stratum in which the arm has no visitors (or a non-finite or negative count) contributes
 * nothing; one in which it has visitors but π_ks is not a number in (0, 1] is impossible by
 * design (a visitor cannot be sent with probability 0) and is skipped as a data error — its
 * visitors are left out of the arm's estimate; adaptiveSampleRatioMismatch flags such traffic.
 * Non-finite conversions, sums and sums of squares read as 0 (as in hurdlePosteriors). An arm
 * with no usable stratum gets all-zero counts. Probabilities are read as given (they sum to 1
 * per stratum by contract; the estimates are unchanged by a factor common to all strata).
 *
 * @example
 * // Both arms convert 3% in period 1 and 6% in period 2; traffic moves from 50/50 to 90/10.
 * designEffectiveCounts({
 *   arms: [{ visitors: 1400, conversions: 69 }, { visitors: 600, conversions: 21 }],
 *   strata: [
 *     { probabilities: [0.5, 0.5], arms: [{ visitors: 500, conversions: 15 }, { visitors: 500, conversions: 15 }] },
 *     { probabilities: [0.9, 0.1], arms: [{ visitors: 900, conversions: 54 }, { visitors: 100, conversions: 6 }] },
 *   ],
 * }); // both arms: rate 0.045 (pooled: 4.9% vs 3.5%), effective visitors ≈ 1286 and ≈ 333
 */
export function designEffectiveCounts(snapshot: Snapshot): ArmCounts[] {
  const strata = snapshot.strata;
  if (!strata || strata.length === 0) return snapshot.arms.map((a) => ({ ...a }));
  return snapshot.arms.map((_, k) => {
    // Pooled sums over the usable strata (exact) and the weighted ones.
    let visitors = 0;
    let conversions = 0;
    let sum = 0;
    let sumSquares = 0;
    let weight = 0;
    let weightSquared = 0;
    let weightedConversions = 0;
    let weightedSum = 0;
    let weightedSquares = 0;
    let firstPi = Number.NaN;
    let equal = true;
    for (const stratum of strata) {
      const cell = stratum.arms[k];
      const n = cell ? cell.visitors : 0;
      if (!(n > 0 && Number.isFinite(n))) continue;
      const pi = stratum.probabilities[k];
      if (!(pi > 0 && pi <= 1)) continue; // data error: visitors sent with probability 0 (or NaN)
      if (Number.isNaN(firstPi)) firstPi = pi;
      else if (pi !== firstPi) equal = false;
      const c = finite(cell.conversions);
      const s = finite(cell.sum);
      const q = finite(cell.sumSquares);
      visitors += n;
      conversions += c;
      sum += s;
      sumSquares += q;
      weight += n / pi;
      weightSquared += n / (pi * pi);
      weightedConversions += c / pi;
      weightedSum += s / pi;
      weightedSquares += q / pi;
    }
    if (equal) return { visitors, conversions, sum, sumSquares };
    const ess = (weight * weight) / weightSquared;
    return {
      visitors: ess,
      conversions: (ess * weightedConversions) / weight,
      sum: (ess * weightedSum) / weight,
      sumSquares: (ess * weightedSquares) / weight,
    };
  });
}
