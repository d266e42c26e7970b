import { AppError } from '../errors/app-error.js';

export interface GroupCommitOptions {
  /** Most items written by one statement. */
  maxBatch: number;
  /** Statements in flight at once; while they run, new items queue up into the next batch. */
  maxInFlight: number;
  /**
   * Most items waiting for a statement. Beyond it `submit` fails at once with a 503: when the
   * database is slower than the traffic, a bounded queue answers fast instead of growing until
   * every caller times out. Default: 10 batches.
   */
  maxQueued?: number;
  /**
   * Whether a failed statement was refused because of one of its items' data (a constraint, a
   * value the database cannot store), so retrying its items apart isolates the culprit. Failures
   * of the database itself (unreachable, timed out) fail the whole batch at once. Default: never.
   */
  isDataError?: (error: unknown) => boolean;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>;
  idle(): Promise<void>;
}

/**
 * Group commit: concurrent callers' items share one database statement. `submit` resolves only
 * after the statement holding the item has committed, so a caller that answers 200 on resolution
 * never acknowledges an uncommitted row. Under light load a batch holds one item and costs one
 * round trip; under heavy load batches grow instead of statements queueing.
 *
 * One bad item never fails the others: a statement refused for its data is one transaction, so
 * nothing of it was written; its batch is split in halves and each half retried (in the same
 * slot) until the refused items stand alone and only their callers see the error — O(log n)
 * extra statements per bad item.
 */
export function createGroupCommit<I, O>(
  flush: (items: I[], slot: number) => Promise<O[]>,
  options: GroupCommitOptions,
): GroupCommit<I, O> {
  const maxQueued = options.maxQueued ?? options.maxBatch * 10;
  const isDataError = options.isDataError ?? (() => false);
  const queue: Pending<I, O>[] = [];
  // Each in-flight statement holds a distinct slot (0 … maxInFlight-1), e.g. for counter shards.
  const freeSlots = Array.from({ length: options.maxInFlight }, (_, i) => options.maxInFlight - 1 - i);
  let inFlight = 0;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];

  async function write(batch: Pending<I, O>[], slot: number): Promise<void> {
    let results: O[];
    try {
      results = await flush(
        batch.map((p) => p.item),
        slot,
      );
    } catch (error) {
      if (batch.length > 1 && isDataError(error)) {
        const half = Math.ceil(batch.length / 2);
        await write(batch.slice(0, half), slot);
        await write(batch.slice(half), slot);
      } else {
        for (const p of batch) p.reject(error);
      }
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i].resolve(results[i]);
  }

  const run = () => {
    scheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      const slot = freeSlots.pop()!;
      inFlight++;
      write(batch, slot).finally(() => {
        freeSlots.push(slot);
        inFlight--;
        if (queue.length > 0) schedule();
        else if (inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const w of waiters) w();
        }
      });
    }
  };

  // setImmediate lets every request already parsed in this turn of the event loop join the batch.
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(run);
    }
  };

  return {
    submit(item) {
      if (queue.length >= maxQueued) return Promise.reject(new AppError('SERVER_UNAVAILABLE_001'));
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    idle() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
