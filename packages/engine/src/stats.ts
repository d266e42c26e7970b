import { adaptiveSampleRatioMismatch } from './adaptive-srm.js';
import { type Decision, type DecisionOptions, decide } from './decide.js';
import { type ElementResult, elementEffects } from './element-effects.js';
import { posteriorDraws } from './posterior-draws.js';
import { observedFields, type PosteriorSummary, summarizeGroups } from './posterior-summary.js';
import { designEffectiveCounts } from './robust-estimates.js';
import { snapshotSequentialTest } from './sequential/snapshot-test.js';
import { type SrmResult, sampleRatioMismatch } from './srm.js';
import { type BetaPrior, DEFAULT_PRIOR, type Snapshot } from './types.js';

export type { ElementResult, VariantResult } from './element-effects.js';
export type { PosteriorSummary } from './posterior-summary.js';

/**
 * What {@link computeStats} reports for one arm: its raw counts (visitors, conversions, sum,
 * sumSquares, rate, observedMean), the posterior of its design-effective counts
 * (designEffectiveCounts: alpha, beta, mean, ci95, probBest, expectedLoss, uplift, upliftCi95,
 * probBeatControl) and its place in the experiment (index, control, current traffic).
 */
export interface ArmResult extends PosteriorSummary {
  arm: number;
  isControl: boolean;
  /**
   * Kish effective sample size behind the posterior (designEffectiveCounts): = visitors under
   * constant allocation (or without strata), fewer when the arm's probability varied.
   */
  effectiveVisitors: number;
  /** Current traffic probability, when the caller passed `allocation`; else null. */
  trafficWeight: number | null;
}

/** The output of {@link computeStats}: totals, per-arm and per-variant results, SRM and the decision. */
export interface StatsResult {
  totalVisitors: number;
  totalConversions: number;
  /** Σ of the arms' `sum` (0 for binary). */
  totalSum: number;
  arms: ArmResult[];
  /**
   * Per element variant (when the snapshot has `levels`): balanced element effects
   * (elementEffects), with the variant's pooled counts as served.
   */
  elements: ElementResult[] | null;
  /**
   * Sample-ratio mismatch: adaptiveSampleRatioMismatch(snapshot.strata) when strata are given,
   * else Pearson against `snapshot.weights` (fixed allocation), else null.
   */
  srm: SrmResult | null;
  decision: Decision;
}

export interface StatsOptions {
  prior?: BetaPrior;
  decision?: DecisionOptions;
  /** Current allocation probabilities, echoed as `trafficWeight`. */
  allocation?: readonly number[];
}

/**
 * Everything the API reports about an experiment's arms (docs/architecture.md#statistics-payload): posterior, 95% credible
 * interval, probability to be best and expected loss, uplift with its 95% interval and probability
 * to beat control, balanced element effects, SRM check and the decision. The posteriors are those
 * of the design-effective counts (designEffectiveCounts: inverse-probability weighted over
 * `snapshot.strata`, the raw counts without strata or under constant allocation), so a drift
 * common to all arms cannot make identical arms look different; the count fields report the
 * raw counts. Binary metrics integrate over Beta posteriors; mean metrics (revenue, events per
 * visitor) use the hurdle model's posterior draws, seeded internally so that the result is a
 * deterministic function of the snapshot. Both honour `snapshot.direction` ('lower': the best
 * arm has the smallest metric).
 *
 * @example
 * const stats = computeStats({ arms: [{ visitors: 1000, conversions: 40 }, { visitors: 1000, conversions: 55 }] });
 * stats.arms[1].probBeatControl; // ≈ 0.94
 * stats.decision.decision; // 'keep_running'
 */
export function computeStats(snapshot: Snapshot, options: StatsOptions = {}): StatsResult {
  const prior = options.prior ?? DEFAULT_PRIOR;
  const k = snapshot.arms.length;
  const control = Math.min(Math.max(0, snapshot.controlArm ?? 0), Math.max(0, k - 1));
  const metric = snapshot.metric ?? 'binary';
  const direction = snapshot.direction ?? 'higher';
  const effective = designEffectiveCounts(snapshot);
  const draws = metric === 'mean' ? posteriorDraws(effective, prior, 'mean') : undefined;
  const summaries = summarizeGroups(effective, control, prior, metric, direction, draws);
  const arms: ArmResult[] = summaries.map((s, i) => ({
    arm: i,
    isControl: i === control,
    ...s,
    ...observedFields(snapshot.arms[i], metric),
    effectiveVisitors: effective[i].visitors,
    trafficWeight: options.allocation?.[i] ?? null,
  }));
  const elements = elementEffects(snapshot, prior, draws);
  let srm: SrmResult | null = null;
  if (snapshot.strata && snapshot.strata.length > 0) srm = adaptiveSampleRatioMismatch(snapshot.strata);
  else if (snapshot.weights && snapshot.weights.length === k) {
    srm = sampleRatioMismatch(
      snapshot.arms.map((a) => a.visitors),
      snapshot.weights,
    );
  }
  let totalVisitors = 0;
  let totalConversions = 0;
  let totalSum = 0;
  for (const arm of arms) {
    totalVisitors += arm.visitors;
    totalConversions += arm.conversions;
    totalSum += arm.sum;
  }
  return {
    totalVisitors,
    totalConversions,
    totalSum,
    arms,
    elements,
    srm,
    decision: decide(
      arms,
      options.decision,
      { metric, direction },
      metric === 'binary' ? snapshotSequentialTest(snapshot, options.decision).result() : undefined,
    ),
  };
}
