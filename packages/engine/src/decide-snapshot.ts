import { bestArmProbabilities } from './best-arm.js';
import { type Decision, type DecisionOptions, decide } from './decide.js';
import { type BetaPrior, DEFAULT_PRIOR, posteriorParameters, type Snapshot } from './types.js';

/**
 * The decision for a snapshot without the rest of {@link computeStats} (no credible intervals,
 * no pairwise comparisons): what the adaptive policy and the simulator evaluate at each check.
 *
 * @example
 * decideSnapshot(snapshot).decision; // 'keep_running'
 */
export function decideSnapshot(
  snapshot: Snapshot,
  options: DecisionOptions = {},
  prior: BetaPrior = DEFAULT_PRIOR,
): Decision & { probBest: number[] } {
  const { alpha, beta } = posteriorParameters(snapshot.arms, prior);
  const { probBest, expectedLoss } = bestArmProbabilities(alpha, beta);
  const verdict = decide(
    snapshot.arms.map((arm, i) => ({
      visitors: arm.visitors,
      conversions: arm.conversions,
      mean: alpha[i] / (alpha[i] + beta[i]),
      probBest: probBest[i],
      expectedLoss: expectedLoss[i],
    })),
    options,
  );
  return { ...verdict, probBest };
}
