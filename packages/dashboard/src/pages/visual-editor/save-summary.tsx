import { forwardRef } from 'react';
import { Link } from 'react-router';
import type { FieldMessage } from '../editor/field-paths.js';
import { describeControl } from '../editor/field-paths.js';

export interface SaveProblems {
  title: string;
  placed: [string, string[]][];
  unplaced: FieldMessage[];
}

interface SaveSummaryProps {
  problems: SaveProblems;
  multi: boolean;
  editTo: string;
  /** Shows the control (its element and variant) and focuses it; false when this page has none. */
  onGo(id: string): boolean;
}

/** Why Save did not go through, each message linked to its control when this page shows it. */
export const SaveSummary = forwardRef<HTMLDivElement, SaveSummaryProps>(function SaveSummary(
  { problems, multi, editTo, onGo },
  ref,
) {
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="ve-summary-title">
      <h2 id="ve-summary-title">{problems.title}</h2>
      <ul>
        {problems.placed.map(([id, messages]) => (
          <li key={id}>
            <a
              href={`#${id}`}
              onClick={(event) => {
                if (onGo(id)) event.preventDefault();
              }}
            >
              {describeControl(id, multi)}
            </a>
            : {messages.join(' ')}
          </li>
        ))}
        {problems.unplaced.map((detail) => (
          <li key={`${detail.field}:${detail.message}`}>
            {detail.field && <code>{detail.field.replace(/^body\./, '')}</code>} {detail.message}
          </li>
        ))}
      </ul>
      <p className="small">
        Settings (name, goals, traffic, targeting) are changed on the <Link to={editTo}>edit page</Link>.
      </p>
    </div>
  );
});
