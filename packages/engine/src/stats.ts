import { bestArmProbabilities, probabilitiesToBeatReference } from './best-arm.js';
import { type Decision, type DecisionOptions, decide } from './decide.js';
import { betaQuantile } from './special/incomplete-beta.js';
import { type SrmResult, sampleRatioMismatch } from './srm.js';
import {
  type ArmCounts,
  type BetaPrior,
  DEFAULT_PRIOR,
  posteriorParameters,
  type Snapshot,
} from './types.js';

/** Posterior summary of one arm, or of one element variant (marginal). */
export interface PosteriorSummary {
  visitors: number;
  conversions: number;
  /** Observed conversion rate conversions / visitors (0 without visitors). */
  rate: number;
  /** Posterior mean α / (α + β). */
  mean: number;
  alpha: number;
  beta: number;
  /** Equal-tailed 95% credible interval (Beta quantiles 2.5% and 97.5%). */
  ci95: [number, number];
  /** Probability to be the best among its peers (all arms, or the variants of one element). */
  probBest: number;
  /** E[max − this]: conversion rate lost in expectation by choosing it. */
  expectedLoss: number;
  /** Relative uplift of the posterior mean over the control's: mean / control mean − 1. */
  uplift: number;
  /** P(this > control); null for the control itself. */
  probBeatControl: number | null;
}

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

function summarize(groups: readonly ArmCounts[], control: number, prior: BetaPrior): PosteriorSummary[] {
  const { alpha, beta } = posteriorParameters(groups, prior);
  const { probBest, expectedLoss } = bestArmProbabilities(alpha, beta);
  const beatControl = probabilitiesToBeatReference(alpha, beta, control);
  const controlMean = alpha[control] / (alpha[control] + beta[control]);
  return groups.map((g, i) => {
    const mean = alpha[i] / (alpha[i] + beta[i]);
    return {
      visitors: g.visitors,
      conversions: g.conversions,
      rate: g.visitors > 0 ? g.conversions / g.visitors : 0,
      mean,
      alpha: alpha[i],
      beta: beta[i],
      ci95: [betaQuantile(0.025, alpha[i], beta[i]), betaQuantile(0.975, alpha[i], beta[i])],
      probBest: probBest[i],
      expectedLoss: expectedLoss[i],
      uplift: mean / controlMean - 1,
      probBeatControl: i === control ? null : beatControl[i],
    };
  });
}

/**
 * Everything the API reports about an experiment's arms (docs/architecture.md#statistics-payload): posterior, 95% credible
 * interval, probability to be best and expected loss (numerical integration), uplift and
 * probability to beat control, per-variant marginals, SRM check and the decision.
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
  const summaries = summarize(snapshot.arms, control, prior);
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
      const pooled: ArmCounts[] = Array.from({ length: variants }, () => ({ visitors: 0, conversions: 0 }));
      for (let i = 0; i < k; i++) {
        pooled[levels[i][e]].visitors += snapshot.arms[i].visitors;
        pooled[levels[i][e]].conversions += snapshot.arms[i].conversions;
      }
      const controlVariant = levels[control][e];
      elements.push({
        element: e,
        variants: summarize(pooled, controlVariant, prior).map((s, v) => ({
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
  for (const arm of snapshot.arms) {
    totalVisitors += arm.visitors;
    totalConversions += arm.conversions;
  }
  return {
    totalVisitors,
    totalConversions,
    arms,
    elements,
    srm,
    decision: decide(arms, options.decision),
  };
}
