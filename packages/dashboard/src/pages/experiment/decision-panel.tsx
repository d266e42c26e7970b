import type { Experiment, ExperimentStats } from '../../api/types.js';
import {
  analysisVisitors,
  decisionInWords,
  evidenceThresholdValue,
  evidenceValue,
  fewestVisitors,
  TO_GO_FOOTNOTE,
  testInWords,
  toGoInWords,
} from './decision-words.js';
import { bayesFactor, count, pct, prob } from './format.js';
import { goalTotals, primaryMetric } from './goal-metric.js';
import { GuardrailWarning } from './guardrail-warning.js';

type Decision = ExperimentStats['decision'];

/** What the stats say to do now, the test in use and its evidence, the rule's thresholds, and SRM. */
export function DecisionPanel({ experiment, stats }: { experiment: Experiment; stats: ExperimentStats }) {
  const planned = experiment.planned_visitors ?? null;
  const words = decisionInWords(stats, experiment.status, planned);
  const primary = stats.goals.find((g) => g.key === stats.primary_goal);
  const d = stats.decision;
  const served = experiment.combinations.find((c) => c.id === experiment.winner_combination_id);
  const servedName = served && stats.combinations.find((c) => c.combination_id === served.id)?.name;
  const declaredName = stats.combinations.find(
    (c) => c.combination_id === stats.declared_winner?.combination_id,
  )?.name;
  const started = experiment.status !== 'draft';
  const test = testInWords(d, planned);
  const showToGo =
    d.decision === 'keep_running' &&
    !d.horizon_reached &&
    (experiment.status === 'running' || experiment.status === 'paused');
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
      {started ? (
        <p className="decision-headline" aria-live="polite">
          {words.headline}
        </p>
      ) : (
        <p className="decision-headline">Not started: start the experiment to collect visitors.</p>
      )}
      {started && <GuardrailWarning stats={stats} />}
      {declaredName && experiment.status !== 'completed' && (
        <p className="decision-declared">
          {declaredName} was declared the winner on{' '}
          {new Date(stats.declared_winner!.decided_at).toLocaleString()}: since then it gets most new
          visitors, in every server process, whatever the figures below do next.
        </p>
      )}
      {words.tone === 'running' && !words.leader && words.needs.length > 0 && started && (
        <p className="muted">A winner needs {words.needs.join('; ')}.</p>
      )}
      <div className="decision-test">
        <p className="small">
          <strong>{test.name}.</strong> {test.guarantee}
        </p>
        {started && <EvidenceLine stats={stats} />}
        {d.test === 'group_sequential' && planned !== null && (
          <HorizonProgress decision={d} planned={planned} visitors={stats.total_visitors} />
        )}
        {started && showToGo && (
          <p className="small to-go">
            <span className="to-go-label">Visitors to go:</span> {toGoInWords(d)}
            {d.visitors_to_go !== null && (
              <>
                <sup>
                  <a href="#to-go-note" className="to-go-ref" aria-label="About this estimate">
                    *
                  </a>
                </sup>
                <span id="to-go-note" className="to-go-note muted">
                  {' '}
                  * {TO_GO_FOOTNOTE}
                </span>
              </>
            )}
          </p>
        )}
      </div>
      <p className="muted small">
        Decided on the primary goal “{stats.primary_goal}”:{' '}
        {primary
          ? goalTotals(primary)
          : `${count(stats.total_visitors)} visitors, ${count(stats.total_conversions)} converted (${pct(stats.conversion_rate, 2)})`}
        .
      </p>
      <details>
        <summary>How this is decided</summary>
        <Rules stats={stats} planned={planned} />
      </details>
      {stats.srm?.mismatch && (
        <div className="srm-warning" role="alert">
          <strong>Sample ratio mismatch.</strong> Visitors per combination do not match the allocations they
          were drawn from (χ² test p = {stats.srm.p_value.toPrecision(2)}, below {stats.srm.threshold}).
          Something other than chance is skewing assignment — a redirect that drops visitors, a bot filter, a
          caching layer — so the results above may be biased until it is fixed.
        </div>
      )}
      {stats.srm && !stats.srm.mismatch && stats.total_visitors > 0 && (
        <p className="small muted">
          Split check: visitors match the allocations they were drawn from (p ={' '}
          {stats.srm.p_value.toPrecision(2)}).
        </p>
      )}
    </section>
  );
}

/** The test's evidence now against what a winner needs, naming the leader's closest rival. */
function EvidenceLine({ stats }: { stats: ExperimentStats }) {
  const d = stats.decision;
  const rival = stats.combinations.find((c) => c.combination_id === d.rival_combination_id)?.name;
  const leader = stats.combinations.find((c) => c.combination_id === d.leader_combination_id)?.name;
  if (d.test === 'group_sequential' && d.look === 0) {
    return (
      <p className="small evidence-line">Evidence: none yet; the first analysis has not been reached.</p>
    );
  }
  const met = d.evidence !== null && d.evidence >= d.evidence_threshold;
  const who = leader && rival ? ` of ${leader} against ${rival}` : '';
  if (d.test === 'anytime') {
    return (
      <p className="small evidence-line">
        Evidence{who}: e-value <strong>{evidenceValue(d, d.evidence)}</strong>; a winner needs{' '}
        {evidenceThresholdValue(d)}
        {met ? ' ✓' : ''}.
      </p>
    );
  }
  if (d.test === 'group_sequential') {
    // A winner's figures are those of the analysis that declared it, which may be an earlier one.
    return d.decision === 'winner' ? (
      <p className="small evidence-line">
        Evidence{who} at the analysis that declared it: <strong>{evidenceValue(d, d.evidence)}</strong>; its
        boundary was {evidenceThresholdValue(d)} ✓.
      </p>
    ) : (
      <p className="small evidence-line">
        Evidence{who} at analysis {d.look} of {d.looks}: <strong>{evidenceValue(d, d.evidence)}</strong>; its
        boundary is {evidenceThresholdValue(d)}
        {met ? ' ✓' : ''}.
      </p>
    );
  }
  return (
    <p className="small evidence-line">
      Evidence that the combinations differ: Bayes factor{' '}
      <strong>{bayesFactor(d.evidence_bayes_factor)}</strong>; a winner needs{' '}
      {bayesFactor(d.thresholds.min_evidence_bayes_factor)}
      {d.evidence_bayes_factor >= d.thresholds.min_evidence_bayes_factor ? ' ✓' : ''}.
    </p>
  );
}

/** "Analysis 2 of 5": the analyses done and a bar of the visitors so far toward the planned ones. */
function HorizonProgress({
  decision: d,
  planned,
  visitors,
}: {
  decision: Decision;
  planned: number;
  visitors: number;
}) {
  const looks = d.looks || d.thresholds.looks;
  const next =
    d.look < looks && d.decision !== 'winner' ? analysisVisitors(planned, d.look + 1, looks) : null;
  const label = `Analysis ${d.look} of ${looks} done`;
  return (
    <div className="horizon">
      <p className="small">
        <strong>{label}</strong>: {count(visitors)} of {count(planned)} planned visitors
        {next !== null ? `; the next analysis at ${count(next)}.` : '.'}
      </p>
      <progress
        className="horizon-bar"
        max={planned}
        value={Math.min(visitors, planned)}
        aria-label={`${label}: ${count(visitors)} of ${count(planned)} planned visitors`}
      />
    </div>
  );
}

/** The rule's conditions, each with what it needs and its value now. */
function Rules({ stats, planned }: { stats: ExperimentStats; planned: number | null }) {
  const d = stats.decision;
  const t = d.thresholds;
  const noun = primaryMetric(stats).noun;
  const leader = stats.combinations.find((c) => c.combination_id === d.leader_combination_id);
  const conversions = leader?.conversions ?? 0;
  const rows: { rule: string; needs: string; now: string; met: boolean }[] = [
    {
      rule: 'Visitors on every combination',
      needs: `≥ ${count(t.min_visitors_per_arm)}`,
      now: count(fewestVisitors(stats)),
      met: d.min_sample_reached,
    },
    {
      rule: 'Conversions on the leader',
      needs: `≥ ${count(t.min_leader_conversions)}`,
      now: count(conversions),
      met: conversions >= t.min_leader_conversions,
    },
  ];
  if (d.test === 'anytime') {
    rows.push({
      rule: 'E-value of the leader against its closest rival',
      needs: `≥ ${evidenceThresholdValue(d)}`,
      now: evidenceValue(d, d.evidence),
      met: d.evidence !== null && d.evidence >= d.evidence_threshold,
    });
  } else if (d.test === 'group_sequential') {
    rows.push({
      rule:
        d.decision === 'winner'
          ? 'z of the leader against its closest rival, at the analysis that declared it'
          : d.look > 0
            ? `z of the leader against its closest rival, at analysis ${d.look} of ${d.looks}`
            : 'z of the leader against its closest rival, at the first analysis',
      needs: d.look > 0 ? `≥ ${evidenceThresholdValue(d)}` : 'first analysis',
      now: d.look > 0 ? evidenceValue(d, d.evidence) : `${count(stats.total_visitors)} visitors`,
      met: d.look > 0 && d.evidence !== null && d.evidence >= d.evidence_threshold,
    });
  } else {
    rows.push(
      {
        rule: 'Evidence that combinations differ (Bayes factor)',
        needs: `≥ ${bayesFactor(t.min_evidence_bayes_factor)}`,
        now: bayesFactor(d.evidence_bayes_factor),
        met: d.evidence_bayes_factor >= t.min_evidence_bayes_factor,
      },
      {
        rule: "Leader's probability to be best",
        needs: `≥ ${pct(t.winner_prob_best)}`,
        now: prob(d.leader_prob_best),
        met: d.leader_prob_best >= t.winner_prob_best,
      },
      {
        rule: `Leader's expected loss, of its ${noun}`,
        needs: `≤ ${pct(t.winner_max_relative_loss, 2)}`,
        now: pct(d.leader_relative_loss, 2),
        met: d.leader_relative_loss !== null && d.leader_relative_loss <= t.winner_max_relative_loss,
      },
    );
  }
  const sequential = d.test !== 'bayes_factor';
  return (
    <>
      <p className="small">
        {sequential
          ? `A combination wins when every rule below holds: the test compares it with every other combination, each comparison at level ${pct(t.alpha)} divided by the number of combinations.`
          : 'A combination wins when every rule below holds.'}{' '}
        “No material difference” when every combination has its minimum sample and choosing any of them would
        cost at most {pct(t.no_difference_max_relative_loss, 2)} of the leader's {noun} in expectation (a
        Bayesian statement about the size of any difference, not a test).
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
          {rows.map((r) => (
            <tr key={r.rule}>
              <th scope="row" className="rule">
                {r.rule}
              </th>
              <td>{r.needs}</td>
              <td>
                {r.now}
                {r.met ? ' ✓' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.test === 'group_sequential' && (
        <p className="small muted">
          {planned === null
            ? `Analyses at 1/${d.looks} … ${d.looks}/${d.looks} of the planned visitors`
            : `Analyses at ${Array.from({ length: d.looks }, (_, i) => count(analysisVisitors(planned, i + 1, d.looks))).join(', ')} visitors`}
          : each has its own boundary (O'Brien–Fleming type, high early and near the single-look value at the
          end). Between analyses the result does not change; after the last no winner can be declared.
        </p>
      )}
    </>
  );
}
