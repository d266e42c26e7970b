import {
  type Allocation,
  computeStats,
  probWorseThanControl,
  type Snapshot,
  type StatsResult,
} from '@samplit/engine';
import { allocationFor, buildSnapshot } from '../experiments/engine-snapshot.js';
import type {
  CounterStrata,
  DeclaredWinner,
  GoalCounts,
  OtherGoal,
} from '../experiments/experiment-counters.js';
import type { GoalDefinition } from '../experiments/experiment-schemas.js';
import type { ExperimentRow, ExperimentStructure } from '../experiments/experiment-store.js';
import { GUARDRAIL_LIKELY_WORSE, primaryGoal, reportedGoals } from '../experiments/goals.js';
import { toDecisionPayload, toPosteriorPayload, toSrmPayload } from './engine-payloads.js';
import type { ExperimentStats } from './stats-schemas.js';
import type { AllocationPoint } from './stats-store.js';

export type StatsExperiment = Pick<ExperimentRow, 'type' | 'status' | 'traffic_allocation' | 'goals'> &
  Partial<Pick<ExperimentRow, 'archived_at' | 'started_at' | 'planned_visitors'>>;

/**
 * Current traffic weights. A running experiment's are what the tracker draws from: this
 * process's tracker allocation when it has the experiment loaded, else the same computation on
 * the counters just read (allocationFor is a function of the counters and the declared winner,
 * so it is what every tracker process uses after its next refresh, about a second behind). A
 * paused, completed or archived experiment reports the last allocation it ran with (its latest
 * history point); a draft, what it will start with.
 */
function currentAllocation(
  input: StatsInput,
  snapshot: Snapshot,
): {
  weights: number[];
  source: 'tracker' | 'counters' | 'history';
  phase: string;
  recorded_at: string | null;
} {
  const { experiment, structure } = input;
  const latest = input.latestAllocation;
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
  const tracker = enrolling ? input.trackerAllocation : undefined;
  if (tracker && tracker.probabilities.length === structure.combinations.length) {
    return { weights: tracker.probabilities, source: 'tracker', phase: tracker.phase, recorded_at: null };
  }
  const arm = declaredArm(input);
  const allocation = allocationFor(experiment.traffic_allocation, snapshot, arm < 0 ? null : arm);
  return {
    weights: allocation.probabilities,
    source: 'counters',
    phase: allocation.phase,
    recorded_at: null,
  };
}

/**
 * The visitors still needed, in seconds at the experiment's average rate of new visitors since it
 * started; null without an estimate, a start, or traffic.
 */
function secondsToGo(input: StatsInput, visitors: number, toGo: number | null): number | null {
  const started = input.experiment.started_at;
  if (toGo === null || !started || visitors <= 0) return null;
  const elapsed = ((input.now ?? new Date()).getTime() - new Date(started).getTime()) / 1000;
  return elapsed > 0 ? toGo / (visitors / elapsed) : null;
}

/** The declared winner's arm on the primary goal, or −1. */
function declaredArm(input: StatsInput): number {
  const declared = input.declared;
  if (!declared || declared.goal !== primaryGoal(input.experiment.goals).key) return -1;
  return input.structure.combinations.findIndex((c) => c.id === declared.combination_id);
}

export interface StatsInput {
  experiment: StatsExperiment;
  structure: ExperimentStructure;
  /** Visitors per combination. */
  visitors: readonly { combination_id: string; visitors: number }[];
  /** Per combination, the counters of every reported goal (no row: nothing yet). */
  goalCounts: readonly ({ combination_id: string; goal: string } & GoalCounts)[];
  /** Goals with events that the experiment does not declare. */
  undeclared?: { goals: OtherGoal[]; total: number };
  latestAllocation?: AllocationPoint;
  /** The winner recorded for the experiment (experiment_decisions), if any. */
  declared?: DeclaredWinner;
  /** The counts per allocation epoch; without them each goal's snapshot is one stratum. */
  strata?: CounterStrata;
  /** The allocation this process's tracker draws from, when it has the experiment loaded. */
  trackerAllocation?: Pick<Allocation, 'probabilities' | 'phase'>;
  now?: Date;
}

interface GoalResult {
  goal: GoalDefinition;
  names: string[];
  /** Per arm, its events and summed values. */
  totals: { events: number; value_sum: number }[];
  snapshot: Snapshot;
  stats: StatsResult;
  /** Guardrails: per arm, P(worse than the control by more than the threshold). */
  worse: (number | null)[] | null;
}

/** One goal's figures, from the counters to the engine's statistics. */
function goalResult(input: StatsInput, goal: GoalDefinition): GoalResult {
  const counts = input.goalCounts.filter((c) => c.goal === goal.key);
  const { snapshot, names } = buildSnapshot(
    input.experiment,
    input.structure,
    goal,
    input.visitors,
    counts,
    input.strata,
  );
  const byId = new Map(counts.map((c) => [c.combination_id, c]));
  return {
    goal,
    names,
    totals: input.structure.combinations.map((c) => ({
      events: byId.get(c.id)?.events ?? 0,
      value_sum: byId.get(c.id)?.value_sum ?? 0,
    })),
    snapshot,
    stats: computeStats(snapshot),
    worse: goal.role === 'guardrail' ? probWorseThanControl(snapshot, goal.threshold ?? 0) : null,
  };
}

function elementsPayload(input: StatsInput, stats: StatsResult) {
  if (input.experiment.type !== 'multi_element' || !stats.elements) return null;
  return stats.elements.map((e) => {
    const element = input.structure.elements[e.element];
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
  });
}

/** One goal's figures in the payload: its definition, totals, per combination and per variant. */
function goalPayload(input: StatsInput, r: GoalResult): ExperimentStats['goals'][number] {
  const { experiment, structure } = input;
  const combos = structure.combinations;
  const events = r.totals.reduce((sum, t) => sum + t.events, 0);
  const valueSum = r.totals.reduce((sum, t) => sum + t.value_sum, 0);
  const { totalVisitors: visitors, totalConversions: conversions } = r.stats;
  const metricTotal = { conversion: conversions, revenue: valueSum, count: events }[r.goal.kind];
  return {
    ...r.goal,
    declared: experiment.goals.some((g) => g.key === r.goal.key),
    counted_since: experiment.started_at ? new Date(experiment.started_at).toISOString() : null,
    visitors,
    conversions,
    events,
    value_sum: valueSum,
    observed_mean: visitors > 0 ? metricTotal / visitors : 0,
    leader_combination_id: combos[r.stats.decision.leader].id,
    combinations: r.stats.arms.map((arm, i) => ({
      combination_id: combos[i].id,
      ...r.totals[i],
      ...toPosteriorPayload(arm),
      prob_worse_than_control: r.worse?.[i] ?? null,
    })),
    elements: elementsPayload(input, r.stats),
  };
}

/**
 * Everything the stats payload reports (docs/architecture.md#statistics-payload), with ids instead
 * of engine indexes: every goal's figures per combination and per element variant; the primary
 * goal's at the top level with the leader, the decision (with its guardrails), SRM (fixed) and the
 * allocation; the goals the tracker received but the experiment does not declare.
 */
export function experimentStats(input: StatsInput): ExperimentStats {
  const { experiment, structure } = input;
  if (structure.combinations.length === 0) throw new Error('an experiment without combinations has no stats');
  const combos = structure.combinations;
  const primaryKey = primaryGoal(experiment.goals).key;
  const results = reportedGoals(experiment.goals).map((goal) => goalResult(input, goal));
  const primary = results.find((r) => r.goal.key === primaryKey)!;
  const { stats, snapshot, names } = primary;
  const allocation = currentAllocation(input, snapshot);
  const declared = declaredArm(input) < 0 ? null : input.declared!;
  const decision = stats.decision;
  const judged = decision.winner ?? decision.leader;
  const { decision: kind, ...numbers } = toDecisionPayload(decision);
  return {
    computed_at: (input.now ?? new Date()).toISOString(),
    primary_goal: primaryKey,
    total_visitors: stats.totalVisitors,
    total_conversions: stats.totalConversions,
    conversion_rate: stats.totalVisitors > 0 ? stats.totalConversions / stats.totalVisitors : 0,
    control_combination_id: combos[primary.snapshot.controlArm ?? 0].id,
    leader: { combination_id: combos[decision.leader].id, name: names[decision.leader] },
    decision: {
      decision: kind,
      leader_combination_id: combos[decision.leader].id,
      winner_combination_id: decision.winner === null ? null : combos[decision.winner].id,
      rival_combination_id: decision.rival === null ? null : combos[decision.rival].id,
      ...numbers,
      seconds_to_go: secondsToGo(input, stats.totalVisitors, decision.visitorsToGo),
      guardrails: results.flatMap(({ goal, worse }) => {
        if (!worse) return [];
        const p = worse[judged];
        return [{ goal: goal.key, prob_worse: p, likely_worse: p !== null && p >= GUARDRAIL_LIKELY_WORSE }];
      }),
    },
    declared_winner: declared && {
      combination_id: declared.combination_id,
      goal: declared.goal,
      decided_at: new Date(declared.decided_at).toISOString(),
      evidence: declared.evidence,
    },
    srm: stats.srm && toSrmPayload(stats.srm),
    allocation: { source: allocation.source, phase: allocation.phase, recorded_at: allocation.recorded_at },
    combinations: stats.arms.map((arm, i) => ({
      combination_id: combos[i].id,
      name: names[i],
      variant_ids: combos[i].variant_ids,
      is_control: arm.isControl,
      ...toPosteriorPayload(arm),
      effective_visitors: arm.effectiveVisitors,
      traffic_weight: allocation.weights[i],
    })),
    elements: elementsPayload(input, stats),
    goals: results.map((r) => goalPayload(input, r)),
    undeclared_goals: input.undeclared ?? { goals: [], total: 0 },
  };
}
