import {
  type Decision,
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
    posterior_mean: s.mean,
    alpha: s.alpha,
    beta: s.beta,
    ci95: s.ci95,
    prob_best: s.prob_best,
    expected_loss: s.expected_loss,
    uplift: s.uplift,
    prob_beat_control: s.prob_beat_control,
  };
}

export type ThresholdsPayload = Static<typeof DecisionStats>['thresholds'];

export function toThresholdsPayload(t: Decision['thresholds']): ThresholdsPayload {
  return {
    winner_prob_best: t.winner_prob_best,
    min_evidence_bayes_factor: t.min_evidence_bayes_factor,
    winner_max_relative_loss: t.winner_max_relative_loss,
    min_visitors_per_arm: t.min_visitors_per_arm,
    min_leader_conversions: t.min_leader_conversions,
    no_difference_max_relative_loss: t.no_difference_max_relative_loss,
  };
}

/**
 * The decision's outcome and numbers. The leader and the winner are engine arm indexes: each
 * caller adds them in its own terms (combination ids in the API, names in `samplit analyze`).
 * Relative losses are infinite when the leader's mean rate is 0, which JSON cannot carry: null.
 */
export type DecisionPayload = Omit<
  Static<typeof DecisionStats>,
  'leader_combination_id' | 'winner_combination_id'
>;

export function toDecisionPayload(d: Decision): DecisionPayload {
  return {
    decision: d.decision,
    leader_prob_best: d.leader_prob_best,
    leader_expected_loss: d.leader_expected_loss,
    leader_relative_loss: finiteOrNull(d.leader_relative_loss),
    max_relative_loss: finiteOrNull(d.max_relative_loss),
    min_sample_reached: d.min_sample_reached,
    evidence_bayes_factor: d.evidence_bayes_factor,
    thresholds: toThresholdsPayload(d.thresholds),
  };
}

export type SrmPayload = Static<typeof SrmStats>;

/** The SRM check with the threshold it was judged by; an infinite chi-square (traffic to a weight-0 arm) is null. */
export function toSrmPayload(srm: SrmResult): SrmPayload {
  return {
    chi_square: finiteOrNull(srm.chi_square),
    degrees_of_freedom: srm.degrees_of_freedom,
    p_value: srm.p_value,
    mismatch: srm.mismatch,
    threshold: SRM_P_VALUE_THRESHOLD,
  };
}

/** What `samplit simulate --json` prints. */
export interface SimulationReportPayload {
  scenario: string;
  policy: string;
  runs: number;
  visitors: number;
  correct_winner_rate: number;
  wrong_winner_rate: number;
  no_winner_rate: number;
  mean_regret: number;
  lost_vs_oracle: number;
  median_visitors_to_decision: number | null;
  no_difference_rate: number;
  seed: number;
  check_every: number;
  refresh_every: number;
}

export function toSimulationReportPayload(r: SimulationReport): SimulationReportPayload {
  return {
    scenario: r.scenario,
    policy: r.policy,
    runs: r.runs,
    visitors: r.visitors,
    correct_winner_rate: r.correct_winner_rate,
    wrong_winner_rate: r.wrong_winner_rate,
    no_winner_rate: r.no_winner_rate,
    mean_regret: r.mean_regret,
    lost_vs_oracle: r.lost_vs_oracle,
    median_visitors_to_decision: r.median_visitors_to_decision,
    no_difference_rate: r.no_difference_rate,
    seed: r.seed,
    check_every: r.check_every,
    refresh_every: r.refresh_every,
  };
}
