import { describe, expect, it } from 'vitest';
import { choose, computeAllocation, POLICY_NAMES } from './allocation.js';
import { bestArmProbabilities } from './best-arm.js';
import { createRng } from './rng.js';
import { fullFactorialLevels } from './simulator/scenarios.js';
import type { Snapshot } from './types.js';

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

const nineArms: Snapshot = {
  arms: [40, 44, 37, 45, 75, 42, 38, 42, 35].map((c) => ({ visitors: 1000, conversions: c })),
  levels: fullFactorialLevels([3, 3]),
};

describe('computeAllocation', () => {
  it.each(POLICY_NAMES)('%s returns one probability per arm, summing to 1', (policy) => {
    const { probabilities } = computeAllocation(policy, nineArms, createRng(1));
    expect(probabilities).toHaveLength(9);
    expect(sum(probabilities)).toBeCloseTo(1, 12);
    for (const p of probabilities) expect(p).toBeGreaterThanOrEqual(0);
  });

  it('fixed uses the configured weights, uniform without them', () => {
    const weighted = computeAllocation(
      'fixed',
      { ...nineArms, weights: [2, 1, 1, 0, 0, 0, 0, 0, 0] },
      createRng(1),
    );
    expect(weighted.probabilities.slice(0, 3)).toEqual([0.5, 0.25, 0.25]);
    const uniform = computeAllocation('fixed', { arms: nineArms.arms }, createRng(1));
    for (const p of uniform.probabilities) expect(p).toBeCloseTo(1 / 9, 15);
  });

  it('thompson allocates exactly the posterior probability to be best', () => {
    const { probabilities } = computeAllocation('thompson', nineArms, createRng(1));
    const alpha = nineArms.arms.map((a) => a.conversions + 1);
    const beta = nineArms.arms.map((a) => a.visitors - a.conversions + 1);
    const exact = bestArmProbabilities(alpha, beta).probBest;
    for (const [i, p] of probabilities.entries()) expect(p).toBeCloseTo(exact[i], 12);
  });

  it('factorial concentrates on the combination its model prefers', () => {
    const { probabilities } = computeAllocation('factorial', nineArms, createRng(1), { draws: 2000 });
    expect(probabilities.indexOf(Math.max(...probabilities))).toBe(4);
  });

  it('adaptive: uniform burn-in, then top-two exploration with a floor, then exploitation', () => {
    const fresh = computeAllocation(
      'adaptive',
      { arms: nineArms.arms.map(() => ({ visitors: 5, conversions: 0 })) },
      createRng(1),
    );
    expect(fresh.phase).toBe('burn_in');
    for (const p of fresh.probabilities) expect(p).toBeCloseTo(1 / 9, 15);

    const early: Snapshot = {
      arms: nineArms.arms.map((a) => ({ visitors: 100, conversions: Math.round(a.conversions / 10) })),
    };
    const explore = computeAllocation('adaptive', early, createRng(1));
    expect(explore.phase).toBe('explore');
    for (const p of explore.probabilities) expect(p).toBeGreaterThanOrEqual(0.05 / 9 - 1e-15);

    // Three times the seed's counts: arm 4 now beats every other arm at α / 9 (e-values ≥ 180).
    const decisive: Snapshot = {
      ...nineArms,
      arms: nineArms.arms.map((a) => ({ visitors: 3 * a.visitors, conversions: 3 * a.conversions })),
    };
    const decided = computeAllocation('adaptive', decisive, createRng(1));
    expect(decided.phase).toBe('exploit');
    expect(decided.winner).toBe(4);
    expect(decided.probabilities[4]).toBeCloseTo(1 - (8 * 0.05) / 9, 12);

    const sticky = computeAllocation('adaptive', early, createRng(1), { declaredWinner: 2 });
    expect(sticky.phase).toBe('exploit');
    expect(sticky.winner).toBe(2);
  });

  it('adaptive explores large multi-element tests with the factorial model', () => {
    const levels = fullFactorialLevels([3, 3, 3]);
    // Variant 2 of the first element converts better in every combination.
    const arms = levels.map(([a]) => ({ visitors: 200, conversions: a === 2 ? 14 : 6 }));
    const allocation = computeAllocation('adaptive', { arms, levels }, createRng(3));
    expect(allocation.phase).toBe('explore');
    const share = allocation.probabilities.reduce((s, p, i) => s + (levels[i][0] === 2 ? p : 0), 0);
    expect(share).toBeGreaterThan(0.9);
  });
});

describe('computeAllocation, mean metrics and directions', () => {
  /** A revenue arm whose buyers order `order` ± 20 (half each). */
  const revenue = (visitors: number, buyers: number, order: number) => ({
    visitors,
    conversions: buyers,
    sum: buyers * order,
    sumSquares: (buyers / 2) * ((order - 20) ** 2 + (order + 20) ** 2),
  });
  const mean: Snapshot = {
    arms: [revenue(800, 40, 50), revenue(800, 36, 62), revenue(800, 44, 45), revenue(800, 41, 51)],
    metric: 'mean',
  };

  it.each(['thompson', 'top_two', 'adaptive'] as const)(
    '%s: the same probabilities whatever the rng (deterministic in the snapshot)',
    (policy) => {
      const a = computeAllocation(policy, mean, createRng(1));
      const b = computeAllocation(policy, mean, createRng(999));
      expect(a.probabilities).toEqual(b.probabilities);
      expect(sum(a.probabilities)).toBeCloseTo(1, 12);
      // Arm 1 converts least but earns most per visitor (36 × 62 vs 40 × 50).
      expect(a.probabilities.indexOf(Math.max(...a.probabilities))).toBe(1);
    },
  );

  it('adaptive explores a large mean-metric test with top-two, not the conversions-only factorial model', () => {
    const levels = fullFactorialLevels([3, 3, 3]);
    // Variant 2 of the first element converts less but earns more per visitor.
    const arms = levels.map(([a]) => (a === 2 ? revenue(300, 12, 90) : revenue(300, 18, 40)));
    const allocation = computeAllocation('adaptive', { arms, levels, metric: 'mean' }, createRng(3));
    const again = computeAllocation('adaptive', { arms, levels, metric: 'mean' }, createRng(4));
    expect(allocation.phase).toBe('explore');
    expect(allocation.probabilities).toEqual(again.probabilities);
    const share = allocation.probabilities.reduce((s, p, i) => s + (levels[i][0] === 2 ? p : 0), 0);
    expect(share).toBeGreaterThan(0.8);
    const binary = computeAllocation('adaptive', { arms, levels }, createRng(3));
    const binaryShare = binary.probabilities.reduce((s, p, i) => s + (levels[i][0] === 2 ? p : 0), 0);
    expect(binaryShare).toBeLessThan(0.1);
  });

  it('thompson allocates P(lowest) for lower-is-better rates', () => {
    const { probabilities } = computeAllocation(
      'thompson',
      { ...nineArms, direction: 'lower' },
      createRng(1),
    );
    const alpha = nineArms.arms.map((a) => a.conversions + 1);
    const beta = nineArms.arms.map((a) => a.visitors - a.conversions + 1);
    const exact = bestArmProbabilities(beta, alpha).probBest;
    for (const [i, p] of probabilities.entries()) expect(p).toBeCloseTo(exact[i], 12);
    expect(probabilities.indexOf(Math.max(...probabilities))).toBe(8); // 35 conversions, the fewest
  });
});

describe('choose', () => {
  it('returns the exact probability of the chosen arm and follows the allocation', () => {
    const allocation = computeAllocation('top_two', nineArms, createRng(1));
    const rng = createRng(2);
    const draws = 200_000;
    const counts = new Array<number>(9).fill(0);
    for (let i = 0; i < draws; i++) {
      const { arm, probability } = choose(allocation, rng);
      expect(probability).toBe(allocation.probabilities[arm]);
      counts[arm]++;
    }
    allocation.probabilities.forEach((p, i) => {
      expect(Math.abs(counts[i] / draws - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / draws) + 1e-9);
    });
  });
});
