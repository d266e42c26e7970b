import {
  type Allocation,
  type ArmCounts,
  computeAllocation,
  createRng,
  type Snapshot,
  type Stratum,
} from '@samplit/engine';
import type { CounterStrata, GoalCounts } from './experiment-counters.js';
import { NO_GOAL_COUNTS } from './experiment-counters.js';
import type { GoalDefinition } from './experiment-schemas.js';
import type { ExperimentRow, ExperimentStructure } from './experiment-store.js';

/** The engine's view of an experiment on one goal: arms in combination order, ids kept alongside. */
export interface SnapshotWithIds {
  snapshot: Snapshot;
  control: number;
  /** Per combination, its display name ("CTA-B × Copy-Y"). */
  names: string[];
}

/**
 * What the engine is given about one arm on one goal. A conversion goal is the visitors who
 * converted; revenue and count goals are per-visitor totals (summed `value`, events) with their
 * sums and sums of squares, and the visitors with any event.
 */
export function goalArm(visitors: number, goal: GoalDefinition, counts: GoalCounts): ArmCounts {
  const conversions = counts.converted;
  switch (goal.kind) {
    case 'conversion':
      return { visitors, conversions };
    case 'revenue':
      return { visitors, conversions, sum: counts.value_sum, sumSquares: counts.value_squares };
    case 'count':
      return { visitors, conversions, sum: counts.events, sumSquares: counts.events_squares };
  }
}

/** Per combination, its display name: its variants' names joined with " × " ("CTA-B × Copy-Y"). */
export function combinationNames(structure: ExperimentStructure): string[] {
  const names = new Map<string, string>();
  for (const e of structure.elements) for (const v of e.variants) names.set(v.id, v.name);
  return structure.combinations.map((c) => c.variant_ids.map((id) => names.get(id) ?? '?').join(' × '));
}

/**
 * The snapshot's strata: one per allocation epoch of the experiment, in the order the epochs were
 * recorded, each with the probabilities it served and the counts of its visitors on `goal`.
 * Epoch 0 (counted before epochs were recorded) has no recorded probabilities: the configured
 * weights stand for them under fixed traffic, else the epoch's observed shares (exact only if
 * its allocation never changed). Undefined when nothing has been counted, or for an adaptive
 * experiment without a recorded epoch.
 */
function snapshotStrata(
  experiment: Pick<ExperimentRow, 'traffic_allocation'>,
  structure: ExperimentStructure,
  goal: GoalDefinition,
  strata: CounterStrata,
): Stratum[] | undefined {
  const combos = structure.combinations;
  const visitors = new Map(strata.visitors.map((v) => [`${v.epoch}\n${v.combination_id}`, v.visitors]));
  const counts = new Map(
    strata.goals.filter((g) => g.goal === goal.key).map((g) => [`${g.epoch}\n${g.combination_id}`, g]),
  );
  const arms = (epoch: number) =>
    combos.map((c) =>
      goalArm(
        visitors.get(`${epoch}\n${c.id}`) ?? 0,
        goal,
        counts.get(`${epoch}\n${c.id}`) ?? NO_GOAL_COUNTS,
      ),
    );
  const out: Stratum[] = [];
  const before = arms(0);
  const beforeTotal = before.reduce((n, a) => n + a.visitors, 0);
  // Adaptive counts from before epochs alone: their observed shares would be the whole story, so
  // no strata (the engine assumes the same, and does not check a sample ratio against itself).
  if (experiment.traffic_allocation !== 'fixed' && strata.epochs.length === 0) return undefined;
  if (beforeTotal > 0) {
    const weights =
      experiment.traffic_allocation === 'fixed' ? combos.map((c) => c.weight) : before.map((a) => a.visitors);
    const total = weights.reduce((n, w) => n + Math.max(0, w), 0);
    out.push({ probabilities: weights.map((w) => Math.max(0, w) / total), arms: before });
  }
  for (const e of strata.epochs) {
    const epochArms = arms(e.epoch);
    if (!epochArms.some((a) => a.visitors > 0)) continue;
    out.push({ probabilities: combos.map((c) => Number(e.probabilities[c.id] ?? 0)), arms: epochArms });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Builds the engine {@link Snapshot} of an experiment on `goal` from the running aggregates: one
 * arm per combination in position order, each element's variant index as `levels`, the
 * all-control combination as control, the configured weights when traffic is fixed (they
 * drive `fixed` and the SRM check), the counts per allocation epoch as `strata` (the decision
 * rule's test and the design-robust estimates read them) and the planned visitors as `horizon`.
 * The tracker runtime and the reports both build it here.
 */
export function buildSnapshot(
  experiment: Pick<ExperimentRow, 'traffic_allocation'> & Partial<Pick<ExperimentRow, 'planned_visitors'>>,
  structure: ExperimentStructure,
  goal: GoalDefinition,
  visitors: readonly { combination_id: string; visitors: number }[],
  goalCounts: readonly ({ combination_id: string } & GoalCounts)[],
  strata?: CounterStrata,
): SnapshotWithIds {
  const variants = new Map<string, { index: number; isControl: boolean }>();
  for (const element of structure.elements) {
    element.variants.forEach((v, index) => {
      variants.set(v.id, { index, isControl: v.is_control });
    });
  }
  const visitorsById = new Map(visitors.map((v) => [v.combination_id, v.visitors]));
  const countsById = new Map(goalCounts.map((c) => [c.combination_id, c]));
  const combos = structure.combinations;
  const control = Math.max(
    0,
    combos.findIndex((c) => c.variant_ids.every((id) => variants.get(id)?.isControl)),
  );
  return {
    snapshot: {
      arms: combos.map((c) =>
        goalArm(visitorsById.get(c.id) ?? 0, goal, countsById.get(c.id) ?? NO_GOAL_COUNTS),
      ),
      levels: combos.map((c) => c.variant_ids.map((id) => variants.get(id)?.index ?? 0)),
      controlArm: control,
      metric: goal.kind === 'conversion' ? 'binary' : 'mean',
      direction: goal.direction,
      ...(experiment.traffic_allocation === 'fixed' ? { weights: combos.map((c) => c.weight) } : {}),
      ...(strata ? { strata: snapshotStrata(experiment, structure, goal, strata) } : {}),
      ...(experiment.planned_visitors ? { horizon: experiment.planned_visitors } : {}),
    },
    control,
    names: combinationNames(structure),
  };
}

/** The seed of every allocation's own random numbers (the factorial policy's posterior draws). */
export const ALLOCATION_SEED = 0x5a3b_a110;

/**
 * An experiment's traffic allocation on its snapshot: the probabilities every new visitor is
 * drawn from. The policy's own random numbers (the factorial policy estimates its Thompson
 * probabilities from posterior draws) come from a fixed seed, so the allocation is a function of
 * the counters and the declared winner alone: every process, and the reports, computing it from
 * the same counters get the same probabilities. The draw per visitor uses the process's own
 * random source (tracker-service.ts).
 */
export function allocationFor(
  policy: ExperimentRow['traffic_allocation'],
  snapshot: Snapshot,
  declaredWinner: number | null,
): Allocation {
  return computeAllocation(policy, snapshot, createRng(ALLOCATION_SEED), { declaredWinner });
}
