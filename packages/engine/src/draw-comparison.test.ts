import { describe, expect, it } from 'vitest';
import { compareDraws, drawQuantiles } from './draw-comparison.js';
import { createRng } from './rng.js';

/** Type-7 quantile from a full sort (the definition drawQuantiles implements by selection). */
function sortedQuantile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

describe('drawQuantiles', () => {
  it('equals the sorted type-7 quantile, also with ties and tiny samples', () => {
    const rng = createRng(3);
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rng.next() * 60);
      const values = Float64Array.from({ length: n }, () =>
        t % 2 === 0 ? Math.floor(rng.next() * 3) : rng.next() - 0.5,
      );
      const qs = [0, 0.025, 0.5, 0.975, 1, rng.next()];
      const got = drawQuantiles(values, qs);
      for (const [i, q] of qs.entries()) expect(got[i]).toBeCloseTo(sortedQuantile(values, q), 15);
    }
    expect(drawQuantiles(new Float64Array(0), [0.5])).toEqual([0]);
  });

  it('leaves its input untouched', () => {
    const values = Float64Array.of(3, 1, 2);
    drawQuantiles(values, [0.5]);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });
});

describe('compareDraws', () => {
  it('counts wins, losses and comparisons draw by draw, splitting ties', () => {
    const draws = [Float64Array.of(1, 5, 2, 4), Float64Array.of(3, 1, 2, 4)];
    const higher = compareDraws(draws, 'higher', 0);
    expect(higher.probBest).toEqual([0.5, 0.5]); // draws 2 and 4 are ties: half each
    expect(higher.mean).toEqual([3, 2.5]);
    // E[max] = (3 + 5 + 2 + 4) / 4 = 3.5.
    expect(higher.expectedLoss).toEqual([0.5, 1]);
    // Arm 1 against arm 0: above, below, tie, tie.
    expect(higher.probBeatReference).toEqual([0.5, (1 + 0 + 0.5 + 0.5) / 4]);
    expect(compareDraws(draws, 'lower', 1).probBeatReference).toEqual([(1 + 0 + 0.5 + 0.5) / 4, 0.5]);
    const lower = compareDraws(draws, 'lower', 0);
    expect(lower.probBest).toEqual([0.5, 0.5]);
    // E[min] = (1 + 1 + 2 + 4) / 4 = 2.
    expect(lower.expectedLoss).toEqual([1, 0.5]);
    expect(lower.mean).toEqual([3, 2.5]);
  });
});
