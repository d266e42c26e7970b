import type { GoalStats } from '../../api/types.js';
import { count, decimal, pct } from './format.js';

export type GoalKind = GoalStats['kind'];

/**
 * The server's default guardrail threshold (DEFAULT_GUARDRAIL_THRESHOLD in
 * packages/server/src/experiments/goals.ts): worse than the control by more than 2% of its value.
 */
export const DEFAULT_GUARDRAIL_THRESHOLD = 0.02;

/** How one goal's metric per visitor reads: its name, its values, and the range it lives in. */
export interface Metric {
  kind: GoalKind;
  /** "Conversion rate", "Revenue per visitor", "Events per visitor". */
  name: string;
  /** The metric in a sentence: "its rate", "its revenue per visitor". */
  noun: string;
  /** A value of the metric: "7.78%" (conversion), "12.35" (revenue), "1.37" (count). */
  value: (x: number | null | undefined) => string;
  /** An expected loss, in the metric's units with one digit more than a value. */
  loss: (x: number | null | undefined) => string;
  /** A tick on a chart axis, with `digits` decimals (of a percentage for conversion rates). */
  axis: (x: number, digits: number) => string;
  /** Conversion rates live in [0, 1]; revenue and events per visitor are unbounded. */
  bounded: boolean;
}

const METRICS: Record<GoalKind, Metric> = {
  conversion: {
    kind: 'conversion',
    name: 'Conversion rate',
    noun: 'rate',
    value: (x) => pct(x, 2),
    loss: (x) => pct(x, 3),
    axis: (x, digits) => pct(x, digits),
    bounded: true,
  },
  // Revenue is the sum of the events' `value`, in whatever currency the page sends: no symbol.
  revenue: {
    kind: 'revenue',
    name: 'Revenue per visitor',
    noun: 'revenue per visitor',
    value: (x) => decimal(x, 2),
    loss: (x) => decimal(x, 3),
    axis: (x, digits) => decimal(x, digits),
    bounded: false,
  },
  count: {
    kind: 'count',
    name: 'Events per visitor',
    noun: 'events per visitor',
    value: (x) => decimal(x, 2),
    loss: (x) => decimal(x, 3),
    axis: (x, digits) => decimal(x, digits),
    bounded: false,
  },
};

export const metricOf = (kind: GoalKind): Metric => METRICS[kind];

const KIND_WORDS: Record<GoalKind, string> = { conversion: 'conversion', revenue: 'revenue', count: 'count' };

/** "primary · conversion", "guardrail · count, lower is better". */
export function goalDescription(goal: Pick<GoalStats, 'role' | 'kind' | 'direction'>): string {
  return `${goal.role} · ${KIND_WORDS[goal.kind]}${goal.direction === 'lower' ? ', lower is better' : ''}`;
}

/** A guardrail's threshold as a percentage of the control's value: 0.02 → "2%", 0.125 → "12.5%". */
export function thresholdText(threshold: number): string {
  return `${Number((threshold * 100).toPrecision(3))}%`;
}

/**
 * A goal's totals over every combination in its own terms: "1,200 visitors, 54 converted
 * (4.50%)", "1,200 visitors, 54 with an event, 2,345.60 revenue: 1.95 per visitor".
 */
export function goalTotals(goal: GoalStats): string {
  const visitors = `${count(goal.visitors)} visitors`;
  if (goal.kind === 'conversion')
    return `${visitors}, ${count(goal.conversions)} converted (${pct(goal.observed_mean, 2)})`;
  const total =
    goal.kind === 'revenue' ? `${decimal(goal.value_sum, 2)} revenue` : `${count(goal.events)} events`;
  return `${visitors}, ${count(goal.conversions)} with an event, ${total}: ${metricOf(goal.kind).value(goal.observed_mean)} per visitor`;
}

/** The metric of the goal the decision follows. */
export function primaryMetric(stats: { primary_goal: string; goals: readonly GoalStats[] }): Metric {
  return metricOf(stats.goals.find((g) => g.key === stats.primary_goal)?.kind ?? 'conversion');
}
