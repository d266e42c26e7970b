import { Fragment } from 'react';
import type { Experiment, ExperimentStats } from '../../api/types.js';
import { count, decimal, pct, prob, signedPct } from './format.js';
import type { Metric } from './goal-metric.js';
import type { GoalViewStats } from './goal-view.js';
import { IntervalBar, sharedScale, zeroCentredScale } from './interval-bar.js';
import { ScrollRegion } from './scroll-region.js';

type Posterior =
  | ExperimentStats['combinations'][number]
  | NonNullable<ExperimentStats['elements']>[number]['variants'][number];

export interface ResultRow {
  id: string;
  name: string;
  isControl: boolean;
  isLeader: boolean;
  stats: Posterior;
  /** Current traffic weight (combinations only). */
  trafficWeight?: number;
  /** Guardrails: P(worse than the control by more than the threshold); null for the control. */
  probWorse?: number | null;
  /** The goal's events and summed values (combinations of a goal view only). */
  totals?: { events: number; value_sum: number };
}

/** Width of the uplift interval's bar (under the uplift and its interval, in one cell), px. */
const UPLIFT_BAR_WIDTH = 104;

/**
 * One row per arm: counts, the goal's metric per visitor with its 95% interval on a shared scale,
 * P(best), expected loss, the uplift with its 95% interval (text, and a bar on a scale centred on
 * 0, under them), P(beat control), for a guardrail P(worse than control) and, for combinations, the current
 * traffic weight. Rows keep the order given (combination position), so live updates change
 * numbers, never places. `balanced` (element variants): the metric shown is the posterior mean of
 * the balanced main effect, and the counts are headed as pooled "as served".
 */
export function ResultsTable({
  caption,
  rows,
  label,
  armHeading,
  metric,
  guardrailThreshold = null,
  balanced = false,
}: {
  caption: string;
  rows: ResultRow[];
  /** Names the scrollable region. */
  label: string;
  /** The first column's heading: "Combination" or "Variant". */
  armHeading: string;
  metric: Metric;
  /** A guardrail's threshold: adds the column of P(worse than control by more than it). */
  guardrailThreshold?: number | null;
  /** Element variants: posterior fields are balanced main effects, counts are pooled as served. */
  balanced?: boolean;
}) {
  const scale = sharedScale(
    rows.map((r) => r.stats.ci95),
    metric.bounded,
  );
  const upliftScale = zeroCentredScale(
    rows.flatMap((r) => (r.stats.uplift_ci95 ? [r.stats.uplift_ci95] : [])),
  );
  const control = rows.find((r) => r.isControl);
  const served = balanced ? <span className="ci">(as served)</span> : null;
  const withTraffic = rows.some((r) => r.trafficWeight !== undefined);
  const withWorse = guardrailThreshold !== null && rows.some((r) => r.probWorse !== undefined);
  const withTotals = rows.some((r) => r.totals !== undefined);
  return (
    <ScrollRegion label={label}>
      <table className="results">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{armHeading}</th>
            <th scope="col" className="num">
              Visitors {served}
            </th>
            <th scope="col" className="num">
              Conversions {served}
            </th>
            {withTotals && metric.kind === 'revenue' && (
              <th scope="col" className="num">
                Revenue
              </th>
            )}
            {withTotals && metric.kind === 'count' && (
              <th scope="col" className="num">
                Events
              </th>
            )}
            <th scope="col" className="num metric-col">
              {metric.name}{' '}
              <span className="ci">{balanced ? '(balanced effect, 95% interval)' : '(95% interval)'}</span>
            </th>
            <th scope="col">
              <span className="visually-hidden">95% credible interval, drawn</span>
              <span aria-hidden="true">Interval</span>
            </th>
            <th scope="col" className="num">
              P(best)
            </th>
            <th scope="col" className="num">
              Expected loss
            </th>
            <th scope="col" className="num uplift-col">
              Uplift <span className="ci">(95% interval)</span>
            </th>
            <th scope="col" className="num">
              P(beat control)
            </th>
            {withWorse && (
              <th scope="col" className="num">
                P(worse by &gt; {pct(guardrailThreshold)})
              </th>
            )}
            {withTraffic && (
              <th scope="col" className="num">
                Traffic now
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.isLeader ? 'leader-row' : undefined}>
              <th scope="row" className="arm-name">
                <ArmName name={r.name} />
                {r.isControl && (
                  <>
                    {' '}
                    <span className="tag">control</span>
                  </>
                )}
                {r.isLeader && (
                  <>
                    {' '}
                    <span className="tag tag-leader">leader</span>
                  </>
                )}
              </th>
              <td className="num">{count(r.stats.visitors)}</td>
              <td className="num">{count(r.stats.conversions)}</td>
              {withTotals && metric.kind === 'revenue' && (
                <td className="num">{r.totals ? decimal(r.totals.value_sum, 2) : '—'}</td>
              )}
              {withTotals && metric.kind === 'count' && (
                <td className="num">{r.totals ? count(r.totals.events) : '—'}</td>
              )}
              <td className="num">
                {metric.value(balanced ? r.stats.posterior_mean : r.stats.observed_mean)}
                <span className="ci">
                  {metric.value(r.stats.ci95[0])}–{metric.value(r.stats.ci95[1])}
                </span>
              </td>
              <td>
                <IntervalBar
                  ci={r.stats.ci95}
                  mean={r.stats.posterior_mean}
                  controlMean={control && !r.isControl ? control.stats.posterior_mean : null}
                  scale={scale}
                  highlight={r.isLeader}
                  format={metric.value}
                />
              </td>
              <td className="num">{prob(r.stats.prob_best)}</td>
              <td className="num">{metric.loss(r.stats.expected_loss)}</td>
              <td className="num">
                {r.isControl ? (
                  '—'
                ) : (
                  <>
                    {signedPct(r.stats.uplift)}
                    {r.stats.uplift_ci95 && (
                      <>
                        {' '}
                        <span className="ci">
                          [{signedPct(r.stats.uplift_ci95[0])}, {signedPct(r.stats.uplift_ci95[1])}]
                        </span>
                      </>
                    )}
                  </>
                )}
                {!r.isControl && r.stats.uplift_ci95 && (
                  <IntervalBar
                    ci={r.stats.uplift_ci95}
                    mean={r.stats.uplift}
                    controlMean={0}
                    scale={upliftScale}
                    highlight={r.isLeader}
                    format={signedPct}
                    what="95% credible interval of the uplift"
                    width={UPLIFT_BAR_WIDTH}
                    className="interval-bar uplift-bar"
                  />
                )}
              </td>
              <td className="num">{r.isControl ? '—' : prob(r.stats.prob_beat_control)}</td>
              {withWorse && <td className="num">{r.isControl ? '—' : prob(r.probWorse)}</td>}
              {withTraffic && <td className="num">{pct(r.trafficWeight ?? null, 1)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** A combination's name that wraps only between its variants ("E1-A × E2-B"), never inside one. */
function ArmName({ name }: { name: string }) {
  const parts = name.split(' × ');
  return (
    <span>
      {parts.map((part, i) => (
        // Positions are the identity here: the name's parts never reorder.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Fragment key={i}>
          {i > 0 && ' '}
          <span className="nowrap">
            {part}
            {i < parts.length - 1 ? ' ×' : ''}
          </span>
        </Fragment>
      ))}
    </span>
  );
}

/** Combination rows in the experiment's combination order. */
export function combinationRows(
  experiment: Pick<Experiment, 'combinations'>,
  stats: ExperimentStats | GoalViewStats,
  probWorse?: ReadonlyMap<string, number | null>,
): ResultRow[] {
  const byId = new Map(stats.combinations.map((c) => [c.combination_id, c]));
  return experiment.combinations.flatMap((combination) => {
    const s = byId.get(combination.id);
    if (!s) return [];
    return [
      {
        id: s.combination_id,
        name: s.name,
        isControl: s.is_control,
        // Without visitors every arm ties; naming one the leader would mean nothing.
        isLeader: stats.total_visitors > 0 && s.combination_id === stats.leader.combination_id,
        stats: s,
        trafficWeight: s.traffic_weight,
        ...('events' in s ? { totals: { events: s.events, value_sum: s.value_sum } } : {}),
        ...(probWorse?.has(s.combination_id) ? { probWorse: probWorse.get(s.combination_id) } : {}),
      },
    ];
  });
}

/** Variant rows of one element, its leader the variant most likely to be best within it. */
export function variantRows(element: NonNullable<ExperimentStats['elements']>[number]): ResultRow[] {
  const best = element.variants.reduce((m, v) => (v.prob_best > m.prob_best ? v : m), element.variants[0]);
  return element.variants.map((v) => ({
    id: v.variant_id,
    name: v.name,
    isControl: v.is_control,
    isLeader: element.variants.length > 1 && v.variant_id === best?.variant_id && v.visitors > 0,
    stats: v,
  }));
}
