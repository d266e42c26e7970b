import { useCallback, useState } from 'react';
import { ApiError, api } from '../../api/client.js';
import type { Experiment, ExperimentPage } from '../../api/types.js';
import { type ListQuery, listPath } from './list-query.js';
import type { RowDetail } from './row-view.js';
import { useVisiblePolling } from './use-visible-polling.js';

/**
 * Live updates by polling, not server-sent events: the list shows up to 20 experiments, and each
 * GET /experiments/{id} is answered from the running counters (the server remembers the computed
 * stats while the counters are unchanged), never from a scan of assignments, so a refresh every
 * 5 s costs the server little; polling needs no long-lived connection per tab, survives proxies
 * and server restarts unchanged, and stops while the tab is hidden.
 */
export const REFRESH_MS = 5000;

export interface ExperimentList {
  /** The page for the current query; null until it has loaded (or after the query changed). */
  page: ExperimentPage | null;
  /** Each row's live numbers by experiment id (loaded with the page, all at once). */
  details: ReadonlyMap<string, RowDetail>;
  /** Why the last load failed; the rows already shown stay. */
  error: string | null;
  /** Rows shown before the query changed, to size the skeleton and keep the page's height. */
  previousRows: number;
  /** When the shown rows were loaded. */
  updatedAt: Date | null;
}

interface Loaded {
  path: string;
  page: ExperimentPage;
  details: Map<string, RowDetail>;
  at: Date;
}

const EMPTY = new Map<string, RowDetail>();

/**
 * One page of the user's experiments with each row's stats, refreshed every REFRESH_MS while the
 * tab is visible. The summaries come from GET /experiments (no stats); visitors, leader and
 * decision need GET /experiments/{id} for each row, asked for in parallel; the page and its
 * details replace the shown ones together, so a refresh never blanks a row.
 */
export function useExperimentList(query: ListQuery): ExperimentList {
  const path = listPath(query);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<{ path: string; message: string } | null>(null);

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        const page = await api<ExperimentPage>(path, { signal });
        const fetched = await Promise.all(
          page.items.map(async (item): Promise<[string, RowDetail]> => {
            try {
              const experiment = await api<Experiment>(`/experiments/${item.id}`, { signal });
              return [item.id, { state: 'loaded', experiment }];
            } catch (e) {
              if (signal.aborted) throw e;
              return [item.id, { state: 'failed' }];
            }
          }),
        );
        if (signal.aborted) return;
        setLoaded((previous) => {
          const details = new Map(fetched);
          // A row whose refresh failed keeps the numbers it showed rather than turning to "—".
          for (const [id, detail] of details) {
            const before = previous?.path === path ? previous.details.get(id) : undefined;
            if (detail.state === 'failed' && before?.state === 'loaded') details.set(id, before);
          }
          return { path, page, details, at: new Date() };
        });
        setError(null);
      } catch (e) {
        if (signal.aborted) return;
        setError({ path, message: e instanceof ApiError ? e.message : 'The server could not be reached.' });
      }
    },
    [path],
  );
  useVisiblePolling(load, REFRESH_MS, path);

  const current = loaded?.path === path ? loaded : null;
  return {
    page: current?.page ?? null,
    details: current?.details ?? EMPTY,
    error: error?.path === path ? error.message : null,
    previousRows: loaded?.page.items.length ?? 0,
    updatedAt: current?.at ?? null,
  };
}
