import { describe, expect, it } from 'vitest';
import { fixtureExperiment, goalDefinition } from './experiment-fixture.js';
import { goalsInOrder, goalView } from './goal-view.js';

const AB = { name: 'Checkout', variants: ['Control', 'Green'] };

function experiment() {
  return fixtureExperiment(
    [AB],
    [
      [100, 10],
      [100, 14],
    ],
    {
      goals: [goalDefinition('basket', { kind: 'revenue' }), goalDefinition('signup', { role: 'primary' })],
      events: {
        basket: [
          [[1, 30]],
          [
            [1, 20],
            [2, 45],
          ],
        ],
      },
    },
  );
}

describe('goalView', () => {
  it('lists the primary goal first and shows it when no goal, or a goal since removed, is chosen', () => {
    const stats = experiment().stats!;
    expect(goalsInOrder(stats).map((g) => g.key)).toEqual(['signup', 'basket']);
    expect(goalView(stats, null)?.goal.key).toBe('signup');
    expect(goalView(stats, 'gone')?.goal.key).toBe('signup');
  });

  it('is the top-level figures for the primary goal', () => {
    const stats = experiment().stats!;
    const view = goalView(stats, 'signup')!;
    view.stats.combinations.forEach((c, i) => {
      expect(c).toMatchObject(stats.combinations[i]);
    });
    expect(view.stats.leader).toEqual(stats.leader);
  });

  it('puts another goal’s figures in place of the primary’s, keeping names, control and traffic', () => {
    const stats = experiment().stats!;
    const view = goalView(stats, 'basket')!;
    expect(view.metric.name).toBe('Revenue per visitor');
    const basket = stats.goals.find((g) => g.key === 'basket')!;
    view.stats.combinations.forEach((c, i) => {
      const { prob_worse_than_control: _, ...own } = basket.combinations[i];
      expect(c).toEqual({
        ...own,
        name: stats.combinations[i].name,
        variant_ids: stats.combinations[i].variant_ids,
        is_control: stats.combinations[i].is_control,
        traffic_weight: stats.combinations[i].traffic_weight,
        effective_visitors: stats.combinations[i].effective_visitors,
      });
    });
    expect(view.stats.combinations.map((c) => [c.events, c.value_sum])).toEqual([
      [1, 30],
      [3, 65],
    ]);
    expect(view.stats.leader.combination_id).toBe(basket.leader_combination_id);
    expect(view.stats.total_visitors).toBe(200);
  });
});
