import {
  type Decision,
  type DecisionThresholds,
  type PosteriorSummary,
  type SimulationReport,
  SRM_P_VALUE_THRESHOLD,
  type SrmResult,
} from '@samplit/engine';
import type { Static } from 'typebox';
import type { DecisionStats, SrmStats, VariantStats } from './stats-schemas.js';

// The engine speaks camelCase domain objects; the API and the CLI's --json outputs speak
// snake_case. This is the one place where the first becomes the second: one function per engine
// type, used by the stats payload, `samplit analyze` and `samplit simulate`.

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** A posterior summary in the API's field names (combinations, element variants, `samplit analyze`). */
export type PosteriorPayload = Omit<Static<typeof VariantStats>, 'variant_id' | 'name' | 'is_control'>;

export function toPosteriorPayload(s: PosteriorSummary): PosteriorPayload {
  return {
    visitors: s.visitors,
    conversions: s.conversions,
    conversion_rate: s.rate,
    observed_mean: s.observedMean,
    posterior_mean: s.mean,
    alpha: s.alpha,
    beta: s.beta,
    ci95: s.ci95,
    prob_best: s.probBest,
    expected_loss: s.expectedLoss,
    uplift: s.uplift,
    uplift_ci95: s.upliftCi95,
    prob_beat_control: s.probBeatControl,
  };
}

export type ThresholdsPayload = Static<typeof DecisionStats>['thresholds'];

export function toThresholdsPayload(t: DecisionThresholds): ThresholdsPayload {
  return {
    alpha: t.alpha,
    looks: t.looks,
    winner_prob_best: t.winnerProbBest,
    min_evidence_bayes_factor: t.minEvidenceBayesFactor,
    winner_max_relative_loss: t.winnerMaxRelativeLoss,
    min_visitors_per_arm: t.minVisitorsPerArm,
    min_leader_conversions: t.minLeaderConversions,
    no_difference_max_relative_loss: t.noDifferenceMaxRelativeLoss,
  };
}

/**
 * The decision's outcome and numbers. The leader, the winner and the rival are engine arm indexes:
 * each caller adds them in its own terms (combination ids in the API, names in `samplit analyze`),
 * and the API adds the time to go from the experiment's own traffic.
 * Relative losses are infinite when the leader's mean rate is 0, which JSON cannot carry: null.
 */
export type DecisionPayload = Omit<
  Static<typeof DecisionStats>,
  'leader_combination_id' | 'winner_combination_id' | 'rival_combination_id' | 'seconds_to_go' | 'guardrails'
>;

export function toDecisionPayload(d: Decision): DecisionPayload {
  return {
    decision: d.decision,
    leader_prob_best: d.leaderProbBest,
    leader_expected_loss: d.leaderExpectedLoss,
    leader_relative_loss: finiteOrNull(d.leaderRelativeLoss),
    max_relative_loss: finiteOrNull(d.maxRelativeLoss),
    min_sample_reached: d.minSampleReached,
    evidence_bayes_factor: d.evidenceBayesFactor,
    test: d.test,
    evidence: finiteOrNull(d.evidence),
    evidence_threshold: d.evidenceThreshold,
    look: d.look,
    looks: d.looks,
    horizon_reached: d.horizonReached,
    visitors_to_go: d.visitorsToGo,
    thresholds: toThresholdsPayload(d.thresholds),
  };
}

export type SrmPayload = Static<typeof SrmStats>;

/** The SRM check with the threshold it was judged by; an infinite chi-square (traffic to a weight-0 arm) is null. */
export function toSrmPayload(srm: SrmResult): SrmPayload {
  return {
    chi_square: finiteOrNull(srm.chiSquare),
    degrees_of_freedom: srm.degreesOfFreedom,
    p_value: srm.pValue,
    mismatch: srm.mismatch,
    threshold: SRM_P_VALUE_THRESHOLD,
  };
}

/** What `samplit simulate --json` prints. */
export interface SimulationReportPayload {
  scenario: string;
  policy: string;
  /** `binary` (conversions), `mean` (revenue scenarios: regret in value units). */
  metric: string;
  runs: number;
  visitors: number;
  correct_winner_rate: number;
  wrong_winner_rate: number;
  no_winner_rate: number;
  mean_regret: number;
  lost_vs_oracle: number;
  median_visitors_to_decision: number | null;
  no_difference_rate: number;
  /** The decision rule simulated: sequential (the engine's), msprt or bayes_factor (baselines). */
  rule: string;
  /** Planned visitors of the group-sequential rule, or null (anytime-valid). */
  horizon: number | null;
  /** Check of the visitors-to-go estimate (SimulationReport.toGo). */
  to_go: { runs: number; decided_within_estimate: number | null; median_ratio: number | null };
  seed: number;
  check_every: number;
  refresh_every: number;
}

export function toSimulationReportPayload(r: SimulationReport): SimulationReportPayload {
  return {
    scenario: r.scenario,
    policy: r.policy,
    metric: r.metric,
    runs: r.runs,
    visitors: r.visitors,
    correct_winner_rate: r.correctWinnerRate,
    wrong_winner_rate: r.wrongWinnerRate,
    no_winner_rate: r.noWinnerRate,
    mean_regret: r.meanRegret,
    lost_vs_oracle: r.lostVsOracle,
    median_visitors_to_decision: r.medianVisitorsToDecision,
    no_difference_rate: r.noDifferenceRate,
    rule: r.rule,
    horizon: r.horizon,
    to_go: {
      runs: r.toGo.runs,
      decided_within_estimate: r.toGo.decidedWithinEstimate,
      median_ratio: r.toGo.medianRatio,
    },
    seed: r.seed,
    check_every: r.checkEvery,
    refresh_every: r.refreshEvery,
  };
}
