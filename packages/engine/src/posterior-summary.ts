import { bestArmProbabilities, probabilitiesToBeatReference } from './best-arm.js';
import { betaRanges } from './beta-grid.js';
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
import { betaUpliftInterval, drawUpliftInterval, relativeUplift } from './uplift-interval.js';

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
  /**
   * Equal-tailed 95% credible interval of the uplift X / X_control − 1 (same convention as
   * `uplift`, per posterior draw for the mean model); null for the control itself. Binary: exact
   * quantiles of the ratio of the two Beta posteriors (uplift-interval.ts); mean: quantiles of
   * the ratio of the hurdle draws. `uplift` is the ratio of posterior means, not the median of
   * the ratio, so it need not be the interval's centre. P(uplift > 0) is
   * `probBeatControl` for 'higher' (for 'lower', P(uplift < 0)).
   */
  upliftCi95: [number, number] | null;
  /** P(better than control) in the metric's direction; null for the control itself. */
  probBeatControl: number | null;
}

/** The posterior part of a {@link PosteriorSummary}, as {@link summarizeDraws} computes it from draws. */
export type DrawSummary = Pick<
  PosteriorSummary,
  'mean' | 'ci95' | 'probBest' | 'expectedLoss' | 'uplift' | 'upliftCi95' | 'probBeatControl'
>;

const observed = (total: number, visitors: number): number => (visitors > 0 ? total / visitors : 0);

/** The count fields of a {@link PosteriorSummary}: a group's counts as observed (no posterior). */
export type ObservedFields = Pick<
  PosteriorSummary,
  'visitors' | 'conversions' | 'sum' | 'sumSquares' | 'rate' | 'observedMean'
>;

/**
 * A group's counts as reported: rate = conversions / visitors and observedMean = the metric
 * per visitor (binary: the rate; mean: sum / visitors), 0 without visitors; sum and sumSquares
 * are 0 for binary and non-finite ones read as 0.
 *
 * @example
 * observedFields({ visitors: 200, conversions: 10, sum: 500, sumSquares: 30_000 }, 'mean').observedMean; // 2.5
 */
export function observedFields(g: ArmCounts, metric: MetricModel): ObservedFields {
  const rate = observed(g.conversions, g.visitors);
  if (metric !== 'mean') {
    return {
      visitors: g.visitors,
      conversions: g.conversions,
      sum: 0,
      sumSquares: 0,
      rate,
      observedMean: rate,
    };
  }
  const sum = Number.isFinite(g.sum) ? (g.sum ?? 0) : 0;
  return {
    visitors: g.visitors,
    conversions: g.conversions,
    sum,
    sumSquares: Number.isFinite(g.sumSquares) ? (g.sumSquares ?? 0) : 0,
    rate,
    observedMean: observed(sum, g.visitors),
  };
}

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
  const ranges = groups.length > 1 ? betaRanges(alpha, beta) : null;
  return groups.map((g, i) => {
    const mean = alpha[i] / (alpha[i] + beta[i]);
    return {
      ...observedFields(g, 'binary'),
      mean,
      alpha: alpha[i],
      beta: beta[i],
      ci95: [betaQuantile(0.025, alpha[i], beta[i]), betaQuantile(0.975, alpha[i], beta[i])],
      probBest: probBest[i],
      expectedLoss: expectedLoss[i],
      uplift: relativeUplift(mean, controlMean),
      upliftCi95: i === control || !ranges ? null : betaUpliftInterval(alpha, beta, ranges, i, control),
      probBeatControl: i === control ? null : beatControl[i],
    };
  });
}

/**
 * Posterior summaries of groups from independent posterior draws of their metric (one array per
 * group, all of the same length) and their exact posterior means: 95% interval (type-7
 * quantiles), P(best), expected loss and P(beat control) by compareDraws, uplift of the means,
 * and the uplift interval from the paired draws.
 *
 * @example
 * summarizeDraws([Float64Array.of(1, 2, 3), Float64Array.of(2, 3, 4)], [2, 3], 0, 'higher')[1].uplift; // 0.5
 */
export function summarizeDraws(
  draws: readonly Float64Array[],
  means: readonly number[],
  control: number,
  direction: MetricDirection,
): DrawSummary[] {
  const { probBest, expectedLoss, probBeatReference } = compareDraws(draws, direction, control);
  const controlMean = means[control];
  return draws.map((d, i) => {
    const [lo, hi] = drawQuantiles(d, [0.025, 0.975]);
    return {
      mean: means[i],
      ci95: [lo, hi],
      probBest: probBest[i],
      expectedLoss: expectedLoss[i],
      uplift: relativeUplift(means[i], controlMean),
      upliftCi95: i === control ? null : drawUpliftInterval(d, draws[control]),
      probBeatControl: i === control ? null : probBeatReference[i],
    };
  });
}

function meanSummaries(
  groups: readonly ArmCounts[],
  control: number,
  prior: BetaPrior,
  direction: MetricDirection,
  given?: readonly Float64Array[],
): PosteriorSummary[] {
  const posteriors = hurdlePosteriors(groups, prior);
  const draws = given ?? hurdleDraws(posteriors);
  const posterior = summarizeDraws(draws, posteriors.map(hurdleMean), control, direction);
  return groups.map((g, i) => ({
    ...observedFields(g, 'mean'),
    alpha: posteriors[i].alpha,
    beta: posteriors[i].beta,
    ...posterior[i],
  }));
}

/**
 * Posterior summaries of groups of visitors (the arms, or the pooled variants of one element)
 * against the group `control`: binary by numerical integration over Beta posteriors, mean by the
 * hurdle model's posterior draws (hurdle-posterior.ts, hurdle-draws.ts). `draws`: for the mean
 * model, the caller's copy of exactly those draws, hurdleDraws(hurdlePosteriors(groups, prior)),
 * to avoid drawing twice (ignored for binary).
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
  draws?: readonly Float64Array[],
): PosteriorSummary[] {
  return metric === 'mean'
    ? meanSummaries(groups, control, prior, direction, draws)
    : binarySummaries(groups, control, prior, direction);
}
