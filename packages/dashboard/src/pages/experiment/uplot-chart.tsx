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
}

/** A uPlot chart sized to its container, rebuilt when its series change, fed new data otherwise. */
export function UPlotChart({ options, data, height, seriesKey }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ options, data });
  latest.current = { options, data };

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt on seriesKey/height only; data flows through the effect below
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth);
    const chart = new uPlot({ ...latest.current.options, width: width(), height }, latest.current.data, el);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: width(), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [seriesKey, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  // The canvas says nothing to a screen reader; the tables above carry the same numbers, and the
  // caller's <figure> names the chart.
  return <div ref={container} className="chart" style={{ minHeight: height }} />;
}
