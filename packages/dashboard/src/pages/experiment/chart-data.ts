import { bestArmProbabilities, DEFAULT_PRIOR } from '@samplit/engine';
import type { ExperimentStats, GoalStats, Timeseries } from '../../api/types.js';
import type { GoalKind } from './goal-metric.js';

// Timeseries → uPlot data. uPlot takes columns: x (Unix seconds) then one array per series, with
// null for "no value here" (drawn as a gap).

export type Column = (number | null)[];

/** Series drawn per chart: the top arms by current P(best) plus the control. */
export const MAX_CHART_SERIES = 8;
/** Up to this many arms every one is drawn: hiding one or two saves nothing and hides a line. */
export const DRAW_ALL_UP_TO = 10;

/**
 * P(best) over time runs the engine's numerical integration once per bucket over every arm (it
 * must: P(best) is relative to all of them): about 0.5 ms per bucket at 9 arms and 2.5 ms at 81
 * on the 2-core development machine, so 60 buckets keep a refresh at 81 arms near 150 ms. Longer
 * series are sampled evenly, first and last bucket kept.
 */
export const MAX_PROB_BEST_BUCKETS = 60;

/** Which timeseries arms (indices into `timeseries.combinations`) the charts draw. */
export interface SeriesSelection {
  /** Indices into `timeseries.combinations`, in combination order. */
  shown: number[];
  total: number;
}

/**
 * Every arm when there are at most {@link DRAW_ALL_UP_TO}; else the top `limit` by current P(best)
 * plus the control (which may make it limit + 1), in the timeseries' combination order so colours and legend rows stay put while ranks change.
 */
export function selectSeries(
  ts: Pick<Timeseries, 'combinations'>,
  stats: Pick<ExperimentStats, 'combinations'>,
  limit = MAX_CHART_SERIES,
): SeriesSelection {
  const byId = new Map(stats.combinations.map((c) => [c.combination_id, c]));
  if (ts.combinations.length <= Math.max(limit, DRAW_ALL_UP_TO)) {
    return { shown: ts.combinations.map((_, i) => i), total: ts.combinations.length };
  }
  const ranked = ts.combinations
    .map((c, i) => ({ i, p: byId.get(c.combination_id)?.prob_best ?? 0 }))
    .sort((a, b) => b.p - a.p || a.i - b.i);
  const keep = new Set(ranked.slice(0, limit).map((r) => r.i));
  ts.combinations.forEach((c, i) => {
    if (byId.get(c.combination_id)?.is_control) keep.add(i);
  });
  return { shown: [...keep].sort((a, b) => a - b), total: ts.combinations.length };
}

/** Bucket starts as Unix seconds (uPlot's time axis). */
export function timeAxis(ts: Pick<Timeseries, 'buckets'>): number[] {
  return ts.buckets.map((b) => Date.parse(b.start) / 1000);
}

/** Traffic shares per bucket: raw shares per shown arm (plus "Other"), and their stacked tops. */
export interface TrafficShares {
  x: number[];
  /** One column per shown arm, then one for every other arm pooled (when any is hidden). */
  shares: Column[];
  /** Running sums of `shares` from the first column up: the top edge of each band; the last is 1. */
  stacked: Column[];
  hasOther: boolean;
  /** Buckets whose shares are the visitors assigned in them because no weight was recorded yet. */
  fromVisitors: boolean[];
}

/**
 * The share of new visitors each arm got, per bucket: the recorded traffic weights, normalised to
 * sum to 1 (the server's weights are probabilities already; normalising absorbs rounding). Before
 * the first recorded weight the bucket's own visitor split stands in; a bucket with neither is a gap.
 */
export function trafficShares(ts: Timeseries, shown: readonly number[]): TrafficShares {
  const hidden = ts.combinations.map((_, i) => i).filter((i) => !shown.includes(i));
  const hasOther = hidden.length > 0;
  const columns = shown.length + (hasOther ? 1 : 0);
  const shares: Column[] = Array.from({ length: columns }, () => []);
  const fromVisitors: boolean[] = [];
  for (const bucket of ts.buckets) {
    const weights = bucket.combinations.map((c) => c.weight);
    const recorded = weights.some((w) => w !== null);
    const raw = recorded ? weights.map((w) => w ?? 0) : bucket.combinations.map((c) => c.visitors);
    const sum = raw.reduce((s, v) => s + v, 0);
    fromVisitors.push(!recorded);
    const share = (i: number) => (sum > 0 ? raw[i] / sum : null);
    shown.forEach((arm, col) => {
      shares[col].push(share(arm));
    });
    if (hasOther)
      shares[shown.length].push(sum > 0 ? hidden.reduce((s, arm) => s + raw[arm], 0) / sum : null);
  }
  const stacked: Column[] = [];
  let below: Column = ts.buckets.map(() => 0);
  for (const column of shares) {
    const top = column.map((v, b) => (v === null ? null : (below[b] ?? 0) + v));
    stacked.push(top);
    below = top;
  }
  return { x: timeAxis(ts), shares, stacked, hasOther, fromVisitors };
}

/**
 * Cumulative visitors and, of the goal the series is for, conversions per arm at the end of each
 * bucket; `measure` is what the metric counts (conversions, events or the values' sum).
 */
export function cumulativeCounts(
  ts: Timeseries,
  kind: GoalKind = 'conversion',
): { visitors: number[][]; conversions: number[][]; measure: number[][] } {
  const k = ts.combinations.length;
  const visitors: number[][] = Array.from({ length: k }, () => []);
  const conversions: number[][] = Array.from({ length: k }, () => []);
  const measure: number[][] = Array.from({ length: k }, () => []);
  const v = new Array<number>(k).fill(0);
  const c = new Array<number>(k).fill(0);
  const m = new Array<number>(k).fill(0);
  for (const bucket of ts.buckets) {
    for (let i = 0; i < k; i++) {
      const combination = bucket.combinations[i];
      v[i] += combination?.visitors ?? 0;
      c[i] += combination?.conversions ?? 0;
      m[i] +=
        kind === 'revenue'
          ? (combination?.value ?? 0)
          : kind === 'count'
            ? (combination?.events ?? 0)
            : (combination?.conversions ?? 0);
      visitors[i].push(v[i]);
      conversions[i].push(c[i]);
      measure[i].push(m[i]);
    }
  }
  return { visitors, conversions, measure };
}

/**
 * The goal's metric so far per shown arm: conversions, events or the values' sum so far, divided
 * by the visitors so far (null before the first visitor).
 */
export function cumulativeRates(
  ts: Timeseries,
  shown: readonly number[],
  kind: GoalKind = 'conversion',
): { x: number[]; rates: Column[] } {
  const { visitors, measure } = cumulativeCounts(ts, kind);
  return {
    x: timeAxis(ts),
    rates: shown.map((arm) => visitors[arm].map((n, b) => (n > 0 ? measure[arm][b] / n : null))),
  };
}

/** Bucket indices to evaluate: all when few, else `max` evenly spaced ones ending on the last. */
export function sampleBuckets(count: number, max = MAX_PROB_BEST_BUCKETS): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const picked = new Set<number>();
  for (let j = 0; j < max; j++) picked.add(Math.round(((count - 1) * j) / (max - 1)));
  return [...picked].sort((a, b) => a - b);
}

/**
 * P(best) of every arm at the end of each (sampled) bucket, from the cumulative counts with the
 * server's Beta(1, 1) prior and the engine's integration: the same numbers the stats payload
 * would have shown at that moment. `probBest[arm][j]` belongs to bucket `buckets[j]`; each
 * bucket's values sum to 1 over all arms. For a conversion goal where lower is better, "best" is
 * the lowest rate: a rate p ~ Beta(α, β) has 1 − p ~ Beta(β, α), so the lowest p is the highest
 * 1 − p, and swapping the parameters gives it exactly.
 */
export function probBestOverTime(
  ts: Timeseries,
  maxBuckets = MAX_PROB_BEST_BUCKETS,
  direction: GoalStats['direction'] = 'higher',
): { x: number[]; buckets: number[]; probBest: number[][] } {
  const { visitors, conversions } = cumulativeCounts(ts);
  const k = ts.combinations.length;
  const buckets = sampleBuckets(ts.buckets.length, maxBuckets);
  const allX = timeAxis(ts);
  const probBest: number[][] = Array.from({ length: k }, () => []);
  const alpha = new Float64Array(k);
  const beta = new Float64Array(k);
  for (const b of buckets) {
    for (let i = 0; i < k; i++) {
      alpha[i] = conversions[i][b] + DEFAULT_PRIOR.alpha;
      beta[i] = visitors[i][b] - conversions[i][b] + DEFAULT_PRIOR.beta;
    }
    const result = (
      direction === 'lower' ? bestArmProbabilities(beta, alpha) : bestArmProbabilities(alpha, beta)
    ).probBest;
    for (let i = 0; i < k; i++) probBest[i].push(result[i]);
  }
  return { x: buckets.map((b) => allX[b]), buckets, probBest };
}

export type Interval = 'minute' | 'hour' | 'day';

/**
 * The bucket size for an experiment of this age: minutes up to 6 hours (≤ 360 points), hours up
 * to 14 days (≤ 336), days beyond — enough points to see a trend, few enough to draw and to
 * integrate P(best) over.
 */
export function intervalForAge(ageMs: number): Interval {
  const hour = 3_600_000;
  if (ageMs <= 6 * hour) return 'minute';
  if (ageMs <= 14 * 24 * hour) return 'hour';
  return 'day';
}
