import type { Allocation } from '@samplit/engine';

/**
 * A tracker process keeps serving the allocation of its current epoch until the policy's new
 * allocation differs from it by more than this, absolutely and relatively: |p − q| > 0.02 + 0.1·q
 * for some combination (q the epoch's probability). Every visitor's full allocation must be
 * recorded for the decision rule's test (docs/architecture.md#allocation-epochs); the tolerance
 * keeps an experiment to few epochs instead of one per refresh (66 for the live demo's 30,000
 * visitors over 9 combinations, measured 2026-12-02), at the price of
 * allocations that lag the posterior by up to that much.
 */
export const EPOCH_ABSOLUTE_TOLERANCE = 0.02;
export const EPOCH_RELATIVE_TOLERANCE = 0.1;

/**
 * Whether `next` should start a new epoch instead of `current` being served on: no epoch yet, a
 * change of phase or of exploited winner, a different number of arms, or a probability that
 * moved by more than the tolerance.
 *
 * @example
 * needsNewEpoch(undefined, allocation); // true
 */
export function needsNewEpoch(current: Allocation | undefined, next: Allocation): boolean {
  if (!current) return true;
  if (current.phase !== next.phase || current.winner !== next.winner) return true;
  if (current.probabilities.length !== next.probabilities.length) return true;
  return next.probabilities.some((p, k) => {
    const q = current.probabilities[k];
    return Math.abs(p - q) > EPOCH_ABSOLUTE_TOLERANCE + EPOCH_RELATIVE_TOLERANCE * q;
  });
}
