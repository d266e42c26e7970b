import { describe, expect, it } from 'vitest';
import {
  factorialDesign,
  factorialMeanRates,
  factorialThompsonProbabilities,
  fitFactorial,
} from './factorial-model.js';
import { createRng } from './rng.js';
import { fullFactorialLevels } from './simulator/scenarios.js';

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('factorialDesign', () => {
  it('has an intercept, one coefficient per variant and per pair of variants', () => {
    expect(factorialDesign(fullFactorialLevels([3, 3])).dim).toBe(1 + 6 + 9);
    expect(factorialDesign(fullFactorialLevels([3, 3, 3, 3])).dim).toBe(1 + 12 + 6 * 9);
    expect(factorialDesign([[0], [1], [2]]).dim).toBe(4); // one element: no interactions
  });
});

describe('fitFactorial', () => {
  const levels = fullFactorialLevels([3, 3, 3]);
  const additive = levels.map(([a, b, c]) =>
    sigmoid(logit(0.04) + [0, 0.2, -0.1][a] + [0, 0.1, 0.3][b] + [0, -0.2, 0][c]),
  );

  it('recovers the rates of an additive truth and prefers a small interaction scale', () => {
    const arms = additive.map((p) => ({ visitors: 200_000, conversions: Math.round(p * 200_000) }));
    const posterior = fitFactorial(factorialDesign(levels), arms);
    const rates = factorialMeanRates(posterior);
    for (const [i, r] of rates.entries()) expect(Math.abs(r - additive[i]) / additive[i]).toBeLessThan(0.01);
    const best = posterior.taus[posterior.tauWeights.indexOf(Math.max(...posterior.tauWeights))];
    expect(best).toBeLessThanOrEqual(0.05);
  });

  it('finds a real interaction and lets it dominate (seed: B-Y wins only jointly)', () => {
    const seed = [0.04, 0.044, 0.037, 0.045, 0.075, 0.042, 0.038, 0.042, 0.035];
    const arms = seed.map((p) => ({ visitors: 3000, conversions: Math.round(p * 3000) }));
    const posterior = fitFactorial(factorialDesign(fullFactorialLevels([3, 3])), arms);
    // Posterior mass on interaction scales τ ≥ 0.1 (an additive truth puts it on τ ≤ 0.05).
    const wide = posterior.taus.reduce((s, tau, t) => s + (tau >= 0.1 ? posterior.tauWeights[t] : 0), 0);
    expect(wide).toBeGreaterThan(0.7);
    const p = factorialThompsonProbabilities(posterior, 2000, createRng(1));
    expect(p[4]).toBeGreaterThan(0.99);
    // The fitted B-Y rate is shrunk toward the additive prediction, but stays far ahead.
    const rates = factorialMeanRates(posterior);
    expect(rates[4]).toBeGreaterThan(0.068);
  });

  it('shares information: an untested combination inherits its variants’ effects', () => {
    const truth = additive.map((p, i) => (i === 26 ? 0 : p)); // last combination never shown
    const arms = truth.map((p, i) => ({
      visitors: i === 26 ? 0 : 20_000,
      conversions: Math.round(p * 20_000),
    }));
    const rates = factorialMeanRates(fitFactorial(factorialDesign(levels), arms));
    expect(Math.abs(rates[26] - additive[26]) / additive[26]).toBeLessThan(0.1);
  });
});
