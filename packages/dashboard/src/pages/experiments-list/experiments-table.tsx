import { Link } from 'react-router';
import type { ExperimentSummary } from '../../api/types.js';
import { PAGE_SIZE } from './list-query.js';
import {
  allocationLabel,
  type Badge,
  type RowDetail,
  rowStats,
  startedLabel,
  statusBadge,
  typeLabel,
} from './row-view.js';

const COLUMNS = [
  'Name',
  'Type',
  'Status',
  'Allocation',
  'Visitors',
  'Leader',
  'Decision',
  'Started',
] as const;

function BadgeView({ badge }: { badge: Badge }) {
  return (
    <span className={`badge badge-${badge.tone}`} title={badge.title}>
      {badge.label}
    </span>
  );
}

function Row({ summary, detail }: { summary: ExperimentSummary; detail: RowDetail | undefined }) {
  const stats = detail ? rowStats(detail) : null;
  return (
    <tr>
      <td data-label="Name" className="col-name">
        <Link to={`/experiments/${summary.id}`} className="experiment-name">
          {summary.name}
        </Link>
        {summary.description && <span className="experiment-description">{summary.description}</span>}
      </td>
      <td data-label="Type">{typeLabel(summary)}</td>
      <td data-label="Status">
        <BadgeView badge={statusBadge(summary)} />
      </td>
      <td data-label="Allocation">{allocationLabel(summary)}</td>
      <td data-label="Visitors" className="col-number">
        {stats ? stats.visitors : <span className="skeleton skeleton-short" />}
      </td>
      <td data-label="Leader">
        {!stats ? (
          <span className="skeleton" />
        ) : stats.leader ? (
          <span className="leader">
            <span className="leader-name" title={stats.leader.name}>
              {stats.leader.name}
            </span>
            <span className="leader-prob">{stats.leader.probBest} best</span>
          </span>
        ) : (
          '—'
        )}
      </td>
      <td data-label="Decision">
        {stats ? <BadgeView badge={stats.decision} /> : <span className="skeleton" />}
      </td>
      <td data-label="Started">{startedLabel(summary)}</td>
    </tr>
  );
}

const SKELETON_KEYS = Array.from({ length: PAGE_SIZE }, (_, i) => `skeleton-${i}`);

/** Placeholder rows the size of real ones, so the page keeps its height while a page loads. */
function SkeletonRow() {
  return (
    <tr className="skeleton-row">
      {COLUMNS.map((column) => (
        <td key={column} data-label={column}>
          <span className={column === 'Name' ? 'skeleton skeleton-long' : 'skeleton'} />
        </td>
      ))}
    </tr>
  );
}

/**
 * The experiments as a table (cards on narrow screens, by CSS): fixed column widths and rows keyed
 * by experiment id, so a live refresh changes numbers in place without moving anything.
 */
export function ExperimentsTable({
  items,
  details,
  skeletonRows,
}: {
  /** null: loading, show `skeletonRows` placeholders. */
  items: ExperimentSummary[] | null;
  details: ReadonlyMap<string, RowDetail>;
  skeletonRows: number;
}) {
  return (
    <table className="experiments-table" aria-busy={items === null}>
      <caption className="visually-hidden">Your experiments, newest first</caption>
      <colgroup>
        <col className="w-name" />
        <col className="w-type" />
        <col className="w-status" />
        <col className="w-allocation" />
        <col className="w-visitors" />
        <col className="w-leader" />
        <col className="w-decision" />
        <col className="w-started" />
      </colgroup>
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <th key={column} scope="col" className={column === 'Visitors' ? 'col-number' : undefined}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items === null
          ? SKELETON_KEYS.slice(0, skeletonRows).map((key) => <SkeletonRow key={key} />)
          : items.map((summary) => (
              <Row key={summary.id} summary={summary} detail={details.get(summary.id)} />
            ))}
      </tbody>
    </table>
  );
}
