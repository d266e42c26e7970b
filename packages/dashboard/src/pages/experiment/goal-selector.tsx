import type { GoalStats } from '../../api/types.js';
import { goalDescription, goalTotals } from './goal-metric.js';

function optionText(goal: GoalStats): string {
  return `${goal.key} (${goalDescription(goal)}${goal.declared ? '' : ', not declared'})`;
}

/** Since when the goals count, for the hint. */
function countedSince(goals: readonly GoalStats[]): string {
  const since = goals.find((g) => g.counted_since !== null)?.counted_since;
  if (!since) return 'Goals count from the experiment’s start.';
  const when = new Date(since).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `Every goal counts from the experiment’s start (${when}), declared then or later.`;
}

/**
 * Which goal the results below show: every goal of the stats, the primary first. The decision
 * always follows the primary goal.
 */
export function GoalSelector({
  goals,
  goal,
  onPick,
}: {
  /** In the order to list them (goalsInOrder). */
  goals: readonly GoalStats[];
  goal: GoalStats;
  onPick: (key: string) => void;
}) {
  return (
    <section className="card goal-bar" aria-label="Goal shown">
      <div className="goal-pick">
        {goals.length > 1 ? (
          <>
            <label htmlFor="goal-select">Results for goal</label>
            <select
              id="goal-select"
              value={goal.key}
              onChange={(event) => onPick(event.target.value)}
              aria-describedby="goal-select-hint"
            >
              {goals.map((g) => (
                <option key={g.key} value={g.key}>
                  {optionText(g)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <p>
            <strong>Results for goal</strong> {optionText(goal)}
          </p>
        )}
        <p className="goal-totals">{goalTotals(goal)}</p>
      </div>
      <p id="goal-select-hint" className="muted small">
        {goals.length > 1
          ? 'The results below show the chosen goal; the decision follows the primary goal. '
          : ''}
        {countedSince(goals)}
      </p>
    </section>
  );
}
