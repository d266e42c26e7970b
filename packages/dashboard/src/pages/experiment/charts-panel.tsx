import { useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { ExperimentStats, Timeseries } from '../../api/types.js';
import {
  cumulativeRates,
  type Interval,
  MAX_PROB_BEST_BUCKETS,
  probBestOverTime,
  type SeriesSelection,
  selectSeries,
  trafficShares,
} from './chart-data.js';
import { DensityChart } from './density-chart.js';
import { pct } from './format.js';
import { type Metric, metricOf } from './goal-metric.js';
import { OTHER_COLOR, seriesColor } from './palette.js';
import { UPlotChart } from './uplot-chart.js';

const BUCKET_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;

/**
 * The time axis. uPlot (1.6.32) spreads the axis of a single point over 1,000 days (a lone x gets the
 * range [x, x + 86,400,000]); until the second bucket arrives, one bucket either side of the
 * first keeps it reading as time.
 */
function timeScale(ts: Timeseries): uPlot.Scale {
  if (ts.buckets.length !== 1) return { time: true };
  const at = Date.parse(ts.buckets[0].start) / 1000;
  const pad = BUCKET_SECONDS[ts.interval];
  return { time: true, auto: false, range: [at - pad, at + pad] };
}

const HEIGHT = 220;

/** What the cumulative chart divides by the visitors so far. */
const SO_FAR: Record<Metric['kind'], string> = {
  conversion: 'Conversions so far',
  revenue: 'Revenue so far',
  count: 'Events so far',
};

const percentAxis = (digits: number): uPlot.Axis => ({
  size: 56,
  values: (_u, splits) => splits.map((v) => pct(v, digits)),
});

const legendPct =
  (digits: number) =>
  (_u: uPlot, v: number | null): string =>
    v === null || v === undefined ? '—' : pct(v, digits);

/** Line series for the shown arms, coloured by their place in the selection; the control dashed. */
function armSeries(
  ts: Timeseries,
  selection: SeriesSelection,
  controlId: string,
  digits: number,
): uPlot.Series[] {
  return selection.shown.map((arm, n) => {
    const c = ts.combinations[arm];
    const isControl = c.combination_id === controlId;
    return {
      label: isControl ? `${c.name} (control)` : c.name,
      stroke: seriesColor(n),
      width: 2,
      dash: isControl ? [6, 4] : undefined,
      value: legendPct(digits),
    };
  });
}

function SeriesNote({ selection }: { selection: SeriesSelection }) {
  if (selection.shown.length >= selection.total) return null;
  return (
    <p className="muted small">
      Showing {selection.shown.length} of {selection.total} combinations: the top by probability to be best,
      and the control.
    </p>
  );
}

export interface ChartsPanelProps {
  /** The shown goal's figures (goalView's stats). */
  stats: ExperimentStats;
  /** The shown goal's series (null while it loads). */
  timeseries: Timeseries | null;
  metric?: Metric;
  direction?: 'higher' | 'lower';
  autoInterval: Interval;
  onInterval: (interval: Interval | 'auto') => void;
  intervalChoice: Interval | 'auto';
}

/**
 * Traffic share and the goal's cumulative metric over time; for a conversion goal also P(best)
 * over time and the posterior densities now, which come from its Beta posteriors.
 */
export function ChartsPanel({
  stats,
  timeseries,
  metric = metricOf('conversion'),
  direction = 'higher',
  autoInterval,
  onInterval,
  intervalChoice,
}: ChartsPanelProps) {
  const beta = metric.kind === 'conversion';
  const controlId = stats.control_combination_id;
  const ts = timeseries;
  // The selection follows the ranking only when the series data changes, so lines do not swap
  // colours between two timeseries refreshes.
  const statsNow = useRef(stats);
  statsNow.current = stats;
  const selection = useMemo(() => (ts ? selectSeries(ts, statsNow.current) : { shown: [], total: 0 }), [ts]);
  // A chart is rebuilt when its options change shape: the series shown, or the lone first bucket.
  const lone = ts?.buckets.length === 1;
  const seriesKey = `${ts ? selection.shown.map((i) => ts.combinations[i].combination_id).join(',') : ''}${lone ? ':lone' : ''}`;
  const xScale = ts ? timeScale(ts) : { time: true };

  const traffic = useMemo(() => (ts ? trafficShares(ts, selection.shown) : null), [ts, selection]);
  const rates = useMemo(
    () => (ts ? cumulativeRates(ts, selection.shown, metric.kind) : null),
    [ts, selection, metric.kind],
  );
  // Over every arm (P(best) is relative to all), at most MAX_PROB_BEST_BUCKETS buckets.
  const probBest = useMemo(
    () => (ts && beta ? probBestOverTime(ts, undefined, direction) : null),
    [ts, beta, direction],
  );

  const hasData = ts !== null && ts.buckets.length > 0;

  return (
    <section className="card" aria-labelledby="charts-title">
      <div className="section-head">
        <h2 id="charts-title">Over time</h2>
        <label className="inline-field">
          <span>Bucket size</span>
          <select
            value={intervalChoice}
            onChange={(e) => onInterval(e.target.value as Interval | 'auto')}
            aria-describedby="interval-hint"
          >
            <option value="auto">Automatic ({autoInterval})</option>
            <option value="minute">Minute</option>
            <option value="hour">Hour</option>
            <option value="day">Day</option>
          </select>
        </label>
      </div>
      <p id="interval-hint" className="muted small">
        UTC buckets; the automatic size follows the experiment's age (minutes for the first 6 hours, hours for
        two weeks, then days).
      </p>
      {ts === null ? (
        <div className="chart-grid" aria-busy="true">
          <p className="chart-placeholder">Loading the time series…</p>
        </div>
      ) : !hasData ? (
        <p className="muted">No visitors yet: the charts start with the first assignment.</p>
      ) : (
        <>
          <SeriesNote selection={selection} />
          <div className="chart-grid">
            {traffic && (
              <figure className="chart-figure">
                <figcaption>
                  <strong>Traffic share of new visitors</strong>
                  <span className="muted small">
                    {' '}
                    The allocation the policy recorded at the end of each bucket, stacked to 100%: where
                    traffic moved, and when.
                  </span>
                </figcaption>
                <UPlotChart
                  height={HEIGHT}
                  seriesKey={`traffic:${seriesKey}`}
                  data={[traffic.x, ...[...traffic.stacked].reverse()] as uPlot.AlignedData}
                  options={{
                    scales: { x: xScale, y: { range: [0, 1] } },
                    axes: [{}, percentAxis(0)],
                    cursor: { points: { show: false } },
                    // Drawn top band first, each filled down to 0, so every later (lower) band paints
                    // over the one above it: a stack. The legend shows each band's own share.
                    series: [
                      {},
                      ...[
                        ...selection.shown.map((arm, n) => ({
                          label:
                            ts.combinations[arm].combination_id === controlId
                              ? `${ts.combinations[arm].name} (control)`
                              : ts.combinations[arm].name,
                          color: seriesColor(n),
                        })),
                        ...(traffic.hasOther
                          ? [
                              {
                                label: `${selection.total - selection.shown.length} others`,
                                color: OTHER_COLOR,
                              },
                            ]
                          : []),
                      ]
                        .reverse()
                        .map(
                          (s): uPlot.Series => ({
                            label: s.label,
                            stroke: s.color,
                            fill: s.color,
                            width: 1,
                            value: (u, _v, si, idx) => {
                              if (idx === null || idx === undefined) return '—';
                              const top = u.data[si][idx];
                              const below = si + 1 < u.data.length ? u.data[si + 1][idx] : 0;
                              return top === null || top === undefined ? '—' : pct(top - (below ?? 0), 1);
                            },
                          }),
                        ),
                    ],
                  }}
                />
                {traffic.fromVisitors.some(Boolean) && (
                  <p className="muted small">
                    Buckets before the first recorded allocation show the visitors assigned in them instead.
                  </p>
                )}
              </figure>
            )}
            {probBest && (
              <figure className="chart-figure">
                <figcaption>
                  <strong>Probability to be best</strong>
                  <span className="muted small">
                    {' '}
                    From the cumulative counts at each bucket's end (Beta(1, 1) prior, as the stats use)
                    {probBest.buckets.length < ts.buckets.length
                      ? `, at ${probBest.buckets.length} of ${ts.buckets.length} buckets (at most ${MAX_PROB_BEST_BUCKETS} are computed)`
                      : ''}
                    .
                  </span>
                </figcaption>
                <UPlotChart
                  height={HEIGHT}
                  seriesKey={`pbest:${seriesKey}`}
                  data={
                    [probBest.x, ...selection.shown.map((arm) => probBest.probBest[arm])] as uPlot.AlignedData
                  }
                  options={{
                    scales: { x: xScale, y: { range: [0, 1] } },
                    axes: [{}, percentAxis(0)],
                    series: [{}, ...armSeries(ts, selection, controlId, 1)],
                  }}
                />
              </figure>
            )}
            {rates && (
              <figure className="chart-figure">
                <figcaption>
                  <strong>Cumulative {metric.name.toLowerCase()}</strong>
                  <span className="muted small">
                    {' '}
                    {SO_FAR[metric.kind]} ÷ visitors so far, per combination.
                  </span>
                </figcaption>
                <UPlotChart
                  height={HEIGHT}
                  seriesKey={`rate:${metric.kind}:${seriesKey}`}
                  data={[rates.x, ...rates.rates] as uPlot.AlignedData}
                  options={{
                    scales: { x: xScale },
                    axes: [
                      {},
                      {
                        size: 56,
                        values: (_u, splits) => splits.map((v) => metric.axis(v, metric.bounded ? 1 : 2)),
                      },
                    ],
                    series: [
                      {},
                      ...armSeries(ts, selection, controlId, 2).map((series) => ({
                        ...series,
                        value: (_u: uPlot, v: number | null) =>
                          v === null || v === undefined ? '—' : metric.value(v),
                      })),
                    ],
                  }}
                />
              </figure>
            )}
            {beta && <DensityChart stats={stats} selection={selection} timeseries={ts} height={HEIGHT} />}
          </div>
          {!beta && (
            <p className="muted small">
              Probability to be best over time and the posterior densities are drawn for conversion goals. For
              this {metric.kind} goal, the table above gives each combination's interval, probability to be
              best and expected loss.
            </p>
          )}
        </>
      )}
    </section>
  );
}
