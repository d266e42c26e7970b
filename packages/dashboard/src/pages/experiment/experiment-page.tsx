import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api/client.js';
import type { Experiment, Timeseries } from '../../api/types.js';
import { type Interval, intervalForAge } from './chart-data.js';
import { ChartsPanel } from './charts-panel.js';
import { DecisionPanel } from './decision-panel.js';
import { ExperimentHeader } from './experiment-header.js';
import { thresholdText } from './goal-metric.js';
import { GoalSelector } from './goal-selector.js';
import { type GoalView, goalsInOrder, goalView, pickGoal } from './goal-view.js';
import { HeatMap } from './heat-map.js';
import { InstallPanel } from './install-panel.js';
import { PreviewLinksPanel } from './preview-links-panel.js';
import { combinationRows, ResultsTable, variantRows } from './results-table.js';
import { UndeclaredGoalsNotice } from './undeclared-goals-notice.js';
import { usePolling } from './use-polling.js';
import './experiment.css';

/**
 * Live updates are polling, not a push channel: GET /experiments/{id} computes its stats from the
 * per-combination counters (never a scan of assignments) and the server remembers the payload
 * while those counters are unchanged, so a poll every 5 s costs the server a few milliseconds
 * however much traffic the experiment has had.
 */
const STATS_POLL_MS = 5_000;
/**
 * The timeseries, unlike the stats, aggregates the experiment's assignments on each request
 * (README: about 0.8 s per million visitors), so it is refetched only when the counters moved and
 * at most this often; with minute buckets a chart gains a point a minute anyway.
 */
const TIMESERIES_MIN_GAP_MS = 30_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Load =
  | { state: 'loading' }
  | { state: 'not-found' }
  | { state: 'error'; message: string }
  | { state: 'ready' };

/** How long the experiment has been collecting data (to pick the bucket size). */
function ageMs(experiment: Experiment): number {
  if (!experiment.started_at) return 0;
  const end = experiment.completed_at ? Date.parse(experiment.completed_at) : Date.now();
  return Math.max(0, end - Date.parse(experiment.started_at));
}

/** /experiments/:id — the results page: decision, tables, heat map, charts, install. */
export function ExperimentPage() {
  const { id = '' } = useParams();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [experiment, setExperiment] = useState<Experiment | null>(null);
  const [timeseries, setTimeseries] = useState<Timeseries | null>(null);
  const [intervalChoice, setIntervalChoice] = useState<Interval | 'auto'>('auto');
  const [liveError, setLiveError] = useState<string | null>(null);
  /** The goal the results show; null until one is picked: the primary goal. */
  const [goalChoice, setGoalChoice] = useState<string | null>(null);
  const lastSeries = useRef({ at: 0, visitors: -1, events: -1, interval: '', goal: '' });

  const autoInterval = experiment ? intervalForAge(ageMs(experiment)) : 'minute';
  const interval = intervalChoice === 'auto' ? autoInterval : intervalChoice;
  const stats = experiment?.stats;
  const view = stats ? goalView(stats, goalChoice) : null;
  const goal = view?.goal.key ?? '';

  const fetchExperiment = useCallback(async () => {
    // An address that cannot be an experiment id is not found, without asking the server.
    if (!UUID.test(id)) {
      setLoad({ state: 'not-found' });
      return null;
    }
    try {
      const next = await api<Experiment>(`/experiments/${id}`);
      setExperiment(next);
      setLoad({ state: 'ready' });
      setLiveError(null);
      return next;
    } catch (e) {
      // 404 for an unknown id or another user's; 422 for a malformed one: neither exists for this user.
      if (e instanceof ApiError && (e.status === 404 || e.status === 422)) setLoad({ state: 'not-found' });
      else if (e instanceof ApiError) setLiveError(e.message);
      else setLiveError('The server cannot be reached; retrying.');
      setLoad((l) =>
        l.state === 'loading' ? { state: 'error', message: 'The experiment could not be loaded.' } : l,
      );
      return null;
    }
  }, [id]);

  const fetchTimeseries = useCallback(
    async (stats: Experiment['stats'], force: boolean) => {
      const last = lastSeries.current;
      // The shown goal's events move without new visitors (a second purchase, a refund).
      const visitors = stats?.total_visitors ?? 0;
      const events = stats ? (pickGoal(stats, goal)?.events ?? 0) : 0;
      const moved = visitors !== last.visitors || events !== last.events;
      // The first visitors are drawn at once; after that at most every TIMESERIES_MIN_GAP_MS.
      const due = moved && (last.visitors === 0 || Date.now() - last.at >= TIMESERIES_MIN_GAP_MS);
      if (!force && !due) return;
      lastSeries.current = { at: Date.now(), visitors, events, interval, goal };
      const query = new URLSearchParams({ interval, ...(goal ? { goal } : {}) });
      try {
        setTimeseries(await api<Timeseries>(`/experiments/${id}/timeseries?${query}`));
      } catch (e) {
        setLiveError(e instanceof ApiError ? e.message : 'The time series could not be loaded.');
      }
    },
    [id, interval, goal],
  );

  useEffect(() => {
    setLoad({ state: 'loading' });
    setExperiment(null);
    setTimeseries(null);
    setGoalChoice(null);
    lastSeries.current = { at: 0, visitors: -1, events: -1, interval: '', goal: '' };
    fetchExperiment();
  }, [fetchExperiment]);

  // The first load, a new bucket size and another goal fetch the series at once.
  const haveExperiment = experiment !== null;
  const latestStats = useRef(stats);
  latestStats.current = stats;
  useEffect(() => {
    const last = lastSeries.current;
    if (haveExperiment && (last.interval !== interval || last.goal !== goal))
      fetchTimeseries(latestStats.current, true);
  }, [haveExperiment, interval, goal, fetchTimeseries]);

  const running = experiment?.status === 'running' && experiment.archived_at === null;
  usePolling(
    async () => {
      const next = await fetchExperiment();
      if (next?.stats) await fetchTimeseries(next.stats, false);
    },
    STATS_POLL_MS,
    running,
  );

  if (load.state === 'not-found') {
    return (
      <section className="card">
        <h1>Experiment not found</h1>
        <p>There is no experiment with this address in your account. It may have been deleted.</p>
        <p>
          <Link to="/">Back to your experiments</Link>
        </p>
      </section>
    );
  }
  if (load.state === 'error' && !experiment) {
    return (
      <section className="card">
        <h1>Experiment</h1>
        <p className="error" role="alert">
          {load.message} {liveError}
        </p>
        <button type="button" onClick={() => fetchExperiment()}>
          Try again
        </button>
      </section>
    );
  }
  if (!experiment) return <p aria-busy="true">Loading the experiment…</p>;

  const multi = experiment.type === 'multi_element';
  // A series of the goal shown before the switch is not drawn as this goal's.
  const series = timeseries && timeseries.goal === goal ? timeseries : null;
  return (
    <div className="experiment-page">
      <ExperimentHeader experiment={experiment} onChanged={() => fetchExperiment()} />
      <p className="live-line small muted" aria-live="off">
        {running ? 'Live: refreshed every 5 seconds while this tab is visible.' : null}
        {stats ? ` Stats computed ${new Date(stats.computed_at).toLocaleTimeString()}.` : null}
        {liveError ? <span className="error"> {liveError}</span> : null}
      </p>
      {stats && <UndeclaredGoalsNotice experimentId={experiment.id} undeclared={stats.undeclared_goals} />}
      {stats && view ? (
        <>
          <DecisionPanel experiment={experiment} stats={stats} />
          <GoalSelector goals={goalsInOrder(stats)} goal={view.goal} onPick={setGoalChoice} />
          {multi && <HeatMap experiment={experiment} stats={view.stats} metric={view.metric} />}
          <section className="card" aria-labelledby="combos-title">
            <h2 id="combos-title">{multi ? 'Combinations' : 'Variants'}</h2>
            <ResultsHint view={view} />
            <ResultsTable
              caption={`Results per combination on ${view.goal.key}`}
              label={multi ? 'Combinations table' : 'Variants table'}
              armHeading={multi ? 'Combination' : 'Variant'}
              rows={combinationRows(experiment, view.stats, view.probWorse)}
              metric={view.metric}
              guardrailThreshold={view.goal.role === 'guardrail' ? view.goal.threshold : null}
            />
          </section>
          {multi && view.stats.elements && (
            <section className="card" aria-labelledby="elements-title">
              <h2 id="elements-title">Element variants: balanced main effect</h2>
              <p className="muted small">
                Balanced main effect: each variant's {view.metric.name.toLowerCase()} averaged with equal
                weight over the other elements' variants, so where the traffic went does not tilt it. Visitors
                and conversions count every combination that showed the variant, as served.
              </p>
              {view.stats.elements.map((element) => (
                <div key={element.element_id} className="element-block">
                  <h3>{element.name}</h3>
                  <ResultsTable
                    caption={`Results per variant of ${element.name} on ${view.goal.key}`}
                    label={`Variants of ${element.name}`}
                    armHeading="Variant"
                    rows={variantRows(element)}
                    metric={view.metric}
                    balanced
                  />
                </div>
              ))}
            </section>
          )}
          <ChartsPanel
            stats={view.stats}
            timeseries={series}
            metric={view.metric}
            direction={view.goal.direction}
            autoInterval={autoInterval}
            intervalChoice={intervalChoice}
            onInterval={setIntervalChoice}
          />
        </>
      ) : (
        <p className="card">No statistics for this experiment yet.</p>
      )}
      {/* Remounted (links fetched again) when the page URL or the status changes. */}
      <PreviewLinksPanel key={`${experiment.url}|${experiment.status}`} experiment={experiment} />
      <InstallPanel experiment={experiment} />
    </div>
  );
}

/** What the results table's columns mean, for the goal shown. */
function ResultsHint({ view }: { view: GoalView }) {
  const { metric, goal } = view;
  const name = metric.name.toLowerCase();
  return (
    <p className="muted small">
      {metric.name} with its 95% credible interval (bar: interval, tick: posterior mean, dashed: the control's
      mean; one scale for the table).{' '}
      {metric.kind === 'conversion' ? '' : 'Conversions: visitors with at least one event on the goal. '}
      P(best): probability to be the best{goal.direction === 'lower' ? ' (here lower is better)' : ''}.
      Expected loss: {name} given up, in expectation, by choosing it. Uplift: relative to the control, with
      its 95% credible interval (bar centred on no change, dashed).
      {goal.role === 'guardrail' && goal.threshold !== null
        ? ` P(worse): probability to be worse than the control by more than ${thresholdText(goal.threshold)} of its value.`
        : ''}{' '}
      Traffic now: the share of new visitors it gets.
    </p>
  );
}
