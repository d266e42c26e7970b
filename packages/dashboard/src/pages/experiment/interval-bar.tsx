import { pct } from './format.js';

const WIDTH = 140;
const HEIGHT = 16;

/**
 * The shared axis of one table: every row's interval fits, with a little room either side, kept
 * within [0, 1] for a rate (`bounded`) and above 0 for a metric whose intervals all are.
 */
export function sharedScale(
  intervals: readonly (readonly [number, number])[],
  bounded = true,
): [number, number] {
  if (intervals.length === 0) return [0, 1];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const [a, b] of intervals) {
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  const pad = Math.max((hi - lo) * 0.05, 1e-4);
  const floor = lo >= 0 ? 0 : Number.NEGATIVE_INFINITY;
  return [Math.max(floor, lo - pad), bounded ? Math.min(1, hi + pad) : hi + pad];
}

/**
 * The shared axis of a table's uplift intervals, centred on 0 (no change from the control): from
 * −m to m, m the largest |bound| with 5% room (1 when there is no interval).
 */
export function zeroCentredScale(intervals: readonly (readonly [number, number])[]): [number, number] {
  let m = 0;
  for (const [a, b] of intervals) m = Math.max(m, Math.abs(a), Math.abs(b));
  if (!Number.isFinite(m)) m = 1;
  const half = intervals.length === 0 ? 1 : Math.max(m * 1.05, 1e-3);
  return [-half, half];
}

/**
 * A 95% credible interval as a bar on the table's shared scale, the posterior mean as a tick and
 * the control's mean as a dashed line, so overlapping intervals read at a glance.
 */
export function IntervalBar({
  ci,
  mean,
  controlMean,
  scale,
  highlight,
  format = (x) => pct(x, 2),
  what = '95% credible interval',
  width = WIDTH,
  className = 'interval-bar',
}: {
  ci: readonly [number, number];
  mean: number;
  controlMean: number | null;
  scale: [number, number];
  highlight: boolean;
  /** A value in words for the label (a rate by default). */
  format?: (x: number) => string;
  /** What the interval is, for the label. */
  what?: string;
  /** Width in px (default 140). */
  width?: number;
  className?: string;
}) {
  const [lo, hi] = scale;
  const x = (v: number) => ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo || 1)) * width;
  return (
    <svg
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label={`${what} ${format(ci[0])} to ${format(ci[1])}`}
      className={className}
    >
      <line x1={0} x2={width} y1={HEIGHT / 2} y2={HEIGHT / 2} className="interval-axis" />
      {controlMean !== null && (
        <line
          x1={x(controlMean)}
          x2={x(controlMean)}
          y1={0}
          y2={HEIGHT}
          className="interval-control"
          strokeDasharray="2 2"
        />
      )}
      <rect
        x={x(ci[0])}
        y={4}
        width={Math.max(2, x(ci[1]) - x(ci[0]))}
        height={HEIGHT - 8}
        rx={2}
        className={highlight ? 'interval-range leader' : 'interval-range'}
      />
      <line x1={x(mean)} x2={x(mean)} y1={2} y2={HEIGHT - 2} className="interval-mean" />
    </svg>
  );
}
