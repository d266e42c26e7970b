import { logMixture, MIXTURE_THETAS as THETAS } from './pairwise-evidence.js';

/**
 * The e-process of pairwise-evidence.ts in its local quadratic form: its log likelihood ratio at
 * λ is ≈ λu − λ²v/2, with u = Σ_conversions (1{arm = k} − q₀) its score at λ = 0 and
 * v = Σ_conversions q₀(1 − q₀) the information (the derivative of log q_λ at 0 is 1 − q₀ for a
 * conversion from k and −q₀ for one from j). Used only to project how the e-process grows if u
 * and v keep growing at their current rate (the "current trend" of Lan & Wittes 1988), for the
 * estimate of visitors to go — never for the decision itself.
 */
export function logMixtureApproximation(u: number, v: number): number {
  return logMixture((g) => THETAS[g] * u - 0.5 * THETAS[g] * THETAS[g] * v);
}
