import type { ExperimentStats, GoalStats } from '../../api/types.js';
import { type Metric, metricOf } from './goal-metric.js';

type GoalCombinationStats = GoalStats['combinations'][number];

/** A combination's figures on one goal: its posterior, and its events and summed values. */
export type GoalCombination = ExperimentStats['combinations'][number] &
  Pick<GoalCombinationStats, 'events' | 'value_sum'>;

/** The stats payload seen through one goal (see {@link GoalView}). */
export type GoalViewStats = Omit<ExperimentStats, 'combinations'> & { combinations: GoalCombination[] };

/** The figures the results show for one goal. */
export interface GoalView {
  goal: GoalStats;
  metric: Metric;
  /**
   * The payload with this goal's figures in place of the primary goal's: each combination's
   * posterior, the element variants, the leader and the totals. Names, variants, the control and
   * the traffic weights stay the experiment's. For the primary goal these are the top-level figures.
   */
  stats: GoalViewStats;
  /** Guardrails: per combination id, P(worse than the control by more than the threshold). */
  probWorse: ReadonlyMap<string, number | null>;
}

/** The goals in the order the selector lists them: the primary first, then as declared. */
export function goalsInOrder(stats: Pick<ExperimentStats, 'goals'>): GoalStats[] {
  const primary = stats.goals.filter((g) => g.role === 'primary');
  return [...primary, ...stats.goals.filter((g) => g.role !== 'primary')];
}

/** The goal with this key, else the primary one (the key may name a goal since removed). */
export function pickGoal(stats: Pick<ExperimentStats, 'goals'>, key: string | null): GoalStats | undefined {
  return stats.goals.find((g) => g.key === key) ?? goalsInOrder(stats)[0];
}

export function goalView(stats: ExperimentStats, key: string | null): GoalView | null {
  const goal = pickGoal(stats, key);
  if (!goal) return null;
  const byId = new Map(goal.combinations.map((c) => [c.combination_id, c]));
  const probWorse = new Map<string, number | null>();
  const combinations = stats.combinations.map((combination): GoalCombination => {
    const own = byId.get(combination.combination_id);
    if (!own) return { ...combination, events: 0, value_sum: 0 };
    const { prob_worse_than_control, ...posterior } = own;
    probWorse.set(combination.combination_id, prob_worse_than_control);
    return { ...combination, ...posterior };
  });
  const leader = combinations.find((c) => c.combination_id === goal.leader_combination_id);
  return {
    goal,
    metric: metricOf(goal.kind),
    probWorse,
    stats: {
      ...stats,
      total_visitors: goal.visitors,
      total_conversions: goal.conversions,
      conversion_rate: goal.visitors > 0 ? goal.conversions / goal.visitors : 0,
      leader: leader ? { combination_id: leader.combination_id, name: leader.name } : stats.leader,
      combinations,
      elements: goal.elements,
    },
  };
}
