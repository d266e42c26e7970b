import type { GoalDefinition, GoalInput } from '../../api/types.js';
import { DEFAULT_GUARDRAIL_THRESHOLD } from '../experiment/goal-metric.js';
import type { GoalPart } from './field-paths.js';

/**
 * The editor's goals: each a definition (docs/architecture.md#goal) with its threshold as the
 * percentage text the person typed. `key` keeps a row's focus while rows come and go; `name` is
 * the goal's key, the `goal` the tracker's conversion events name.
 */
export interface GoalDraft {
  key: string;
  name: string;
  kind: GoalDefinition['kind'];
  direction: GoalDefinition['direction'];
  role: GoalDefinition['role'];
  /** Percent of the control's value (guardrails only; kept while the role is another). */
  threshold: string;
}

/** A threshold fraction as the editor's percentage text: 0.02 → "2", 0.125 → "12.5". */
const percentText = (fraction: number) => String(Number((fraction * 100).toPrecision(12)));

/** The server's default guardrail threshold, as the percentage the editor shows ("2"). */
export const DEFAULT_THRESHOLD_PERCENT = percentText(DEFAULT_GUARDRAIL_THRESHOLD);
/** The server's largest threshold (10 = 1,000% of the control's value). */
const MAX_THRESHOLD_PERCENT = 1000;

export const KIND_LABELS: Record<GoalDraft['kind'], string> = {
  conversion: 'Conversion',
  revenue: 'Revenue',
  count: 'Count',
};
export const DIRECTION_LABELS: Record<GoalDraft['direction'], string> = {
  higher: 'Higher is better',
  lower: 'Lower is better',
};
export const ROLE_LABELS: Record<GoalDraft['role'], string> = {
  primary: 'Primary',
  secondary: 'Secondary',
  guardrail: 'Guardrail',
};

/** A new goal: a conversion goal where higher is better; the first one is primary. */
export function newGoal(key: string, name: string, first: boolean): GoalDraft {
  return {
    key,
    name,
    kind: 'conversion',
    direction: 'higher',
    role: first ? 'primary' : 'secondary',
    threshold: DEFAULT_THRESHOLD_PERCENT,
  };
}

/** The editor's goals for the definitions the API sent. */
export function goalsFromDefinitions(goals: readonly GoalDefinition[], nextKey: () => string): GoalDraft[] {
  return goals.map((g) => ({
    key: nextKey(),
    name: g.key,
    kind: g.kind,
    direction: g.direction,
    role: g.role,
    threshold: g.threshold === null ? DEFAULT_THRESHOLD_PERCENT : percentText(g.threshold),
  }));
}

/**
 * Goal `g` with `role`. There is one primary goal: making a goal primary makes the previous
 * primary secondary. A guardrail without a threshold gets the default.
 */
export function withRole(goals: readonly GoalDraft[], g: number, role: GoalDraft['role']): GoalDraft[] {
  return goals.map((goal, i) => {
    if (i === g) {
      const threshold =
        role === 'guardrail' && goal.threshold.trim() === '' ? DEFAULT_THRESHOLD_PERCENT : goal.threshold;
      return { ...goal, role, threshold };
    }
    return role === 'primary' && goal.role === 'primary' ? { ...goal, role: 'secondary' } : goal;
  });
}

/**
 * Goals without goal `g`. Removing the primary goal makes the first remaining goal that is not a
 * guardrail primary, as the API does for goals sent without a role.
 */
export function withoutGoal(goals: readonly GoalDraft[], g: number): GoalDraft[] {
  const rest = goals.filter((_, i) => i !== g);
  if (goals[g]?.role !== 'primary') return rest;
  const next = rest.findIndex((goal) => goal.role !== 'guardrail');
  return next < 0 ? rest : withRole(rest, next, 'primary');
}

export interface GoalProblem {
  /** The goal's index, or null for the list as a whole. */
  g: number | null;
  part: GoalPart;
  message: string;
}

/** The goals as the request sends them, and what keeps them from being sent. */
export function goalsBody(goals: readonly GoalDraft[]): { goals: GoalInput[]; problems: GoalProblem[] } {
  const problems: GoalProblem[] = [];
  if (goals.length > 0 && !goals.some((goal) => goal.role === 'primary')) {
    problems.push({
      g: null,
      part: 'role',
      message: 'Make one goal primary: the bandit and the decision follow it.',
    });
  }
  const body = goals.map((goal, g): GoalInput => {
    const definition = { key: goal.name.trim(), kind: goal.kind, direction: goal.direction, role: goal.role };
    if (goal.role !== 'guardrail') return definition;
    const percent = Number(goal.threshold);
    if (
      goal.threshold.trim() === '' ||
      !Number.isFinite(percent) ||
      percent < 0 ||
      percent > MAX_THRESHOLD_PERCENT
    ) {
      problems.push({
        g,
        part: 'threshold',
        message: `Give a percentage from 0 to ${MAX_THRESHOLD_PERCENT}.`,
      });
      return definition;
    }
    return { ...definition, threshold: percent / 100 };
  });
  return { goals: body, problems };
}
