import type { ArmCounts, MetricModel } from './types.js';

/**
 * Prior sd of an arm's true metric around the common mean, as a fraction of that mean, under
 * the "arms differ" hypothesis: 0.25 means lifts of ±25% are typical. It only sets the Occam
 * penalty (½ log(1 + s²/v) per arm), so the Bayes factor is not sensitive to it.
 */
export const DIFFERENCE_PRIOR_RELATIVE_SD = 0.25;

/**
 * log Bayes factor of "the arms' metrics differ" against "all arms share one mean", by a normal
 * approximation on the per-visitor means x_k with variance v_k = σ² / n_k:
 *
 *   H0: mean_k = μ          H1: mean_k = μ + δ_k, δ_k ~ N(0, s²), s = 0.25 · |x̄|
 *
 * with the same flat prior on μ under both, so only contrasts between arms carry evidence:
 *
 *   log BF10 = ½ Σ log(w1_k / w0_k) − ½ log(W1 / W0) − ½ (Q1 − Q0),
 *   w0_k = 1 / v_k, w1_k = 1 / (v_k + s²), W = Σ w_k, Q = Σ w_k (x_k − x̄_w)²,
 *
 * where Q0 is the chi-square of heterogeneity.
 *
 * - 'binary' (default): x_k the conversion rate, σ² = p̄(1 − p̄) Pearson's pooled Bernoulli
 *   variance with p̄ = (conversions + ½) / (visitors + 1), x̄ = p̄.
 * - 'mean': x_k = sum_k / n_k, σ² the pooled within-arm variance of the visitors' totals,
 *   Σ_k (sumSquares_k − sum_k² / n_k) / (N − K), x̄ the overall mean. Returns 0 (no evidence
 *   either way) when that variance is 0 or undefined.
 *
 * With the flat (right-Haar) prior on μ the factor is a likelihood ratio of the location-invariant
 * contrasts, hence, for Gaussian data with known variance, a non-negative martingale with mean 1
 * under H0, also when traffic is allocated adaptively (Hendriksen, de Heide & Grünwald 2021,
 * "Optional stopping with Bayes factors"); by Ville's inequality it would then ever exceed 1/α
 * with probability ≤ α however often it is looked at (Grünwald, de Heide & Koolen 2024, "Safe
 * testing"). Bernoulli counts, and more so per-visitor revenue (mostly zeros, heavy-tailed
 * orders) with a variance estimated from the same data, are only approximately Gaussian: the
 * guarantee is not proved for them, and the simulator's A/A scenarios (aa-2, aa-9, revenue-aa)
 * measure how far the approximation holds.
 *
 * @example
 * heterogeneityLogBayesFactor([{ visitors: 1000, conversions: 50 }, { visitors: 1000, conversions: 50 }]); // < 0
 */
export function heterogeneityLogBayesFactor(
  arms: readonly ArmCounts[],
  metric: MetricModel = 'binary',
): number {
  return metric === 'mean' ? meanModelLogBayesFactor(arms) : binaryLogBayesFactor(arms);
}

function binaryLogBayesFactor(arms: readonly ArmCounts[]): number {
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
  const means: number[] = [];
  const counts: number[] = [];
  for (const arm of arms) {
    if (arm.visitors <= 0) continue;
    means.push(Math.min(arm.conversions, arm.visitors) / arm.visitors);
    counts.push(arm.visitors);
  }
  return normalLogBayesFactor(means, counts, pooled * (1 - pooled), DIFFERENCE_PRIOR_RELATIVE_SD * pooled);
}

function meanModelLogBayesFactor(arms: readonly ArmCounts[]): number {
  let visitors = 0;
  let total = 0;
  let within = 0;
  const means: number[] = [];
  const counts: number[] = [];
  for (const arm of arms) {
    if (!(arm.visitors > 0)) continue;
    const sum = arm.sum ?? 0;
    visitors += arm.visitors;
    total += sum;
    within += Math.max(0, (arm.sumSquares ?? 0) - (sum * sum) / arm.visitors);
    means.push(sum / arm.visitors);
    counts.push(arm.visitors);
  }
  if (means.length < 2 || visitors <= means.length) return 0;
  const variance = within / (visitors - means.length);
  if (!(variance > 0 && Number.isFinite(variance))) return 0;
  const lbf = normalLogBayesFactor(
    means,
    counts,
    variance,
    DIFFERENCE_PRIOR_RELATIVE_SD * Math.abs(total / visitors),
  );
  return Number.isFinite(lbf) ? lbf : 0;
}

/** The normal-approximation Bayes factor above for means x_k of n_k visitors with unit variance σ². */
function normalLogBayesFactor(
  means: readonly number[],
  counts: readonly number[],
  unit: number,
  s: number,
): number {
  const s2 = s * s;
  let w0Sum = 0;
  let w1Sum = 0;
  let w0x = 0;
  let w1x = 0;
  let logRatio = 0;
  for (let k = 0; k < means.length; k++) {
    const x = means[k];
    const v = unit / counts[k];
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
  for (let k = 0; k < means.length; k++) {
    const x = means[k];
    const v = unit / counts[k];
    q0 += ((x - mean0) * (x - mean0)) / v;
    q1 += ((x - mean1) * (x - mean1)) / (v + s2);
  }
  return 0.5 * logRatio - 0.5 * Math.log(w1Sum / w0Sum) - 0.5 * (q1 - q0);
}
