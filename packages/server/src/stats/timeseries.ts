import { AppError } from '../errors/app-error.js';
import type { Timeseries } from './stats-schemas.js';
import type { BucketAllocation, BucketCount, BucketGoalEvents, Interval } from './stats-store.js';

/** Most buckets one response may hold (a year of hours is 8,760; a day of minutes 1,440). */
export const MAX_BUCKETS = 10_000;

/** Bucket widths. Buckets are UTC, and the Unix epoch is a UTC midnight, so flooring aligns them. */
export const INTERVAL_MS: Record<Interval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const floorTo = (ms: number, step: number): number => Math.floor(ms / step) * step;

export interface TimeseriesInput {
  experimentId: string;
  interval: Interval;
  goal: string;
  combinations: { id: string; name: string }[];
  visitors: BucketCount[];
  /** The goal's events per combination per bucket. */
  events: BucketGoalEvents[];
  /** Last allocation per bucket, including buckets before `from` (they seed the carry-forward). */
  allocations: BucketAllocation[];
  from?: string;
  to?: string;
}

/**
 * Dense buckets from the first to the last one with data (or the requested window), zeros where
 * nothing happened; each bucket's weights are the last allocation recorded at or before its end.
 */
export function buildTimeseries(input: TimeseriesInput): Timeseries {
  const step = INTERVAL_MS[input.interval];
  const fromMs = input.from === undefined ? undefined : Date.parse(input.from);
  const toMs = input.to === undefined ? undefined : Date.parse(input.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new AppError('STATS_TIMESERIES_001', undefined, [
      { field: 'querystring.to', message: 'must be after from' },
    ]);
  }
  const inWindow = (ms: number) =>
    (fromMs === undefined || ms >= floorTo(fromMs, step)) && (toMs === undefined || ms < toMs);
  const seen: number[] = [];
  for (const row of [...input.visitors, ...input.events]) seen.push(new Date(row.bucket).getTime());
  for (const row of input.allocations) {
    const ms = new Date(row.bucket).getTime();
    if (inWindow(ms)) seen.push(ms);
  }
  const base = {
    experiment_id: input.experimentId,
    interval: input.interval,
    goal: input.goal,
    combinations: input.combinations.map((c) => ({ combination_id: c.id, name: c.name })),
  };
  if (seen.length === 0 && (fromMs === undefined || toMs === undefined)) return { ...base, buckets: [] };
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (const ms of seen) {
    lowest = Math.min(lowest, ms);
    highest = Math.max(highest, ms);
  }
  const first = fromMs === undefined ? lowest : floorTo(fromMs, step);
  const last = toMs === undefined ? highest : floorTo(toMs - 1, step);
  const count = Math.floor((last - first) / step) + 1;
  if (count > MAX_BUCKETS) {
    throw new AppError(
      'STATS_TIMESERIES_001',
      `${count} ${input.interval} buckets exceed the limit of ${MAX_BUCKETS}; use a coarser interval or a from/to window.`,
      [{ field: 'querystring.interval', message: `gives ${count} buckets (at most ${MAX_BUCKETS})` }],
    );
  }

  const index = new Map(input.combinations.map((c, i) => [c.id, i]));
  const k = input.combinations.length;
  const grid = <T extends { bucket: Date; combination_id: string }>(rows: T[], value: (row: T) => number) => {
    const cells = new Float64Array(count * k);
    for (const row of rows) {
      const b = (new Date(row.bucket).getTime() - first) / step;
      const c = index.get(row.combination_id);
      if (c !== undefined && b >= 0 && b < count) cells[b * k + c] += Number(value(row));
    }
    return cells;
  };
  const visitors = grid(input.visitors, (r) => r.n);
  const conversions = grid(input.events, (r) => r.conversions);
  const events = grid(input.events, (r) => r.events);
  const values = grid(input.events, (r) => r.value);

  const history = [...input.allocations].sort(
    (a, b) => new Date(a.bucket).getTime() - new Date(b.bucket).getTime(),
  );
  let h = 0;
  let weights: Record<string, number> | undefined;
  const buckets: Timeseries['buckets'] = [];
  for (let b = 0; b < count; b++) {
    const start = first + b * step;
    while (h < history.length && new Date(history[h].bucket).getTime() <= start) {
      weights = history[h].weights.weights ?? weights;
      h++;
    }
    const total = { visitors: 0, conversions: 0, events: 0, value: 0 };
    const combinations = input.combinations.map((c, i) => {
      const cell = {
        visitors: visitors[b * k + i],
        conversions: conversions[b * k + i],
        events: events[b * k + i],
        value: values[b * k + i],
      };
      total.visitors += cell.visitors;
      total.conversions += cell.conversions;
      total.events += cell.events;
      total.value += cell.value;
      const w = weights?.[c.id];
      return { combination_id: c.id, ...cell, weight: typeof w === 'number' ? w : null };
    });
    buckets.push({ start: new Date(start).toISOString(), ...total, combinations });
  }
  return { ...base, buckets };
}
