import { describe, expect, it } from 'vitest';
import { normalizeGoals, primaryGoal, reportedGoals } from './goals.js';

describe('normalizeGoals', () => {
  it('reads plain strings as conversion goals, the first primary', () => {
    const { goals, errors } = normalizeGoals(['signup', 'purchase']);
    expect(errors).toEqual([]);
    expect(goals).toEqual([
      { key: 'signup', kind: 'conversion', direction: 'higher', role: 'primary', threshold: null },
      { key: 'purchase', kind: 'conversion', direction: 'higher', role: 'secondary', threshold: null },
    ]);
  });

  it('keeps an explicit primary, gives guardrails their default threshold', () => {
    const { goals, errors } = normalizeGoals([
      { key: 'refund', role: 'guardrail', direction: 'lower' },
      'signup',
      { key: 'revenue', kind: 'revenue', role: 'primary' },
    ]);
    expect(errors).toEqual([]);
    expect(goals.map((g) => [g.key, g.role, g.threshold])).toEqual([
      ['refund', 'guardrail', 0.02],
      ['signup', 'secondary', null],
      ['revenue', 'primary', null],
    ]);
    expect(primaryGoal(goals).key).toBe('revenue');
  });

  it('makes the first goal without a role primary when none is marked', () => {
    const { goals } = normalizeGoals([{ key: 'refund', role: 'guardrail' }, { key: 'signup' }]);
    expect(goals[1].role).toBe('primary');
  });

  it('names the field of every problem', () => {
    expect(
      normalizeGoals([
        { key: 'a', role: 'primary' },
        { key: 'b', role: 'primary' },
        'a',
        { key: 'c', threshold: 0.1 },
      ]).errors,
    ).toEqual([
      { field: 'body.goals.2', message: 'goal "a" is already goal 1' },
      { field: 'body.goals.3.threshold', message: 'only a guardrail has a threshold' },
      { field: 'body.goals.1.role', message: 'only one goal can be primary' },
    ]);
    expect(normalizeGoals([{ key: 'g', role: 'guardrail' }]).errors).toEqual([
      { field: 'body.goals', message: 'mark one goal as primary (a guardrail only guards another)' },
    ]);
  });

  it('reports the implicit conversion goal of an experiment without goals', () => {
    expect(reportedGoals([])).toEqual([primaryGoal([])]);
    expect(primaryGoal([])).toMatchObject({ key: 'conversion', kind: 'conversion', role: 'primary' });
  });
});
