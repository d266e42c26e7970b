import type { Experiment, ExperimentStats } from '../../api/types.js';
import { bayesFactor, count, pct, prob } from './format.js';
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

/** What the decision rule still lacks for a winner, each phrased with its threshold and current value. */
export function missingForWinner(stats: ExperimentStats): string[] {
  const d = stats.decision;
  const t = d.thresholds;
  const leader = stats.combinations.find((c) => c.combination_id === d.leader_combination_id);
  const needs: string[] = [];
  if (!d.min_sample_reached) {
    const fewest = stats.combinations.reduce((m, c) => Math.min(m, c.visitors), Number.POSITIVE_INFINITY);
    needs.push(
      `${count(t.min_visitors_per_arm)} visitors on every combination (fewest now ${count(Number.isFinite(fewest) ? fewest : 0)})`,
    );
  }
  if ((leader?.conversions ?? 0) < t.min_leader_conversions) {
    needs.push(
      `${count(t.min_leader_conversions)} conversions on the leader (now ${count(leader?.conversions ?? 0)})`,
    );
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

/**
 * The decision in words, e.g. "CTA-B × Copy-Y wins: 96.5% probability to be best, expected loss
 * 0.23% of its rate". Every number is the payload's: this never re-decides.
 */
export function decisionInWords(
  stats: ExperimentStats,
  status: Experiment['status'] = 'running',
): DecisionWords {
  const d = stats.decision;
  const nameOf = (id: string | null) =>
    stats.combinations.find((c) => c.combination_id === id)?.name ?? stats.leader.name;
  if (d.decision === 'winner') {
    const name = nameOf(d.winner_combination_id ?? d.leader_combination_id);
    return {
      tone: 'winner',
      headline: `${name} wins: ${prob(d.leader_prob_best)} probability to be best, expected loss ${pct(d.leader_relative_loss, 2)} of its ${primaryMetric(stats).noun}`,
      needs: [],
      leader: name,
    };
  }
  if (d.decision === 'no_material_difference') {
    return {
      tone: 'flat',
      headline: `No material difference: choosing any combination costs at most ${pct(d.max_relative_loss, 2)} of the leader's ${primaryMetric(stats).noun} in expectation (threshold ${pct(d.thresholds.no_difference_max_relative_loss, 2)})`,
      needs: [],
      leader: null,
    };
  }
  const needs = missingForWinner(stats);
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
