import { compareArms } from './compare-arms.js';
import { type Decision, type DecisionOptions, decide } from './decide.js';
import { type BetaPrior, DEFAULT_PRIOR, type Snapshot } from './types.js';

/**
 * The decision for a snapshot without the rest of {@link computeStats} (no credible intervals,
 * no pairwise comparisons): what the adaptive policy and the simulator evaluate at each check.
 * Honours `snapshot.metric` and `snapshot.direction`; a deterministic function of the snapshot.
 *
 * @example
 * decideSnapshot(snapshot).decision; // 'keep_running'
 */
export function decideSnapshot(
  snapshot: Snapshot,
  options: DecisionOptions = {},
  prior: BetaPrior = DEFAULT_PRIOR,
): Decision & { probBest: number[] } {
  const { mean, probBest, expectedLoss } = compareArms(
    snapshot.arms,
    snapshot.metric,
    snapshot.direction,
    prior,
  );
  const verdict = decide(
    snapshot.arms.map((arm, i) => ({
      visitors: arm.visitors,
      conversions: arm.conversions,
      sum: arm.sum,
      sumSquares: arm.sumSquares,
      mean: mean[i],
      probBest: probBest[i],
      expectedLoss: expectedLoss[i],
    })),
    options,
    snapshot,
  );
  return { ...verdict, probBest };
}
