import { describe, expect, it } from 'vitest';
import { probBBeatsAClosedForm } from './beta-closed-form.js';
import { createRng, type Rng } from './rng.js';
import { sampleNormal } from './sampling.js';
import { fullFactorialLevels } from './simulator/scenarios.js';
import { computeStats } from './stats.js';
import type { ArmCounts, Snapshot, Stratum } from './types.js';

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

/** One arm of simulated revenue data: each converting visitor places one log-normal order. */
function revenueArm(rng: Rng, visitors: number, rate: number, meanOrder: number, logSd = 1): ArmCounts {
  let conversions = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let v = 0; v < visitors; v++) {
    if (rng.next() >= rate) continue;
    const order = meanOrder * Math.exp(logSd * sampleNormal(rng) - (logSd * logSd) / 2);
    conversions++;
    sum += order;
    sumSquares += order * order;
  }
  return { visitors, conversions, sum, sumSquares };
}

/** One arm of simulated event counts: each converting visitor has 1 + Poisson(λ) events. */
function countArm(rng: Rng, visitors: number, rate: number, lambda: number): ArmCounts {
  let conversions = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let v = 0; v < visitors; v++) {
    if (rng.next() >= rate) continue;
    // Poisson by inversion of its CDF.
    let events = 1;
    let term = Math.exp(-lambda);
    let cdf = term;
    const u = rng.next();
    for (let j = 1; u > cdf; j++) {
      term *= lambda / j;
      cdf += term;
      events++;
    }
    conversions++;
    sum += events;
    sumSquares += events * events;
  }
  return { visitors, conversions, sum, sumSquares };
}

/** Share of `experiments` simulated arms whose 95% interval covers the true metric per visitor. */
function coverage(experiments: number, draw: () => ArmCounts, truth: number): number {
  let covered = 0;
  for (let r = 0; r < experiments; r++) {
    const [lo, hi] = computeStats({ arms: [draw()], metric: 'mean' }).arms[0].ci95;
    if (lo <= truth && truth <= hi) covered++;
  }
  return covered / experiments;
}

const finiteNumbers = (value: unknown): boolean =>
  typeof value === 'number'
    ? Number.isFinite(value)
    : Array.isArray(value)
      ? value.every(finiteNumbers)
      : value !== null && typeof value === 'object'
        ? Object.values(value).every(finiteNumbers)
        : true;

describe('computeStats, mean model (revenue, events per visitor)', () => {
  it('gives 95% intervals that cover the true revenue per visitor in 93–97% of experiments', () => {
    // 2,000 visitors, 5% buy, log-normal orders of mean 50 with log-sd 1 (heavy-tailed): truth 2.5.
    const rng = createRng(1);
    const share = coverage(400, () => revenueArm(rng, 2000, 0.05, 50), 0.05 * 50);
    expect(share).toBeGreaterThanOrEqual(0.93);
    expect(share).toBeLessThanOrEqual(0.97);
  });

  it('gives calibrated intervals for event counts too', () => {
    // 10% of visitors act, 1 + Poisson(1.5) events each: truth 0.1 × 2.5 = 0.25 events per visitor.
    const rng = createRng(2);
    const share = coverage(400, () => countArm(rng, 2000, 0.1, 1.5), 0.25);
    expect(share).toBeGreaterThanOrEqual(0.93);
    expect(share).toBeLessThanOrEqual(0.97);
  });

  const rng = createRng(3);
  const revenue: Snapshot = {
    arms: [
      revenueArm(rng, 20_000, 0.05, 50),
      revenueArm(rng, 20_000, 0.045, 75),
      revenueArm(rng, 20_000, 0.05, 52),
      revenueArm(rng, 20_000, 0.05, 40),
    ],
    levels: fullFactorialLevels([2, 2]),
    metric: 'mean',
  };
  const stats = computeStats(revenue);

  it('reports the conversion rate, the observed and posterior revenue per visitor and its interval', () => {
    const b = stats.arms[1];
    const counts = revenue.arms[1];
    expect(b.rate).toBe(counts.conversions / counts.visitors);
    expect(b.observedMean).toBe(counts.sum! / counts.visitors);
    expect(b.alpha).toBe(counts.conversions + 1);
    expect(b.beta).toBe(counts.visitors - counts.conversions + 1);
    expect(b.mean).toBeCloseTo((b.alpha / (b.alpha + b.beta)) * (counts.sum! / counts.conversions), 12);
    expect(b.ci95[0]).toBeLessThan(b.mean);
    expect(b.ci95[1]).toBeGreaterThan(b.mean);
    expect(b.uplift).toBeCloseTo(b.mean / stats.arms[0].mean - 1, 12);
    expect(stats.totalSum).toBeCloseTo(
      revenue.arms.reduce((s, a) => s + a.sum!, 0),
      6,
    );
  });

  it('agrees with the normal approximation of the difference at this sample size', () => {
    // Delta method: Var(p μ) ≈ μ² Var(p) + p² Var(μ) for independent posteriors.
    const variance = (i: number) => {
      const { conversions: c, visitors: n, sum, sumSquares } = revenue.arms[i];
      const p = c / n;
      const mu = sum! / c;
      const s2 = (sumSquares! - (sum! * sum!) / c) / (c - 1);
      return mu * mu * ((p * (1 - p)) / n) + p * p * (s2 / c);
    };
    const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
    for (const i of [1, 2, 3]) {
      const z = (stats.arms[i].mean - stats.arms[0].mean) / Math.sqrt(variance(i) + variance(0));
      expect(Math.abs(stats.arms[i].probBeatControl! - phi(z))).toBeLessThan(0.02);
    }
    expect(stats.arms.reduce((s, a) => s + a.probBest, 0)).toBeCloseTo(1, 12);
    expect(stats.arms[1].probBest).toBeGreaterThan(0.99);
    for (const a of stats.arms) expect(a.expectedLoss).toBeGreaterThanOrEqual(0);
  });

  it('pools sums into the element marginals', () => {
    const [first] = stats.elements!;
    const pooled = revenue.arms[0].sum! + revenue.arms[1].sum!;
    expect(first.variants[0].sum).toBeCloseTo(pooled, 6);
    expect(first.variants[0].visitors).toBe(40_000);
    expect(first.variants[0].observedMean).toBeCloseTo(pooled / 40_000, 12);
  });

  it('is a deterministic function of the snapshot', () => {
    expect(computeStats(revenue)).toEqual(stats);
  });

  it('stays finite on degenerate counts (no visitors, no buyers, one buyer, equal orders, refunds)', () => {
    const cases: ArmCounts[][] = [
      [
        { visitors: 0, conversions: 0 },
        { visitors: 0, conversions: 0 },
      ],
      [
        { visitors: 100, conversions: 0, sum: 0, sumSquares: 0 },
        { visitors: 100, conversions: 0, sum: 0, sumSquares: 0 },
      ],
      [
        { visitors: 100, conversions: 1, sum: 30, sumSquares: 900 },
        { visitors: 100, conversions: 0, sum: 0, sumSquares: 0 },
      ],
      [
        { visitors: 100, conversions: 4, sum: 100, sumSquares: 2500 },
        { visitors: 100, conversions: 5, sum: 125, sumSquares: 3125 },
      ],
      [
        { visitors: 100, conversions: 3, sum: -20, sumSquares: 2100 },
        { visitors: 100, conversions: 4, sum: 60, sumSquares: 1200 },
      ],
    ];
    for (const arms of cases) {
      const { decision, ...rest } = computeStats({ arms, metric: 'mean', levels: [[0], [1]] });
      expect(finiteNumbers(rest)).toBe(true);
      const { leaderRelativeLoss, maxRelativeLoss, ...numbers } = decision;
      expect(finiteNumbers(numbers)).toBe(true);
      // Relative to a leader whose posterior mean is 0 the loss is +∞ by contract (JSON: null).
      for (const x of [leaderRelativeLoss, maxRelativeLoss]) expect(Number.isNaN(x)).toBe(false);
      expect(decision.decision).toBe('keep_running');
    }
  });
});

describe('computeStats, direction lower (best = smallest)', () => {
  const arms = [
    { visitors: 1000, conversions: 60 },
    { visitors: 1000, conversions: 45 },
  ];
  const higher = computeStats({ arms });
  const lower = computeStats({ arms, direction: 'lower' });

  it('binary: P(best) and P(beat control) flip, the interval and the uplift do not', () => {
    expect(lower.arms[1].probBest).toBeCloseTo(higher.arms[0].probBest, 9);
    expect(lower.arms[1].probBeatControl).toBeCloseTo(1 - higher.arms[1].probBeatControl!, 9);
    // P(rate_1 < rate_0) by Evan Miller's closed form.
    expect(lower.arms[1].probBeatControl).toBeCloseTo(probBBeatsAClosedForm(46, 956, 61, 941), 9);
    expect(lower.arms[1].ci95).toEqual(higher.arms[1].ci95);
    expect(lower.arms[1].uplift).toBe(higher.arms[1].uplift);
    // Expected loss of the worse (higher) arm: E[X_0 − min]; it equals the higher-is-better loss of the other.
    expect(lower.arms[0].expectedLoss).toBeCloseTo(higher.arms[1].expectedLoss, 9);
  });

  it('mean: the same flips, from the same draws', () => {
    const rng = createRng(5);
    const revenue = [revenueArm(rng, 5000, 0.05, 50), revenueArm(rng, 5000, 0.05, 40)];
    const up = computeStats({ arms: revenue, metric: 'mean' });
    const down = computeStats({ arms: revenue, metric: 'mean', direction: 'lower' });
    expect(down.arms[1].probBest).toBeCloseTo(up.arms[0].probBest, 12);
    expect(down.arms[1].probBeatControl).toBeCloseTo(1 - up.arms[1].probBeatControl!, 12);
    expect(down.arms[0].expectedLoss).toBeCloseTo(up.arms[1].expectedLoss, 9);
    expect(down.arms[1].mean).toBe(up.arms[1].mean);
  });
});

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for 0.02 comparisons. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}

describe('computeStats with allocation strata (design-robust posteriors)', () => {
  // 200 periods of 1,000 visitors; both arms convert 3% → 6% while traffic moves 50/50 → 90/10.
  const rng = createRng(7);
  const strata: Stratum[] = [];
  for (let s = 0; s < 200; s++) {
    const t = s / 199;
    const probabilities = [0.5 + 0.4 * t, 0.5 - 0.4 * t];
    const arms = [0, 1].map(() => ({ visitors: 0, conversions: 0 }));
    for (let v = 0; v < 1000; v++) {
      const k = rng.next() < probabilities[0] ? 0 : 1;
      arms[k].visitors++;
      if (rng.next() < 0.03 + 0.03 * t) arms[k].conversions++;
    }
    strata.push({ probabilities, arms });
  }
  const arms = [0, 1].map((k) => ({
    visitors: strata.reduce((n, s) => n + s.arms[k].visitors, 0),
    conversions: strata.reduce((n, s) => n + s.arms[k].conversions, 0),
  }));
  const pooled = computeStats({ arms });
  const robust = computeStats({ arms, strata });

  it('does not separate identical arms that a common drift separates when pooled', () => {
    expect(pooled.arms[1].probBeatControl).toBeLessThan(0.01);
    expect(robust.arms[1].probBeatControl).toBeGreaterThan(0.025);
    expect(robust.arms[1].probBeatControl).toBeLessThan(0.975);
    const [lo, hi] = robust.arms[1].upliftCi95!;
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
  });

  it('reports the raw counts, the effective visitors and the adaptive SRM check', () => {
    for (const k of [0, 1]) {
      expect(robust.arms[k]).toMatchObject({ visitors: arms[k].visitors, conversions: arms[k].conversions });
      expect(robust.arms[k].rate).toBe(arms[k].conversions / arms[k].visitors);
      expect(robust.arms[k].effectiveVisitors).toBeLessThan(arms[k].visitors);
      expect(pooled.arms[k].effectiveVisitors).toBe(arms[k].visitors);
    }
    expect(robust.totalVisitors).toBe(200_000);
    expect(robust.srm?.degreesOfFreedom).toBe(1);
    expect(robust.srm?.mismatch).toBe(false);
    expect(pooled.srm).toBeNull();
  });

  it('equals the pooled statistics under constant allocation', () => {
    const constant = strata.map((s) => ({ ...s, probabilities: [0.5, 0.5] }));
    // The posteriors are those of the pooled counts; the decision's test reads the strata's own
    // probabilities (0.5 each) where the pooled snapshot can only assume the observed shares.
    const { srm, decision, ...withStrata } = computeStats({ arms, strata: constant });
    const { srm: _none, decision: pooledDecision, ...without } = pooled;
    expect(withStrata).toEqual(without);
    expect(decision.decision).toBe(pooledDecision.decision);
  });
});
