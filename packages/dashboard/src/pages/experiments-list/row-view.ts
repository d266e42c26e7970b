import type { Experiment, ExperimentSummary } from '../../api/types.js';

/** A row's live numbers: the experiment from GET /experiments/{id} (with `stats`), or why not. */
export type RowDetail = { state: 'loaded'; experiment: Experiment } | { state: 'failed' };

export type Tone = 'good' | 'neutral' | 'muted' | 'active' | 'warn';

export interface Badge {
  label: string;
  tone: Tone;
  /** Longer wording for a tooltip and screen readers. */
  title: string;
}

const TYPE_LABELS: Record<ExperimentSummary['type'], string> = {
  ab_test: 'A/B test',
  multi_element: 'Multi-element',
};

const STATUS_BADGES: Record<ExperimentSummary['status'], Badge> = {
  draft: { label: 'Draft', tone: 'muted', title: 'Not started: no visitor sees it yet' },
  running: { label: 'Running', tone: 'active', title: 'Enrolling visitors' },
  paused: { label: 'Paused', tone: 'warn', title: 'Paused: visitors see the control' },
  completed: { label: 'Completed', tone: 'neutral', title: 'Completed: the winner is served to everyone' },
};

export const typeLabel = (summary: ExperimentSummary) => TYPE_LABELS[summary.type];
export const statusBadge = (summary: ExperimentSummary) => STATUS_BADGES[summary.status];

/** "Adaptive", or "Fixed · 50% of traffic" when only part of the traffic enters. */
export function allocationLabel(summary: ExperimentSummary): string {
  const kind = summary.traffic_allocation === 'adaptive' ? 'Adaptive' : 'Fixed';
  return summary.traffic_percentage < 100 ? `${kind} · ${summary.traffic_percentage}% of traffic` : kind;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** The start date ("3 Mar 2026"), or "Not started". */
export function startedLabel(summary: ExperimentSummary): string {
  return summary.started_at ? dateFormat.format(new Date(summary.started_at)) : 'Not started';
}

const countFormat = new Intl.NumberFormat('en-US');
/** A probability in whole percent; never "100%" or "0%" for what is not certain. */
function percent(p: number): string {
  if (p > 0.995 && p < 1) return '>99%';
  if (p > 0 && p < 0.005) return '<1%';
  return `${Math.round(p * 100)}%`;
}

export interface RowStats {
  visitors: string;
  /** The leading combination's name and its probability to be best; null before any visitor. */
  leader: { name: string; probBest: string } | null;
  decision: Badge;
}

const NO_DATA: Badge = { label: 'No data yet', tone: 'muted', title: 'No visitor has been assigned yet' };
const UNAVAILABLE: Badge = { label: '—', tone: 'muted', title: 'The statistics could not be loaded' };

/** Visitors, leader and decision from the experiment's live stats. */
export function rowStats(detail: RowDetail): RowStats {
  const stats = detail.state === 'loaded' ? detail.experiment.stats : undefined;
  if (!stats) return { visitors: '—', leader: null, decision: UNAVAILABLE };
  const visitors = countFormat.format(stats.total_visitors);
  if (stats.total_visitors === 0) return { visitors, leader: null, decision: NO_DATA };
  const leader = { name: stats.leader.name, probBest: percent(stats.decision.leader_prob_best) };
  const decision: Badge =
    stats.decision.decision === 'winner'
      ? {
          label: 'Winner',
          tone: 'good',
          title: `${stats.leader.name} wins: ${percent(stats.decision.leader_prob_best)} probability to be best`,
        }
      : stats.decision.decision === 'no_material_difference'
        ? { label: 'No difference', tone: 'neutral', title: 'No arm is materially better than the others' }
        : { label: 'Keep running', tone: 'muted', title: 'No arm is clearly ahead yet' };
  return { visitors, leader, decision };
}
