import { logBeta } from './special/log-gamma.js';

/**
 * P(X_B > X_A) for X_A ~ Beta(αA, βA), X_B ~ Beta(αB, βB) with integer αB, by Evan Miller's
 * closed form ("Formulas for Bayesian A/B Testing", 2015):
 *
 *   P = Σ_{i=0}^{αB−1} B(αA + i, βA + βB) / ((βB + i) · B(1 + i, βB) · B(αA, βA))
 *
 * O(αB) terms; the engine uses {@link bestArmProbabilities} (any shapes, any K) and keeps this as
 * the reference it is tested against.
 *
 * @example
 * probBBeatsAClosedForm(1, 1, 1, 1); // 0.5
 */
export function probBBeatsAClosedForm(alphaA: number, betaA: number, alphaB: number, betaB: number): number {
  if (!Number.isInteger(alphaB) || alphaB < 1) throw new RangeError('alphaB must be a positive integer');
  const constant = logBeta(alphaA, betaA);
  let total = 0;
  for (let i = 0; i < alphaB; i++) {
    total += Math.exp(
      logBeta(alphaA + i, betaA + betaB) - Math.log(betaB + i) - logBeta(1 + i, betaB) - constant,
    );
  }
  return total;
}
