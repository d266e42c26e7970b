// Test fixtures: experiments and time series shaped exactly as the API sends them, with stats
// computed by the server's own payload builder (experimentStats) from the given counts, so the
// component tests read real engine numbers rather than hand-typed ones.
import { experimentStats } from '../../../../server/src/stats/experiment-stats.js';
import type { Experiment, Timeseries } from '../../api/types.js';

export interface FixtureElement {
  name: string;
  /** Variant names; the first is the control. */
  variants: string[];
  selector?: string | null;
}

/** Visitors and conversions per combination, in combination order (first element slowest). */
export type Counts = [visitors: number, conversions: number][];

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
  options: { allocation?: 'adaptive' | 'fixed'; status?: Experiment['status'] } = {},
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
  const stats = experimentStats({
    experiment: { type, status, traffic_allocation: allocation, goals: [] },
    structure: { elements: rows, combinations },
    counters: combinations.map((c, i) => ({
      combination_id: c.id,
      visitors: counts[i][0],
      conversions: counts[i][1],
    })),
  });
  const now = new Date().toISOString();
  return {
    id: uuid(),
    name: 'Fixture experiment',
    description: null,
    type,
    status,
    traffic_allocation: allocation,
    traffic_percentage: 100,
    url: null,
    created_at: now,
    updated_at: now,
    started_at: status === 'draft' ? null : now,
    completed_at: null,
    archived_at: null,
    targeting: null,
    goals: [],
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

/** One bucket: per combination [visitors, conversions, weight or null]. */
export type FixtureBucket = [visitors: number, conversions: number, weight: number | null][];

/** A minute-bucket time series for the experiment's combinations. */
export function fixtureTimeseries(experiment: Experiment, buckets: FixtureBucket[]): Timeseries {
  const names = new Map(experiment.stats?.combinations.map((c) => [c.combination_id, c.name]));
  const start = Date.parse('2026-01-01T00:00:00Z');
  return {
    experiment_id: experiment.id,
    interval: 'minute',
    goal: 'conversion',
    combinations: experiment.combinations.map((c) => ({
      combination_id: c.id,
      name: names.get(c.id) ?? c.id,
    })),
    buckets: buckets.map((bucket, b) => ({
      start: new Date(start + b * 60_000).toISOString(),
      visitors: bucket.reduce((s, [v]) => s + v, 0),
      conversions: bucket.reduce((s, [, c]) => s + c, 0),
      combinations: experiment.combinations.map((c, i) => ({
        combination_id: c.id,
        visitors: bucket[i][0],
        conversions: bucket[i][1],
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
export const COLOUR: FixtureElement = { name: 'Colour', variants: ['Blue', 'Green', 'Red'] };
