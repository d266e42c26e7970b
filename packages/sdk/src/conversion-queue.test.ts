// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversionQueue } from './conversion-queue.js';
import { FakeTracker } from './fake-tracker.js';

const URL_ = 'https://samplit.test/api/v1/tracker/convert';
const body = (goal = 'signup') => ({ experiment_id: 'exp-1', browser_id: 'visitor-1', goal });
/** A new page of the same site: a fresh queue over the same localStorage. */
const page = (tracker: FakeTracker) => new ConversionQueue(URL_, tracker.fetch);

let tracker: FakeTracker;
beforeEach(() => {
  localStorage.clear();
  tracker = new FakeTracker([]);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('ConversionQueue', () => {
  it('sends a conversion as a keepalive text/plain JSON POST', async () => {
    const queue = page(tracker);
    const key = queue.add(body())!;
    expect(await queue.send(key)).toBe('sent');
    expect(tracker.calls).toEqual([
      {
        path: '/api/v1/tracker/convert',
        body: body(),
        keepalive: true,
        contentType: 'text/plain;charset=UTF-8',
      },
    ]);
    expect(queue.pending()).toEqual([]);
  });

  it('never sends the same visitor, experiment and goal twice, across pages', async () => {
    const first = page(tracker);
    await first.send(first.add(body())!);
    const second = page(tracker);
    expect(second.add(body())).toBeNull();
    expect(second.add({ ...body(), browser_id: 'visitor-2' })).not.toBeNull();
    expect(second.add(body('purchase'))).not.toBeNull();
    expect(tracker.calls).toHaveLength(1);
  });

  it('does not queue a duplicate while the first is still waiting', () => {
    const queue = page(tracker);
    expect(queue.add(body())).not.toBeNull();
    expect(queue.add(body())).toBeNull();
  });

  it('keeps a failed conversion and delivers it on the next page', async () => {
    tracker.failWith = 0;
    const first = page(tracker);
    expect(await first.send(first.add(body())!)).toBe('queued');
    expect(first.pending()).toMatchObject([{ body: body(), attempts: 1 }]);
    expect(first.pending()[0].leased).toBeUndefined();

    tracker.failWith = null;
    const next = page(tracker);
    await next.flush();
    expect(tracker.calls.map((c) => c.body)).toEqual([body(), body()]);
    expect(next.pending()).toEqual([]);
    await next.flush();
    expect(tracker.calls).toHaveLength(2);
  });

  it('retries 5xx, 408 and 429, but drops a definitive 4xx', async () => {
    for (const status of [0, 500, 503, 408, 429]) {
      tracker.failWith = status;
      localStorage.clear();
      const queue = page(tracker);
      expect(await queue.send(queue.add(body())!)).toBe('queued');
    }
    tracker.failWith = 422;
    localStorage.clear();
    const queue = page(tracker);
    expect(await queue.send(queue.add(body())!)).toBe('rejected');
    expect(queue.pending()).toEqual([]);
    expect(queue.add(body())).toBeNull();
  });

  it('retries with backoff while the page stays open', async () => {
    vi.useFakeTimers();
    tracker.failWith = 503;
    const queue = page(tracker);
    await queue.send(queue.add(body())!);
    tracker.failWith = null;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(tracker.calls).toHaveLength(2);
    expect(queue.pending()).toEqual([]);
  });

  it('leaves a conversion another tab is sending alone, unless its lease is stale', async () => {
    let now = 1_000_000;
    const stalled = new ConversionQueue(
      URL_,
      () => new Promise<Response>(() => {}),
      () => now,
    );
    void stalled.send(stalled.add(body())!);
    const other = new ConversionQueue(URL_, tracker.fetch, () => now);
    await other.flush();
    expect(tracker.calls).toHaveLength(0);
    now += 31_000;
    await other.flush();
    expect(tracker.calls).toHaveLength(1);
  });

  it('on pagehide, trusts in-flight keepalive requests and beacons untried ones', () => {
    const beacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: beacon });
    const queue = new ConversionQueue(URL_, () => new Promise<Response>(() => {}));
    void queue.send(queue.add(body('inflight'))!);
    queue.add(body('untried'));
    queue.pageHide();
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(beacon.mock.calls[0]).toMatchObject([URL_, expect.any(Blob)]);
    expect(queue.pending()).toEqual([]);
    // Neither is sent again by the next page.
    expect(page(tracker).add(body('inflight'))).toBeNull();
    expect(page(tracker).add(body('untried'))).toBeNull();
  });

  it('on pagehide, leaves conversions of other tabs alone', () => {
    const beacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: beacon });
    const otherTab = page(tracker);
    otherTab.add(body());
    const leaving = page(tracker);
    leaving.pageHide();
    expect(beacon).not.toHaveBeenCalled();
    expect(leaving.pending()).toHaveLength(1);
  });

  it('does not let another page send a conversion this page is about to send', async () => {
    const queue = page(tracker);
    const key = queue.add(body())!;
    await page(tracker).flush();
    expect(tracker.calls).toHaveLength(0);
    await queue.send(key);
    expect(tracker.calls).toHaveLength(1);
  });

  it('on pagehide, keeps conversions that already failed for the next page', async () => {
    const beacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: beacon });
    tracker.failWith = 0;
    const queue = page(tracker);
    await queue.send(queue.add(body())!);
    queue.pageHide();
    expect(beacon).not.toHaveBeenCalled();
    expect(queue.pending()).toHaveLength(1);
  });

  it('keeps a conversion the browser refused to beacon', () => {
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: () => false });
    const queue = page(tracker);
    queue.add(body());
    queue.pageHide();
    expect(queue.pending()).toHaveLength(1);
  });

  it('drops conversions older than a week', async () => {
    let now = 0;
    tracker.failWith = 0;
    const queue = new ConversionQueue(URL_, tracker.fetch, () => now);
    await queue.send(queue.add(body())!);
    now = 8 * 24 * 3600_000;
    await queue.flush();
    expect(queue.pending()).toEqual([]);
    expect(tracker.calls).toHaveLength(1);
  });

  it('works in memory when localStorage is unavailable', async () => {
    vi.stubGlobal('localStorage', undefined);
    const queue = page(tracker);
    await queue.send(queue.add(body())!);
    expect(queue.add(body())).toBeNull();
  });
});
