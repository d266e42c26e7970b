import { describe, expect, it } from 'vitest';
import { buildAliasTable, sampleAlias } from './alias-table.js';
import { createRng } from './rng.js';

describe('alias table', () => {
  it('reproduces the distribution, and never draws a zero-probability arm', () => {
    const p = [0.5, 0.2, 0, 0.15, 0.1, 0.05];
    const table = buildAliasTable(p);
    const rng = createRng(9);
    const draws = 300_000;
    const counts = new Array<number>(p.length).fill(0);
    for (let i = 0; i < draws; i++) counts[sampleAlias(table, rng.next(), rng.next())]++;
    expect(counts[2]).toBe(0);
    for (const [i, x] of p.entries()) {
      expect(Math.abs(counts[i] / draws - x)).toBeLessThan(4 * Math.sqrt((x * (1 - x)) / draws) + 1e-12);
    }
  });

  it('has column probabilities that add back up to p exactly (up to rounding)', () => {
    const p = [0.37, 0.21, 0.0001, 0.4199];
    const { cutoff, alias } = buildAliasTable(p);
    const implied = new Array<number>(p.length).fill(0);
    for (let i = 0; i < p.length; i++) {
      implied[i] += cutoff[i] / p.length;
      implied[alias[i]] += (1 - cutoff[i]) / p.length;
    }
    for (const [i, x] of implied.entries()) expect(x).toBeCloseTo(p[i], 14);
  });
});
