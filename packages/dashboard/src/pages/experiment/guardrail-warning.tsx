import type { ExperimentStats } from '../../api/types.js';
import { DEFAULT_GUARDRAIL_THRESHOLD, thresholdText } from './goal-metric.js';

/** "P = 0.93"; near 1 without claiming certainty: "P > 0.99". */
function probability(p: number): string {
  return p > 0.99 ? 'P > 0.99' : `P = ${p.toFixed(2)}`;
}

/**
 * One sentence per guardrail the winner (or, before there is one, the leader) is likely worse on,
 * e.g. "Winner: B — but guardrail refunds is likely worse (P = 0.93 that it is more than 2% worse
 * than control)". Empty when no guardrail is.
 */
export function guardrailWarnings(stats: ExperimentStats): string[] {
  const d = stats.decision;
  const id = d.winner_combination_id ?? d.leader_combination_id;
  const name = stats.combinations.find((c) => c.combination_id === id)?.name ?? stats.leader.name;
  const who = d.decision === 'winner' ? 'Winner' : 'Leader';
  return d.guardrails.flatMap((g) => {
    if (!g.likely_worse || g.prob_worse === null) return [];
    const threshold =
      stats.goals.find((goal) => goal.key === g.goal)?.threshold ?? DEFAULT_GUARDRAIL_THRESHOLD;
    return [
      `${who}: ${name} — but guardrail ${g.goal} is likely worse (${probability(g.prob_worse)} that it is more than ${thresholdText(threshold)} worse than control)`,
    ];
  });
}

/** The guardrail warnings of the decision, shown as a warning in words, not colour alone. */
export function GuardrailWarning({ stats }: { stats: ExperimentStats }) {
  const warnings = guardrailWarnings(stats);
  if (warnings.length === 0) return null;
  return (
    <div className="guardrail-warning" aria-live="polite">
      <p className="guardrail-title">
        <span aria-hidden="true">⚠ </span>
        <strong>Guardrail warning</strong>
      </p>
      {warnings.map((w) => (
        <p key={w}>{w}.</p>
      ))}
    </div>
  );
}
