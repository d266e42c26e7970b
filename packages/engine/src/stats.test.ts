import { describe, expect, it } from 'vitest';
import { probBBeatsAClosedForm } from './beta-closed-form.js';
import { fullFactorialLevels } from './simulator/scenarios.js';
import { computeStats } from './stats.js';

describe('computeStats', () => {
  const snapshot = {
    arms: [
      { visitors: 1000, conversions: 40 },
      { visitors: 1000, conversions: 55 },
      { visitors: 1000, conversions: 45 },
      { visitors: 1000, conversions: 50 },
    ],
    levels: fullFactorialLevels([2, 2]),
    weights: [1, 1, 1, 1],
    controlArm: 0,
  };
  const stats = computeStats(snapshot, { allocation: [0.1, 0.6, 0.1, 0.2] });

  it('reports the Beta(1, 1) posterior, its 95% interval and the uplift over control', () => {
    const b = stats.arms[1];
    expect(b).toMatchObject({ arm: 1, visitors: 1000, conversions: 55, alpha: 56, beta: 946, rate: 0.055 });
    expect(b.mean).toBeCloseTo(56 / 1002, 15);
    expect(b.ci95[0]).toBeLessThan(b.mean);
    expect(b.ci95[1]).toBeGreaterThan(b.mean);
    expect(b.uplift).toBeCloseTo(56 / 41 - 1, 12);
    expect(b.trafficWeight).toBe(0.6);
    expect(stats.arms[0].isControl).toBe(true);
    expect(stats.arms[0].probBeatControl).toBeNull();
  });

  it('computes P(beat control) and P(best) that agree with the closed form and sum to 1', () => {
    expect(stats.arms[1].probBeatControl).toBeCloseTo(probBBeatsAClosedForm(41, 961, 56, 946), 9);
    expect(stats.arms.reduce((s, a) => s + a.probBest, 0)).toBeCloseTo(1, 9);
    expect(stats.arms[1].probBest).toBe(Math.max(...stats.arms.map((a) => a.probBest)));
  });

  it('pools marginals per element variant', () => {
    const [first, second] = stats.elements!;
    expect(first.variants[0]).toMatchObject({
      variant: 0,
      isControl: true,
      visitors: 2000,
      conversions: 95,
    });
    expect(first.variants[1]).toMatchObject({ variant: 1, visitors: 2000, conversions: 95 });
    expect(second.variants[1]).toMatchObject({ variant: 1, visitors: 2000, conversions: 105 });
    expect(second.variants[1].probBest + second.variants[0].probBest).toBeCloseTo(1, 9);
  });

  it('includes the SRM check against configured weights and the decision', () => {
    expect(stats.srm?.pValue).toBeCloseTo(1, 12);
    expect(stats.decision.decision).toBe('keep_running');
    expect(stats.totalVisitors).toBe(4000);
    expect(stats.totalConversions).toBe(190);
  });
});
