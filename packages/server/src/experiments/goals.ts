import type { ErrorDetail } from '../errors/app-error.js';
import type { GoalDefinition, GoalInput } from './experiment-schemas.js';

/** The goal of a conversion event that names none, and the primary goal of an experiment without goals. */
export const DEFAULT_GOAL = 'conversion';

/**
 * A guardrail's default threshold: it counts as worse when it is worse than the control's by more
 * than this fraction of the control's value (docs/architecture.md#goal).
 */
export const DEFAULT_GUARDRAIL_THRESHOLD = 0.02;

/**
 * A guardrail is "likely worse" for an arm when the probability that it is worse than the
 * control's by more than its threshold reaches this.
 */
export const GUARDRAIL_LIKELY_WORSE = 0.8;

/** The implicit goal of an experiment that declares none: conversions on DEFAULT_GOAL. */
const IMPLICIT_PRIMARY: GoalDefinition = {
  key: DEFAULT_GOAL,
  kind: 'conversion',
  direction: 'higher',
  role: 'primary',
  threshold: null,
};

/**
 * Goal definitions from what a request or an older row holds: a plain string is a conversion goal
 * where higher is better; a goal without a role is secondary, except that when no goal is marked
 * primary the first goal that is not a guardrail is. Errors name the field they come from.
 */
export function normalizeGoals(
  input: readonly GoalInput[],
  field = 'body.goals',
): { goals: GoalDefinition[]; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const goals: GoalDefinition[] = input.map((g) => {
    const o = typeof g === 'string' ? { key: g } : g;
    const role = o.role ?? 'secondary';
    return {
      key: o.key,
      kind: o.kind ?? 'conversion',
      direction: o.direction ?? 'higher',
      role,
      threshold: role === 'guardrail' ? (o.threshold ?? DEFAULT_GUARDRAIL_THRESHOLD) : null,
    };
  });
  const seen = new Map<string, number>();
  goals.forEach((g, i) => {
    const first = seen.get(g.key);
    if (first !== undefined) {
      errors.push({ field: `${field}.${i}`, message: `goal "${g.key}" is already goal ${first + 1}` });
    }
    seen.set(g.key, i);
    const raw = input[i];
    if (typeof raw !== 'string' && raw.threshold !== undefined && g.role !== 'guardrail') {
      errors.push({ field: `${field}.${i}.threshold`, message: 'only a guardrail has a threshold' });
    }
  });
  const primaries = goals.flatMap((g, i) => (g.role === 'primary' ? [i] : []));
  if (primaries.length > 1) {
    errors.push({ field: `${field}.${primaries[1]}.role`, message: 'only one goal can be primary' });
  } else if (primaries.length === 0 && goals.length > 0) {
    const first = input.findIndex((g) => typeof g === 'string' || g.role === undefined);
    if (first < 0)
      errors.push({ field, message: 'mark one goal as primary (a guardrail only guards another)' });
    else goals[first] = { ...goals[first], role: 'primary' };
  }
  return { goals, errors };
}

/**
 * The goal that drives the bandit and the decision: the one marked primary, else the implicit
 * conversion goal of an experiment that declares none (docs/architecture.md#goal).
 */
export function primaryGoal(goals: readonly GoalDefinition[]): GoalDefinition {
  return goals.find((g) => g.role === 'primary') ?? IMPLICIT_PRIMARY;
}

/** Every goal the reports cover: the declared ones, or the implicit primary when there are none. */
export function reportedGoals(goals: readonly GoalDefinition[]): GoalDefinition[] {
  return goals.length > 0 ? [...goals] : [IMPLICIT_PRIMARY];
}
