// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { betaDensity, densityCurves } from './density.js';

/** Trapezoid rule over the curve's own grid. */
function integrate(x: number[], y: number[]): number {
  let sum = 0;
  for (let i = 1; i < x.length; i++) sum += ((y[i] + y[i - 1]) / 2) * (x[i] - x[i - 1]);
  return sum;
}

describe('densityCurves', () => {
  it.each([
    ['a flat prior', 1, 1],
    ['a few visitors', 3, 40],
    ['the demo winner', 541, 6417],
    ['a million visitors', 50_001, 950_001],
  ])('integrates to ~1 for %s (Beta(%d, %d))', (_name, alpha, beta) => {
    const { x, y } = densityCurves([{ alpha, beta }], 400);
    expect(integrate(x, y[0])).toBeGreaterThan(0.998);
    expect(integrate(x, y[0])).toBeLessThan(1.002);
  });

  it('puts every arm on one axis that holds each curve', () => {
    const arms = [
      { alpha: 5, beta: 200 },
      { alpha: 60, beta: 400 },
    ];
    const { x, y } = densityCurves(arms);
    expect(x[0]).toBeLessThan(0.005);
    expect(x[x.length - 1]).toBeGreaterThan(0.16);
    for (const curve of y) expect(integrate(x, curve)).toBeCloseTo(1, 2);
  });

  it('is the Beta pdf: Beta(2, 2) is 6x(1 − x)', () => {
    for (const v of [0.1, 0.5, 0.8]) expect(betaDensity(v, 2, 2)).toBeCloseTo(6 * v * (1 - v), 12);
    expect(betaDensity(0, 1, 3)).toBe(3);
    expect(betaDensity(1, 2, 2)).toBe(0);
  });
});
