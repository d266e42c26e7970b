import { PAGE_SIZE, rangeLabel } from './list-query.js';

/** Previous / Next over the API's limit and offset, with "21–40 of 57" between them. */
export function ListPagination({
  offset,
  shown,
  total,
  onOffset,
}: {
  offset: number;
  shown: number;
  total: number;
  onOffset(offset: number): void;
}) {
  return (
    <nav className="list-pagination" aria-label="Pages of experiments">
      <button
        type="button"
        className="secondary"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - PAGE_SIZE))}
      >
        Previous
      </button>
      <span className="list-range" aria-live="polite">
        {rangeLabel(offset, shown, total)}
      </span>
      <button
        type="button"
        className="secondary"
        disabled={offset + shown >= total}
        onClick={() => onOffset(offset + PAGE_SIZE)}
      >
        Next
      </button>
    </nav>
  );
}
