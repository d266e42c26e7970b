import type { ArmCounts } from './types.js';

/**
 * Prior sd of an arm's true rate around the common rate, as a fraction of that rate, under
 * the "arms differ" hypothesis: 0.25 means lifts of ±25% are typical. It only sets the Occam
 * penalty (½ log(1 + s²/v) per arm), so the Bayes factor is not sensitive to it.
 */
export const DIFFERENCE_PRIOR_RELATIVE_SD = 0.25;

/**
 * log Bayes factor of "the arms' conversion rates differ" against "all arms share one rate"
 * (normal approximation on the rate scale, Pearson's pooled variance p̄(1 − p̄)/n_k):
 *
 *   H0: rate_k = μ          H1: rate_k = μ + δ_k, δ_k ~ N(0, s²), s = 0.25 · p̄
 *
 * with the same flat prior on μ under both, so only contrasts between arms carry evidence:
 *
 *   log BF10 = ½ Σ log(w1_k / w0_k) − ½ log(W1 / W0) − ½ (Q1 − Q0),
 *   w0_k = 1 / v_k, w1_k = 1 / (v_k + s²), W = Σ w_k, Q = Σ w_k (x_k − x̄_w)²,
 *
 * where Q0 is the Pearson chi-square of heterogeneity. With the flat (right-Haar) prior on μ the
 * factor is a likelihood ratio of the location-invariant contrasts, hence under H0 a non-negative
 * martingale with mean 1, also when traffic is allocated adaptively (Hendriksen, de Heide &
 * Grünwald 2021, "Optional stopping with Bayes factors"); by Ville's inequality it ever exceeds
 * 1/α with probability ≤ α however often it is looked at (Grünwald, de Heide & Koolen 2024,
 * "Safe testing"). Exact for the Gaussian approximation; approximate for Bernoulli counts, which
 * is what the simulator's A/A scenarios measure.
 *
 * @example
 * heterogeneityLogBayesFactor([{ visitors: 1000, conversions: 50 }, { visitors: 1000, conversions: 50 }]); // < 0
 */
export function heterogeneityLogBayesFactor(arms: readonly ArmCounts[]): number {
  let visitors = 0;
  let conversions = 0;
  let groups = 0;
  for (const arm of arms) {
    if (arm.visitors <= 0) continue;
    visitors += arm.visitors;
    conversions += Math.min(arm.conversions, arm.visitors);
    groups++;
  }
  if (groups < 2) return 0;
  const pooled = (conversions + 0.5) / (visitors + 1);
  const unit = pooled * (1 - pooled);
  const s = DIFFERENCE_PRIOR_RELATIVE_SD * pooled;
  const s2 = s * s;
  let w0Sum = 0;
  let w1Sum = 0;
  let w0x = 0;
  let w1x = 0;
  let logRatio = 0;
  for (const arm of arms) {
    if (arm.visitors <= 0) continue;
    const x = Math.min(arm.conversions, arm.visitors) / arm.visitors;
    const v = unit / arm.visitors;
    const w0 = 1 / v;
    const w1 = 1 / (v + s2);
    w0Sum += w0;
    w1Sum += w1;
    w0x += w0 * x;
    w1x += w1 * x;
    logRatio += Math.log(w1 / w0);
  }
  const mean0 = w0x / w0Sum;
  const mean1 = w1x / w1Sum;
  let q0 = 0;
  let q1 = 0;
  for (const arm of arms) {
    if (arm.visitors <= 0) continue;
    const x = Math.min(arm.conversions, arm.visitors) / arm.visitors;
    const v = unit / arm.visitors;
    q0 += ((x - mean0) * (x - mean0)) / v;
    q1 += ((x - mean1) * (x - mean1)) / (v + s2);
  }
  return 0.5 * logRatio - 0.5 * Math.log(w1Sum / w0Sum) - 0.5 * (q1 - q0);
}
