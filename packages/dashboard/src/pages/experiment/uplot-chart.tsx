import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  /** Everything but the size, which follows the container's width. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  /** Plot height in CSS pixels: fixed, so live updates never move the page. */
  height: number;
  /** Changes when the series change (count, labels, colours): the plot is rebuilt, else only fed data. */
  seriesKey: string;
  /** Off the plot, show the last point's values in the legend (time series; not for densities). */
  legendAtLatest?: boolean;
}

/** With the cursor off the plot the legend shows the last point's values instead of dashes. */
function showLatest(chart: uPlot): void {
  const last = chart.data[0].length - 1;
  if (last >= 0 && chart.cursor.left !== undefined && chart.cursor.left < 0) chart.setLegend({ idx: last });
}

/** A uPlot chart sized to its container, rebuilt when its series change, fed new data otherwise. */
export function UPlotChart({ options, data, height, seriesKey, legendAtLatest = true }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ options, data, legendAtLatest });
  latest.current = { options, data, legendAtLatest };

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt on seriesKey/height only; data flows through the effect below
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth);
    const { options: opts, legendAtLatest: atLatest } = latest.current;
    const chart = new uPlot(
      {
        ...opts,
        width: width(),
        height,
        // Leaving the plot puts the legend back on the latest values.
        hooks: atLatest
          ? { ...opts.hooks, setCursor: [...(opts.hooks?.setCursor ?? []), showLatest] }
          : opts.hooks,
      },
      latest.current.data,
      el,
    );
    plot.current = chart;
    if (atLatest) showLatest(chart);
    const observer = new ResizeObserver(() => chart.setSize({ width: width(), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [seriesKey, height]);

  useEffect(() => {
    const chart = plot.current;
    if (!chart) return;
    chart.setData(data);
    if (latest.current.legendAtLatest) showLatest(chart);
  }, [data]);

  // The canvas says nothing to a screen reader; the tables above carry the same numbers, and the
  // caller's <figure> names the chart.
  return <div ref={container} className="chart" style={{ minHeight: height }} />;
}
