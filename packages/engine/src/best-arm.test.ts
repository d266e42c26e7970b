import { describe, expect, it } from 'vitest';
import { bestArmProbabilities, probabilitiesToBeatReference } from './best-arm.js';
import { probBBeatsAClosedForm } from './beta-closed-form.js';
import { createRng } from './rng.js';
import { sampleBeta } from './sampling.js';

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('bestArmProbabilities: two arms against Evan Miller’s closed form', () => {
  it.each([
    [1, 1, 1, 1],
    [11, 91, 21, 81],
    [41, 961, 53, 949],
    [501, 9501, 531, 9471],
    [3, 100, 2, 50],
    [1, 2, 1, 3],
    [40, 2, 38, 3],
    [201, 3801, 205, 3797],
    [2.5, 60.5, 4, 70], // non-integer αA, βA, βB (the closed form needs only αB integer)
    [0.5, 10, 1, 12],
  ])('P(Beta(%s,%s) < Beta(%s,%s)) to 1e-9', (aA, bA, aB, bB) => {
    const exact = probBBeatsAClosedForm(aA, bA, aB, bB);
    const { probBest } = bestArmProbabilities([aA, aB], [bA, bB]);
    expect(Math.abs(probBest[1] - exact)).toBeLessThan(1e-9);
    expect(Math.abs(probBest[0] + probBest[1] - 1)).toBeLessThan(1e-9);
  });
});

describe('bestArmProbabilities: K arms', () => {
  it('gives 1/K to identical arms', () => {
    for (const k of [3, 9, 81]) {
      const { probBest } = bestArmProbabilities(new Array(k).fill(51), new Array(k).fill(951));
      for (const p of probBest) expect(p).toBeCloseTo(1 / k, 10);
    }
  });

  it('sums to 1 within 1e-9 for varied posteriors, 2 to 81 arms', () => {
    const rng = createRng(11);
    for (const k of [2, 3, 5, 9, 27, 81]) {
      for (const visitors of [0, 20, 300, 5000, 200_000]) {
        const alpha: number[] = [];
        const beta: number[] = [];
        for (let i = 0; i < k; i++) {
          const rate = 0.02 + 0.06 * rng.next();
          const conversions = Math.round(rate * visitors);
          alpha.push(conversions + 1);
          beta.push(visitors - conversions + 1);
        }
        const { probBest, expectedLoss } = bestArmProbabilities(alpha, beta);
        expect(Math.abs(sum(probBest) - 1)).toBeLessThan(1e-9);
        for (const p of probBest) expect(p).toBeGreaterThanOrEqual(0);
        for (const l of expectedLoss) expect(l).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('handles shapes below 1 (Jeffreys-like priors, no data)', () => {
    const { probBest } = bestArmProbabilities([0.5, 0.5, 0.5], [0.5, 0.5, 3]);
    // β < 1 piles density at x = 1; the mass within 4e-16 of 1 (≈ 1.3e-8 per arm for β = 1/2)
    // is below double resolution of x. Conversion posteriors have β ≥ 1 with the default prior.
    expect(Math.abs(sum(probBest) - 1)).toBeLessThan(1e-7);
    expect(probBest[0]).toBeCloseTo(probBest[1], 12);
    const nearZero = bestArmProbabilities([0.5, 0.3, 1], [40, 30, 60]).probBest;
    expect(Math.abs(sum(nearZero) - 1)).toBeLessThan(1e-9);
  });

  it('agrees with 10^6 Monte Carlo draws within 3 standard errors (P(best) and E[max])', () => {
    const alpha = [21, 25, 19, 0.7, 24];
    const beta = [400, 420, 380, 30, 460];
    const { probBest, expectedMax, expectedLoss } = bestArmProbabilities(alpha, beta);
    const rng = createRng(123);
    const draws = 1_000_000;
    const wins = new Array<number>(alpha.length).fill(0);
    let maxSum = 0;
    let maxSumSq = 0;
    for (let i = 0; i < draws; i++) {
      let best = 0;
      let bestValue = -1;
      for (let k = 0; k < alpha.length; k++) {
        const x = sampleBeta(alpha[k], beta[k], rng);
        if (x > bestValue) {
          bestValue = x;
          best = k;
        }
      }
      wins[best]++;
      maxSum += bestValue;
      maxSumSq += bestValue * bestValue;
    }
    for (let k = 0; k < alpha.length; k++) {
      const se = Math.sqrt((probBest[k] * (1 - probBest[k])) / draws);
      expect(Math.abs(wins[k] / draws - probBest[k])).toBeLessThan(3 * se);
    }
    const mcMax = maxSum / draws;
    const seMax = Math.sqrt((maxSumSq / draws - mcMax * mcMax) / draws);
    expect(Math.abs(mcMax - expectedMax)).toBeLessThan(3 * seMax);
    // Expected loss is E[max] minus the exact posterior mean.
    expect(expectedLoss[1]).toBeCloseTo(expectedMax - alpha[1] / (alpha[1] + beta[1]), 15);
  });

  it('gives an all-but-certain best arm probability ≈ 1 and zero to hopeless arms', () => {
    const { probBest, expectedLoss } = bestArmProbabilities([1001, 101], [9001, 9901]);
    expect(probBest[0]).toBeCloseTo(1, 12);
    expect(probBest[1]).toBeLessThan(1e-12);
    expect(expectedLoss[0]).toBeLessThan(1e-12);
    expect(expectedLoss[1]).toBeCloseTo(1001 / 10002 - 101 / 10002, 10);
  });
});

describe('probabilitiesToBeatReference', () => {
  it('matches Evan Miller’s closed form for every arm against the control', () => {
    const alpha = [41, 53, 45, 30, 61, 2];
    const beta = [961, 949, 955, 970, 941, 60];
    const p = probabilitiesToBeatReference(alpha, beta, 0);
    expect(p[0]).toBe(0.5);
    for (let k = 1; k < alpha.length; k++) {
      expect(Math.abs(p[k] - probBBeatsAClosedForm(alpha[0], beta[0], alpha[k], beta[k]))).toBeLessThan(1e-9);
    }
  });
});
