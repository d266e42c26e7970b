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

  it('requires P(best) and a small expected loss for the leader', () => {
    const arms = [
      { visitors: 4000, conversions: 160 },
      { visitors: 4000, conversions: 240 },
      { visitors: 4000, conversions: 236 },
    ];
    const d = decideSnapshot({ arms });
    expect(d.evidenceBayesFactor).toBeGreaterThan(30);
    expect(d.leaderProbBest).toBeLessThan(0.9);
    expect(d.decision).toBe('keep_running');
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

  it('honours custom thresholds', () => {
    const arms = [
      { visitors: 3000, conversions: 120 },
      { visitors: 3000, conversions: 160 },
    ];
    expect(decideSnapshot({ arms }).decision).toBe('keep_running');
    expect(decideSnapshot({ arms }, { minEvidenceBayesFactor: 1, winnerProbBest: 0.9 }).decision).toBe(
      'winner',
    );
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
