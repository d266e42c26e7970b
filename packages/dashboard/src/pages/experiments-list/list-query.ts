import type { ExperimentSummary } from '../../api/types.js';

export type ExperimentStatus = ExperimentSummary['status'];
export const STATUSES: readonly ExperimentStatus[] = ['draft', 'running', 'paused', 'completed'];

/** Rows per page: the API's default page, and what the list asks for. */
export const PAGE_SIZE = 20;

/** What the list shows, kept in the address (?status=&q=&archived=1&offset=) so reload and Back keep it. */
export interface ListQuery {
  status: ExperimentStatus | null;
  /** Name contains this (case-insensitive, matched by the API); '' for every name. */
  q: string;
  archived: boolean;
  offset: number;
}

export function readListQuery(params: URLSearchParams): ListQuery {
  const status = params.get('status');
  const offset = Number(params.get('offset'));
  return {
    status: STATUSES.includes(status as ExperimentStatus) ? (status as ExperimentStatus) : null,
    q: params.get('q')?.trim() ?? '',
    archived: params.get('archived') === '1',
    offset: Number.isInteger(offset) && offset > 0 ? offset - (offset % PAGE_SIZE) : 0,
  };
}

/** The address form of a query: defaults are left out, so the plain list is just `/`. */
export function writeListQuery(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.q) params.set('q', query.q);
  if (query.archived) params.set('archived', '1');
  if (query.offset > 0) params.set('offset', String(query.offset));
  return params;
}

/** The API path for one page of the list (GET /experiments). */
export function listPath(query: ListQuery): string {
  const params = new URLSearchParams({
    limit: String(PAGE_SIZE),
    offset: String(query.offset),
    archived: String(query.archived),
  });
  if (query.status) params.set('status', query.status);
  if (query.q) params.set('q', query.q);
  return `/experiments?${params}`;
}

/** Whether the user narrowed the list (the empty state then says "nothing matches", not "start here"). */
export function isFiltered(query: ListQuery): boolean {
  return query.status !== null || query.q !== '' || query.archived;
}

/** "21–40 of 57"; "0 of 0" for an empty list. */
export function rangeLabel(offset: number, shown: number, total: number): string {
  if (shown === 0) return `0 of ${total}`;
  return `${offset + 1}–${offset + shown} of ${total}`;
}
