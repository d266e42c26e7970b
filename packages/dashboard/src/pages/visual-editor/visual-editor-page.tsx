import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api/client.js';
import type { Experiment } from '../../api/types.js';
import { VisualEditor } from './visual-editor.js';
import '../editor/editor.css';
import './visual-editor.css';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; experiment: Experiment };

/** `/experiments/:id/visual`: the visual editor of a draft; other states only point back. */
export function VisualEditorPage() {
  const { id = '' } = useParams();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api<Experiment>(`/experiments/${encodeURIComponent(id)}`, { signal: controller.signal })
      .then((experiment) => setLoaded({ state: 'ready', experiment }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoaded({
          state: 'failed',
          message:
            error instanceof ApiError && (error.status === 404 || error.status === 422)
              ? 'There is no experiment with this address in your account.'
              : error instanceof ApiError
                ? error.message
                : 'The server could not be reached.',
        });
      });
    return () => controller.abort();
  }, [id]);

  if (loaded.state === 'loading') {
    return (
      <p role="status" className="muted">
        Loading the experiment…
      </p>
    );
  }
  if (loaded.state === 'failed') {
    return (
      <div role="alert" className="card">
        <h1>Cannot open the visual editor</h1>
        <p>{loaded.message}</p>
        <p>
          <Link to="/">Back to the experiments</Link>
        </p>
      </div>
    );
  }
  const { experiment } = loaded;
  const back = `/experiments/${experiment.id}`;
  return (
    <div className="visual-editor-page">
      <header className="ve-header">
        <p className="crumbs">
          <Link to="/">Experiments</Link> / <Link to={back}>{experiment.name}</Link> /
        </p>
        <h1>Visual editor</h1>
      </header>
      {experiment.status !== 'draft' ? (
        <div className="card">
          <p className="notice">
            “{experiment.name}” is {experiment.status}. Elements, variants and their content only change while
            an experiment is a draft, so the visual editor cannot change it. Its preview links still show each
            variant on the live site.
          </p>
          <p>
            <Link to={back}>Back to the experiment</Link>
          </p>
        </div>
      ) : (
        <VisualEditor key={experiment.id} experiment={experiment} />
      )}
    </div>
  );
}
