// Test fixtures: experiments and time series shaped exactly as the API sends them, with stats
// computed by the server's own payload builder (experimentStats) from the given counts, so the
// component tests read real engine numbers rather than hand-typed ones.
import type { GoalCounts } from '../../../../server/src/experiments/experiment-counters.js';
import { primaryGoal } from '../../../../server/src/experiments/goals.js';
import { experimentStats } from '../../../../server/src/stats/experiment-stats.js';
import type { Experiment, ExperimentStats, GoalDefinition, Timeseries } from '../../api/types.js';

export interface FixtureElement {
  name: string;
  /** Variant names; the first is the control. */
  variants: string[];
  selector?: string | null;
}

/** Visitors and conversions per combination, in combination order (first element slowest). */
export type Counts = [visitors: number, conversions: number][];

/**
 * Per combination, each visitor with events on a goal as [events, summed value]: a buyer who paid
 * 12.50 once is [1, 12.5]. Visitors without events are left out.
 */
export type VisitorEvents = [events: number, value: number][][];

export interface FixtureOptions {
  allocation?: 'adaptive' | 'fixed';
  status?: Experiment['status'];
  /** Declared goals (default none: the implicit "conversion" goal). */
  goals?: GoalDefinition[];
  /**
   * Events per goal key. The primary goal's default comes from `counts`: each conversion one
   * event of value 0.
   */
  events?: Record<string, VisitorEvents>;
  undeclared?: ExperimentStats['undeclared_goals'];
  /** The horizon: with it the conversion goals' test is group-sequential (default null: anytime). */
  plannedVisitors?: number | null;
  /** How long before now the experiment started (default 0: no rate, so no seconds to go). */
  startedMsAgo?: number;
}

/** A goal's running aggregates for one combination from its visitors' events. */
export function goalCounts(visitors: readonly [number, number][]): GoalCounts {
  return visitors.reduce(
    (sum, [events, value]) => ({
      converted: sum.converted + (events > 0 ? 1 : 0),
      events: sum.events + events,
      events_squares: sum.events_squares + events * events,
      value_sum: sum.value_sum + value,
      value_squares: sum.value_squares + value * value,
    }),
    { converted: 0, events: 0, events_squares: 0, value_sum: 0, value_squares: 0 },
  );
}

/** A definition with the API's defaults: a secondary conversion goal where higher is better. */
export function goalDefinition(key: string, patch: Partial<GoalDefinition> = {}): GoalDefinition {
  const role = patch.role ?? 'secondary';
  return {
    key,
    kind: 'conversion',
    direction: 'higher',
    role,
    threshold: role === 'guardrail' ? 0.02 : null,
    ...patch,
  };
}

let sequence = 0;
/** A fresh, well-formed UUID (counter-based so failures are reproducible). */
function uuid(): string {
  sequence += 1;
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

/** Every combination of one variant per element, in the server's order (first element slowest). */
function factorial<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>(
    (acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])),
    [[]],
  );
}

export function fixtureExperiment(
  elements: FixtureElement[],
  counts: Counts,
  options: FixtureOptions = {},
): Experiment {
  const rows = elements.map((e) => {
    const id = uuid();
    return {
      id,
      name: e.name,
      selector: e.selector ?? null,
      variants: e.variants.map((name, i) => ({
        id: uuid(),
        element_id: id,
        name,
        weight: 1,
        is_control: i === 0,
        content: {},
      })),
    };
  });
  const combinations = factorial(rows.map((e) => e.variants.map((v) => v.id))).map((variant_ids) => ({
    id: uuid(),
    variant_ids,
    weight: 1,
  }));
  if (counts.length !== combinations.length) {
    throw new Error(
      `${combinations.length} combinations need ${combinations.length} counts, got ${counts.length}`,
    );
  }
  const type = elements.length > 1 ? 'multi_element' : 'ab_test';
  const allocation = options.allocation ?? 'adaptive';
  const status = options.status ?? 'running';
  const goals = options.goals ?? [];
  const primary = primaryGoal(goals).key;
  const events: Record<string, VisitorEvents> = {
    [primary]: counts.map(([, conversions]) => Array.from({ length: conversions }, () => [1, 0])),
    ...options.events,
  };
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const startedAt = status === 'draft' ? null : new Date(nowMs - (options.startedMsAgo ?? 0)).toISOString();
  const plannedVisitors = options.plannedVisitors ?? null;
  const stats = experimentStats({
    experiment: {
      type,
      status,
      traffic_allocation: allocation,
      goals,
      started_at: startedAt ? new Date(startedAt) : null,
      planned_visitors: plannedVisitors,
    },
    structure: { elements: rows, combinations },
    visitors: combinations.map((c, i) => ({ combination_id: c.id, visitors: counts[i][0] })),
    goalCounts: Object.entries(events).flatMap(([goal, perCombination]) =>
      combinations.map((c, i) => ({ combination_id: c.id, goal, ...goalCounts(perCombination[i] ?? []) })),
    ),
    undeclared: options.undeclared,
    now: new Date(nowMs),
  });
  return {
    id: uuid(),
    name: 'Fixture experiment',
    description: null,
    type,
    status,
    traffic_allocation: allocation,
    traffic_percentage: 100,
    planned_visitors: plannedVisitors,
    url: null,
    created_at: now,
    updated_at: now,
    started_at: startedAt,
    completed_at: null,
    archived_at: null,
    raw_data_removed_at: null,
    targeting: null,
    goals,
    allow_custom_js: false,
    winner_combination_id: null,
    elements: rows.map(({ id, name, selector, variants }) => ({
      id,
      name,
      selector,
      variants: variants.map(({ id, name, weight, is_control, content }) => ({
        id,
        name,
        weight,
        is_control,
        content,
      })),
    })),
    combinations,
    stats,
  };
}

/**
 * One bucket: per combination [visitors, conversions, weight or null, events, summed value]
 * (events default to the conversions, the value to 0).
 */
export type FixtureBucket = [
  visitors: number,
  conversions: number,
  weight: number | null,
  events?: number,
  value?: number,
][];

/** A minute-bucket time series of one goal for the experiment's combinations. */
export function fixtureTimeseries(
  experiment: Experiment,
  buckets: FixtureBucket[],
  goal = 'conversion',
): Timeseries {
  const names = new Map(experiment.stats?.combinations.map((c) => [c.combination_id, c.name]));
  const start = Date.parse('2026-01-01T00:00:00Z');
  return {
    experiment_id: experiment.id,
    interval: 'minute',
    goal,
    combinations: experiment.combinations.map((c) => ({
      combination_id: c.id,
      name: names.get(c.id) ?? c.id,
    })),
    buckets: buckets.map((bucket, b) => ({
      start: new Date(start + b * 60_000).toISOString(),
      visitors: bucket.reduce((s, [v]) => s + v, 0),
      conversions: bucket.reduce((s, [, c]) => s + c, 0),
      events: bucket.reduce((s, [, c, , e]) => s + (e ?? c), 0),
      value: bucket.reduce((s, [, , , , v]) => s + (v ?? 0), 0),
      combinations: experiment.combinations.map((c, i) => ({
        combination_id: c.id,
        visitors: bucket[i][0],
        conversions: bucket[i][1],
        events: bucket[i][3] ?? bucket[i][1],
        value: bucket[i][4] ?? 0,
        weight: bucket[i][2],
      })),
    })),
  };
}

export const CTA: FixtureElement = {
  name: 'CTA Button',
  variants: ['CTA-A', 'CTA-B', 'CTA-C'],
  selector: '#cta',
};
export const COPY: FixtureElement = {
  name: 'Hero Copy',
  variants: ['Copy-X', 'Copy-Y', 'Copy-Z'],
  selector: '#hero',
};
/**
 * A 3 × 3 adaptive run of the live demo (CTA × Copy): CTA-B × Copy-Y took most of the traffic and
 * leads, but its e-value against its closest rival is short of 9 / 0.05 = 180.
 */
export const DEMO_COUNTS: Counts = [
  [181, 4],
  [511, 23],
  [116, 1],
  [728, 37],
  [7367, 574],
  [343, 16],
  [173, 5],
  [409, 17],
  [172, 3],
];

export const COLOUR: FixtureElement = { name: 'Colour', variants: ['Blue', 'Green', 'Red'] };
