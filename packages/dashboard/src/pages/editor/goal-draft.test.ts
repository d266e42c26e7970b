import { describe, expect, it } from 'vitest';
import {
  type GoalDraft,
  goalsBody,
  goalsFromDefinitions,
  newGoal,
  withoutGoal,
  withRole,
} from './goal-draft.js';

let n = 0;
const key = () => `g${++n}`;
const goal = (name: string, role: GoalDraft['role'], patch: Partial<GoalDraft> = {}): GoalDraft => ({
  ...newGoal(key(), name, false),
  role,
  ...patch,
});
const roles = (goals: GoalDraft[]) => goals.map((g) => g.role);

describe('withRole', () => {
  it('keeps one primary: the new primary makes the old one secondary', () => {
    const goals = [goal('signup', 'primary'), goal('revenue', 'secondary'), goal('refunds', 'guardrail')];
    expect(roles(withRole(goals, 1, 'primary'))).toEqual(['secondary', 'primary', 'guardrail']);
    // A guardrail made primary: the old primary becomes secondary, not a guardrail.
    expect(roles(withRole(goals, 2, 'primary'))).toEqual(['secondary', 'secondary', 'primary']);
  });

  it('gives a guardrail the default threshold when it has none', () => {
    const goals = [goal('signup', 'primary'), goal('refunds', 'secondary', { threshold: '' })];
    expect(withRole(goals, 1, 'guardrail')[1]).toMatchObject({ role: 'guardrail', threshold: '2' });
    const typed = [goal('signup', 'primary'), goal('refunds', 'secondary', { threshold: '5' })];
    expect(withRole(typed, 1, 'guardrail')[1].threshold).toBe('5');
  });
});

describe('withoutGoal', () => {
  it('makes the first remaining goal that is not a guardrail primary when the primary goes', () => {
    const goals = [goal('refunds', 'guardrail'), goal('signup', 'primary'), goal('revenue', 'secondary')];
    const rest = withoutGoal(goals, 1);
    expect(rest.map((g) => [g.name, g.role])).toEqual([
      ['refunds', 'guardrail'],
      ['revenue', 'primary'],
    ]);
    expect(roles(withoutGoal(goals, 2))).toEqual(['guardrail', 'primary']);
  });
});

describe('goalsBody', () => {
  it('sends definitions, with a guardrail’s percentage as a fraction and no threshold otherwise', () => {
    const { goals, problems } = goalsBody([
      goal(' signup ', 'primary'),
      goal('revenue', 'secondary', { kind: 'revenue', threshold: '7' }),
      goal('latency', 'guardrail', { kind: 'count', direction: 'lower', threshold: '12.5' }),
    ]);
    expect(problems).toEqual([]);
    expect(goals).toEqual([
      { key: 'signup', kind: 'conversion', direction: 'higher', role: 'primary' },
      { key: 'revenue', kind: 'revenue', direction: 'higher', role: 'secondary' },
      { key: 'latency', kind: 'count', direction: 'lower', role: 'guardrail', threshold: 0.125 },
    ]);
  });

  it('refuses a threshold that is not a percentage from 0 to 1,000, and goals without a primary', () => {
    for (const threshold of ['', 'abc', '-1', '1001']) {
      const { problems } = goalsBody([goal('a', 'primary'), goal('b', 'guardrail', { threshold })]);
      expect(problems).toEqual([{ g: 1, part: 'threshold', message: 'Give a percentage from 0 to 1000.' }]);
    }
    const { problems } = goalsBody([goal('a', 'secondary'), goal('b', 'guardrail')]);
    expect(problems).toEqual([{ g: null, part: 'role', message: expect.stringMatching(/primary/) }]);
    expect(goalsBody([]).problems).toEqual([]);
  });
});

describe('goalsFromDefinitions', () => {
  it('shows a threshold as a percentage and round-trips through goalsBody', () => {
    const definitions = [
      { key: 'signup', kind: 'conversion', direction: 'higher', role: 'primary', threshold: null },
      { key: 'aov', kind: 'revenue', direction: 'higher', role: 'secondary', threshold: null },
      { key: 'refunds', kind: 'count', direction: 'lower', role: 'guardrail', threshold: 0.07 },
    ] as const;
    const drafts = goalsFromDefinitions(definitions, key);
    expect(drafts.map((d) => d.threshold)).toEqual(['2', '2', '7']);
    expect(goalsBody(drafts).goals).toEqual(
      definitions.map(({ threshold, ...d }) => (threshold === null ? d : { ...d, threshold })),
    );
  });
});
