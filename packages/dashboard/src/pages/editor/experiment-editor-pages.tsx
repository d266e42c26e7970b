import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../api/client.js';
import type { CreateExperimentBody, Experiment, UpdateExperimentBody } from '../../api/types.js';
import { createBody, draftFromExperiment, emptyDraft, updateBody } from './experiment-draft.js';
import { ExperimentForm } from './experiment-form.js';

/** `/experiments/new`: POST /experiments, then the experiment's page. */
export function NewExperimentPage() {
  const navigate = useNavigate();
  const [initial] = useState(emptyDraft);
  return (
    <ExperimentForm<CreateExperimentBody>
      title="New experiment"
      initial={initial}
      types={['ab', 'split', 'multi']}
      structureEditable
      submitLabel="Create experiment"
      cancelTo="/"
      build={createBody}
      send={async (body) => {
        const created = await api<Experiment>('/experiments', { method: 'POST', body });
        navigate(`/experiments/${created.id}`);
      }}
    />
  );
}

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; experiment: Experiment };

/** `/experiments/:id/edit`: GET the experiment, PATCH what changed, back to its page. */
export function EditExperimentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
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
          message: error instanceof ApiError ? error.message : 'The server could not be reached.',
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
        <h1>Cannot edit this experiment</h1>
        <p>{loaded.message}</p>
        <p>
          <Link to="/">Back to the experiments</Link>
        </p>
      </div>
    );
  }
  const { experiment } = loaded;
  const draft = experiment.status === 'draft';
  return (
    <ExperimentForm<UpdateExperimentBody>
      // A new experiment id starts a new form, not one pre-filled with the last one's edits.
      key={experiment.id}
      title={`Edit “${experiment.name}”`}
      initial={draftFromExperiment(experiment)}
      types={experiment.type === 'multi_element' ? ['multi'] : ['ab', 'split']}
      structureEditable={draft}
      aside={
        draft && (
          <p className="muted">
            Or change elements and variants on the page itself, in the{' '}
            <Link to={`/experiments/${experiment.id}/visual`}>Visual editor</Link>: point at an element,
            change it, and see each variant as visitors will.
          </p>
        )
      }
      lockedReason={`This experiment is ${experiment.status}: only its settings can change. Elements, variants, their content and weights stay as they were when it started.`}
      submitLabel="Save changes"
      cancelTo={`/experiments/${experiment.id}`}
      build={(d) => updateBody(d, draft)}
      send={async (body) => {
        await api<Experiment>(`/experiments/${encodeURIComponent(experiment.id)}`, { method: 'PATCH', body });
        navigate(`/experiments/${experiment.id}`);
      }}
    />
  );
}
