import { heterogeneityLogBayesFactor } from './heterogeneity-bayes-factor.js';
import { DEFAULT_LOOKS } from './sequential/group-sequential.js';
import { DEFAULT_ALPHA, type SequentialTestResult } from './sequential/sequential-test.js';
import type { Snapshot } from './types.js';

// The stopping rule shown on the dashboard and used by the `adaptive` policy to stop exploring
// (packages/engine/README.md, "Decision rule").
//
// Binary goals: a winner is an arm that a sequential test finds better than every other arm at
// level α = 0.05 (sequential/sequential-test.ts). Without a horizon the test is a set of one-sided
// e-processes — conditional likelihood ratios of which arm each conversion came from, given the
// assignment probabilities it was drawn with; by Ville's inequality P(ever declaring an
// arm that is not the best) ≤ α however often anyone looks, with any adaptive allocation and any
// drift of the conversion rate common to the arms. With a horizon (planned visitors) it is a
// group-sequential test of the same pairs on O'Brien–Fleming-type boundaries over 5 analyses,
// nearly as powerful at the horizon as one look at the end (its level is a normal approximation,
// measured in the simulator). The minimum sample below only withholds decisions.
//
// Mean goals (revenue, events per visitor) keep the earlier rule, whose guarantee is NOT proved:
// an evidence gate (heterogeneity-bayes-factor.ts, a normal-approximation Bayes factor ≥ 30),
// P(best) ≥ 0.9 and an expected loss ≤ 1% of the leader's metric from the hurdle model. The
// simulator's revenue-aa scenario measures its A/A false alarms.
//
// "No material difference" (both metrics): with the minimum sample, every arm's expected loss is
// ≤ 1% of the leader's metric — a Bayesian statement about the size of any difference, not a test.

/** Mean goals: P(best) the leader needs before it is declared the winner. */
export const WINNER_PROB_BEST = 0.9;
/** Mean goals: Bayes factor "arms differ" vs "all equal" needed before any winner (an approximation, not a bound). */
export const MIN_EVIDENCE_BAYES_FACTOR = 30;
/** Mean goals: largest expected loss of the winner, as a fraction of its own posterior mean. */
export const WINNER_MAX_RELATIVE_LOSS = 0.01;
/** Every arm needs this many visitors before any decision. */
export const MIN_VISITORS_PER_ARM = 30;
/**
 * The leader needs this many converting visitors (with at least one event) before it can win:
 * rates need events, not visitors, and a revenue mean needs buyers.
 */
export const MIN_LEADER_CONVERSIONS = 25;
/**
 * "No material difference" when shipping any arm would cost at most this fraction of the
 * leader's rate in expectation (a 1% relative lift is below what most teams act on).
 */
export const NO_DIFFERENCE_MAX_RELATIVE_LOSS = 0.01;

export type DecisionKind = 'keep_running' | 'winner' | 'no_material_difference';

/** Per-arm numbers the decision needs (a subset of {@link ArmResult}). */
export interface DecisionArm {
  visitors: number;
  /** Visitors with at least one event: the leader needs `minLeaderConversions` of them. */
  conversions: number;
  /** mean model: Σ and Σ of squares of the visitors' totals (the evidence gate reads them). */
  sum?: number;
  sumSquares?: number;
  /** Posterior mean of the metric per visitor. */
  mean: number;
  probBest: number;
  expectedLoss: number;
}

/** Thresholds of the decision rule, as applied; defaults are the constants above. */
export interface DecisionThresholds {
  /** Binary goals: level of the sequential test (P(declaring an arm that is not the best) ≤ α). */
  alpha: number;
  /** Binary goals with a horizon: number of equally spaced analyses. */
  looks: number;
  winnerProbBest: number;
  minEvidenceBayesFactor: number;
  winnerMaxRelativeLoss: number;
  minVisitorsPerArm: number;
  minLeaderConversions: number;
  noDifferenceMaxRelativeLoss: number;
}

/** Thresholds to override; the others keep their defaults. */
export type DecisionOptions = Partial<DecisionThresholds>;

/** The decision and the numbers behind it. */
export interface Decision {
  decision: DecisionKind;
  /** Arm with the highest probability to be best. */
  leader: number;
  /** The winner's index when `decision` is `winner`, else null. */
  winner: number | null;
  leaderProbBest: number;
  leaderExpectedLoss: number;
  /** Leader's expected loss divided by |its posterior mean| (infinite when that mean is 0). */
  leaderRelativeLoss: number;
  /** Largest expected loss over all arms divided by |the leader's posterior mean|. */
  maxRelativeLoss: number;
  minSampleReached: boolean;
  /** Bayes factor of "the arms differ" against "all arms are equal" (see heterogeneity-bayes-factor.ts); the gate of mean goals. */
  evidenceBayesFactor: number;
  /**
   * Which test decides: 'anytime' (binary, e-processes), 'group_sequential' (binary with a
   * horizon) or 'bayes_factor' (mean goals, the approximate gate).
   */
  test: 'anytime' | 'group_sequential' | 'bayes_factor';
  /** The test's statistic for the leading arm against its weakest rival (e-value, z, or the Bayes factor). */
  evidence: number;
  /** What `evidence` must reach. */
  evidenceThreshold: number;
  /** The leading arm's weakest rival in the test (null for mean goals). */
  rival: number | null;
  /** group_sequential: analyses done and planned (0 otherwise). */
  look: number;
  looks: number;
  /** group_sequential: every planned analysis is done; no winner can be declared any more. */
  horizonReached: boolean;
  /** Estimated further visitors until the test declares the leading arm, on the current trend; null when none is in sight or when decided. */
  visitorsToGo: number | null;
  thresholds: DecisionThresholds;
}

/**
 * The decision rule. `winner` when every arm has its minimum sample, the winner has enough
 * converting visitors, and — binary goals, given `test` — the sequential test passes for it
 * (sequential-test.ts), or — mean goals, or binary without a test — the Bayes factor for "arms
 * differ" is ≥ 30, P(leader is best) ≥ 0.9 and its expected loss ≤ 1% of its metric.
 * `no_material_difference` when there is no winner and, with the minimum sample, every arm's
 * expected loss is ≤ 1% of the leader's metric; otherwise `keep_running`. `probBest` and
 * `expectedLoss` must already be in the metric's direction (as {@link computeStats} and
 * {@link decideSnapshot} give them). Binary callers should pass the test
 * ({@link decideSnapshot} and computeStats do, from the snapshot's strata).
 *
 * @example
 * const stats = computeStats(snapshot);
 * decide(stats.arms, {}, snapshot).decision; // 'keep_running' | 'winner' | 'no_material_difference'
 */
export function decide(
  arms: readonly DecisionArm[],
  options: DecisionOptions = {},
  { metric = 'binary', direction = 'higher' }: Pick<Snapshot, 'metric' | 'direction'> = {},
  test?: SequentialTestResult,
): Decision {
  const thresholds: DecisionThresholds = {
    alpha: options.alpha ?? DEFAULT_ALPHA,
    looks: options.looks ?? DEFAULT_LOOKS,
    winnerProbBest: options.winnerProbBest ?? WINNER_PROB_BEST,
    minEvidenceBayesFactor: options.minEvidenceBayesFactor ?? MIN_EVIDENCE_BAYES_FACTOR,
    winnerMaxRelativeLoss: options.winnerMaxRelativeLoss ?? WINNER_MAX_RELATIVE_LOSS,
    minVisitorsPerArm: options.minVisitorsPerArm ?? MIN_VISITORS_PER_ARM,
    minLeaderConversions: options.minLeaderConversions ?? MIN_LEADER_CONVERSIONS,
    noDifferenceMaxRelativeLoss: options.noDifferenceMaxRelativeLoss ?? NO_DIFFERENCE_MAX_RELATIVE_LOSS,
  };
  const sign = direction === 'lower' ? -1 : 1;
  let leader = 0;
  for (let k = 1; k < arms.length; k++) {
    const a = arms[k];
    const b = arms[leader];
    if (a.probBest > b.probBest || (a.probBest === b.probBest && sign * a.mean > sign * b.mean)) leader = k;
  }
  const top = arms[leader];
  const leaderScale = Math.abs(top?.mean ?? 0);
  let maxLoss = 0;
  let minVisitors = Number.POSITIVE_INFINITY;
  for (const arm of arms) {
    maxLoss = Math.max(maxLoss, arm.expectedLoss);
    minVisitors = Math.min(minVisitors, arm.visitors);
  }
  const relative = (x: number): number => (leaderScale > 0 ? x / leaderScale : Number.POSITIVE_INFINITY);
  const leaderRelativeLoss = relative(top?.expectedLoss ?? 0);
  const maxRelativeLoss = relative(maxLoss);
  const minSample = arms.length > 1 && minVisitors >= thresholds.minVisitorsPerArm;
  const bayesFactor = Math.exp(Math.min(700, heterogeneityLogBayesFactor(arms, metric)));
  const sequential = metric === 'binary' ? test : undefined;
  let decision: DecisionKind = 'keep_running';
  let winner: number | null = null;
  if (sequential) {
    const candidate = arms[sequential.candidate];
    if (minSample && sequential.passed && candidate.conversions >= thresholds.minLeaderConversions) {
      decision = 'winner';
      winner = sequential.candidate;
    }
  } else if (
    minSample &&
    bayesFactor >= thresholds.minEvidenceBayesFactor &&
    top.conversions >= thresholds.minLeaderConversions &&
    top.probBest >= thresholds.winnerProbBest &&
    leaderRelativeLoss <= thresholds.winnerMaxRelativeLoss
  ) {
    decision = 'winner';
    winner = leader;
  }
  if (decision === 'keep_running' && minSample && maxRelativeLoss <= thresholds.noDifferenceMaxRelativeLoss) {
    decision = 'no_material_difference';
  }
  const shown = arms[winner ?? leader];
  return {
    decision,
    leader: winner ?? leader,
    winner,
    leaderProbBest: shown?.probBest ?? 0,
    leaderExpectedLoss: shown?.expectedLoss ?? 0,
    leaderRelativeLoss: winner === null ? leaderRelativeLoss : relative(shown.expectedLoss),
    maxRelativeLoss,
    minSampleReached: minSample,
    evidenceBayesFactor: bayesFactor,
    test: sequential?.test ?? 'bayes_factor',
    evidence: sequential ? sequential.statistic : bayesFactor,
    evidenceThreshold: sequential ? sequential.threshold : thresholds.minEvidenceBayesFactor,
    rival: sequential ? sequential.rival : null,
    look: sequential?.look ?? 0,
    looks: sequential?.looks ?? 0,
    horizonReached: sequential?.horizonReached ?? false,
    visitorsToGo: decision === 'keep_running' ? (sequential?.visitorsToGo ?? null) : null,
    thresholds,
  };
}
