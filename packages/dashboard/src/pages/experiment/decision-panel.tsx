import type { Experiment, ExperimentStats } from '../../api/types.js';
import { decisionInWords } from './decision-words.js';
import { bayesFactor, count, pct, prob } from './format.js';
import { goalTotals, primaryMetric } from './goal-metric.js';
import { GuardrailWarning } from './guardrail-warning.js';

/** What the stats say to do now, the rule's thresholds against the current values, and SRM. */
export function DecisionPanel({ experiment, stats }: { experiment: Experiment; stats: ExperimentStats }) {
  const words = decisionInWords(stats, experiment.status);
  const primary = stats.goals.find((g) => g.key === stats.primary_goal);
  const noun = primaryMetric(stats).noun;
  const d = stats.decision;
  const t = d.thresholds;
  const leader = stats.combinations.find((c) => c.combination_id === d.leader_combination_id);
  const served = experiment.combinations.find((c) => c.id === experiment.winner_combination_id);
  const servedName = served && stats.combinations.find((c) => c.combination_id === served.id)?.name;
  const declaredName = stats.combinations.find(
    (c) => c.combination_id === stats.declared_winner?.combination_id,
  )?.name;
  return (
    <section className={`card decision decision-${words.tone}`} aria-labelledby="decision-title">
      <h2 id="decision-title" className="visually-hidden">
        Decision
      </h2>
      {experiment.status === 'completed' && (
        <p className="decision-served">
          Completed
          {servedName ? `: every visitor now gets ${servedName}.` : ': every visitor now gets the control.'}
        </p>
      )}
      {experiment.status === 'draft' ? (
        <p className="decision-headline">Not started: start the experiment to collect visitors.</p>
      ) : (
        <p className="decision-headline" aria-live="polite">
          {words.headline}
        </p>
      )}
      {experiment.status !== 'draft' && <GuardrailWarning stats={stats} />}
      {declaredName && experiment.status !== 'completed' && (
        <p className="decision-declared">
          {declaredName} was declared the winner on{' '}
          {new Date(stats.declared_winner!.decided_at).toLocaleString()}: since then it gets most new
          visitors, in every server process, whatever the figures below do next.
        </p>
      )}
      {words.tone === 'running' &&
        !words.leader &&
        words.needs.length > 0 &&
        experiment.status !== 'draft' && <p className="muted">A winner needs {words.needs.join('; ')}.</p>}
      <p className="muted small">
        Decided on the primary goal “{stats.primary_goal}”:{' '}
        {primary
          ? goalTotals(primary)
          : `${count(stats.total_visitors)} visitors, ${count(stats.total_conversions)} converted (${pct(stats.conversion_rate, 2)})`}
        .
      </p>
      <details>
        <summary>How this is decided</summary>
        <p className="small">
          A combination wins when every rule below holds. “No material difference” when every combination has
          its minimum sample and choosing any of them would cost at most{' '}
          {pct(t.no_difference_max_relative_loss, 2)} of the leader's {noun}.
        </p>
        <table className="thresholds">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Needs</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row" className="rule">
                Visitors on every combination
              </th>
              <td>≥ {count(t.min_visitors_per_arm)}</td>
              <td>
                {count(
                  stats.combinations.reduce((m, c) => Math.min(m, c.visitors), Number.POSITIVE_INFINITY) || 0,
                )}
                {d.min_sample_reached ? ' ✓' : ''}
              </td>
            </tr>
            <tr>
              <th scope="row" className="rule">
                Conversions on the leader
              </th>
              <td>≥ {count(t.min_leader_conversions)}</td>
              <td>
                {count(leader?.conversions ?? 0)}
                {(leader?.conversions ?? 0) >= t.min_leader_conversions ? ' ✓' : ''}
              </td>
            </tr>
            <tr>
              <th scope="row" className="rule">
                Evidence that combinations differ (Bayes factor)
              </th>
              <td>≥ {bayesFactor(t.min_evidence_bayes_factor)}</td>
              <td>
                {bayesFactor(d.evidence_bayes_factor)}
                {d.evidence_bayes_factor >= t.min_evidence_bayes_factor ? ' ✓' : ''}
              </td>
            </tr>
            <tr>
              <th scope="row" className="rule">
                Leader's probability to be best
              </th>
              <td>≥ {pct(t.winner_prob_best)}</td>
              <td>
                {prob(d.leader_prob_best)}
                {d.leader_prob_best >= t.winner_prob_best ? ' ✓' : ''}
              </td>
            </tr>
            <tr>
              <th scope="row" className="rule">
                Leader's expected loss, of its {noun}
              </th>
              <td>≤ {pct(t.winner_max_relative_loss, 2)}</td>
              <td>
                {pct(d.leader_relative_loss, 2)}
                {d.leader_relative_loss !== null && d.leader_relative_loss <= t.winner_max_relative_loss
                  ? ' ✓'
                  : ''}
              </td>
            </tr>
          </tbody>
        </table>
        <p className="small muted">
          The evidence rule keeps repeated looks safe: if all combinations were equal, the Bayes factor would
          reach {bayesFactor(t.min_evidence_bayes_factor)} with probability at most 1 in{' '}
          {bayesFactor(t.min_evidence_bayes_factor)}, however often this page refreshes.
        </p>
      </details>
      {stats.srm?.mismatch && (
        <div className="srm-warning" role="alert">
          <strong>Sample ratio mismatch.</strong> Visitors per combination do not match the configured weights
          (χ² test p = {stats.srm.p_value.toPrecision(2)}, below {stats.srm.threshold}). Something other than
          chance is skewing assignment — a redirect that drops visitors, a bot filter, a caching layer — so
          the results above may be biased until it is fixed.
        </div>
      )}
      {stats.srm && !stats.srm.mismatch && stats.total_visitors > 0 && (
        <p className="small muted">
          Split check: visitors match the configured weights (p = {stats.srm.p_value.toPrecision(2)}).
        </p>
      )}
    </section>
  );
}
