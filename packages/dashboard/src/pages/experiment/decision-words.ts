import type { Experiment, ExperimentStats } from '../../api/types.js';
import { bayesFactor, count, duration, eValue, pct, prob, zScore } from './format.js';
import { primaryMetric } from './goal-metric.js';

export type DecisionTone = 'winner' | 'running' | 'flat';

/** The engine's decision said in words, with the numbers behind it. */
export interface DecisionWords {
  tone: DecisionTone;
  /** One sentence: who wins, or why to keep running, or that it does not matter. */
  headline: string;
  /** What is still missing for a winner (keep_running only), each with the current value. */
  needs: string[];
  /** The leader's name when one is ahead (or the winner's). */
  leader: string | null;
}

/**
 * A leader is "ahead" once it is at least twice as likely to be best as the runner-up: with nine
 * arms a flat 11% each is no leader, while 30% against 14% is, and for two arms it takes ≥ 67%.
 */
export const AHEAD_RATIO = 2;

/** The list "a, b and c". */
function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

type Decision = ExperimentStats['decision'];

/** A combination's name by id, or null. */
function nameOf(stats: ExperimentStats, id: string | null): string | null {
  return stats.combinations.find((c) => c.combination_id === id)?.name ?? null;
}

/** The test's evidence in its own units: "×1.7" (e-value or Bayes factor) or "z = 1.28". */
export function evidenceValue(d: Pick<Decision, 'test'>, x: number | null): string {
  return d.test === 'group_sequential' ? `z = ${zScore(x)}` : eValue(x);
}

/** What the evidence must reach, in the same units: "×40" or "2.29". */
export function evidenceThresholdValue(d: Pick<Decision, 'test' | 'evidence_threshold'>): string {
  return d.test === 'group_sequential' ? zScore(d.evidence_threshold) : eValue(d.evidence_threshold);
}

/** Planned visitors at analysis `i` of the group-sequential test (i / looks of the horizon). */
export function analysisVisitors(planned: number, i: number, looks: number): number {
  return Math.ceil((planned * i) / looks);
}

/**
 * How the test in use decides, in the words of what it guarantees: the anytime test's bound holds
 * however often anyone looks; the group-sequential test's level is approximate (measured in
 * simulation); the Bayes-factor gate of revenue and count goals has no proved bound.
 */
export function testInWords(
  d: Pick<Decision, 'test' | 'looks' | 'thresholds'>,
  plannedVisitors: number | null,
): { name: string; guarantee: string } {
  const level = pct(d.thresholds.alpha);
  if (d.test === 'anytime') {
    return {
      name: 'Anytime-valid test (e-processes)',
      guarantee: `The chance of ever declaring a winner that is not the best is at most ${level}, however often this page refreshes.`,
    };
  }
  if (d.test === 'group_sequential') {
    const looks = d.looks || d.thresholds.looks;
    const planned =
      plannedVisitors === null ? 'the planned visitors' : `${count(plannedVisitors)} planned visitors`;
    return {
      name: 'Group-sequential test',
      guarantee: `Analyses at 1/${looks} … ${looks}/${looks} of ${planned}, with nearly the power of a single look at the end (the ${level} level is approximate, measured in simulation).`,
    };
  }
  return {
    name: 'Bayes-factor gate',
    guarantee: `Revenue and count goals: a winner needs evidence that the combinations differ (Bayes factor ≥ ${bayesFactor(d.thresholds.min_evidence_bayes_factor)}), then a ${pct(d.thresholds.winner_prob_best)} probability to be best and an expected loss of at most ${pct(d.thresholds.winner_max_relative_loss, 2)}. This gate is an approximation, not a proved guarantee.`,
  };
}

/** The fewest visitors on any combination (0 without combinations). */
export function fewestVisitors(stats: ExperimentStats): number {
  const fewest = stats.combinations.reduce((m, c) => Math.min(m, c.visitors), Number.POSITIVE_INFINITY);
  return Number.isFinite(fewest) ? fewest : 0;
}

/** What the decision rule still lacks for a winner, each phrased with its threshold and current value. */
export function missingForWinner(stats: ExperimentStats, plannedVisitors: number | null = null): string[] {
  const d = stats.decision;
  const t = d.thresholds;
  const leader = stats.combinations.find((c) => c.combination_id === d.leader_combination_id);
  const rival = nameOf(stats, d.rival_combination_id);
  const needs: string[] = [];
  if (!d.min_sample_reached) {
    needs.push(
      `${count(t.min_visitors_per_arm)} visitors on every combination (fewest now ${count(fewestVisitors(stats))})`,
    );
  }
  if ((leader?.conversions ?? 0) < t.min_leader_conversions) {
    needs.push(
      `${count(t.min_leader_conversions)} conversions on the leader (now ${count(leader?.conversions ?? 0)})`,
    );
  }
  if (d.test === 'anytime') {
    if ((d.evidence ?? 0) < d.evidence_threshold) {
      needs.push(
        `an e-value of ${eValue(d.evidence_threshold)} against ${rival ?? 'every other combination'} (now ${eValue(d.evidence)})`,
      );
    }
    return needs;
  }
  if (d.test === 'group_sequential') {
    if (d.horizon_reached) return needs;
    if (d.look === 0) {
      const first = plannedVisitors === null ? null : analysisVisitors(plannedVisitors, 1, d.looks);
      needs.push(
        first === null
          ? 'the first analysis'
          : `the first analysis, at ${count(first)} visitors (now ${count(stats.total_visitors)})`,
      );
    } else if ((d.evidence ?? 0) < d.evidence_threshold) {
      needs.push(
        `z to cross the boundary at a later analysis (at analysis ${d.look} of ${d.looks}, ${evidenceValue(d, d.evidence)}${rival ? ` against ${rival}` : ''}, below its boundary ${evidenceThresholdValue(d)})`,
      );
    }
    return needs;
  }
  if (d.evidence_bayes_factor < t.min_evidence_bayes_factor) {
    needs.push(
      `evidence that the combinations differ (Bayes factor ${bayesFactor(d.evidence_bayes_factor)}, needs ${bayesFactor(t.min_evidence_bayes_factor)})`,
    );
  }
  if (d.leader_prob_best < t.winner_prob_best) {
    needs.push(`a ${pct(t.winner_prob_best)} probability to be best (now ${prob(d.leader_prob_best)})`);
  }
  if (d.leader_relative_loss === null || d.leader_relative_loss > t.winner_max_relative_loss) {
    needs.push(
      `an expected loss of at most ${pct(t.winner_max_relative_loss, 2)} of its ${primaryMetric(stats).noun} (now ${pct(d.leader_relative_loss, 2)})`,
    );
  }
  return needs;
}

/**
 * The estimate of visitors still needed, in words: "≈ 9,700 more visitors (≈ 4.8 days at the
 * current rate)", or "no estimate yet" when the payload has none. A projection of the current
 * trend, not a promise (see {@link TO_GO_FOOTNOTE}).
 */
export function toGoInWords(d: Pick<Decision, 'visitors_to_go' | 'seconds_to_go'>): string {
  if (d.visitors_to_go === null) return 'no estimate yet';
  const visitors = `≈ ${count(d.visitors_to_go)} more visitor${d.visitors_to_go === 1 ? '' : 's'}`;
  return d.seconds_to_go === null
    ? visitors
    : `${visitors} (≈ ${duration(d.seconds_to_go)} at the current rate)`;
}

/** What the visitors-to-go estimate is. */
export const TO_GO_FOOTNOTE =
  'A projection of the current trend: how many more visitors the test needs to declare the leader if its lead stays as it is now. About half of experiments need fewer.';

/** The leader, when it is ahead of the runner-up by {@link AHEAD_RATIO}; else null. */
export function leaderAhead(stats: ExperimentStats): ExperimentStats['combinations'][number] | null {
  if (stats.total_visitors === 0) return null;
  const leader = stats.combinations.find((c) => c.combination_id === stats.decision.leader_combination_id);
  if (!leader) return null;
  const runnerUp = stats.combinations.reduce(
    (m, c) => (c.combination_id === leader.combination_id ? m : Math.max(m, c.prob_best)),
    0,
  );
  return leader.prob_best >= AHEAD_RATIO * runnerUp ? leader : null;
}

/** How an undecided result opens: "keep running" is advice only while the experiment can run. */
function undecided(status: Experiment['status']): string {
  if (status === 'completed') return 'Undecided when completed';
  if (status === 'paused') return 'Paused before a decision';
  return 'Keep running';
}

/** A winner's headline: the test's evidence against the closest rival, or (Bayes-factor gate) P(best) and loss. */
function winnerHeadline(stats: ExperimentStats, name: string): string {
  const d = stats.decision;
  const rival = nameOf(stats, d.rival_combination_id);
  const against = rival
    ? ` against ${stats.combinations.length > 2 ? 'its closest rival, ' : ''}${rival}`
    : '';
  if (d.test === 'anytime') {
    return `${name} wins: e-value ${eValue(d.evidence)}${against} (needs ${evidenceThresholdValue(d)}), ${prob(d.leader_prob_best)} probability to be best`;
  }
  if (d.test === 'group_sequential') {
    return `${name} wins: ${evidenceValue(d, d.evidence)}${against} crossed its boundary ${evidenceThresholdValue(d)}, ${prob(d.leader_prob_best)} probability to be best`;
  }
  return `${name} wins: ${prob(d.leader_prob_best)} probability to be best, expected loss ${pct(d.leader_relative_loss, 2)} of its ${primaryMetric(stats).noun}`;
}

/**
 * The decision in words, e.g. "Green wins: e-value ×872 against Control (needs ×40), > 99.9%
 * probability to be best". Every number is the payload's: this never re-decides.
 */
export function decisionInWords(
  stats: ExperimentStats,
  status: Experiment['status'] = 'running',
  plannedVisitors: number | null = null,
): DecisionWords {
  const d = stats.decision;
  if (d.decision === 'winner') {
    const name = nameOf(stats, d.winner_combination_id ?? d.leader_combination_id) ?? stats.leader.name;
    return { tone: 'winner', headline: winnerHeadline(stats, name), needs: [], leader: name };
  }
  const noDifference =
    d.decision === 'no_material_difference'
      ? `choosing any combination costs at most ${pct(d.max_relative_loss, 2)} of the leader's ${primaryMetric(stats).noun} in expectation (threshold ${pct(d.thresholds.no_difference_max_relative_loss, 2)})`
      : null;
  if (d.horizon_reached) {
    return {
      tone: 'flat',
      headline: `Planned visitors reached without a winner: none of the ${d.looks} analyses found a combination better than all the others${noDifference ? `; no material difference: ${noDifference}` : ''}`,
      needs: [],
      leader: null,
    };
  }
  if (noDifference) {
    return { tone: 'flat', headline: `No material difference: ${noDifference}`, needs: [], leader: null };
  }
  const needs = missingForWinner(stats, plannedVisitors);
  const ahead = leaderAhead(stats);
  if (!ahead) {
    return {
      tone: 'running',
      headline:
        stats.total_visitors === 0
          ? `${undecided(status)}: no visitors yet`
          : `${undecided(status)}: no arm is ahead yet`,
      needs,
      leader: null,
    };
  }
  return {
    tone: 'running',
    headline: `${undecided(status)}: ${ahead.name} leads with ${prob(ahead.prob_best)} probability to be best${needs.length ? `; needs ${listInWords(needs)}` : ''}`,
    needs,
    leader: ahead.name,
  };
}
