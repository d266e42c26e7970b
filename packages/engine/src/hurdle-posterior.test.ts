import { describe, expect, it } from 'vitest';
import { hurdleDraws } from './hurdle-draws.js';
import { hurdleMean, hurdlePosteriors } from './hurdle-posterior.js';

/** Counts of a list of per-converter totals among `visitors` visitors. */
function counts(visitors: number, totals: number[]) {
  return {
    visitors,
    conversions: totals.length,
    sum: totals.reduce((s, x) => s + x, 0),
    sumSquares: totals.reduce((s, x) => s + x * x, 0),
  };
}

describe('hurdlePosteriors', () => {
  it('is Beta for P(convert) and a Student-t around the converters’ mean, scale s / √n, n − 1 dof', () => {
    const totals = [10, 20, 30, 60];
    const [post] = hurdlePosteriors([counts(100, totals)]);
    // Sample mean 30, sample variance (400 + 100 + 0 + 900) / 3 = 466.67 (by hand).
    expect(post).toMatchObject({ alpha: 5, beta: 97, dof: 3 });
    expect(post.location).toBeCloseTo(30, 12);
    expect(post.scale).toBeCloseTo(Math.sqrt(1400 / 3 / 4), 12);
    expect(hurdleMean(post)).toBeCloseTo((5 / 102) * 30, 12);
  });

  it('lends the pooled within-arm variance to arms with fewer than two converters', () => {
    const [a, b, one, none] = hurdlePosteriors([
      counts(100, [10, 20, 30]), // squares 200, 2 dof
      counts(100, [5, 15]), // squares 50, 1 dof
      counts(100, [42]),
      counts(100, []),
    ]);
    const pooled = Math.sqrt(250 / 3);
    expect(one).toMatchObject({ location: 42, dof: 3 });
    expect(one.scale).toBeCloseTo(pooled, 12);
    // No converter: the pooled mean of all converters, as if one typical converter had been seen.
    expect(none.location).toBeCloseTo((60 + 20 + 42) / 6, 12);
    expect(none.scale).toBeCloseTo(pooled, 12);
    expect(a.dof).toBe(2);
    expect(b.dof).toBe(1);
  });

  it('falls back to the variance of all converters, then to a point, when no arm has two', () => {
    const [x, y] = hurdlePosteriors([counts(50, [10]), counts(50, [30])]);
    expect(x.dof).toBe(1);
    expect(x.scale).toBeCloseTo(Math.sqrt(200), 12); // variance of {10, 30}
    expect(y.location).toBe(30);
    const [lonely, empty] = hurdlePosteriors([counts(50, [10]), counts(50, [])]);
    expect(lonely).toMatchObject({ location: 10, scale: 0 });
    expect(empty).toMatchObject({ location: 10, scale: 0 });
  });

  it('keeps its draws finite for degenerate counts', () => {
    const degenerate = [
      { visitors: 0, conversions: 0 },
      { visitors: 10, conversions: 0, sum: 0, sumSquares: 0 },
      counts(100, [7]),
      counts(100, [25, 25, 25]), // zero variance
      counts(100, [-40, 10, 5]), // a refund
      { visitors: 5, conversions: 9, sum: Number.NaN, sumSquares: Number.POSITIVE_INFINITY },
    ];
    const posteriors = hurdlePosteriors(degenerate);
    for (const p of posteriors) for (const x of Object.values(p)) expect(Number.isFinite(x)).toBe(true);
    for (const draws of hurdleDraws(posteriors, 2000)) expect(draws.every(Number.isFinite)).toBe(true);
    // Zero variance: μ is exactly the common value, so every draw is P(convert) × 25.
    const constant = hurdleDraws([posteriors[3]], 100)[0];
    for (const x of constant) expect(x / 25).toBeGreaterThan(0);
    expect(Math.max(...constant) / 25).toBeLessThan(1);
  });

  it('draws P(convert) × μ with the posterior’s mean and spread', () => {
    const [post] = hurdlePosteriors([
      counts(
        2000,
        Array.from({ length: 100 }, (_, i) => 20 + i),
      ),
    ]);
    const [draws] = hurdleDraws([post]);
    let mean = 0;
    for (const x of draws) mean += x / draws.length;
    let variance = 0;
    for (const x of draws) variance += (x - mean) ** 2 / (draws.length - 1);
    // Independent factors: Var(pμ) = E[p²]E[μ²] − E[p]²E[μ]², t variance scale² ν / (ν − 2).
    const { alpha: a, beta: b, location: m, scale: s, dof: v } = post;
    const ep = a / (a + b);
    const ep2 = (a * (a + 1)) / ((a + b) * (a + b + 1));
    const exact = ep2 * (m * m + (s * s * v) / (v - 2)) - ep * ep * m * m;
    expect(Math.abs(mean - hurdleMean(post))).toBeLessThan(4 * Math.sqrt(exact / draws.length));
    expect(variance / exact).toBeGreaterThan(0.95);
    expect(variance / exact).toBeLessThan(1.05);
  });
});
