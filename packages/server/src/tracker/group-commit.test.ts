import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { createGroupCommit } from './group-commit.js';

class RefusedRow extends Error {
  readonly code = '22021';
}

/** A flush that records its batches and refuses any batch holding a negative item. */
function recordingFlush() {
  const batches: number[][] = [];
  const flush = async (items: number[]) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, 1));
    if (items.some((i) => i < 0)) throw new RefusedRow('refused');
    return items.map((i) => i * 10);
  };
  return { batches, flush };
}

const isDataError = (error: unknown) => error instanceof RefusedRow;

describe('group commit', () => {
  it('puts concurrent items in one statement and answers each in order', async () => {
    const { batches, flush } = recordingFlush();
    const gc = createGroupCommit(flush, { maxBatch: 100, maxInFlight: 1 });
    const results = await Promise.all([1, 2, 3, 4].map((i) => gc.submit(i)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('fails only the refused items when a batch is refused for its data', async () => {
    const { batches, flush } = recordingFlush();
    const gc = createGroupCommit(flush, { maxBatch: 100, maxInFlight: 1, isDataError });
    const items = Array.from({ length: 32 }, (_, i) => (i === 5 || i === 20 ? -i : i + 1));
    const settled = await Promise.allSettled(items.map((i) => gc.submit(i)));
    settled.forEach((s, i) => {
      if (items[i] < 0) expect(s.status).toBe('rejected');
      else expect(s).toEqual({ status: 'fulfilled', value: items[i] * 10 });
    });
    // Bisection: the two bad items cost a handful of extra statements, not one per item.
    expect(batches.length).toBeLessThanOrEqual(1 + 2 * 2 * Math.log2(32));
    // Every good item was written by exactly one successful statement.
    const written = batches.filter((b) => b.every((i) => i >= 0)).flat();
    expect(written.sort((a, b) => a - b)).toEqual(items.filter((i) => i >= 0).sort((a, b) => a - b));
  });

  it('fails the whole batch at once when the database itself failed', async () => {
    let calls = 0;
    const gc = createGroupCommit(
      async () => {
        calls++;
        throw new Error('connection terminated');
      },
      { maxBatch: 100, maxInFlight: 1, isDataError },
    );
    const settled = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
  });

  it('answers 503 at once when the queue is full instead of waiting', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const gc = createGroupCommit(
      async (items: number[]) => {
        await gate;
        return items;
      },
      { maxBatch: 2, maxInFlight: 1, maxQueued: 3 },
    );
    const first = gc.submit(1);
    await new Promise((r) => setImmediate(r)); // item 1 is now in flight
    const queued = [2, 3, 4].map((i) => gc.submit(i));
    const shed = gc.submit(5);
    await expect(shed).rejects.toBeInstanceOf(AppError);
    await expect(shed).rejects.toMatchObject({ statusCode: 503 });
    release();
    expect(await Promise.all([first, ...queued])).toEqual([1, 2, 3, 4]);
    await gc.idle();
  });
});
