import { describe, expect, it } from 'vitest';
import { adaptiveSampleRatioMismatch } from './adaptive-srm.js';
import { createRng, type Rng } from './rng.js';
import { sampleRatioMismatch } from './srm.js';
import type { Stratum } from './types.js';

/** `visitors` visitors sent to arm k with probability π_k, converting with probability rates[k]. */
function stratum(rng: Rng, visitors: number, probabilities: number[], rates: number[]): Stratum {
  const arms = probabilities.map(() => ({ visitors: 0, conversions: 0 }));
  for (let v = 0; v < visitors; v++) {
    let u = rng.next();
    let k = 0;
    while (k < probabilities.length - 1 && u >= probabilities[k]) u -= probabilities[k++];
    arms[k].visitors++;
    if (rng.next() < rates[k]) arms[k].conversions++;
  }
  return { probabilities, arms };
}

describe('adaptiveSampleRatioMismatch', () => {
  it('equals Pearson’s test (sampleRatioMismatch) with one stratum', () => {
    const visitors = [5000, 5200, 4700, 5400];
    const weights = [0.25, 0.25, 0.2, 0.3];
    const strata: Stratum[] = [
      { probabilities: weights, arms: visitors.map((v) => ({ visitors: v, conversions: 0 })) },
    ];
    const adaptive = adaptiveSampleRatioMismatch(strata);
    const pearson = sampleRatioMismatch(visitors, weights);
    expect(adaptive.degreesOfFreedom).toBe(3);
    expect(adaptive.chiSquare).toBeCloseTo(pearson.chiSquare, 9);
    expect(adaptive.pValue).toBeCloseTo(pearson.pValue, 9);
    expect(adaptive.mismatch).toBe(pearson.mismatch);
  });

  it('has uniform p-values under a data-dependent allocation (2,000 Monte Carlo runs)', () => {
    // Three arms, 25 periods of 80 visitors; each period's allocation chases the running rates
    // (the best arm gets 1 − 2·floor, floor shrinking from 1/3 to 0.05).
    const rng = createRng(21);
    const runs = 2000;
    const rates = [0.05, 0.08, 0.06];
    let at05 = 0;
    let at20 = 0;
    for (let r = 0; r < runs; r++) {
      const strata: Stratum[] = [];
      const totals = rates.map(() => ({ visitors: 0, conversions: 0 }));
      for (let s = 0; s < 25; s++) {
        const floor = 1 / 3 - ((1 / 3 - 0.05) * s) / 24;
        const score = totals.map((t) => (t.conversions + 1) / (t.visitors + 2));
        const best = score.indexOf(Math.max(...score));
        const probabilities = rates.map((_, k) => (k === best ? 1 - 2 * floor : floor));
        const st = stratum(rng, 80, probabilities, rates);
        strata.push(st);
        for (const [k, a] of st.arms.entries()) {
          totals[k].visitors += a.visitors;
          totals[k].conversions += a.conversions;
        }
      }
      const { pValue, degreesOfFreedom } = adaptiveSampleRatioMismatch(strata);
      expect(degreesOfFreedom).toBe(2);
      if (pValue < 0.05) at05++;
      if (pValue < 0.2) at20++;
    }
    // Binomial sd of a rejection rate over 2,000 runs: 0.49% at 5%, 0.89% at 20% (windows ≈ ±3 sd).
    expect(at05 / runs).toBeGreaterThanOrEqual(0.035);
    expect(at05 / runs).toBeLessThanOrEqual(0.065);
    expect(at20 / runs).toBeGreaterThanOrEqual(0.17);
    expect(at20 / runs).toBeLessThanOrEqual(0.23);
  });

  it('flags a real mismatch that Pearson against the average allocation misses', () => {
    // 80 periods of 1,000 visitors announced 95/5 and 5/95 in turn, but arm 1 loses 0.8% of its
    // visitors to arm 0: d = 320 against sd √(80,000 · 0.95 · 0.05) ≈ 61.6 (z ≈ 5.2), whereas
    // Pearson against the average split 50/50 uses sd √(80,000 / 4) ≈ 141 (z ≈ 2.3).
    const rng = createRng(22);
    const strata: Stratum[] = [];
    for (let s = 0; s < 80; s++) {
      const announced = s % 2 === 0 ? [0.95, 0.05] : [0.05, 0.95];
      const actual = [announced[0] + 0.008 * announced[1], 0.992 * announced[1]];
      strata.push({ ...stratum(rng, 1000, actual, [0, 0]), probabilities: announced });
    }
    const result = adaptiveSampleRatioMismatch(strata);
    expect(result.mismatch).toBe(true);
    expect(result.pValue).toBeLessThan(1e-4);
    const visitors = [0, 1].map((k) => strata.reduce((t, s) => t + s.arms[k].visitors, 0));
    expect(sampleRatioMismatch(visitors, [1, 1]).mismatch).toBe(false);
    // Honest traffic with the same announcements is not flagged.
    const honest = Array.from({ length: 80 }, (_, s) =>
      stratum(rng, 1000, s % 2 === 0 ? [0.95, 0.05] : [0.05, 0.95], [0, 0]),
    );
    expect(adaptiveSampleRatioMismatch(honest).mismatch).toBe(false);
  });

  it('excludes arms never allocated, and calls traffic to a zero-probability arm impossible', () => {
    const arms = (n: number[]) => n.map((visitors) => ({ visitors, conversions: 0 }));
    const three = [
      { probabilities: [0.5, 0.5, 0], arms: arms([480, 520, 0]) },
      { probabilities: [0.5, 0.5, 0], arms: arms([500, 500, 0]) },
    ];
    const two = adaptiveSampleRatioMismatch(three);
    expect(two.degreesOfFreedom).toBe(1);
    expect(two.chiSquare).toBeCloseTo(sampleRatioMismatch([980, 1020], [1, 1]).chiSquare, 9);
    const broken = adaptiveSampleRatioMismatch([
      ...three,
      { probabilities: [1, 0, 0], arms: arms([99, 0, 1]) },
    ]);
    expect(broken).toEqual({
      chiSquare: Number.POSITIVE_INFINITY,
      degreesOfFreedom: 0,
      pValue: 0,
      mismatch: true,
    });
    expect(adaptiveSampleRatioMismatch([]).pValue).toBe(1);
  });
});
