/** 'binary': did the visitor convert (Beta–Bernoulli). 'mean': a per-visitor total (revenue, event count). */
export type MetricModel = 'binary' | 'mean';

/** Whether a higher or a lower metric is better (e.g. 'lower' for refunds or errors). */
export type MetricDirection = 'higher' | 'lower';

/**
 * What the engine is given about one arm (an A/B variant or a multi-element combination): its
 * observed counts. Everything the engine derives from them comes back as an {@link ArmResult}.
 */
export interface ArmCounts {
  /** Visitors assigned to the arm. */
  visitors: number;
  /** Visitors with at least one event (binary: who converted). */
  conversions: number;
  /** mean model: Σ over visitors of the visitor's total. */
  sum?: number;
  /** mean model: Σ over visitors of the square of the visitor's total. */
  sumSquares?: number;
}

/**
 * What the engine knows about an experiment at one moment: the server builds it from its
 * in-process counters and refreshes it about once a second.
 *
 * @example
 * const snapshot: Snapshot = {
 *   arms: [{ visitors: 1000, conversions: 40 }, { visitors: 1000, conversions: 52 }],
 *   controlArm: 0,
 * };
 */
export interface Snapshot {
  arms: ArmCounts[];
  /** Configured fixed-allocation weights, one per arm (any positive scale). Used by `fixed` and SRM. */
  weights?: number[];
  /**
   * For multi-element experiments: per arm, the variant index chosen for each element
   * (e.g. `[[0, 0], [0, 1], …]`). Enables per-variant marginals and the `factorial` policy.
   */
  levels?: number[][];
  /** Index of the control arm (default 0). */
  controlArm?: number;
  /** What is measured per visitor (default 'binary'); 'mean' reads `sum` and `sumSquares`. */
  metric?: MetricModel;
  /** Which way is better (default 'higher'). */
  direction?: MetricDirection;
  /**
   * The same visitors split by allocation period: one stratum per allocation that was in force,
   * with its probabilities and what the visitors assigned under it did. Σ over strata of an
   * arm's counts equals `arms[k]`. The decision rule's test, the design-robust estimates and the
   * adaptive SRM check read them; without them one stratum with `weights` (fixed allocation) or
   * the observed shares is assumed (see robust-estimates.ts and sequential/).
   */
  strata?: Stratum[];
  /**
   * Planned visitors (the experiment's horizon). With it, the decision rule spends its error
   * budget over scheduled looks (group-sequential); without it, the rule is anytime-valid.
   */
  horizon?: number;
}

/**
 * One allocation period: the assignment probabilities in force (one per arm, summing to 1) and
 * the counts of the visitors assigned while it was (same fields as {@link ArmCounts}).
 *
 * @example
 * const stratum: Stratum = { probabilities: [0.5, 0.5], arms: [{ visitors: 50, conversions: 3 }, { visitors: 50, conversions: 2 }] };
 */
export interface Stratum {
  probabilities: number[];
  arms: ArmCounts[];
}

/** Beta prior shared by all arms; posterior is Beta(conversions + alpha, failures + beta). */
export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** The default uniform prior, Beta(1, 1). */
export const DEFAULT_PRIOR: Readonly<BetaPrior> = Object.freeze({ alpha: 1, beta: 1 });

/** Beta posterior parameters per arm: α = conversions + prior α, β = failures + prior β. */
export function posteriorParameters(
  arms: readonly ArmCounts[],
  prior: BetaPrior = DEFAULT_PRIOR,
): { alpha: Float64Array; beta: Float64Array } {
  const alpha = new Float64Array(arms.length);
  const beta = new Float64Array(arms.length);
  for (let k = 0; k < arms.length; k++) {
    const { visitors, conversions } = arms[k];
    alpha[k] = conversions + prior.alpha;
    beta[k] = Math.max(0, visitors - conversions) + prior.beta;
  }
  return { alpha, beta };
}
