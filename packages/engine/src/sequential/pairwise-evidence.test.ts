import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import type { ArmCounts, Stratum } from '../types.js';
import { createPairwiseEvidence } from './pairwise-evidence.js';

/** An adaptive policy that depends on the past: more traffic to whoever converted more so far. */
function greedy(conversions: readonly number[]): number[] {
  const w = conversions.map((c) => 1 + 3 * c);
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

/**
 * E[e-process after n visitors] by exact enumeration of every path (arm and outcome of each
 * visitor), the allocation of visitor t a function of visitors 1..t−1 (one stratum per visitor).
 */
function expectedEValue(rates: (t: number) => number[], n: number, k: number, j: number): number {
  const arms = rates(0).length;
  let expectation = 0;
  const walk = (t: number, strata: Stratum[], conversions: number[], probability: number) => {
    if (t === n) {
      const evidence = createPairwiseEvidence(arms);
      for (const s of strata) evidence.add(s);
      expectation += probability * Math.exp(evidence.logE(k, j));
      return;
    }
    const pi = greedy(conversions);
    const p = rates(t);
    for (let a = 0; a < arms; a++) {
      for (const y of [0, 1]) {
        const py = y === 1 ? p[a] : 1 - p[a];
        const counts: ArmCounts[] = pi.map((_, i) => ({
          visitors: i === a ? 1 : 0,
          conversions: i === a ? y : 0,
        }));
        const next = conversions.map((c, i) => c + (i === a ? y : 0));
        walk(t + 1, [...strata, { probabilities: pi, arms: counts }], next, probability * pi[a] * py);
      }
    }
  };
  walk(0, [], new Array(arms).fill(0), 1);
  return expectation;
}

describe('pairwise e-processes', () => {
  it('have expectation exactly 1 when the arms convert alike, under adaptive allocation and drift', () => {
    // Three arms, rates drifting over time but equal for arms 0 and 1 (arm 2 differs: irrelevant to the pair).
    const drifting = (t: number) => [0.2 + 0.1 * t, 0.2 + 0.1 * t, 0.6];
    for (const n of [1, 3, 6]) expect(expectedEValue(drifting, n, 1, 0)).toBeCloseTo(1, 12);
    expect(expectedEValue(drifting, 6, 0, 1)).toBeCloseTo(1, 12);
  });

  it('have expectation below 1 when the tested arm is worse, and above 1 when it is better', () => {
    const rates = () => [0.3, 0.5];
    expect(expectedEValue(rates, 6, 0, 1)).toBeLessThan(1);
    expect(expectedEValue(rates, 6, 1, 0)).toBeGreaterThan(1);
  });

  it('cross 1/a in at most a fraction a of A/A runs, checked after every stratum (adaptive, drifting)', () => {
    const runs = 1000;
    let crossed = 0;
    for (let r = 0; r < runs; r++) {
      const rng = createRng(5, r);
      const evidence = createPairwiseEvidence(2);
      const conversions = [0, 0];
      let hit = false;
      for (let s = 0; s < 200 && !hit; s++) {
        // Thompson-like swings driven by the data, rate drifting 3% → 6%.
        const pi =
          conversions[0] === conversions[1]
            ? [0.5, 0.5]
            : conversions[0] > conversions[1]
              ? [0.8, 0.2]
              : [0.2, 0.8];
        const rate = 0.03 + (0.03 * s) / 200;
        const counts = [0, 1].map(() => ({ visitors: 0, conversions: 0 }));
        for (let v = 0; v < 100; v++) {
          const a = rng.next() < pi[0] ? 0 : 1;
          counts[a].visitors++;
          if (rng.next() < rate) counts[a].conversions++;
        }
        conversions[0] += counts[0].conversions;
        conversions[1] += counts[1].conversions;
        evidence.add({ probabilities: pi, arms: counts });
        if (Math.max(evidence.logE(0, 1), evidence.logE(1, 0)) >= Math.log(40)) hit = true;
      }
      if (hit) crossed++;
    }
    // Either side at 1/40 each: ≤ 2/40 = 5% by Ville; SE of the estimate ≤ 0.7%.
    expect(crossed / runs).toBeLessThan(0.05);
  });

  it('grow fast on a real difference and give the pooled two-proportion z with equal traffic', () => {
    const evidence = createPairwiseEvidence(2);
    const arms = [
      { visitors: 5000, conversions: 250 },
      { visitors: 5000, conversions: 330 },
    ];
    evidence.add({ probabilities: [0.5, 0.5], arms });
    // z ≈ 3.4: an e-value ≈ 90, past the 1/α = 20 of two arms at α = 0.05
    expect(evidence.logE(1, 0)).toBeGreaterThan(Math.log(50));
    expect(evidence.logE(0, 1)).toBeLessThan(0);
    const pooled = 580 / 10_000;
    const z = (330 / 5000 - 250 / 5000) / Math.sqrt(pooled * (1 - pooled) * (2 / 5000));
    expect(evidence.z(1, 0)).toBeCloseTo(z, 10);
    expect(evidence.z(0, 1)).toBeCloseTo(-z, 10);
  });

  it('ignores strata that could not have sent visitors to one of the two arms', () => {
    const evidence = createPairwiseEvidence(3);
    evidence.add({
      probabilities: [0.5, 0, 0.5],
      arms: [
        { visitors: 500, conversions: 10 },
        { visitors: 0, conversions: 0 },
        { visitors: 500, conversions: 60 },
      ],
    });
    expect(evidence.logE(0, 1)).toBe(evidence.logE(1, 0));
    expect(evidence.z(1, 0)).toBe(0);
    expect(evidence.logE(2, 0)).toBeGreaterThan(5);
  });
});
