import { computeAllocation, computeStats, createRng, type Snapshot } from '@samplit/engine';
import type { ExperimentRow, ExperimentStructure } from '../experiments/experiment-store.js';
import { primaryGoal } from '../experiments/goals.js';
import { toDecisionPayload, toPosteriorPayload, toSrmPayload } from './engine-payloads.js';
import type { ExperimentStats } from './stats-schemas.js';
import type { AllocationPoint, CounterRow } from './stats-store.js';

/** The goal the counters count when an experiment names none (the tracker's default). */

export type StatsExperiment = Pick<ExperimentRow, 'type' | 'status' | 'traffic_allocation' | 'goals'> &
  Partial<Pick<ExperimentRow, 'archived_at'>>;

/** The engine's view of an experiment: arms in combination order, ids kept alongside. */
export interface SnapshotWithIds {
  snapshot: Snapshot;
  control: number;
  /** Per combination, its display name ("CTA-B × Copy-Y"). */
  names: string[];
}

/**
 * Builds the engine {@link Snapshot} from the running aggregates: one arm per combination in
 * position order, each element's variant index as `levels`, the all-control combination as
 * control, and the configured weights when traffic is fixed (they drive the SRM check).
 */
export function buildSnapshot(
  experiment: StatsExperiment,
  structure: ExperimentStructure,
  counters: readonly CounterRow[],
): SnapshotWithIds {
  const variants = new Map<string, { index: number; name: string; isControl: boolean }>();
  for (const element of structure.elements) {
    element.variants.forEach((v, index) => {
      variants.set(v.id, { index, name: v.name, isControl: v.is_control });
    });
  }
  const byId = new Map(counters.map((c) => [c.combination_id, c]));
  const combos = structure.combinations;
  const controlIndex = combos.findIndex((c) => c.variant_ids.every((id) => variants.get(id)?.isControl));
  return {
    snapshot: {
      arms: combos.map((c) => ({
        visitors: byId.get(c.id)?.visitors ?? 0,
        conversions: byId.get(c.id)?.conversions ?? 0,
      })),
      levels: combos.map((c) => c.variant_ids.map((id) => variants.get(id)?.index ?? 0)),
      controlArm: Math.max(0, controlIndex),
      ...(experiment.traffic_allocation === 'fixed' ? { weights: combos.map((c) => c.weight) } : {}),
    },
    control: Math.max(0, controlIndex),
    names: combos.map((c) => c.variant_ids.map((id) => variants.get(id)?.name ?? '?').join(' × ')),
  };
}

/**
 * Current traffic weights. A running experiment's come from its policy on the current counters:
 * `adaptive` and `fixed` are deterministic functions of them, so this is exactly what every
 * tracker process computes on its next snapshot refresh (about a second behind), while the
 * allocation history is only written once a minute. A paused, completed or archived experiment
 * reports the last allocation it ran with (its latest history point); a draft, what it will start with.
 */
function currentAllocation(
  experiment: StatsExperiment,
  structure: ExperimentStructure,
  snapshot: Snapshot,
  latest: AllocationPoint | undefined,
): { weights: number[]; source: 'counters' | 'history'; phase: string; recorded_at: string | null } {
  const recorded = latest?.weights.weights;
  const enrolling = experiment.status === 'running' && !experiment.archived_at;
  if (!enrolling && latest && recorded) {
    const weights = structure.combinations.map((c) => recorded[c.id]);
    if (weights.every((w) => typeof w === 'number' && Number.isFinite(w))) {
      return {
        weights,
        source: 'history',
        phase: latest.weights.phase ?? 'unknown',
        recorded_at: new Date(latest.recorded_at).toISOString(),
      };
    }
  }
  const weights = structure.combinations.map((c) => c.weight);
  // `adaptive` and `fixed` draw no random numbers; the seed only satisfies the signature.
  const allocation = computeAllocation(experiment.traffic_allocation, { ...snapshot, weights }, createRng(0));
  return {
    weights: allocation.probabilities,
    source: 'counters',
    phase: allocation.phase,
    recorded_at: null,
  };
}

export interface StatsInput {
  experiment: StatsExperiment;
  structure: ExperimentStructure;
  counters: readonly CounterRow[];
  latestAllocation?: AllocationPoint;
  now?: Date;
}

/**
 * Everything the stats payload reports (docs/architecture.md#statistics-payload), with ids instead of engine indexes: per combination, per
 * element variant (multi_element), totals, leader, decision with its numbers, SRM (fixed).
 */
export function experimentStats(input: StatsInput): ExperimentStats {
  const { experiment, structure } = input;
  if (structure.combinations.length === 0) throw new Error('an experiment without combinations has no stats');
  const { snapshot, control, names } = buildSnapshot(experiment, structure, input.counters);
  const allocation = currentAllocation(experiment, structure, snapshot, input.latestAllocation);
  const stats = computeStats(snapshot);
  const combos = structure.combinations;
  const decision = stats.decision;
  const { decision: kind, ...numbers } = toDecisionPayload(decision);
  return {
    computed_at: (input.now ?? new Date()).toISOString(),
    primary_goal: primaryGoal(experiment),
    total_visitors: stats.totalVisitors,
    total_conversions: stats.totalConversions,
    conversion_rate: stats.totalVisitors > 0 ? stats.totalConversions / stats.totalVisitors : 0,
    control_combination_id: combos[control].id,
    leader: { combination_id: combos[decision.leader].id, name: names[decision.leader] },
    decision: {
      decision: kind,
      leader_combination_id: combos[decision.leader].id,
      winner_combination_id: decision.winner === null ? null : combos[decision.winner].id,
      ...numbers,
    },
    srm: stats.srm && toSrmPayload(stats.srm),
    allocation: { source: allocation.source, phase: allocation.phase, recorded_at: allocation.recorded_at },
    combinations: stats.arms.map((arm, i) => ({
      combination_id: combos[i].id,
      name: names[i],
      variant_ids: combos[i].variant_ids,
      is_control: arm.isControl,
      ...toPosteriorPayload(arm),
      traffic_weight: allocation.weights[i],
    })),
    elements:
      experiment.type === 'multi_element' && stats.elements
        ? stats.elements.map((e) => {
            const element = structure.elements[e.element];
            return {
              element_id: element.id,
              name: element.name,
              variants: e.variants.map((v) => ({
                variant_id: element.variants[v.variant].id,
                name: element.variants[v.variant].name,
                is_control: v.isControl,
                ...toPosteriorPayload(v),
              })),
            };
          })
        : null,
  };
}
