import type { MetricDirection, Stratum } from '../types.js';
import { groupSequentialBoundaries } from './group-sequential.js';
import { createPairwiseEvidence } from './pairwise-evidence.js';
import { logMixtureApproximation } from './visitors-to-go.js';

/** Error budget of the decision rule: P(declaring an arm that is not the best) ≤ α. */
export const DEFAULT_ALPHA = 0.05;

export interface SequentialTestOptions {
  /** Level of the whole rule (default DEFAULT_ALPHA): each one-sided pairwise comparison gets α / K. */
  alpha: number;
  /** Planned visitors; with it the test is group-sequential, without it anytime-valid. */
  horizon?: number;
  /** Number of equally spaced analyses up to the horizon. */
  looks: number;
  direction?: MetricDirection;
}

/** What the test says now (see {@link createSequentialTest}). */
export interface SequentialTestResult {
  test: 'anytime' | 'group_sequential';
  /** The arm with the strongest evidence against its weakest rival. */
  candidate: number;
  /** That arm's weakest rival. */
  rival: number;
  /** anytime: the e-value against the weakest rival; group_sequential: the z statistic at the deciding (or last) look. */
  statistic: number;
  /** anytime: K / α; group_sequential: the z boundary of that look. */
  threshold: number;
  /** The candidate beats every other arm at level α. */
  passed: boolean;
  /** group_sequential: analyses done so far, out of `looks`. */
  look: number;
  looks: number;
  /** group_sequential: the last analysis is done (no later one can declare a winner). */
  horizonReached: boolean;
  /** Estimated further visitors until the test passes on the current trend; null if none is in sight. */
  visitorsToGo: number | null;
}

/**
 * The arm whose weakest comparison is strongest: max over k of min over j ≠ k of value(k, j),
 * with that arm's weakest rival.
 */
export function strongestArm(
  arms: number,
  value: (k: number, j: number) => number,
): { arm: number; rival: number; value: number } {
  let best = { arm: 0, rival: arms > 1 ? 1 : 0, value: Number.NEGATIVE_INFINITY };
  for (let k = 0; k < arms; k++) {
    let weakest = { rival: k, value: Number.POSITIVE_INFINITY };
    for (let j = 0; j < arms; j++) {
      if (j === k) continue;
      const v = value(k, j);
      if (v < weakest.value) weakest = { rival: j, value: v };
    }
    if (weakest.value > best.value) best = { arm: k, rival: weakest.rival, value: weakest.value };
  }
  return best;
}

/** A {@link SequentialTestResult} that is updated stratum by stratum. */
export interface SequentialTest {
  add(stratum: Stratum): void;
  result(): SequentialTestResult;
}

/**
 * The decision rule's test for binary outcomes, over a PairwiseEvidence (pairwise-evidence.ts).
 * An arm k is declared better than all others when, for every other arm j, the one-sided
 * evidence that k converts better than j passes at level α / K ('lower' direction: converts less).
 *
 * - Without a horizon (anytime-valid): e-process(k over j) ≥ K / α for all j. Take any arm b that
 *   is best at all times (p_b(t) ≥ p_k(t) for every k and t). Declaring an arm k ≠ b requires
 *   e-process(k over b) to reach K / α, which by Ville's inequality happens with probability
 *   ≤ α / K, whenever and however often the result is looked at, under any allocation with known
 *   probabilities: P(ever declaring an arm that is not best) ≤ (K − 1) α / K < α. When every arm
 *   is equal (an A/A test) any declaration is false, and P(ever declaring any arm) ≤ K · α / K = α.
 * - With a horizon N: group-sequential. At analysis i (once N·i / looks visitors are in) the
 *   score statistics Z(k, j) are compared with the O'Brien–Fleming-type boundary b_i at level
 *   α / K (groupSequentialBoundaries); the first analysis that passes declares. Between
 *   analyses nothing changes, so checking after every refresh is the same as checking at the
 *   analyses. Its level is approximate: it rests on Z being a Brownian motion in information
 *   time (martingale CLT) with information proportional to visitors; the simulator measures it.
 *   After the last analysis no winner can be declared (`horizonReached`).
 *
 * @example
 * const test = createSequentialTest(2, { alpha: 0.05, looks: 10 });
 * test.add(stratum);
 * test.result().passed;
 */
export function createSequentialTest(arms: number, options: SequentialTestOptions): SequentialTest {
  const evidence = createPairwiseEvidence(arms);
  const { alpha, horizon, looks } = options;
  const lower = options.direction === 'lower';
  const pairAlpha = alpha / Math.max(2, arms);
  const grouped = horizon !== undefined && horizon > 0;
  const boundaries = grouped ? groupSequentialBoundaries(looks, pairAlpha) : [];
  const logThreshold = Math.log(1 / pairAlpha);
  // "k better than j", in the metric's direction.
  const better = (k: number, j: number, f: (a: number, b: number) => number) => (lower ? f(j, k) : f(k, j));
  let done = 0;
  let declared: { arm: number; rival: number; z: number; look: number } | null = null;
  let lastLook: { arm: number; rival: number; z: number } | null = null;

  const strongest = (f: (a: number, b: number) => number) => strongestArm(arms, (k, j) => better(k, j, f));

  function add(stratum: Stratum): void {
    evidence.add(stratum);
    if (!grouped) return;
    while (done < looks && evidence.visitors >= (horizon! * (done + 1)) / looks) {
      done++;
      const top = strongest(evidence.z);
      lastLook = { arm: top.arm, rival: top.rival, z: top.value };
      if (!declared && top.value >= boundaries[done - 1]) declared = { ...lastLook, look: done };
    }
  }

  function toGoAnytime(arm: number): number | null {
    // All rivals must pass: the visitors the slowest one needs on the current trend.
    let need = 0;
    for (let j = 0; j < arms; j++) {
      if (j === arm) continue;
      if (better(arm, j, evidence.logE) >= logThreshold) continue;
      const { u, v } = lower ? evidence.conversionScore(j, arm) : evidence.conversionScore(arm, j);
      if (!(u > 0 && v > 0)) return null;
      // Smallest growth factor g of (u, v) ↦ (g·u, g·v) reaching the threshold, by doubling and bisection.
      const reaches = (g: number) => logMixtureApproximation(g * u, g * v) >= logThreshold;
      let hi = 1;
      while (!reaches(hi)) {
        hi *= 2;
        if (hi > 1024) return null;
      }
      let lo = hi / 2;
      for (let it = 0; it < 40; it++) {
        const mid = 0.5 * (lo + hi);
        if (reaches(mid)) hi = mid;
        else lo = mid;
      }
      need = Math.max(need, (hi - 1) * evidence.visitors);
    }
    return Math.ceil(need);
  }

  function toGoGrouped(arm: number, rival: number): number | null {
    // Current trend: Z grows like √visitors; the first remaining analysis whose boundary it meets.
    const n = evidence.visitors;
    const z = better(arm, rival, evidence.z);
    if (!(z > 0 && n > 0)) return null;
    for (let i = done + 1; i <= looks; i++) {
      const at = (horizon! * i) / looks;
      if (z * Math.sqrt(at / n) >= boundaries[i - 1]) return Math.ceil(at - n);
    }
    return null;
  }

  function result(): SequentialTestResult {
    if (grouped) {
      const shown = declared ?? lastLook;
      const now = strongest(evidence.z);
      const lookIndex = declared ? declared.look : done;
      return {
        test: 'group_sequential',
        candidate: shown?.arm ?? now.arm,
        rival: shown?.rival ?? now.rival,
        statistic: shown?.z ?? 0,
        threshold: boundaries[Math.max(0, lookIndex - 1)] ?? boundaries[0],
        passed: declared !== null,
        look: done,
        looks,
        horizonReached: done >= looks,
        visitorsToGo: declared || done >= looks ? null : toGoGrouped(now.arm, now.rival),
      };
    }
    const top = strongest(evidence.logE);
    const passed = arms > 1 && top.value >= logThreshold;
    return {
      test: 'anytime',
      candidate: top.arm,
      rival: top.rival,
      statistic: Math.exp(Math.min(700, top.value)),
      threshold: 1 / pairAlpha,
      passed,
      look: 0,
      looks: 0,
      horizonReached: false,
      visitorsToGo: passed ? null : toGoAnytime(top.arm),
    };
  }

  return { add, result };
}
