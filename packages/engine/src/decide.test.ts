import { describe, expect, it } from 'vitest';
import { type DecisionArm, decide } from './decide.js';
import { decideSnapshot } from './decide-snapshot.js';

function arm(visitors: number, conversions: number, probBest: number, expectedLoss: number): DecisionArm {
  return {
    visitors,
    conversions,
    mean: (conversions + 1) / (visitors + 2),
    probBest,
    expectedLoss,
  };
}

describe('decide', () => {
  it('declares the clear winner of a large, real difference', () => {
    const d = decideSnapshot({
      arms: [
        { visitors: 3000, conversions: 120 },
        { visitors: 3000, conversions: 225 },
        { visitors: 3000, conversions: 130 },
      ],
    });
    expect(d.decision).toBe('winner');
    expect(d.winner).toBe(1);
    expect(d.evidenceBayesFactor).toBeGreaterThan(1e6);
  });

  it('keeps running on a small sample or without the evidence gate, whatever P(best) says', () => {
    const small = decide([arm(20, 0, 0.01, 0.05), arm(20, 9, 0.99, 0.0001)]);
    expect(small.minSampleReached).toBe(false);
    expect(small.decision).toBe('keep_running');
    // Same P(best) and loss, but equal observed rates: the Bayes factor favours "no difference".
    const noEvidence = decide([arm(5000, 250, 0.01, 0.01), arm(5000, 250, 0.99, 0.0001)]);
    expect(noEvidence.evidenceBayesFactor).toBeLessThan(1);
    expect(noEvidence.decision).not.toBe('winner');
  });

  it('declares no arm while the two best are close, however far behind the others are', () => {
    const arms = [
      { visitors: 4000, conversions: 160 },
      { visitors: 4000, conversions: 240 },
      { visitors: 4000, conversions: 236 },
    ];
    const d = decideSnapshot({ arms });
    expect(d.test).toBe('anytime');
    expect(d.rival).toBe(d.leader === 1 ? 2 : 1); // the close runner-up is what binds
    expect(d.evidence).toBeLessThan(d.evidenceThreshold);
    expect(d.decision).toBe('keep_running');
    expect(d.visitorsToGo).toBeGreaterThan(0);
  });

  it('reports no material difference when every arm is within 1% of the leader in expectation', () => {
    const d = decideSnapshot({
      arms: [
        { visitors: 2_000_000, conversions: 100_000 },
        { visitors: 2_000_000, conversions: 100_050 },
      ],
    });
    expect(d.decision).toBe('no_material_difference');
    expect(d.maxRelativeLoss).toBeLessThan(0.01);
  });

  it('honours a custom level α', () => {
    const arms = [
      { visitors: 3000, conversions: 120 },
      { visitors: 3000, conversions: 150 },
    ];
    const strict = decideSnapshot({ arms });
    expect(strict.decision).toBe('keep_running');
    expect(strict.evidenceThreshold).toBe(40); // K / α
    const lenient = decideSnapshot({ arms }, { alpha: 0.5 });
    expect(lenient.evidenceThreshold).toBe(4);
    expect(lenient.evidence).toBe(strict.evidence);
    expect(lenient.decision).toBe(lenient.evidence >= 4 ? 'winner' : 'keep_running');
  });

  it('tests at the planned analyses only when the snapshot has a horizon', () => {
    const arms = [
      { visitors: 3000, conversions: 120 },
      { visitors: 3000, conversions: 215 },
    ];
    const strata = [{ probabilities: [0.5, 0.5], arms }];
    // 6,000 of 20,000 planned visitors: the first analysis (at 4,000) is done, at z ≈ 5.2 ≥ its boundary 4.88.
    const planned = decideSnapshot({ arms, strata, horizon: 20_000 });
    expect(planned.test).toBe('group_sequential');
    expect(planned.look).toBe(1);
    expect(planned.looks).toBe(5);
    expect(planned.evidence).toBeGreaterThan(planned.evidenceThreshold);
    expect(planned.decision).toBe('winner');
    // Before the first analysis nothing can be declared.
    expect(decideSnapshot({ arms, strata, horizon: 40_000 }).decision).toBe('keep_running');
  });
});

describe('decide, mean metrics and directions', () => {
  const revenue = (visitors: number, buyers: number, order: number) => ({
    visitors,
    conversions: buyers,
    sum: buyers * order,
    sumSquares: (buyers / 2) * ((order - 30) ** 2 + (order + 30) ** 2),
  });

  it('declares the arm that earns most per visitor, though it converts less', () => {
    const snapshot = {
      arms: [revenue(20_000, 1000, 50), revenue(20_000, 900, 75)],
      metric: 'mean' as const,
    };
    const d = decideSnapshot(snapshot);
    expect(d.decision).toBe('winner');
    expect(d.winner).toBe(1);
    expect(decideSnapshot({ arms: snapshot.arms }).leader).toBe(0); // the binary view prefers control
  });

  it('keeps running until the leader has enough buyers, however large the revenue gap', () => {
    const d = decideSnapshot({ arms: [revenue(3000, 10, 50), revenue(3000, 20, 500)], metric: 'mean' });
    expect(d.leader).toBe(1);
    expect(d.leaderProbBest).toBeGreaterThan(0.9);
    expect(d.decision).toBe('keep_running');
  });

  it('declares the lowest rate for lower-is-better metrics', () => {
    const arms = [
      { visitors: 3000, conversions: 225 },
      { visitors: 3000, conversions: 120 },
      { visitors: 3000, conversions: 230 },
    ];
    const d = decideSnapshot({ arms, direction: 'lower' });
    expect(d.decision).toBe('winner');
    expect(d.winner).toBe(1);
  });

  it('breaks P(best) ties toward the better mean in the metric’s direction and scales loss by |mean|', () => {
    const arms = [arm(1000, 50, 0.5, 0), arm(1000, 60, 0.5, 0)];
    expect(decide(arms).leader).toBe(1);
    expect(decide(arms, {}, { direction: 'lower' }).leader).toBe(0);
    const refunds = decide(
      [
        { ...arm(1000, 50, 1, 2), mean: -4 },
        { ...arm(1000, 50, 0, 3), mean: -5 },
      ],
      {},
      {
        metric: 'mean',
      },
    );
    expect(refunds.leaderRelativeLoss).toBe(0.5);
  });
});
