import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { topTwoProbabilities } from './top-two.js';

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** The top-two procedure itself: leader I ~ p; with prob. 1 − β resample J ~ p until J ≠ I. */
function simulateTopTwo(p: number[], beta: number, draws: number): number[] {
  const rng = createRng(5);
  const pick = () => {
    let u = rng.next();
    for (let i = 0; i < p.length; i++) {
      if (u < p[i]) return i;
      u -= p[i];
    }
    return p.length - 1;
  };
  const counts = new Array<number>(p.length).fill(0);
  for (let s = 0; s < draws; s++) {
    const leader = pick();
    if (rng.next() < beta) {
      counts[leader]++;
      continue;
    }
    let challenger = pick();
    while (challenger === leader) challenger = pick();
    counts[challenger]++;
  }
  return counts.map((c) => c / draws);
}

describe('topTwoProbabilities', () => {
  it('splits two arms 50/50 whatever their P(best) (β = 0.5)', () => {
    for (const p of [
      [0.9, 0.1],
      [0.5, 0.5],
      [0.001, 0.999],
    ]) {
      for (const x of topTwoProbabilities(p)) expect(x).toBeCloseTo(0.5, 14);
    }
  });

  it('reduces to Thompson sampling for β = 1', () => {
    const p = [0.6, 0.3, 0.1];
    for (const [i, x] of topTwoProbabilities(p, 1).entries()) expect(x).toBeCloseTo(p[i], 15);
  });

  it('matches the sampling procedure it describes', () => {
    const p = [0.55, 0.25, 0.12, 0.08];
    const psi = topTwoProbabilities(p, 0.5);
    expect(sum(psi)).toBeCloseTo(1, 14);
    const draws = 400_000;
    const empirical = simulateTopTwo(p, 0.5, draws);
    for (const [i, x] of psi.entries()) {
      expect(Math.abs(empirical[i] - x)).toBeLessThan(4 * Math.sqrt((x * (1 - x)) / draws));
    }
  });

  it('stays finite when the leader is all but certain', () => {
    const psi = topTwoProbabilities([1 - 1e-17, 1e-17, 0]);
    expect(sum(psi)).toBeCloseTo(1, 14);
    expect(psi[0]).toBeCloseTo(0.5, 12);
    expect(topTwoProbabilities([1, 0, 0])).toEqual([1, 0, 0]);
  });
});
