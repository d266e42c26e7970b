import { type AliasTable, buildAliasTable, sampleAlias } from './alias-table.js';
import { compareArms } from './compare-arms.js';
import type { DecisionOptions } from './decide.js';
import { decideSnapshot } from './decide-snapshot.js';
import { factorialDesign, factorialThompsonProbabilities, fitFactorial } from './factorial-model.js';
import { TOP_TWO_BETA, topTwoProbabilities } from './policies/top-two.js';
import type { Rng } from './rng.js';
import type { SequentialTest } from './sequential/sequential-test.js';
import { applyTrafficFloor } from './traffic-floor.js';
import { type BetaPrior, DEFAULT_PRIOR, type Snapshot } from './types.js';

/** The traffic policies; an experiment's `traffic_allocation` is `adaptive` or `fixed` (docs/architecture.md#policies). */
export type PolicyName = 'fixed' | 'thompson' | 'top_two' | 'factorial' | 'adaptive';

export const POLICY_NAMES: readonly PolicyName[] = ['fixed', 'thompson', 'top_two', 'factorial', 'adaptive'];

/**
 * Adaptive policy: visitors every arm gets (uniformly) before traffic adapts. Thompson-style
 * allocations are already uniform under the prior, so the burn-in only guards the first
 * refreshes against one lucky conversion; 20 visitors per arm costs ~1% of the seed's conversions.
 */
export const DEFAULT_BURN_IN = 20;
/**
 * Adaptive policy: each arm keeps at least this fraction of a uniform share (0.05 / K each, i.e.
 * 5% of all traffic in total): no arm is ever starved, so its posterior keeps updating (drift)
 * and the stored assignment probabilities stay bounded away from 0 (inverse-propensity analyses).
 */
export const DEFAULT_MIN_SHARE_OF_UNIFORM = 0.05;
/**
 * Adaptive policy: multi-element experiments with at least this many combinations explore with the
 * factorial model (see usesFactorialExploration). 9-combination tests like the seed stay on
 * top-two, which reaches a decision there (98% of runs) at 13.8% lost.
 */
export const FACTORIAL_EXPLORATION_MIN_ARMS = 16;
/** Factorial policy: posterior draws used to estimate its Thompson probabilities per refresh. */
export const DEFAULT_FACTORIAL_DRAWS = 1000;

/** Tuning knobs of {@link computeAllocation}; every field is optional. */
export interface AllocationOptions {
  /** Beta prior for all arms (default Beta(1, 1)). */
  prior?: BetaPrior;
  /**
   * Minimum probability per arm, absolute (e.g. 0.01). Default: 0 for `thompson`, `top_two`
   * and `factorial`; DEFAULT_MIN_SHARE_OF_UNIFORM / K for `adaptive`. Ignored by `fixed`.
   */
  minShare?: number;
  /** `adaptive`: uniform traffic until every arm has this many visitors (default 20). */
  burnIn?: number;
  /** `top_two` / `adaptive`: probability of playing the leader (default 0.5). */
  topTwoBeta?: number;
  /** `factorial`: posterior draws per refresh (default 1000). */
  draws?: number;
  /** `adaptive`: thresholds of the decision rule that ends exploration. */
  decision?: DecisionOptions;
  /**
   * `adaptive`: a winner the server has already declared and persisted. The policy keeps
   * exploiting it even if a later snapshot dips below the decision thresholds (no flip-flopping).
   */
  declaredWinner?: number | null;
  /**
   * `adaptive`: the decision rule's sequential test, kept up to date by the caller (else built
   * from the snapshot; null: the Bayes-factor rule, see decideSnapshot).
   */
  test?: SequentialTest | null;
}

/** Which regime produced the allocation (for the allocation history and debugging). */
export type AllocationPhase = 'fixed' | 'burn_in' | 'explore' | 'exploit';

/**
 * Traffic allocation for one snapshot: the probability of each arm for the next visitors.
 * Compute it on each snapshot refresh, then call {@link choose} per visitor.
 */
export interface Allocation {
  policy: PolicyName;
  phase: AllocationPhase;
  /** One probability per arm, summing to 1. */
  probabilities: number[];
  /** For `adaptive` in the exploit phase: the declared winner. */
  winner: number | null;
  /** Prepared sampler (Vose alias table). */
  readonly table: AliasTable;
}

/** One visitor's arm and the exact probability with which it was picked. */
export interface Choice {
  arm: number;
  probability: number;
}

function finish(
  policy: PolicyName,
  phase: AllocationPhase,
  probabilities: number[],
  winner: number | null = null,
): Allocation {
  return { policy, phase, probabilities, winner, table: buildAliasTable(probabilities) };
}

function uniform(k: number): number[] {
  return new Array<number>(k).fill(1 / k);
}

/**
 * Turns a posterior snapshot into a traffic allocation. This is the expensive step (a K-arm
 * numerical integration, or posterior draws for the mean model and `factorial`): run it once per
 * snapshot refresh. P(best) honours `snapshot.metric` and `snapshot.direction`, and is a
 * deterministic function of the snapshot (the mean model's draws are seeded internally; only
 * `factorial` consumes `rng`).
 *
 * - `fixed`: the configured weights (uniform if none).
 * - `thompson`: P(arm is best) — exactly the probability that a Thompson draw picks the arm,
 *   computed once (integration over Beta posteriors; hurdle-model draws for mean metrics)
 *   instead of sampled per visitor.
 * - `top_two`: top-two Thompson sampling, β = 0.5, in closed form from P(best).
 * - `factorial`: Thompson sampling under the factorial logistic model of conversions (needs
 *   `snapshot.levels`; without them every arm is one level of a single element). It models
 *   conversions only, also for a mean snapshot.
 * - `adaptive` (default for adaptive experiments): uniform burn-in, then top-two until the
 *   decision rule declares a winner, then exploit the winner; always at least the min share.
 *   Binary multi-element experiments with 16 or more combinations explore with the factorial
 *   model; mean metrics always explore with top-two.
 *
 * @example
 * const rng = createRng(7);
 * const allocation = computeAllocation('adaptive', snapshot, rng);
 * const { arm, probability } = choose(allocation, rng); // per visitor, O(1)
 */
export function computeAllocation(
  policy: PolicyName,
  snapshot: Snapshot,
  rng: Rng,
  options: AllocationOptions = {},
): Allocation {
  const k = snapshot.arms.length;
  if (k === 0) throw new RangeError('an allocation needs at least one arm');
  const prior = options.prior ?? DEFAULT_PRIOR;
  switch (policy) {
    case 'fixed': {
      const weights = snapshot.weights;
      if (!weights || weights.length !== k || !weights.some((w) => w > 0))
        return finish(policy, 'fixed', uniform(k));
      const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
      return finish(
        policy,
        'fixed',
        weights.map((w) => Math.max(0, w) / total),
      );
    }
    case 'thompson': {
      const { probBest } = compareArms(snapshot.arms, snapshot.metric, snapshot.direction, prior);
      return finish(policy, 'explore', applyTrafficFloor(probBest, options.minShare ?? 0));
    }
    case 'top_two': {
      const { probBest } = compareArms(snapshot.arms, snapshot.metric, snapshot.direction, prior);
      const psi = topTwoProbabilities(probBest, options.topTwoBeta ?? TOP_TWO_BETA);
      return finish(policy, 'explore', applyTrafficFloor(psi, options.minShare ?? 0));
    }
    case 'factorial': {
      const levels = snapshot.levels ?? snapshot.arms.map((_, i) => [i]);
      const posterior = fitFactorial(factorialDesign(levels), snapshot.arms);
      const draws = options.draws ?? DEFAULT_FACTORIAL_DRAWS;
      const p = factorialThompsonProbabilities(posterior, draws, rng, snapshot.direction);
      return finish(policy, 'explore', applyTrafficFloor(p, options.minShare ?? 0));
    }
    case 'adaptive':
      return adaptiveAllocation(snapshot, options, prior, rng);
    default:
      throw new RangeError(`unknown policy: ${String(policy)}`);
  }
}

function adaptiveAllocation(
  snapshot: Snapshot,
  options: AllocationOptions,
  prior: BetaPrior,
  rng: Rng,
): Allocation {
  const k = snapshot.arms.length;
  const minShare = options.minShare ?? DEFAULT_MIN_SHARE_OF_UNIFORM / k;
  const burnIn = options.burnIn ?? DEFAULT_BURN_IN;
  if (snapshot.arms.some((arm) => arm.visitors < burnIn)) return finish('adaptive', 'burn_in', uniform(k));
  const declared = options.declaredWinner;
  if (declared !== undefined && declared !== null && declared >= 0 && declared < k) {
    const p = snapshot.arms.map((_, i) => (i === declared ? 1 : 0));
    return finish('adaptive', 'exploit', applyTrafficFloor(p, minShare), declared);
  }
  const verdict = decideSnapshot(snapshot, options.decision, prior, options.test);
  const probBest = verdict.probBest;
  if (verdict.winner !== null) {
    const p = probBest.map((_, i) => (i === verdict.winner ? 1 : 0));
    return finish('adaptive', 'exploit', applyTrafficFloor(p, minShare), verdict.winner);
  }
  if (usesFactorialExploration(snapshot)) {
    const posterior = fitFactorial(factorialDesign(snapshot.levels!), snapshot.arms);
    const draws = options.draws ?? DEFAULT_FACTORIAL_DRAWS;
    const p = factorialThompsonProbabilities(posterior, draws, rng, snapshot.direction);
    return finish('adaptive', 'explore', applyTrafficFloor(p, minShare));
  }
  const psi = topTwoProbabilities(probBest, options.topTwoBeta ?? TOP_TWO_BETA);
  return finish('adaptive', 'explore', applyTrafficFloor(psi, minShare));
}

/**
 * Multi-element experiments with many combinations explore with the factorial model instead of
 * independent-arm top-two: with more than FACTORIAL_EXPLORATION_MIN_ARMS arms the per-arm evidence
 * the decision rule needs takes far longer than sharing what each variant teaches (on mvt-81
 * top-two loses as much as plain Thompson sampling, the factorial model less than half of it).
 * The factorial model is a logistic regression of conversions, so mean metrics (revenue, events
 * per visitor) keep exploring with top-two on the hurdle model whatever the number of arms.
 */
function usesFactorialExploration(snapshot: Snapshot): boolean {
  const levels = snapshot.levels;
  return (
    (snapshot.metric ?? 'binary') === 'binary' &&
    snapshot.arms.length >= FACTORIAL_EXPLORATION_MIN_ARMS &&
    levels !== undefined &&
    levels.length === snapshot.arms.length &&
    levels[0].length >= 2
  );
}

/**
 * Picks the arm for one visitor: O(1) (two uniforms, alias method), ≈ 20–50 ns for 81 arms.
 * `probability` is the arm's probability under the allocation — store it with the assignment
 * (exact up to the 2⁻³² granularity of the uniforms).
 *
 * @example
 * const { arm, probability } = choose(allocation, rng);
 */
export function choose(allocation: Allocation, rng: Rng): Choice {
  const arm = sampleAlias(allocation.table, rng.next(), rng.next());
  return { arm, probability: allocation.probabilities[arm] };
}
