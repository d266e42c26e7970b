export interface GroupCommitOptions {
  /** Most items written by one statement. */
  maxBatch: number;
  /** Statements in flight at once; while they run, new items queue up into the next batch. */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent callers' items share one database statement. `submit` resolves only
 * after the statement holding the item has committed, so a caller that answers 200 on resolution
 * never acknowledges an uncommitted row. Under light load a batch holds one item and costs one
 * round trip; under heavy load batches grow instead of statements queueing.
 */
export function createGroupCommit<I, O>(
  flush: (items: I[], slot: number) => Promise<O[]>,
  options: GroupCommitOptions,
): { submit(item: I): Promise<O>; idle(): Promise<void> } {
  const queue: Pending<I, O>[] = [];
  // Each in-flight statement holds a distinct slot (0 … maxInFlight-1), e.g. for counter shards.
  const freeSlots = Array.from({ length: options.maxInFlight }, (_, i) => options.maxInFlight - 1 - i);
  let inFlight = 0;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];

  const run = () => {
    scheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      const slot = freeSlots.pop()!;
      inFlight++;
      flush(
        batch.map((p) => p.item),
        slot,
      )
        .then(
          (results) => {
            for (let i = 0; i < batch.length; i++) batch[i].resolve(results[i]);
          },
          (error: unknown) => {
            for (const p of batch) p.reject(error);
          },
        )
        .finally(() => {
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
