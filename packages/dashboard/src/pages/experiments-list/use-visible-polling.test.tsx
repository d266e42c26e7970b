// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useVisiblePolling } from './use-visible-polling.js';

let visibility: DocumentVisibilityState = 'visible';
function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

function Poller({ load, pollKey }: { load: (signal: AbortSignal) => Promise<void>; pollKey: string }) {
  useVisiblePolling(load, 5000, pollKey);
  return null;
}

/** Lets the awaited load settle and the hook schedule its next run. */
const settle = () => act(async () => {});

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('useVisiblePolling', () => {
  it('loads at once and again 5 s after each load while the tab is visible', async () => {
    const load = vi.fn(async () => {});
    render(<Poller load={load} pollKey="a" />);
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(4999));
    expect(load).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('asks nothing while the tab is hidden and loads at once when it is shown again', async () => {
    const load = vi.fn(async () => {});
    render(<Poller load={load} pollKey="a" />);
    await settle();
    act(() => setVisibility('hidden'));
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(load).toHaveBeenCalledTimes(1);
    act(() => setVisibility('visible'));
    await settle();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never overlaps a slow load, and keeps polling after a failed one', async () => {
    let finish: () => void = () => {};
    const load = vi
      .fn<(signal: AbortSignal) => Promise<void>>()
      .mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)))
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(undefined);
    render(<Poller load={load} pollKey="a" />);
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    act(() => setVisibility('visible'));
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => finish());
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(load).toHaveBeenCalledTimes(2);
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('aborts the load in flight and starts over when the key changes', async () => {
    const signals: AbortSignal[] = [];
    const load = vi.fn((signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<void>(() => {});
    });
    const { rerender } = render(<Poller load={load} pollKey="a" />);
    rerender(<Poller load={load} pollKey="b" />);
    await settle();
    expect(load).toHaveBeenCalledTimes(2);
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });
});
