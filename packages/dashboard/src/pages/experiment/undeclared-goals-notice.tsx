import { Link } from 'react-router';
import type { ExperimentStats } from '../../api/types.js';
import { count } from './format.js';

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/**
 * Goals the tracker received events for that the experiment does not declare: usually a typo in
 * the page's goal name, or a goal not declared yet. Nothing when there are none.
 */
export function UndeclaredGoalsNotice({
  experimentId,
  undeclared,
}: {
  experimentId: string;
  undeclared: ExperimentStats['undeclared_goals'];
}) {
  if (undeclared.total === 0) return null;
  const listed = undeclared.goals.map(
    (g) =>
      `${g.goal} (${plural(g.conversions, 'visitor', 'visitors')}, ${plural(g.events, 'event', 'events')})`,
  );
  const more = undeclared.total - undeclared.goals.length;
  return (
    <div className="undeclared-goals">
      <p>
        <strong>
          <span aria-hidden="true">⚠ </span>Undeclared goals.
        </strong>{' '}
        The tracker received events for goals this experiment does not declare: {listed.join(', ')}
        {more > 0 ? `, and ${plural(more, 'other goal', 'other goals')}` : ''}. Declare them in{' '}
        <Link to={`/experiments/${experimentId}/edit`}>
          Edit<span className="visually-hidden"> the experiment’s goals</span>
        </Link>
        , or fix the goal name in your page.
      </p>
    </div>
  );
}
