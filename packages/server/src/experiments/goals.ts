/** The goal of a conversion event that names none, and the primary goal of an experiment without goals. */
export const DEFAULT_GOAL = 'conversion';

/**
 * The experiment's primary goal: its first `goals` entry, else DEFAULT_GOAL. Its first counted
 * conversion per visitor is what the bandit and the decision rule count
 * (docs/architecture.md#goal).
 */
export function primaryGoal(experiment: { goals: readonly string[] }): string {
  return experiment.goals[0] ?? DEFAULT_GOAL;
}
