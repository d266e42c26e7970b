import { useEffect, useState } from 'react';
import { api } from '../api/client.js';

interface ExperimentSummary {
  id: string;
  name: string;
  type: string;
  status: string;
}

/** The home page after sign-in: the user's experiments. */
export function ExperimentsPage() {
  const [items, setItems] = useState<ExperimentSummary[] | null>(null);
  useEffect(() => {
    api<{ items: ExperimentSummary[] }>('/experiments').then(
      (page) => setItems(page.items),
      () => setItems([]),
    );
  }, []);
  return (
    <section>
      <h1>Experiments</h1>
      {items === null ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p>No experiments yet.</p>
      ) : (
        <ul>
          {items.map((e) => (
            <li key={e.id}>
              {e.name} ({e.type}, {e.status})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
