import { describe, expect, it } from 'vitest';
import { createRng, createUniformBlocks } from './rng.js';

describe('createRng', () => {
  it('replays the same sequence for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    for (let i = 0; i < 1000; i++) expect(a.next()).toBe(b.next());
  });

  it('gives different sequences for different seeds and streams', () => {
    const first = (rng: ReturnType<typeof createRng>) => Array.from({ length: 4 }, () => rng.next());
    expect(first(createRng(1))).not.toEqual(first(createRng(2)));
    expect(first(createRng(1, 1))).not.toEqual(first(createRng(1, 2)));
  });

  it('is uniform on [0, 1): range, mean 1/2 and variance 1/12', () => {
    const rng = createRng(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    // Standard error of the mean is sqrt(1/12 / n) ≈ 6.5e-4.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(1e-3);
  });
});

describe('createUniformBlocks', () => {
  it('delivers the same stream as createRng, block by block', () => {
    const rng = createRng(9, 3);
    const blocks = createUniformBlocks(9, 3);
    for (const size of [1, 7, 64]) {
      const block = new Float64Array(size);
      blocks.fill(block);
      for (const u of block) expect(u).toBe(rng.next());
    }
  });
});
