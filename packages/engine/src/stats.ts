import { type Decision, type DecisionOptions, decide } from './decide.js';
import { type PosteriorSummary, summarizeGroups } from './posterior-summary.js';
import { type SrmResult, sampleRatioMismatch } from './srm.js';
import { type BetaPrior, DEFAULT_PRIOR, type Snapshot } from './types.js';

export type { PosteriorSummary } from './posterior-summary.js';

/**
 * What {@link computeStats} reports for one arm: the posterior of its {@link ArmCounts} plus its
 * place in the experiment (index, control, current traffic).
 */
export interface ArmResult extends PosteriorSummary {
  arm: number;
  isControl: boolean;
  /** Current traffic probability, when the caller passed `allocation`; else null. */
  trafficWeight: number | null;
}

/** What {@link computeStats} reports for one element variant: the posterior of its pooled counts. */
export interface VariantResult extends PosteriorSummary {
  variant: number;
  isControl: boolean;
}

/** Marginal statistics of one element: every arm showing variant v pooled together. */
export interface ElementResult {
  element: number;
  variants: VariantResult[];
}

/** The output of {@link computeStats}: totals, per-arm and per-variant results, SRM and the decision. */
export interface StatsResult {
  totalVisitors: number;
  totalConversions: number;
  /** Σ of the arms' `sum` (0 for binary). */
  totalSum: number;
  arms: ArmResult[];
  /**
   * Per element variant (when the snapshot has `levels`), pooling every combination that shows
   * the variant. Under adaptive traffic these pools are weighted by the policy's choices, so read
   * them as "how the variant did as served", not as a balanced main effect.
   */
  elements: ElementResult[] | null;
  /** Sample-ratio mismatch against `snapshot.weights` (fixed allocation), else null. */
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
 * interval, probability to be best and expected loss, uplift and probability to beat control,
 * per-variant marginals, SRM check and the decision. Binary metrics integrate over Beta
 * posteriors; mean metrics (revenue, events per visitor) use the hurdle model's posterior draws,
 * seeded internally so that the result is a deterministic function of the snapshot.
 * Both honour `snapshot.direction` ('lower': the best arm has the smallest metric).
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
  const summaries = summarizeGroups(snapshot.arms, control, prior, metric, direction);
  const arms: ArmResult[] = summaries.map((s, i) => ({
    arm: i,
    isControl: i === control,
    ...s,
    trafficWeight: options.allocation?.[i] ?? null,
  }));
  let elements: ElementResult[] | null = null;
  const levels = snapshot.levels;
  if (levels && levels.length === k && k > 0) {
    elements = [];
    const elementCount = levels[0].length;
    for (let e = 0; e < elementCount; e++) {
      let variants = 0;
      for (const row of levels) variants = Math.max(variants, row[e] + 1);
      const pooled = Array.from({ length: variants }, () => ({
        visitors: 0,
        conversions: 0,
        sum: 0,
        sumSquares: 0,
      }));
      for (let i = 0; i < k; i++) {
        const into = pooled[levels[i][e]];
        const arm = snapshot.arms[i];
        into.visitors += arm.visitors;
        into.conversions += arm.conversions;
        into.sum += arm.sum ?? 0;
        into.sumSquares += arm.sumSquares ?? 0;
      }
      const controlVariant = levels[control][e];
      elements.push({
        element: e,
        variants: summarizeGroups(pooled, controlVariant, prior, metric, direction).map((s, v) => ({
          variant: v,
          isControl: v === controlVariant,
          ...s,
        })),
      });
    }
  }
  const srm =
    snapshot.weights && snapshot.weights.length === k
      ? sampleRatioMismatch(
          snapshot.arms.map((a) => a.visitors),
          snapshot.weights,
        )
      : null;
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
    decision: decide(arms, options.decision, { metric, direction }),
  };
}
