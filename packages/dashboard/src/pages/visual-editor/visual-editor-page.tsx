import { Link } from 'react-router';
import type { Experiment } from '../../api/types.js';
import { ExperimentLoader } from '../editor/experiment-loader.js';
import { VisualEditor } from './visual-editor.js';
import '../editor/editor.css';
import './visual-editor.css';

/** `/experiments/:id/visual`: the visual editor of a draft; other states only point back. */
export function VisualEditorPage() {
  return (
    <ExperimentLoader
      failedTitle="Cannot open the visual editor"
      notFound="There is no experiment with this address in your account."
    >
      {(experiment) => <VisualEditorOf experiment={experiment} />}
    </ExperimentLoader>
  );
}

function VisualEditorOf({ experiment }: { experiment: Experiment }) {
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
