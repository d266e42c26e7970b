import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { ExperimentStats, Timeseries } from '../../api/types.js';
import type { SeriesSelection } from './chart-data.js';
import { densityCurves } from './density.js';
import { pct } from './format.js';
import { seriesColor } from './palette.js';
import { UPlotChart } from './uplot-chart.js';

/** The posterior Beta density of each shown arm over the conversion rate, from the live stats. */
export function DensityChart({
  stats,
  selection,
  timeseries,
  height,
}: {
  stats: ExperimentStats;
  selection: SeriesSelection;
  timeseries: Timeseries;
  height: number;
}) {
  const arms = selection.shown
    .map((i) =>
      stats.combinations.find((c) => c.combination_id === timeseries.combinations[i].combination_id),
    )
    .filter((c) => c !== undefined);
  const key = arms.map((a) => `${a.alpha}/${a.beta}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the curves change only when a posterior does
  const curves = useMemo(() => densityCurves(arms), [key]);
  return (
    <figure className="chart-figure">
      <figcaption>
        <strong>Posterior of the conversion rate</strong>
        <span className="muted small">
          {' '}
          Beta(conversions + 1, non-conversions + 1) per combination: the narrower, the surer; overlap is
          uncertainty about which is best.
        </span>
      </figcaption>
      <UPlotChart
        height={height}
        legendAtLatest={false}
        seriesKey={`density:${arms.map((a) => a.combination_id).join(',')}`}
        data={[curves.x, ...curves.y] as uPlot.AlignedData}
        options={{
          scales: { x: { time: false } },
          axes: [{ values: (_u, splits) => splits.map((v) => pct(v, 1)) }, { size: 56 }],
          series: [
            { label: 'rate', value: (_u, v) => (v === null ? '—' : pct(v, 2)) },
            ...arms.map(
              (a, n): uPlot.Series => ({
                label: a.is_control ? `${a.name} (control)` : a.name,
                stroke: seriesColor(n),
                width: 2,
                dash: a.is_control ? [6, 4] : undefined,
                value: (_u, v) => (v === null ? '—' : v.toFixed(1)),
              }),
            ),
          ],
        }}
      />
    </figure>
  );
}
