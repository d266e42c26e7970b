import type { ExperimentStats } from '../stats/stats-schemas.js';
import type { LiveDemoResult } from './live-demo.js';

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** "CTA-B × Copy-Y" → "B×Y": the part after the last dash of each variant name. */
export function shortLabel(name: string): string {
  return name
    .split(' × ')
    .map((v) => v.slice(v.lastIndexOf('-') + 1))
    .join('×');
}

const cell = (label: string) => Math.max(4, label.length);

/** The header of the traffic table: one column per combination. */
export function trafficHeader(stats: ExperimentStats): string {
  const labels = stats.combinations.map((c) => shortLabel(c.name));
  return [
    'visitors'.padStart(8),
    'phase'.padEnd(8),
    ...labels.map((l) => l.padStart(cell(l))),
    ' leader (P(best))',
  ].join(' ');
}

/** One row of the traffic table: each combination's current share of new visitors. */
export function trafficRow(done: number, stats: ExperimentStats): string {
  const leader = stats.combinations.find((c) => c.combination_id === stats.leader.combination_id);
  return [
    count(done).padStart(8),
    stats.allocation.phase.padEnd(8),
    ...stats.combinations.map((c) =>
      `${Math.round(100 * c.traffic_weight)}%`.padStart(cell(shortLabel(c.name))),
    ),
    ` ${stats.leader.name} (${pct(leader?.prob_best ?? 0, 0)})`,
  ].join(' ');
}

const DECISION_TEXT = {
  winner: 'winner',
  keep_running: 'keep running (no decision yet)',
  no_material_difference: 'no material difference',
} as const;

/** The end of the demo: per-combination results against the truth, decision, gain. */
export function formatSummary(
  result: LiveDemoResult,
  where: { baseUrl: string; email: string; password: string; keptIn?: string },
) {
  const { stats } = result;
  const widths = Math.max(...stats.combinations.map((c) => c.name.length));
  const lines = [
    `${'combination'.padEnd(widths)}  true rate  visitors  share  conv.   rate  P(best)`,
    ...stats.combinations.map((c, i) =>
      [
        c.name.padEnd(widths),
        pct(result.truth[i].true_rate, 2).padStart(9),
        count(c.visitors).padStart(8),
        pct(c.visitors / Math.max(1, stats.total_visitors), 1).padStart(6),
        count(c.conversions).padStart(5),
        pct(c.conversion_rate, 2).padStart(6),
        pct(c.prob_best, 1).padStart(7),
      ].join('  '),
    ),
    '',
  ];
  const d = stats.decision;
  const winnerName = d.winner_combination_id ? stats.leader.name : null;
  lines.push(
    `Decision: ${DECISION_TEXT[d.decision]}${winnerName ? ` — ${winnerName}` : ''} ` +
      `(leader ${stats.leader.name}: P(best) ${pct(d.leader_prob_best)}, expected loss ` +
      `${d.leader_relative_loss === null ? '—' : pct(d.leader_relative_loss, 2)} of its rate)`,
  );
  if (result.trueWinner) {
    const leading = stats.leader.name === result.trueWinner;
    const verdict = !leading
      ? `not found ✗ (leader is ${stats.leader.name})`
      : d.decision === 'winner'
        ? 'found ✓'
        : 'leading ✓ (not yet declared)';
    lines.push(`True winner: ${result.trueWinner} — ${verdict}`);
  }
  const gain = result.expectedWithAllocation - result.expectedWithEqualSplit;
  const observedGain = stats.total_conversions - result.expectedWithEqualSplit;
  const plus = (x: number) => (x >= 0 ? '+' : '');
  lines.push(
    `Conversions: ${count(stats.total_conversions)} from ${count(stats.total_visitors)} visitors ` +
      `(${pct(stats.conversion_rate, 2)}), ${plus(observedGain)}${observedGain.toFixed(1)} against an equal split's expectation.`,
    `Expected from the true rates: ${result.expectedWithAllocation.toFixed(1)} with this allocation, ` +
      `${result.expectedWithEqualSplit.toFixed(1)} with an equal split: ${plus(gain)}${gain.toFixed(1)} conversions ` +
      `(${plus(gain)}${pct(gain / result.expectedWithEqualSplit)}) gained by adaptive allocation.`,
    `Took ${result.seconds.toFixed(1)} s, ${count(result.requests)} API requests` +
      (result.rateLimited > 0 ? ` (${count(result.rateLimited)} rate-limited and retried)` : '') +
      '.',
    where.keptIn
      ? `Experiment ${result.experimentId} is left running in ${where.keptIn}; the demo's server has stopped, ` +
          `so start one on it (npm start) to see ${where.baseUrl}/api/v1/experiments/${result.experimentId}`
      : `Experiment ${result.experimentId} is left running on ${where.baseUrl}: ${where.baseUrl}/api/v1/experiments/${result.experimentId}`,
    `  (log in as ${where.email} / ${where.password})`,
  );
  return lines.join('\n');
}
