import { heterogeneityLogBayesFactor } from './heterogeneity-bayes-factor.js';
import type { Snapshot } from './types.js';

// The stopping rule shown on the dashboard and used by the `adaptive` policy to stop exploring.
//
// Why this shape. The dashboard is watched continuously, so a rule that fires as soon as
// P(best) crosses a threshold gets many chances to fire by luck: for two equal arms P(best) ≈ Φ(z)
// of the running z-statistic, and a Brownian path crosses |z| = c somewhere on a horizon spanning
// a ratio R of sample sizes with probability ≈ 2(1 − Φ(c)) + c·φ(c)·ln R (Siegmund 1985). For
// 250 → 20,000 visitors (R = 80) that is ≈ 40% at P(best) ≥ 0.95 — the "naive stop" that declares
// a winner in about half of A/A tests. Raising the threshold until A/A is safe (≈ 0.9995) makes
// the seed's 9-arm test need every runner-up separated by ~3.5 sd, which 10,000 visitors rarely give.
//
// So the rule separates the two questions:
//  1. Is there any difference at all? An evidence gate: the Bayes factor of "the arms differ"
//     against "all arms share one rate" (heterogeneity-bayes-factor.ts) must reach 30. Under "all
//     equal" that factor is a non-negative martingale even with adaptive traffic, so by Ville's
//     inequality it ever reaches 30 with probability ≤ 1/30 however often anyone looks. This is what
//     keeps A/A tests quiet (measured 1.5–3% of runs for 2 arms, 0% for 9; README).
//  2. Which arm, and is it safe to ship? The leader needs P(best) ≥ 0.9 AND an expected loss
//     (E[max − leader]) of at most 1% of its own rate — a decision-theoretic "threshold of caring"
//     (Stucchio 2015; VWO SmartStats): far-behind arms with little data hardly move it, so the seed
//     decides at a median 4,000 visitors instead of needing every arm pinned down.
// In 100–400-run tuning sweeps, raising the gate from 20 to 30 cost the seed nothing measurable
// and cut A/A false alarms from 2–4% to 1.3–3%; P(best) 0.9 rather than 0.95 (with the 1% loss
// cap) took the seed from 95% to 98% winners and from 15.2% to 13.1% lost.
// Plus a minimum sample so the normal approximations behind the gate hold. Known limit: when two
// arms tie for best and others are clearly worse the gate opens (the arms do differ) and one of the
// tied arms can be declared; the expected-loss cap keeps that choice's expected cost < 1% of the rate.
//
// Mean metrics (revenue, events per visitor) use the same rule in metric units: P(best) and
// expected loss from the hurdle model, the loss cap relative to the leader's metric, the leader
// needing MIN_LEADER_CONVERSIONS converting visitors. Their evidence gate is the same normal
// approximation on per-visitor means with the pooled within-arm variance. For revenue (mostly
// zeros and heavy-tailed orders, variance estimated from the data) the martingale property is not
// proved, only approximated; the simulator's revenue-aa scenario measures its A/A false alarms.

/** P(best) the leader needs before it is declared the winner. */
export const WINNER_PROB_BEST = 0.9;
/** Bayes factor "arms differ" vs "all equal" needed before any winner (Ville: ≤ 1/30 false alarms). */
export const MIN_EVIDENCE_BAYES_FACTOR = 30;
/** Largest expected loss of the winner, as a fraction of its own posterior mean (rate or metric). */
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
  /** Bayes factor of "the arms differ" against "all arms are equal" (see heterogeneity-bayes-factor.ts). */
  evidenceBayesFactor: number;
  thresholds: DecisionThresholds;
}

/**
 * The decision rule: `winner` when every arm has its minimum sample, the leader has enough
 * converting visitors, the Bayes factor for "arms differ" is ≥ 30, P(leader is best) ≥ 0.9 and
 * its expected loss ≤ 1% of its metric; `no_material_difference` when, with the minimum sample,
 * every arm's expected loss is ≤ 1% of the leader's metric; otherwise `keep_running`.
 * `metric` says which evidence gate applies ('mean' reads the arms' `sum` and `sumSquares`) and,
 * with `direction`, how ties in P(best) are broken; `probBest` and `expectedLoss` must already
 * be in that direction (as {@link computeStats} and {@link decideSnapshot} give them).
 *
 * @example
 * const stats = computeStats(snapshot);
 * decide(stats.arms, {}, snapshot).decision; // 'keep_running' | 'winner' | 'no_material_difference'
 */
export function decide(
  arms: readonly DecisionArm[],
  options: DecisionOptions = {},
  { metric = 'binary', direction = 'higher' }: Pick<Snapshot, 'metric' | 'direction'> = {},
): Decision {
  const thresholds: DecisionThresholds = {
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
  const evidence = Math.exp(Math.min(700, heterogeneityLogBayesFactor(arms, metric)));
  let decision: DecisionKind = 'keep_running';
  if (
    minSample &&
    evidence >= thresholds.minEvidenceBayesFactor &&
    top.conversions >= thresholds.minLeaderConversions &&
    top.probBest >= thresholds.winnerProbBest &&
    leaderRelativeLoss <= thresholds.winnerMaxRelativeLoss
  ) {
    decision = 'winner';
  } else if (minSample && maxRelativeLoss <= thresholds.noDifferenceMaxRelativeLoss) {
    decision = 'no_material_difference';
  }
  return {
    decision,
    leader,
    winner: decision === 'winner' ? leader : null,
    leaderProbBest: top?.probBest ?? 0,
    leaderExpectedLoss: top?.expectedLoss ?? 0,
    leaderRelativeLoss,
    maxRelativeLoss,
    minSampleReached: minSample,
    evidenceBayesFactor: evidence,
    thresholds,
  };
}
