import type { Experiment, ExperimentStats } from '../../api/types.js';
import type { GoalKind } from './goal-metric.js';

/** What colours the cells: the goal's metric per visitor, or the probability to be best. */
export type HeatMetric = 'metric' | 'prob_best';

/** For each element not on an axis: one variant id it is held at, or pooled over all its variants. */
export type OtherElements = Record<string, string | 'pooled'>;

export interface HeatCell {
  rowVariantId: string;
  colVariantId: string;
  /** Combinations in the cell: one when every other element is fixed, several when pooled. */
  combinationIds: string[];
  visitors: number;
  conversions: number;
  events: number;
  valueSum: number;
  /**
   * The goal's metric per visitor over the cell's combinations (null without visitors):
   * conversions, events or the values' sum, divided by the visitors.
   */
  mean: number | null;
  /** Sum of the combinations' P(best): the probability that the best combination is in this cell. */
  probBest: number;
  /** The cell holds the leading combination. */
  leader: boolean;
}

/** What a cell adds up of a combination; events and summed values are a goal view's (goal-view.ts). */
export type HeatCombination = Pick<
  ExperimentStats['combinations'][number],
  'combination_id' | 'visitors' | 'conversions' | 'prob_best'
> & { events?: number; value_sum?: number };

export interface HeatMapLayout {
  rowElement: Experiment['elements'][number];
  colElement: Experiment['elements'][number];
  rows: { id: string; name: string; isControl: boolean }[];
  cols: { id: string; name: string; isControl: boolean }[];
  /** cells[r][c] */
  cells: HeatCell[][];
  /** Smallest and largest value of the metric over the cells with data (for the colour scale). */
  range: [number, number];
}

/**
 * The combinations as a grid: one element's variants down, another's across. Elements on neither
 * axis are either held at one variant (each cell is one combination) or pooled (each cell adds
 * up every combination that shows its two variants: counts summed, P(best) summed).
 */
export function heatMapLayout(
  experiment: Pick<Experiment, 'elements' | 'combinations'>,
  stats: Pick<ExperimentStats, 'leader' | 'total_visitors'> & { combinations: readonly HeatCombination[] },
  rowElementId: string,
  colElementId: string,
  others: OtherElements,
  metric: HeatMetric,
  kind: GoalKind = 'conversion',
): HeatMapLayout {
  const elements = experiment.elements;
  const rowIndex = elements.findIndex((e) => e.id === rowElementId);
  const colIndex = elements.findIndex((e) => e.id === colElementId);
  if (rowIndex < 0 || colIndex < 0 || rowIndex === colIndex) {
    throw new Error('heatMapLayout needs two different elements of the experiment');
  }
  const rowElement = elements[rowIndex];
  const colElement = elements[colIndex];
  const statsById = new Map(stats.combinations.map((c) => [c.combination_id, c]));
  const cells: HeatCell[][] = rowElement.variants.map((rv) =>
    colElement.variants.map((cv) => ({
      rowVariantId: rv.id,
      colVariantId: cv.id,
      combinationIds: [],
      visitors: 0,
      conversions: 0,
      events: 0,
      valueSum: 0,
      mean: null,
      probBest: 0,
      leader: false,
    })),
  );
  const rowOf = new Map(rowElement.variants.map((v, i) => [v.id, i]));
  const colOf = new Map(colElement.variants.map((v, i) => [v.id, i]));
  for (const combination of experiment.combinations) {
    const held = elements.every((element, e) => {
      if (e === rowIndex || e === colIndex) return true;
      const wanted = others[element.id] ?? 'pooled';
      return wanted === 'pooled' || combination.variant_ids[e] === wanted;
    });
    if (!held) continue;
    const r = rowOf.get(combination.variant_ids[rowIndex]);
    const c = colOf.get(combination.variant_ids[colIndex]);
    if (r === undefined || c === undefined) continue;
    const cell = cells[r][c];
    const s = statsById.get(combination.id);
    cell.combinationIds.push(combination.id);
    cell.visitors += s?.visitors ?? 0;
    cell.conversions += s?.conversions ?? 0;
    cell.events += s?.events ?? 0;
    cell.valueSum += s?.value_sum ?? 0;
    cell.probBest += s?.prob_best ?? 0;
    if (combination.id === stats.leader.combination_id && stats.total_visitors > 0) cell.leader = true;
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const row of cells) {
    for (const cell of row) {
      const numerator =
        kind === 'revenue' ? cell.valueSum : kind === 'count' ? cell.events : cell.conversions;
      cell.mean = cell.visitors > 0 ? numerator / cell.visitors : null;
      const value = metric === 'metric' ? cell.mean : cell.probBest;
      if (value === null) continue;
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
  }
  const axis = (element: typeof rowElement) =>
    element.variants.map((v) => ({ id: v.id, name: v.name, isControl: v.is_control }));
  return {
    rowElement,
    colElement,
    rows: axis(rowElement),
    cols: axis(colElement),
    cells,
    range: Number.isFinite(lo) ? [lo, hi] : [0, 0],
  };
}
