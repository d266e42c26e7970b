import type { Snapshot, Stratum } from '../types.js';
import { DEFAULT_LOOKS } from './group-sequential.js';
import { createSequentialTest, DEFAULT_ALPHA, type SequentialTest } from './sequential-test.js';

/**
 * The strata a snapshot's test reads: `snapshot.strata` when given; otherwise a single stratum of
 * all its counts, with `snapshot.weights` as the probabilities (fixed allocation: exact) or, without
 * weights, the observed shares of visitors (exact only if the allocation never changed).
 */
export function snapshotStrata(snapshot: Snapshot): Stratum[] {
  if (snapshot.strata && snapshot.strata.length > 0) return snapshot.strata;
  const k = snapshot.arms.length;
  const weights =
    snapshot.weights && snapshot.weights.length === k && snapshot.weights.some((w) => w > 0)
      ? snapshot.weights.map((w) => Math.max(0, w))
      : snapshot.arms.map((a) => Math.max(0, a.visitors));
  const total = weights.reduce((s, w) => s + w, 0);
  const probabilities = total > 0 ? weights.map((w) => w / total) : snapshot.arms.map(() => 1 / k);
  return [{ probabilities, arms: snapshot.arms }];
}

/**
 * The decision rule's sequential test for a snapshot, every stratum added in order (see
 * sequential-test.ts). `alpha` and `looks` default to DEFAULT_ALPHA and DEFAULT_LOOKS.
 *
 * @example
 * snapshotSequentialTest({ arms, strata, horizon: 20_000 }).result().passed;
 */
export function snapshotSequentialTest(
  snapshot: Snapshot,
  options: { alpha?: number; looks?: number } = {},
): SequentialTest {
  const test = createSequentialTest(snapshot.arms.length, {
    alpha: options.alpha ?? DEFAULT_ALPHA,
    looks: options.looks ?? DEFAULT_LOOKS,
    horizon: snapshot.horizon,
    direction: snapshot.direction,
  });
  for (const stratum of snapshotStrata(snapshot)) test.add(stratum);
  return test;
}
