import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api/client.js';
import type { Experiment } from '../../api/types.js';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; experiment: Experiment };

function failure(error: unknown, notFound: string | undefined): string {
  if (notFound && error instanceof ApiError && (error.status === 404 || error.status === 422))
    return notFound;
  return error instanceof ApiError ? error.message : 'The server could not be reached.';
}

interface ExperimentLoaderProps {
  /** The heading when it cannot be loaded ("Cannot edit this experiment"). */
  failedTitle: string;
  /** The message for an unknown (404) or malformed (422) id, instead of the API's own. */
  notFound?: string;
  children: (experiment: Experiment) => ReactNode;
}

/**
 * GETs the experiment of the route's `:id` and renders `children` with it: a loading status
 * meanwhile, an alert with a way back when it fails. A new id starts over.
 */
export function ExperimentLoader({ failedTitle, notFound, children }: ExperimentLoaderProps) {
  const { id = '' } = useParams();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api<Experiment>(`/experiments/${encodeURIComponent(id)}`, { signal: controller.signal })
      .then((experiment) => setLoaded({ state: 'ready', experiment }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'failed', message: failure(error, notFound) });
      });
    return () => controller.abort();
  }, [id, notFound]);

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
        <h1>{failedTitle}</h1>
        <p>{loaded.message}</p>
        <p>
          <Link to="/">Back to the experiments</Link>
        </p>
      </div>
    );
  }
  return children(loaded.experiment);
}
