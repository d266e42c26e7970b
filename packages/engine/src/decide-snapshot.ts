import { compareArms } from './compare-arms.js';
import { type Decision, type DecisionOptions, decide } from './decide.js';
import { designEffectiveCounts } from './robust-estimates.js';
import type { SequentialTest } from './sequential/sequential-test.js';
import { snapshotSequentialTest } from './sequential/snapshot-test.js';
import { type BetaPrior, DEFAULT_PRIOR, type Snapshot } from './types.js';

/**
 * The decision for a snapshot without the rest of {@link computeStats} (no credible intervals,
 * no pairwise comparisons): what the adaptive policy and the simulator evaluate at each check.
 * Honours `snapshot.metric` and `snapshot.direction`; a deterministic function of the snapshot.
 * Binary goals read the sequential test of the snapshot's strata (built here, or `test` when the
 * caller keeps one up to date stratum by stratum, as the simulator does; null: no test, i.e. the
 * Bayes-factor rule of mean goals, kept as a baseline).
 *
 * @example
 * decideSnapshot(snapshot).decision; // 'keep_running'
 */
export function decideSnapshot(
  snapshot: Snapshot,
  options: DecisionOptions = {},
  prior: BetaPrior = DEFAULT_PRIOR,
  test?: SequentialTest | null,
): Decision & { probBest: number[] } {
  // The posteriors of the design-effective counts, as computeStats reports them (robust-estimates.ts).
  const { mean, probBest, expectedLoss } = compareArms(
    designEffectiveCounts(snapshot),
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
    (snapshot.metric ?? 'binary') === 'binary' && test !== null
      ? (test ?? snapshotSequentialTest(snapshot, options)).result()
      : undefined,
  );
  return { ...verdict, probBest };
}
