import { computeStats, decide, getScenario, runSimulation } from '@samplit/engine';
import { describe, expect, it } from 'vitest';
import {
  toDecisionPayload,
  toPosteriorPayload,
  toSimulationReportPayload,
  toSrmPayload,
  toThresholdsPayload,
} from './engine-payloads.js';
import { DecisionStats, SrmStats, VariantStats } from './stats-schemas.js';

const stats = computeStats({
  arms: [
    { visitors: 1000, conversions: 40 },
    { visitors: 1000, conversions: 55 },
  ],
  weights: [1, 1],
});

describe('engine payloads', () => {
  it('give every field of the API schema, in its order, from the engine object', () => {
    const posterior = toPosteriorPayload(stats.arms[1]);
    expect(Object.keys(posterior)).toEqual(
      Object.keys(VariantStats.properties).filter((k) => !['variant_id', 'name', 'is_control'].includes(k)),
    );
    expect(posterior).toMatchObject({
      conversion_rate: stats.arms[1].rate,
      observed_mean: stats.arms[1].observedMean,
      posterior_mean: stats.arms[1].mean,
      prob_best: stats.arms[1].probBest,
      expected_loss: stats.arms[1].expectedLoss,
      prob_beat_control: stats.arms[1].probBeatControl,
    });
    const decision = toDecisionPayload(stats.decision);
    expect(Object.keys(decision)).toEqual(
      Object.keys(DecisionStats.properties).filter(
        // Ids, the time to go and the guardrails come from the caller (experiment-stats.ts), not the engine's decision.
        (k) =>
          ![
            'leader_combination_id',
            'winner_combination_id',
            'rival_combination_id',
            'seconds_to_go',
            'guardrails',
          ].includes(k),
      ),
    );
    expect(decision).toMatchObject({
      leader_prob_best: stats.decision.leaderProbBest,
      evidence_bayes_factor: stats.decision.evidenceBayesFactor,
      min_sample_reached: stats.decision.minSampleReached,
      test: 'anytime',
      evidence: stats.decision.evidence,
      evidence_threshold: 40,
      visitors_to_go: stats.decision.visitorsToGo,
    });
    expect(toThresholdsPayload(stats.decision.thresholds)).toEqual({
      alpha: 0.05,
      looks: 5,
      winner_prob_best: 0.9,
      min_evidence_bayes_factor: 30,
      winner_max_relative_loss: 0.01,
      min_visitors_per_arm: 30,
      min_leader_conversions: 25,
      no_difference_max_relative_loss: 0.01,
    });
    const srm = toSrmPayload(stats.srm!);
    expect(Object.keys(srm)).toEqual(Object.keys(SrmStats.properties));
    expect(srm).toEqual({
      chi_square: 0,
      degrees_of_freedom: 1,
      p_value: 1,
      mismatch: false,
      threshold: 0.001,
    });
  });

  it('turns what JSON cannot carry into null: an infinite chi-square, an infinite relative loss', () => {
    const weightZero = computeStats({
      arms: [
        { visitors: 10, conversions: 1 },
        { visitors: 5, conversions: 0 },
      ],
      weights: [1, 0],
    });
    expect(weightZero.srm!.chiSquare).toBe(Number.POSITIVE_INFINITY);
    expect(toSrmPayload(weightZero.srm!).chi_square).toBeNull();
    // Relative losses divide by the leader's mean rate: infinite when it is 0.
    const arm = { visitors: 10, conversions: 0, mean: 0, probBest: 0.5, expectedLoss: 0 };
    const flat = decide([arm, arm]);
    expect(flat.leaderRelativeLoss).toBe(Number.POSITIVE_INFINITY);
    expect(toDecisionPayload(flat).leader_relative_loss).toBeNull();
  });

  it('prints the simulator report under the names samplit simulate --json has always used, and the rule simulated', () => {
    const report = runSimulation({
      scenario: getScenario('aa-2')!,
      policy: 'adaptive',
      runs: 2,
      seed: 1,
      visitors: 500,
    });
    const payload = toSimulationReportPayload(report);
    expect(Object.keys(payload)).toEqual([
      'scenario',
      'policy',
      'metric',
      'runs',
      'visitors',
      'correct_winner_rate',
      'wrong_winner_rate',
      'no_winner_rate',
      'mean_regret',
      'lost_vs_oracle',
      'median_visitors_to_decision',
      'no_difference_rate',
      'rule',
      'horizon',
      'to_go',
      'seed',
      'check_every',
      'refresh_every',
    ]);
    expect(payload).toMatchObject({
      runs: 2,
      visitors: 500,
      correct_winner_rate: report.correctWinnerRate,
      no_winner_rate: report.noWinnerRate,
      mean_regret: report.meanRegret,
      median_visitors_to_decision: report.medianVisitorsToDecision,
      rule: 'sequential',
      horizon: null,
      check_every: 100,
      refresh_every: 100,
    });
  });
});
