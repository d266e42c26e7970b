import { useId, useState } from 'react';
import type { Experiment, ExperimentStats } from '../../api/types.js';
import { count, prob } from './format.js';
import { type Metric, metricOf } from './goal-metric.js';
import {
  type HeatCombination,
  type HeatMetric,
  heatMapLayout,
  type OtherElements,
} from './heat-map-layout.js';
import { ScrollRegion } from './scroll-region.js';

/** WCAG relative luminance of an sRGB colour given as 0–255 channels. */
function luminance(r: number, g: number, b: number): number {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * White → the accent blue, with black or white text, whichever contrasts more: one of the two
 * always reaches 4.5:1 (the worst case, luminance ≈ 0.18, still gives 4.6:1).
 */
export function cellColour(t: number): { background: string; color: string } {
  const clamp = Math.min(1, Math.max(0, t));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * clamp);
  const [r, g, b] = [mix(240, 28), mix(244, 69), mix(251, 170)];
  const l = luminance(r, g, b);
  const onWhite = 1.05 / (l + 0.05);
  const onBlack = (l + 0.05) / 0.05;
  return { background: `rgb(${r}, ${g}, ${b})`, color: onWhite >= onBlack ? '#fff' : '#000' };
}

/**
 * The combinations as a grid, one element per axis, coloured by the goal's metric per visitor or
 * P(best), the leader marked. With more than two elements the user picks the axes; each other
 * element is held at one variant or pooled over all of them, and the caption says which.
 */
export function HeatMap({
  experiment,
  stats,
  metric: goalMetric = metricOf('conversion'),
}: {
  experiment: Experiment;
  /** The shown goal's figures (a goal view's, with events and summed values). */
  stats: Pick<ExperimentStats, 'leader' | 'total_visitors'> & { combinations: readonly HeatCombination[] };
  /** The shown goal's metric. */
  metric?: Metric;
}) {
  const id = useId();
  const elements = experiment.elements;
  const [rowId, setRowId] = useState(elements[0]?.id ?? '');
  const [colId, setColId] = useState(elements[1]?.id ?? '');
  const [others, setOthers] = useState<OtherElements>({});
  const [metric, setMetric] = useState<HeatMetric>('metric');
  if (elements.length < 2) return null;

  const pickAxis = (axis: 'row' | 'col', next: string) => {
    // Choosing the other axis' element swaps the two, so the axes always differ.
    if (axis === 'row') {
      if (next === colId) setColId(rowId);
      setRowId(next);
    } else {
      if (next === rowId) setRowId(colId);
      setColId(next);
    }
  };
  const layout = heatMapLayout(experiment, stats, rowId, colId, others, metric, goalMetric.kind);
  const rest = elements.filter((e) => e.id !== rowId && e.id !== colId);
  const [lo, hi] = layout.range;
  const scaled = (v: number | null) =>
    v === null ? null : metric === 'metric' ? (hi > lo ? (v - lo) / (hi - lo) : 0.5) : hi > 0 ? v / hi : 0;
  const perCell = layout.cells[0]?.[0]?.combinationIds.length ?? 1;
  const restWords = rest
    .map((e) => {
      const held = others[e.id] ?? 'pooled';
      const variant = e.variants.find((v) => v.id === held);
      return variant ? `${e.name} held at ${variant.name}` : `${e.name} pooled over its variants`;
    })
    .join('; ');

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Combinations at a glance</h2>
      <div className="heat-controls">
        {elements.length > 2 && (
          <>
            <AxisSelect label="Rows" value={rowId} elements={elements} onPick={(id) => pickAxis('row', id)} />
            <AxisSelect
              label="Columns"
              value={colId}
              elements={elements}
              onPick={(id) => pickAxis('col', id)}
            />
            {rest.map((e) => (
              <label key={e.id} className="inline-field">
                <span>{e.name}</span>
                <select
                  value={others[e.id] ?? 'pooled'}
                  onChange={(ev) => setOthers({ ...others, [e.id]: ev.target.value })}
                >
                  <option value="pooled">Pooled (all variants)</option>
                  {e.variants.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </>
        )}
        <fieldset className="segmented">
          <legend>Colour by</legend>
          <label>
            <input
              type="radio"
              name={`${id}-metric`}
              checked={metric === 'metric'}
              onChange={() => setMetric('metric')}
            />
            {goalMetric.name}
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-metric`}
              checked={metric === 'prob_best'}
              onChange={() => setMetric('prob_best')}
            />
            Probability to be best
          </label>
        </fieldset>
      </div>
      <ScrollRegion className="heat-scroll" label="Heat map of the combinations">
        <table className="heat-map">
          <caption className="visually-hidden">
            {layout.rowElement.name} (rows) × {layout.colElement.name} (columns)
          </caption>
          <thead>
            <tr>
              <td />
              {layout.cols.map((c) => (
                <th key={c.id} scope="col">
                  {c.name}
                  {c.isControl && <span className="tag">control</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {layout.rows.map((r, ri) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.name}
                  {r.isControl && <span className="tag">control</span>}
                </th>
                {layout.cells[ri].map((cell) => {
                  const t = scaled(metric === 'metric' ? cell.mean : cell.probBest);
                  const colours = t === null ? undefined : cellColour(t);
                  return (
                    <td
                      key={cell.colVariantId}
                      className={cell.leader ? 'heat-cell heat-leader' : 'heat-cell'}
                      style={colours}
                    >
                      <span className="heat-value">
                        {metric === 'metric'
                          ? cell.mean === null
                            ? 'no data'
                            : goalMetric.value(cell.mean)
                          : prob(cell.probBest)}
                      </span>
                      <span className="heat-sub">{count(cell.visitors)} visitors</span>
                      {cell.leader && <span className="heat-mark">★ leader</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="muted small heat-note">
        {layout.rowElement.name} (rows) × {layout.colElement.name} (columns)
        {restWords ? `; ${restWords}` : ''}
        {perCell > 1 ? ` (each cell adds up ${perCell} combinations)` : ''}.{' '}
        {metric === 'metric'
          ? `Colour: ${goalMetric.name.toLowerCase()}, lightest to darkest over the cells shown.`
          : rest.length > 0 && rest.some((e) => (others[e.id] ?? 'pooled') === 'pooled')
            ? 'Colour: probability that the best combination is in the cell (its combinations’ P(best) added up).'
            : 'Colour: probability to be best.'}
      </p>
    </section>
  );
}

/** Which element an axis of the heat map shows. */
function AxisSelect(props: {
  label: string;
  value: string;
  elements: readonly { id: string; name: string }[];
  onPick: (elementId: string) => void;
}) {
  return (
    <label className="inline-field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onPick(e.target.value)}>
        {props.elements.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </select>
    </label>
  );
}
