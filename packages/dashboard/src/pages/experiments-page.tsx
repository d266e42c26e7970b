import { useCallback, useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, NoMatches } from './experiments-list/empty-state.js';
import { ExperimentsTable } from './experiments-list/experiments-table.js';
import { ListFilters } from './experiments-list/list-filters.js';
import { ListPagination } from './experiments-list/list-pagination.js';
import {
  isFiltered,
  type ListQuery,
  PAGE_SIZE,
  readListQuery,
  writeListQuery,
} from './experiments-list/list-query.js';
import { useExperimentList } from './experiments-list/use-experiment-list.js';
import './experiments-list/experiments-list.css';

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The home page after sign-in: the user's experiments, live. */
export function ExperimentsPage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => readListQuery(params), [params]);
  const list = useExperimentList(query);

  // A filter change starts again at the first page; paging keeps the filters.
  const update = useCallback(
    (change: Partial<ListQuery>) => setParams(writeListQuery({ ...query, offset: 0, ...change })),
    [query, setParams],
  );

  // Past the end (the last rows were archived or deleted meanwhile): show the last page instead.
  const { page } = list;
  useEffect(() => {
    if (page && page.items.length === 0 && page.total > 0 && query.offset > 0) {
      update({ offset: Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE });
    }
  }, [page, query.offset, update]);

  const empty = page !== null && page.total === 0;
  return (
    <section className="experiments-page" aria-labelledby="experiments-title">
      <header className="list-header">
        <h1 id="experiments-title">Experiments</h1>
        <Link to="/experiments/new" className="button">
          New experiment
        </Link>
      </header>
      <ListFilters query={query} onChange={update} />
      {/* One line always there (no jump when it changes); only an error is announced. */}
      <p className="list-status">
        {list.error ? (
          <span role="alert" className="error">
            Could not load the experiments: {list.error} Trying again every 5 seconds.
          </span>
        ) : list.updatedAt ? (
          `Live: updated at ${timeFormat.format(list.updatedAt)}`
        ) : (
          'Loading…'
        )}
      </p>
      {empty ? (
        isFiltered(query) ? (
          <NoMatches onClear={() => setParams(new URLSearchParams())} />
        ) : (
          <EmptyState />
        )
      ) : (
        <>
          <ExperimentsTable
            items={page?.items ?? null}
            details={list.details}
            skeletonRows={Math.min(PAGE_SIZE, Math.max(3, list.previousRows))}
          />
          {page && (
            <ListPagination
              offset={query.offset}
              shown={page.items.length}
              total={page.total}
              onOffset={(offset) => setParams(writeListQuery({ ...query, offset }))}
            />
          )}
        </>
      )}
    </section>
  );
}
