import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { sampleNormal } from '../sampling.js';
import { normalQuantile } from '../special/normal.js';
import { groupSequentialBoundaries, obrienFlemingSpending } from './group-sequential.js';

describe('group-sequential boundaries (Lan–DeMets, O’Brien–Fleming type)', () => {
  it('reproduces the published one-sided boundaries for 5 looks at α = 0.025', () => {
    // Jennison & Turnbull (2000) / gsDesign sfLDOF, 5 equally spaced looks: 4.877 3.357 2.680 2.290 2.031
    const b = groupSequentialBoundaries(5, 0.025);
    expect(b.map((x) => Number(x.toFixed(3)))).toEqual([4.877, 3.357, 2.68, 2.29, 2.031]);
  });

  it('is the single-look critical value with one look, and spends exactly α by the horizon', () => {
    expect(groupSequentialBoundaries(1, 0.05)[0]).toBeCloseTo(normalQuantile(0.95), 9);
    expect(obrienFlemingSpending(1, 0.05)).toBeCloseTo(0.05, 14);
    expect(obrienFlemingSpending(0.2, 0.05)).toBeLessThan(1e-4);
  });

  it('crosses with probability α under the null (10^5 Brownian paths)', () => {
    const looks = 5;
    const alpha = 0.05;
    const b = groupSequentialBoundaries(looks, alpha);
    const rng = createRng(11);
    const paths = 100_000;
    let crossed = 0;
    for (let r = 0; r < paths; r++) {
      let s = 0;
      for (let i = 1; i <= looks; i++) {
        s += sampleNormal(rng) * Math.sqrt(1 / looks);
        if (s / Math.sqrt(i / looks) >= b[i - 1]) {
          crossed++;
          break;
        }
      }
    }
    // SE of the estimate ≈ 0.0007
    expect(Math.abs(crossed / paths - alpha)).toBeLessThan(0.003);
  });
});
