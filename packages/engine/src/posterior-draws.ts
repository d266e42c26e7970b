import { hurdleDraws } from './hurdle-draws.js';
import { hurdlePosteriors } from './hurdle-posterior.js';
import {
  type ArmCounts,
  type BetaPrior,
  DEFAULT_PRIOR,
  type MetricModel,
  posteriorParameters,
} from './types.js';

/**
 * MEAN_MODEL_DRAWS posterior draws of each group's metric per visitor, seeded with the fixed
 * MEAN_MODEL_SEED (stream = group index): the hurdle model's draws for 'mean'; for 'binary' the
 * Beta(conversions + α0, failures + β0) draws, made by the same sampler (hurdleDraws with a
 * converter's mean fixed at 1 and scale 0, so each draw is exactly the Beta draw).
 *
 * @example
 * posteriorDraws([{ visitors: 100, conversions: 5 }], DEFAULT_PRIOR, 'binary')[0].length; // 10000
 */
export function posteriorDraws(
  groups: readonly ArmCounts[],
  prior: BetaPrior = DEFAULT_PRIOR,
  metric: MetricModel = 'binary',
): Float64Array[] {
  if (metric === 'mean') return hurdleDraws(hurdlePosteriors(groups, prior));
  const { alpha, beta } = posteriorParameters(groups, prior);
  return hurdleDraws(
    Array.from(alpha, (a, k) => ({ alpha: a, beta: beta[k], location: 1, scale: 0, dof: 0 })),
  );
}
