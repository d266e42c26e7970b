import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.js';
import type { CreateExperimentBody, Experiment, UpdateExperimentBody } from '../../api/types.js';
import { createBody, draftFromExperiment, emptyDraft, updateBody } from './experiment-draft.js';
import { ExperimentForm } from './experiment-form.js';
import { ExperimentLoader } from './experiment-loader.js';

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

/** `/experiments/:id/edit`: GET the experiment, PATCH what changed, back to its page. */
export function EditExperimentPage() {
  return (
    <ExperimentLoader failedTitle="Cannot edit this experiment">
      {(e) => <EditForm experiment={e} />}
    </ExperimentLoader>
  );
}

function EditForm({ experiment }: { experiment: Experiment }) {
  const navigate = useNavigate();
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
