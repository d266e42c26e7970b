import { bestArmProbabilities } from './best-arm.js';
import { compareDraws } from './draw-comparison.js';
import { hurdleDraws } from './hurdle-draws.js';
import { hurdleMean, hurdlePosteriors } from './hurdle-posterior.js';
import {
  type ArmCounts,
  type BetaPrior,
  DEFAULT_PRIOR,
  type MetricDirection,
  type MetricModel,
  posteriorParameters,
} from './types.js';

/** Per arm: posterior mean of the metric, probability to be best and expected loss. */
export interface ArmComparison {
  mean: number[];
  probBest: number[];
  /** In metric units, ≥ 0: E[best − arm] ('higher') or E[arm − best] ('lower'). */
  expectedLoss: number[];
}

/**
 * What the decision rule and the Thompson-style policies need, for either metric and direction.
 * Binary: numerical integration over the Beta posteriors; for 'lower' the best arm is the one
 * with the smallest rate, i.e. the largest 1 − rate ~ Beta(β, α). Mean: the hurdle model's
 * posterior draws (hurdle-draws.ts), seeded internally, so a deterministic function of the counts.
 *
 * @example
 * compareArms([{ visitors: 1000, conversions: 40 }, { visitors: 1000, conversions: 60 }], 'binary', 'lower').probBest[0]; // ≈ 0.98
 */
export function compareArms(
  arms: readonly ArmCounts[],
  metric: MetricModel = 'binary',
  direction: MetricDirection = 'higher',
  prior: BetaPrior = DEFAULT_PRIOR,
): ArmComparison {
  if (metric === 'mean') {
    const posteriors = hurdlePosteriors(arms, prior);
    const { probBest, expectedLoss } = compareDraws(hurdleDraws(posteriors), direction, 0);
    return { mean: posteriors.map(hurdleMean), probBest, expectedLoss };
  }
  const { alpha, beta } = posteriorParameters(arms, prior);
  const { probBest, expectedLoss } =
    direction === 'lower' ? bestArmProbabilities(beta, alpha) : bestArmProbabilities(alpha, beta);
  return { mean: Array.from(alpha, (a, i) => a / (a + beta[i])), probBest, expectedLoss };
}
