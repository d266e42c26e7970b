import { describe, expect, it } from 'vitest';
import { buildSnapshot, combinationNames } from './engine-snapshot.js';
import { normalizeGoals, primaryGoal } from './goals.js';
import { TWO_BY_TWO as structure } from './structure-fixture.js';

const visitors = structure.combinations.map((c, i) => ({ combination_id: c.id, visitors: 100 * (i + 1) }));
const counts = (goal: string) => [
  {
    combination_id: 'c10',
    goal,
    converted: 7,
    events: 9,
    events_squares: 13,
    value_sum: 250,
    value_squares: 12_500,
  },
];

describe('buildSnapshot', () => {
  it('puts arms in combination order with levels, the all-control arm and fixed weights', () => {
    const { snapshot, control, names } = buildSnapshot(
      { traffic_allocation: 'fixed' },
      structure,
      primaryGoal([]),
      visitors,
      counts('conversion'),
    );
    expect(snapshot.arms).toEqual([
      { visitors: 100, conversions: 0 },
      { visitors: 200, conversions: 0 },
      { visitors: 300, conversions: 7 },
      { visitors: 400, conversions: 0 },
    ]);
    expect(snapshot.levels).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect([control, snapshot.controlArm]).toEqual([1, 1]);
    expect(snapshot.weights).toEqual([1, 1, 3, 1]);
    expect([snapshot.metric, snapshot.direction]).toEqual(['binary', 'higher']);
    expect(names).toEqual(['A × X', 'A × Y', 'B × X', 'B × Y']);
    expect(combinationNames(structure)).toEqual(names);
    const adaptive = buildSnapshot({ traffic_allocation: 'adaptive' }, structure, primaryGoal([]), [], []);
    expect(adaptive.snapshot.weights).toBeUndefined();
    expect(adaptive.snapshot.arms.every((a) => a.visitors === 0 && a.conversions === 0)).toBe(true);
  });

  it('gives a revenue goal the per-visitor value sums and a count goal the event sums, in its direction', () => {
    const [revenue, count] = normalizeGoals([
      { key: 'purchase', kind: 'revenue' },
      { key: 'errors', kind: 'count', direction: 'lower' },
    ]).goals;
    const r = buildSnapshot(
      { traffic_allocation: 'adaptive' },
      structure,
      revenue,
      visitors,
      counts('purchase'),
    );
    expect(r.snapshot.metric).toBe('mean');
    expect(r.snapshot.arms[2]).toEqual({ visitors: 300, conversions: 7, sum: 250, sumSquares: 12_500 });
    expect(r.snapshot.arms[0]).toEqual({ visitors: 100, conversions: 0, sum: 0, sumSquares: 0 });
    const c = buildSnapshot({ traffic_allocation: 'adaptive' }, structure, count, visitors, counts('errors'));
    expect([c.snapshot.metric, c.snapshot.direction]).toEqual(['mean', 'lower']);
    expect(c.snapshot.arms[2]).toEqual({ visitors: 300, conversions: 7, sum: 9, sumSquares: 13 });
  });
});
