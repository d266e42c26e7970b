import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from './rng.js';
import { designEffectiveCounts } from './robust-estimates.js';
import type { ArmCounts, Snapshot, Stratum } from './types.js';

/** Pooled arms of a list of strata (Σ over strata, as the server builds `snapshot.arms`). */
function pooled(strata: readonly Stratum[]): ArmCounts[] {
  return strata[0].arms.map((_, k) => {
    const arm = { visitors: 0, conversions: 0, sum: 0, sumSquares: 0 };
    for (const s of strata) {
      arm.visitors += s.arms[k].visitors;
      arm.conversions += s.arms[k].conversions;
      arm.sum += s.arms[k].sum ?? 0;
      arm.sumSquares += s.arms[k].sumSquares ?? 0;
    }
    return arm;
  });
}

/**
 * One simulated stratum: `visitors` visitors, each sent to arm k with probability π_k and
 * converting with probability rates[k]; a converter's total is 1 + 9·U (sum and squares).
 */
function stratum(rng: Rng, visitors: number, probabilities: number[], rates: number[]): Stratum {
  const arms = probabilities.map(() => ({ visitors: 0, conversions: 0, sum: 0, sumSquares: 0 }));
  for (let v = 0; v < visitors; v++) {
    let u = rng.next();
    let k = 0;
    while (k < probabilities.length - 1 && u >= probabilities[k]) u -= probabilities[k++];
    const arm = arms[k];
    arm.visitors++;
    if (rng.next() < rates[k]) {
      const total = 1 + 9 * rng.next();
      arm.conversions++;
      arm.sum += total;
      arm.sumSquares += total * total;
    }
  }
  return { probabilities, arms };
}

const rate = (a: ArmCounts): number => a.conversions / a.visitors;

describe('designEffectiveCounts', () => {
  it('returns the raw counts exactly without strata and under constant allocation', () => {
    const rng = createRng(11);
    const strata = Array.from({ length: 30 }, () => stratum(rng, 333, [0.2, 0.3, 0.5], [0.03, 0.04, 0.05]));
    const arms = pooled(strata);
    expect(designEffectiveCounts({ arms, strata })).toEqual(arms);
    expect(designEffectiveCounts({ arms })).toEqual(arms);
    // Arm 0 keeps π = 0.2 while the others swap: arm 0 exact, the others reweighted.
    const swapped = strata.map((s, i) => ({
      ...s,
      probabilities: i % 2 === 0 ? [0.2, 0.3, 0.5] : [0.2, 0.5, 0.3],
    }));
    const effective = designEffectiveCounts({ arms, strata: swapped });
    expect(effective[0]).toEqual(arms[0]);
    expect(effective[1].visitors).toBeLessThan(arms[1].visitors);
  });

  it('computes the Hajek estimates and Kish’s effective sample size (closed form)', () => {
    const strata: Stratum[] = [
      {
        probabilities: [0.5, 0.5],
        arms: [
          { visitors: 500, conversions: 15, sum: 150, sumSquares: 3000 },
          { visitors: 500, conversions: 15, sum: 150, sumSquares: 3000 },
        ],
      },
      {
        probabilities: [0.9, 0.1],
        arms: [
          { visitors: 900, conversions: 54, sum: 270, sumSquares: 2700 },
          { visitors: 100, conversions: 6, sum: 30, sumSquares: 300 },
        ],
      },
    ];
    const [a, b] = designEffectiveCounts({ arms: pooled(strata), strata });
    // Arm 0: W = 1000 + 1000, Σ n/π² = 2000 + 1111.1…, ESS = W² / Σ n/π².
    const essA = 2000 ** 2 / (500 / 0.25 + 900 / 0.81);
    expect(a.visitors).toBeCloseTo(essA, 9);
    expect(a.conversions / a.visitors).toBeCloseTo((30 + 60) / 2000, 14);
    expect(a.sum! / a.visitors).toBeCloseTo((300 + 300) / 2000, 14);
    expect(a.sumSquares! / a.visitors).toBeCloseTo((6000 + 3000) / 2000, 14);
    expect(b.visitors).toBeCloseTo(2000 ** 2 / (500 / 0.25 + 100 / 0.01), 9);
    expect(b.conversions / b.visitors).toBeCloseTo(0.045, 14);
  });

  it('skips data errors (visitors sent with π = 0, non-finite input) and handles empty arms', () => {
    const good = { visitors: 100, conversions: 5, sum: 10, sumSquares: 20 };
    const snapshot: Snapshot = {
      arms: [good, good, { visitors: 0, conversions: 0 }],
      strata: [
        { probabilities: [0.5, 0.5, 0], arms: [good, good, { visitors: 0, conversions: 0 }] },
        {
          probabilities: [0, 1, 0],
          arms: [
            { visitors: 7, conversions: 7 },
            { visitors: Number.NaN, conversions: 1 },
            { visitors: 0, conversions: 0 },
          ],
        },
      ],
    };
    const [a, b, c] = designEffectiveCounts(snapshot);
    expect(a).toEqual({ visitors: 100, conversions: 5, sum: 10, sumSquares: 20 });
    expect(b).toEqual({ visitors: 100, conversions: 5, sum: 10, sumSquares: 20 });
    expect(c).toEqual({ visitors: 0, conversions: 0, sum: 0, sumSquares: 0 });
  });

  it('removes a common drift that pooled counts turn into a difference between identical arms', () => {
    // 400 periods of 1,000 visitors: both arms' rate goes 3% → 6% while traffic goes 50/50 → 90/10.
    const rng = createRng(12);
    const periods = 400;
    const strata: Stratum[] = [];
    let truth = 0;
    for (let s = 0; s < periods; s++) {
      const t = s / (periods - 1);
      const p = 0.03 + 0.03 * t;
      const share = 0.5 + 0.4 * t;
      truth += p / periods;
      strata.push(stratum(rng, 1000, [share, 1 - share], [p, p]));
    }
    const arms = pooled(strata);
    const se = (a: ArmCounts) => Math.sqrt((rate(a) * (1 - rate(a))) / a.visitors);
    // Pooled: arm 0's visitors come mostly from the late, high-rate periods. Expected pooled
    // rates 4.64% vs 4.16%, z ≈ 6.8 (sd 1).
    const pooledZ = (rate(arms[0]) - rate(arms[1])) / Math.hypot(se(arms[0]), se(arms[1]));
    expect(pooledZ).toBeGreaterThan(4);
    expect(rate(arms[0]) - rate(arms[1])).toBeGreaterThan(0.003);
    const [a, b] = designEffectiveCounts({ arms, strata });
    const robustZ = (rate(a) - rate(b)) / Math.hypot(se(a), se(b));
    expect(Math.abs(robustZ)).toBeLessThan(3);
    // Both estimate the rate averaged over all visitors (4.5%), within 4 of their standard errors.
    for (const arm of [a, b]) expect(Math.abs(rate(arm) - truth)).toBeLessThan(4 * se(arm));
    expect(truth).toBeCloseTo(0.045, 12);
    expect(a.visitors).toBeLessThan(arms[0].visitors);
  });

  it('is unbiased for the time-averaged rate and mean under data-dependent allocation (Monte Carlo)', () => {
    // 2,000 experiments of 20 periods × 200 visitors. Arm 0 drifts 3% → 6%, arm 1 stays at 5%;
    // the allocation drifts toward arm 0 and also chases the running pooled rates (adaptive).
    const rng = createRng(13);
    const runs = 2000;
    const periods = 20;
    const visitors = 200;
    const rates = (s: number) => [0.03 + (0.03 * s) / (periods - 1), 0.05];
    const truth = [0, 0];
    for (let s = 0; s < periods; s++) for (const k of [0, 1]) truth[k] += rates(s)[k] / periods;
    const totals = { rate: [0, 0], rateSq: [0, 0], mean: [0, 0], meanSq: [0, 0], pooled: [0, 0] };
    for (let r = 0; r < runs; r++) {
      const strata: Stratum[] = [];
      for (let s = 0; s < periods; s++) {
        const so = strata.length > 0 ? pooled(strata) : null;
        const lead = so
          ? (so[0].conversions + 1) / (so[0].visitors + 2) - (so[1].conversions + 1) / (so[1].visitors + 2)
          : 0;
        const share = Math.min(0.95, Math.max(0.05, 0.2 + (0.6 * s) / (periods - 1) + 5 * lead));
        strata.push(stratum(rng, visitors, [share, 1 - share], rates(s)));
      }
      const arms = pooled(strata);
      const effective = designEffectiveCounts({ arms, strata });
      for (const k of [0, 1]) {
        const x = rate(effective[k]);
        const m = effective[k].sum! / effective[k].visitors;
        totals.rate[k] += x;
        totals.rateSq[k] += x * x;
        totals.mean[k] += m;
        totals.meanSq[k] += m * m;
        totals.pooled[k] += rate(arms[k]);
      }
    }
    // Tolerance: 4 Monte Carlo standard errors of the average over the runs.
    const within = (sum: number, squares: number, target: number) => {
      const mean = sum / runs;
      const sd = Math.sqrt(squares / runs - mean * mean);
      return Math.abs(mean - target) < (4 * sd) / Math.sqrt(runs);
    };
    for (const k of [0, 1]) {
      expect(within(totals.rate[k], totals.rateSq[k], truth[k])).toBe(true);
      // A converter's total is 1 + 9U (mean 5.5): the true mean total per visitor is 5.5 × rate.
      expect(within(totals.mean[k], totals.meanSq[k], 5.5 * truth[k])).toBe(true);
    }
    // The pooled rate of the drifting arm is biased well beyond that tolerance (power of the test).
    expect(totals.pooled[0] / runs - truth[0]).toBeGreaterThan(0.003);
  });
});
