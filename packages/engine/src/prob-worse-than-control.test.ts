import { describe, expect, it } from 'vitest';
import { probBBeatsAClosedForm } from './beta-closed-form.js';
import { probWorseThanControl } from './prob-worse-than-control.js';
import { createRng } from './rng.js';
import { sampleBeta } from './sampling.js';
import type { ArmCounts } from './types.js';

/** Revenue counts with every converter's order equal to `order` ± `spread` (half each). */
function revenue(visitors: number, conversions: number, order: number, spread: number): ArmCounts {
  const half = conversions / 2;
  const sum = conversions * order;
  const sumSquares = half * ((order - spread) ** 2 + (order + spread) ** 2);
  return { visitors, conversions, sum, sumSquares };
}

describe('probWorseThanControl, binary', () => {
  it('is null for the control and ≈ 1 for a clear regression', () => {
    const p = probWorseThanControl(
      {
        arms: [
          { visitors: 10_000, conversions: 500 },
          { visitors: 10_000, conversions: 400 },
          { visitors: 10_000, conversions: 650 },
        ],
      },
      0.02,
    );
    expect(p[0]).toBeNull();
    expect(p[1]).toBeGreaterThan(0.999);
    expect(p[2]).toBeLessThan(0.001);
  });

  it('is small for identical arms once the margin exceeds the uncertainty, ½ without a margin', () => {
    const arms = [
      { visitors: 2_000_000, conversions: 100_000 },
      { visitors: 2_000_000, conversions: 100_000 },
    ];
    expect(probWorseThanControl({ arms }, 0.02)[1]).toBeLessThan(0.01);
    expect(probWorseThanControl({ arms }, 0)[1]).toBeCloseTo(0.5, 6);
  });

  it('matches the closed form at margin 0 and Monte Carlo with a margin', () => {
    // P(X_1 < X_0) = P(X_0 > X_1), X_0 ~ Beta(41, 961), X_1 ~ Beta(31, 971).
    const arms = [
      { visitors: 1000, conversions: 40 },
      { visitors: 1000, conversions: 30 },
    ];
    expect(probWorseThanControl({ arms }, 0)[1]).toBeCloseTo(probBBeatsAClosedForm(31, 971, 41, 961), 9);
    const rng = createRng(8);
    const draws = 200_000;
    let worse = 0;
    for (let i = 0; i < draws; i++) if (sampleBeta(31, 971, rng) < 0.9 * sampleBeta(41, 961, rng)) worse++;
    const mc = worse / draws;
    expect(Math.abs(probWorseThanControl({ arms }, 0.1)[1]! - mc)).toBeLessThan(
      4 * Math.sqrt((mc * (1 - mc)) / draws),
    );
  });

  it('is direction-aware: for lower-is-better a higher rate is the regression', () => {
    const arms = [
      { visitors: 10_000, conversions: 500 },
      { visitors: 10_000, conversions: 620 },
    ];
    expect(probWorseThanControl({ arms, direction: 'lower' }, 0.02)[1]).toBeGreaterThan(0.999);
    expect(probWorseThanControl({ arms }, 0.02)[1]).toBeLessThan(0.001);
    expect(probWorseThanControl({ arms, controlArm: 1 }, 0.02)).toEqual([expect.closeTo(1, 3), null]);
  });
});

describe('probWorseThanControl, mean', () => {
  it('is ≈ 1 for a clear revenue regression and ≈ 0 for a clear improvement', () => {
    const arms = [
      revenue(20_000, 1000, 50, 30),
      revenue(20_000, 1000, 40, 30),
      revenue(20_000, 1000, 60, 30),
    ];
    const p = probWorseThanControl({ arms, metric: 'mean' }, 0.02);
    expect(p[0]).toBeNull();
    expect(p[1]).toBeGreaterThan(0.999);
    expect(p[2]).toBeLessThan(0.001);
    const lower = probWorseThanControl({ arms, metric: 'mean', direction: 'lower' }, 0.02);
    expect(lower[1]).toBeLessThan(0.001);
    expect(lower[2]).toBeGreaterThan(0.999);
  });

  it('is small for identical arms with a margin, ≈ ½ without, and the same twice', () => {
    const arms = [revenue(1_000_000, 50_000, 50, 30), revenue(1_000_000, 50_000, 50, 30)];
    expect(probWorseThanControl({ arms, metric: 'mean' }, 0.02)[1]).toBeLessThan(0.05);
    const even = probWorseThanControl({ arms, metric: 'mean' }, 0)[1]!;
    expect(Math.abs(even - 0.5)).toBeLessThan(0.02);
    expect(probWorseThanControl({ arms, metric: 'mean' }, 0)).toEqual([null, even]);
  });
});
