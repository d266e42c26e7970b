import { useEffect, useRef } from 'react';

/**
 * Runs `load` now and then `intervalMs` after each run finishes, while the tab is visible: a
 * hidden tab asks nothing, and showing it again loads at once. Runs never overlap. A change of
 * `key` (or unmounting) aborts the run in flight through the signal and starts over.
 */
export function useVisiblePolling(
  load: (signal: AbortSignal) => Promise<void>,
  intervalMs: number,
  key: string,
): void {
  const latest = useRef(load);
  latest.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the reason to start over.
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    const visible = () => document.visibilityState === 'visible';

    const run = async () => {
      timer = undefined;
      if (running || abort.signal.aborted) return;
      running = true;
      try {
        await latest.current(abort.signal);
      } catch {
        // `load` reports its own errors; the next run tries again.
      } finally {
        running = false;
      }
      if (!abort.signal.aborted && visible()) timer = setTimeout(run, intervalMs);
    };
    const onVisibility = () => {
      if (!visible()) {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined && !running) {
        void run();
      }
    };

    void run();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      abort.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs, key]);
}
