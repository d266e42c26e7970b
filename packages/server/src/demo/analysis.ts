import { computeStats } from '@samplit/engine';
import {
  type DecisionPayload,
  type PosteriorPayload as Posterior,
  toDecisionPayload,
  toPosteriorPayload,
} from '../stats/engine-payloads.js';
import type { CsvTally } from './csv-tally.js';

/** What `samplit analyze` reports (and prints with --json): the API's statistics, by name. */
export interface Analysis {
  file: string;
  outcome_column: string;
  /** `value_<goal>` or `events_<goal>`: the metric is that total per visitor; null: conversions. */
  metric_column: string | null;
  total_visitors: number;
  total_conversions: number;
  conversion_rate: number;
  control: string;
  combinations: (Posterior & { name: string; variants: string[]; is_control: boolean })[];
  elements: { name: string; variants: (Posterior & { name: string; is_control: boolean })[] }[] | null;
  decision: DecisionPayload & { leader: string; winner: string | null; rival: string | null };
  leader: string;
  winner: string | null;
  /** From the demo-data metadata next to the file, when there is one. */
  true_winner: string | null;
  found_true_winner: boolean | null;
}

/** Runs the engine's statistics and decision rule on a tallied CSV (Beta(1, 1) prior). */
export function analyzeTally(tally: CsvTally, file: string, trueWinner: string | null = null): Analysis {
  const mean = tally.metricColumn !== null;
  const stats = computeStats({
    arms: tally.combinations.map((c) =>
      mean
        ? { visitors: c.visitors, conversions: c.conversions, sum: c.sum, sumSquares: c.sumSquares }
        : { visitors: c.visitors, conversions: c.conversions },
    ),
    levels: tally.combinations.map((c) => c.levels),
    controlArm: tally.control,
    metric: mean ? 'mean' : 'binary',
  });
  const names = tally.combinations.map((c) => c.name);
  const { leader, winner } = stats.decision;
  const winnerName = winner === null ? null : names[winner];
  return {
    file,
    outcome_column: tally.outcomeColumn,
    metric_column: tally.metricColumn,
    total_visitors: stats.totalVisitors,
    total_conversions: stats.totalConversions,
    conversion_rate: stats.totalVisitors > 0 ? stats.totalConversions / stats.totalVisitors : 0,
    control: names[tally.control],
    combinations: stats.arms.map((arm, i) => ({
      name: names[i],
      variants: tally.combinations[i].variants,
      is_control: arm.isControl,
      ...toPosteriorPayload(arm),
    })),
    elements:
      tally.elements.length > 1 && stats.elements
        ? stats.elements.map((e) => ({
            name: tally.elements[e.element].name,
            variants: e.variants.map((v) => ({
              name: tally.elements[e.element].variants[v.variant],
              is_control: v.isControl,
              ...toPosteriorPayload(v),
            })),
          }))
        : null,
    decision: {
      ...toDecisionPayload(stats.decision),
      leader: names[leader],
      winner: winnerName,
      rival: stats.decision.rival === null ? null : names[stats.decision.rival],
    },
    leader: names[leader],
    winner: winnerName,
    true_winner: trueWinner,
    found_true_winner: trueWinner === null ? null : names[leader] === trueWinner,
  };
}

const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString('en-US');

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function head(mean: boolean): string[] {
  return [
    '',
    'visitors',
    'conv.',
    mean ? 'per visitor' : 'rate',
    '95% credible interval',
    'P(best)',
    'exp. loss',
    'uplift',
    'P(>ctrl)',
  ];
}

function posteriorRow(name: string, s: Posterior, isControl: boolean, mean: boolean): string[] {
  const metric = (x: number) => (mean ? x.toFixed(3) : pct(x));
  return [
    `${name}${isControl ? ' (control)' : ''}`,
    count(s.visitors),
    count(s.conversions),
    metric(s.observed_mean),
    `${metric(s.ci95[0])} – ${metric(s.ci95[1])}`,
    pct(s.prob_best, 1),
    mean ? s.expected_loss.toFixed(4) : `${(100 * s.expected_loss).toFixed(3)} pp`,
    isControl ? '—' : signed(s.uplift),
    s.prob_beat_control === null ? '—' : pct(s.prob_beat_control, 1),
  ];
}

const DECISION_TEXT = {
  winner: 'winner',
  keep_running: 'keep running (no decision yet)',
  no_material_difference: 'no material difference',
} as const;

/** The human-readable report: per-combination and per-element tables, the decision, the winner. */
export function formatAnalysis(a: Analysis): string {
  const out: string[] = [];
  const mean = a.metric_column !== null;
  out.push(
    `${a.file}: ${count(a.total_visitors)} visitors, ${count(a.total_conversions)} conversions (${pct(a.conversion_rate)}), ` +
      `${a.combinations.length} combinations; outcome column "${a.outcome_column}"` +
      (mean ? `, metric per visitor "${a.metric_column}"` : ''),
    '',
    mean
      ? 'Per combination (conversion × mean per converting visitor; P(best) and expected loss by simulation from the posterior)'
      : 'Per combination (Beta(1, 1) prior; P(best) and expected loss by numerical integration)',
    table(
      head(mean),
      a.combinations.map((c) => posteriorRow(c.name, c, c.is_control, mean)),
    ),
  );
  for (const element of a.elements ?? []) {
    out.push(
      '',
      `Element "${element.name}" (balanced main effect: the equal-weight average over the other elements' variants; counts pooled)`,
      table(
        head(mean),
        element.variants.map((v) => posteriorRow(v.name, v, v.is_control, mean)),
      ),
    );
  }
  const d = a.decision;
  const number = (x: number | null) => (x === null ? '∞' : x >= 1e4 ? x.toExponential(1) : x.toFixed(1));
  const rule =
    d.test === 'bayes_factor'
      ? `evidence (Bayes factor, arms differ) ${number(d.evidence)}; needs P(best) ≥ ${pct(d.thresholds.winner_prob_best, 0)}, ` +
        `expected loss ≤ ${pct(d.thresholds.winner_max_relative_loss, 0)} of rate, Bayes factor ≥ ${d.thresholds.min_evidence_bayes_factor}`
      : `evidence against ${d.rival ?? '—'}: e-value ${number(d.evidence)} (needs ≥ ${number(d.evidence_threshold)}: ` +
        `P(ever declaring a wrong winner) ≤ ${pct(d.thresholds.alpha, 0)}, however often the data is analysed)`;
  out.push(
    '',
    `Decision: ${DECISION_TEXT[d.decision]} — leader ${d.leader}: P(best) ${pct(d.leader_prob_best, 1)}, ` +
      `expected loss ${d.leader_relative_loss === null ? '—' : pct(d.leader_relative_loss, 2)} of its rate`,
    `  ${rule}; ≥ ${d.thresholds.min_visitors_per_arm} visitors per arm`,
    a.winner ? `Winner: ${a.winner}` : `No winner yet; current leader: ${a.leader}`,
  );
  if (a.true_winner !== null) {
    out.push(
      `True winner (from the demo metadata): ${a.true_winner} — ${a.found_true_winner ? 'identified ✓' : 'NOT identified ✗'}`,
    );
  }
  return out.join('\n');
}
