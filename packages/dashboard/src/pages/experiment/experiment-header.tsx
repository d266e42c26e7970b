import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api } from '../../api/client.js';
import type { Experiment } from '../../api/types.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { count, pct } from './format.js';

type Action = 'start' | 'pause' | 'resume' | 'archive' | 'restore';

const STATUS_WORDS: Record<Experiment['status'], string> = {
  draft: 'Draft',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
};

/** The combination to preselect when completing: the decided winner, else the current leader. */
export function defaultWinner(experiment: Experiment): string {
  const d = experiment.stats?.decision;
  return d?.winner_combination_id ?? d?.leader_combination_id ?? experiment.combinations[0]?.id ?? '';
}

/** Name, type, status and allocation, and the lifecycle actions the API allows from this status. */
export function ExperimentHeader({
  experiment,
  onChanged,
}: {
  experiment: Experiment;
  onChanged: () => void;
}) {
  const navigate = useNavigate();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'complete' | 'delete' | null>(null);
  const [winner, setWinner] = useState('');
  const { id, status } = experiment;
  const archived = experiment.archived_at !== null;

  const run = async (action: Action) => {
    setBusy(action);
    setError(null);
    try {
      await api(`/experiments/${id}/${action}`, { method: 'POST' });
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The request failed. Try again.');
    } finally {
      setBusy(null);
    }
  };
  const complete = async () => {
    setBusy('complete');
    setError(null);
    try {
      await api(`/experiments/${id}/complete`, { method: 'POST', body: { winner_combination_id: winner } });
      setDialog(null);
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The request failed. Try again.');
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    setBusy('delete');
    setError(null);
    try {
      await api(`/experiments/${id}`, { method: 'DELETE' });
      navigate('/', { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The request failed. Try again.');
      setBusy(null);
    }
  };
  const openComplete = () => {
    setWinner(defaultWinner(experiment));
    setError(null);
    setDialog('complete');
  };
  const statsNames = new Map(experiment.stats?.combinations.map((c) => [c.combination_id, c]) ?? []);
  const decided = experiment.stats?.decision.winner_combination_id ?? null;
  const leader = experiment.stats?.decision.leader_combination_id ?? null;

  const button = (action: Action, label: string, secondary = false) => (
    <button
      type="button"
      className={secondary ? 'secondary' : undefined}
      disabled={busy !== null}
      onClick={() => run(action)}
    >
      {busy === action ? 'Working…' : label}
    </button>
  );

  return (
    <header className="experiment-header">
      <div className="experiment-title">
        <p className="crumbs">
          <Link to="/">Experiments</Link> /
        </p>
        <h1>{experiment.name}</h1>
        <p className="experiment-meta">
          <span className={`status status-${archived ? 'archived' : status}`}>
            {archived ? `Archived (${STATUS_WORDS[status].toLowerCase()})` : STATUS_WORDS[status]}
          </span>
          <span>{experiment.type === 'multi_element' ? 'Multi-element' : 'A/B test'}</span>
          <span>
            {experiment.traffic_allocation === 'adaptive' ? 'Adaptive allocation' : 'Fixed allocation'}
            {experiment.stats && experiment.traffic_allocation === 'adaptive' && status === 'running'
              ? ` (${experiment.stats.allocation.phase})`
              : ''}
          </span>
          <span>{pct(experiment.traffic_percentage / 100)} of traffic</span>
          {experiment.planned_visitors !== null && (
            <span>{count(experiment.planned_visitors)} planned visitors</span>
          )}
          <span>
            {experiment.combinations.length} {experiment.type === 'multi_element' ? 'combination' : 'variant'}
            {experiment.combinations.length === 1 ? '' : 's'}
          </span>
        </p>
        {experiment.description && <p className="muted">{experiment.description}</p>}
      </div>
      <div className="actions">
        {!archived && status === 'draft' && button('start', 'Start')}
        {!archived && status === 'running' && button('pause', 'Pause', true)}
        {!archived && status === 'paused' && button('resume', 'Resume')}
        {!archived && (status === 'running' || status === 'paused') && (
          <button type="button" disabled={busy !== null} onClick={openComplete}>
            Complete…
          </button>
        )}
        <Link className="button-link secondary" to={`/experiments/${id}/edit`}>
          Edit
        </Link>
        {status === 'draft' && (
          <Link className="button-link secondary" to={`/experiments/${id}/visual`}>
            Visual editor
          </Link>
        )}
        {archived ? button('restore', 'Restore', true) : button('archive', 'Archive', true)}
        <button
          type="button"
          className="secondary danger-outline"
          disabled={busy !== null}
          onClick={() => {
            setError(null);
            setDialog('delete');
          }}
        >
          Delete…
        </button>
      </div>
      {error && dialog === null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={dialog === 'complete'}
        title="Complete the experiment"
        confirmLabel="Complete and serve this combination"
        busy={busy === 'complete'}
        error={dialog === 'complete' ? error : null}
        onConfirm={complete}
        onCancel={() => setDialog(null)}
      >
        <p>
          Every visitor will get the combination you choose, and no one else is enrolled. This cannot be
          undone.
        </p>
        <label htmlFor="winner-select">Combination to serve to everyone</label>
        <select id="winner-select" value={winner} onChange={(e) => setWinner(e.target.value)}>
          {experiment.combinations.map((c) => {
            const s = statsNames.get(c.id);
            const note = c.id === decided ? ' (decided winner)' : c.id === leader ? ' (leader)' : '';
            return (
              <option key={c.id} value={c.id}>
                {(s?.name ?? c.id) + (s?.is_control ? ' (control)' : '') + note}
              </option>
            );
          })}
        </select>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'delete'}
        title="Delete the experiment"
        confirmLabel="Delete it and all its data"
        destructive
        busy={busy === 'delete'}
        error={dialog === 'delete' ? error : null}
        onConfirm={remove}
        onCancel={() => setDialog(null)}
      >
        <p>
          “{experiment.name}” and every visitor, conversion and allocation recorded for it are deleted for
          good. To put it away and keep the data, archive it instead.
        </p>
      </ConfirmDialog>
    </header>
  );
}
