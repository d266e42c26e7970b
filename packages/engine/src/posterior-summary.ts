import { bestArmProbabilities, probabilitiesToBeatReference } from './best-arm.js';
import { compareDraws, drawQuantiles } from './draw-comparison.js';
import { hurdleDraws } from './hurdle-draws.js';
import { hurdleMean, hurdlePosteriors } from './hurdle-posterior.js';
import { betaQuantile } from './special/incomplete-beta.js';
import {
  type ArmCounts,
  type BetaPrior,
  type MetricDirection,
  type MetricModel,
  posteriorParameters,
} from './types.js';

/** Posterior summary of one arm, or of one element variant (marginal). */
export interface PosteriorSummary {
  visitors: number;
  /** Visitors with at least one event (binary: who converted). */
  conversions: number;
  /** mean model: Σ of the visitors' totals (0 for binary). */
  sum: number;
  /** mean model: Σ of the squares of the visitors' totals (0 for binary). */
  sumSquares: number;
  /** Observed conversion rate conversions / visitors (0 without visitors), whatever the metric. */
  rate: number;
  /** Observed metric per visitor: binary conversions / visitors, mean sum / visitors (0 without visitors). */
  observedMean: number;
  /** Posterior mean of the metric per visitor (binary: α / (α + β)). */
  mean: number;
  /** Beta posterior of the conversion rate (both metrics). */
  alpha: number;
  beta: number;
  /** Equal-tailed 95% credible interval of the metric per visitor. */
  ci95: [number, number];
  /** Probability to be the best among its peers (all arms, or the variants of one element). */
  probBest: number;
  /** E[best − this] ('higher') or E[this − best] ('lower'): metric per visitor lost by choosing it, ≥ 0. */
  expectedLoss: number;
  /**
   * Relative uplift of the posterior mean over the control's: mean / control mean − 1, i.e.
   * (mean − control) / |control| (the same for a positive control mean; 0 when it is 0).
   * Not flipped for 'lower': a negative uplift is an improvement there.
   */
  uplift: number;
  /** P(better than control) in the metric's direction; null for the control itself. */
  probBeatControl: number | null;
}

function uplift(mean: number, controlMean: number): number {
  if (controlMean > 0) return mean / controlMean - 1;
  return controlMean < 0 ? (mean - controlMean) / -controlMean : 0;
}

const observed = (total: number, visitors: number): number => (visitors > 0 ? total / visitors : 0);

function binarySummaries(
  groups: readonly ArmCounts[],
  control: number,
  prior: BetaPrior,
  direction: MetricDirection,
): PosteriorSummary[] {
  const { alpha, beta } = posteriorParameters(groups, prior);
  // 'lower': the smallest rate is the largest 1 − rate ~ Beta(β, α).
  const [a, b] = direction === 'lower' ? [beta, alpha] : [alpha, beta];
  const { probBest, expectedLoss } = bestArmProbabilities(a, b);
  const beatControl = probabilitiesToBeatReference(a, b, control);
  const controlMean = alpha[control] / (alpha[control] + beta[control]);
  return groups.map((g, i) => {
    const mean = alpha[i] / (alpha[i] + beta[i]);
    const rate = observed(g.conversions, g.visitors);
    return {
      visitors: g.visitors,
      conversions: g.conversions,
      sum: 0,
      sumSquares: 0,
      rate,
      observedMean: rate,
      mean,
      alpha: alpha[i],
      beta: beta[i],
      ci95: [betaQuantile(0.025, alpha[i], beta[i]), betaQuantile(0.975, alpha[i], beta[i])],
      probBest: probBest[i],
      expectedLoss: expectedLoss[i],
      uplift: uplift(mean, controlMean),
      probBeatControl: i === control ? null : beatControl[i],
    };
  });
}

function meanSummaries(
  groups: readonly ArmCounts[],
  control: number,
  prior: BetaPrior,
  direction: MetricDirection,
): PosteriorSummary[] {
  const posteriors = hurdlePosteriors(groups, prior);
  const draws = hurdleDraws(posteriors);
  const { probBest, expectedLoss, probBeatReference } = compareDraws(draws, direction, control);
  const controlMean = hurdleMean(posteriors[control]);
  return groups.map((g, i) => {
    const mean = hurdleMean(posteriors[i]);
    const [lo, hi] = drawQuantiles(draws[i], [0.025, 0.975]);
    const sum = Number.isFinite(g.sum) ? (g.sum ?? 0) : 0;
    return {
      visitors: g.visitors,
      conversions: g.conversions,
      sum,
      sumSquares: Number.isFinite(g.sumSquares) ? (g.sumSquares ?? 0) : 0,
      rate: observed(g.conversions, g.visitors),
      observedMean: observed(sum, g.visitors),
      mean,
      alpha: posteriors[i].alpha,
      beta: posteriors[i].beta,
      ci95: [lo, hi],
      probBest: probBest[i],
      expectedLoss: expectedLoss[i],
      uplift: uplift(mean, controlMean),
      probBeatControl: i === control ? null : probBeatReference[i],
    };
  });
}

/**
 * Posterior summaries of groups of visitors (the arms, or the pooled variants of one element)
 * against the group `control`: binary by numerical integration over Beta posteriors, mean by the
 * hurdle model's posterior draws (hurdle-posterior.ts, hurdle-draws.ts).
 *
 * @example
 * summarizeGroups([{ visitors: 100, conversions: 5 }, { visitors: 100, conversions: 9 }], 0, DEFAULT_PRIOR, 'binary', 'higher');
 */
export function summarizeGroups(
  groups: readonly ArmCounts[],
  control: number,
  prior: BetaPrior,
  metric: MetricModel,
  direction: MetricDirection,
): PosteriorSummary[] {
  return metric === 'mean'
    ? meanSummaries(groups, control, prior, direction)
    : binarySummaries(groups, control, prior, direction);
}
