import { chiSquareSurvival } from './special/incomplete-gamma.js';

/**
 * p-value below which a sample-ratio mismatch is flagged. Microsoft's ExP and most vendors
 * use 0.001 (or stricter): SRM is checked continuously, so the threshold must be small.
 */
export const SRM_P_VALUE_THRESHOLD = 0.001;

/** Result of {@link sampleRatioMismatch}. */
export interface SrmResult {
  /** Pearson's statistic; infinite when an arm configured with weight 0 got traffic. */
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** True when pValue < SRM_P_VALUE_THRESHOLD: the traffic split is not what was configured. */
  mismatch: boolean;
}

/**
 * Pearson chi-square goodness-of-fit of observed visitors per arm against configured weights
 * (sample-ratio mismatch check for fixed allocation), p-value from the χ²(K − 1) survival function.
 *
 * @example
 * sampleRatioMismatch([5000, 5200], [1, 1]).pValue; // ≈ 0.047
 */
export function sampleRatioMismatch(visitors: readonly number[], weights: readonly number[]): SrmResult {
  const total = visitors.reduce((s, v) => s + v, 0);
  const weightTotal = weights.reduce((s, w) => s + Math.max(0, w), 0);
  let chiSquare = 0;
  let impossible = false;
  let cells = 0;
  for (let k = 0; k < visitors.length; k++) {
    const expected = weightTotal > 0 ? (total * Math.max(0, weights[k] ?? 0)) / weightTotal : 0;
    if (expected > 0) {
      chiSquare += (visitors[k] - expected) ** 2 / expected;
      cells++;
    } else if (visitors[k] > 0) {
      impossible = true; // traffic to an arm configured with weight 0
    }
  }
  const df = Math.max(0, cells - 1);
  let pValue = 1;
  if (impossible) pValue = 0;
  else if (df > 0 && total > 0) pValue = chiSquareSurvival(chiSquare, df);
  return {
    chiSquare: impossible ? Number.POSITIVE_INFINITY : chiSquare,
    degreesOfFreedom: df,
    pValue,
    mismatch: pValue < SRM_P_VALUE_THRESHOLD,
  };
}
