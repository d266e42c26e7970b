import { useEffect, useRef, useState } from 'react';
import { type ListQuery, STATUSES } from './list-query.js';

/** How long typing pauses before the search is sent (one request per pause, not per key). */
const SEARCH_DELAY_MS = 300;

const STATUS_LABELS = { draft: 'Draft', running: 'Running', paused: 'Paused', completed: 'Completed' };

/**
 * The value a control shows: the query's, or what the user just chose until the query catches up.
 * The router applies an address change in a transition, so a controlled control bound to the
 * query alone would snap back for a moment after each click.
 */
function useShown<T>(value: T): [T, (next: T) => void] {
  const [shown, setShown] = useState(value);
  const [last, setLast] = useState(value);
  if (value !== last) {
    setLast(value);
    setShown(value);
  }
  return [shown, setShown];
}

/** Status filter, name search (matched by the API across all pages) and the archived toggle. */
export function ListFilters({
  query,
  onChange,
}: {
  query: ListQuery;
  onChange(change: Partial<ListQuery>): void;
}) {
  const [status, setStatus] = useShown(query.status);
  const [archived, setArchived] = useShown(query.archived);
  const [text, setText] = useState(query.q);
  // The search last sent from here: a different `query.q` came from elsewhere (Back, a link).
  const sent = useRef(query.q);
  useEffect(() => {
    if (query.q !== sent.current) {
      sent.current = query.q;
      setText(query.q);
    }
  }, [query.q]);

  const send = (value: string) => {
    const q = value.trim();
    if (q === sent.current) return;
    sent.current = q;
    onChange({ q });
  };
  useEffect(() => {
    const timer = setTimeout(() => send(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  });

  return (
    <search className="list-filters" aria-label="Filter experiments">
      <form
        className="filter"
        onSubmit={(event) => {
          event.preventDefault();
          send(text);
        }}
      >
        <label htmlFor="experiment-search">Search by name</label>
        <input
          id="experiment-search"
          type="search"
          value={text}
          maxLength={200}
          placeholder="e.g. checkout"
          onChange={(event) => setText(event.target.value)}
        />
      </form>
      <div className="filter">
        <label htmlFor="experiment-status">Status</label>
        <select
          id="experiment-status"
          value={status ?? ''}
          onChange={(event) => {
            const next = (event.target.value || null) as ListQuery['status'];
            setStatus(next);
            onChange({ status: next });
          }}
        >
          <option value="">All statuses</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="filter filter-check">
        <input
          id="experiment-archived"
          type="checkbox"
          checked={archived}
          onChange={(event) => {
            setArchived(event.target.checked);
            onChange({ archived: event.target.checked });
          }}
        />
        <label htmlFor="experiment-archived">Archived only</label>
      </div>
    </search>
  );
}
