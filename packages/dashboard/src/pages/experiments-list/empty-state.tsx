import { Link } from 'react-router';

/** What a new user sees instead of an empty table: two ways to start. */
export function EmptyState() {
  return (
    <section className="empty-state card" aria-labelledby="empty-title">
      <h2 id="empty-title">No experiments yet</h2>
      <p>
        An experiment shows visitors of your site different versions of a page element and sends more traffic
        to the version that converts best.
      </p>
      <div className="empty-options">
        <div>
          <h3>Create your own</h3>
          <p>Pick the element, write the variants and the goal; start it when it is ready.</p>
          <Link to="/experiments/new" className="button">
            Create an experiment
          </Link>
        </div>
        <div>
          <h3>Or watch a demo</h3>
          <p>
            With the server running, run <code>npm run samplit -- demo</code> in the Samplit folder: it sends
            10,000 simulated visitors through a 3 × 3 adaptive experiment so you can watch a winner emerge,
            under the account demo@example.com (password <code>samplit-demo</code>).
          </p>
        </div>
      </div>
    </section>
  );
}

/** The list is empty only because of the filters. */
export function NoMatches({ onClear }: { onClear(): void }) {
  return (
    <div className="empty-state card">
      <p>No experiments match these filters.</p>
      <p>
        <button type="button" className="secondary" onClick={onClear}>
          Clear filters
        </button>
      </p>
    </div>
  );
}
