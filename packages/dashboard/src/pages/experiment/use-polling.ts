import { useEffect, useRef } from 'react';

/**
 * Calls `tick` every `ms` while `active` and the tab is visible, one call at a time (the next
 * waits for the previous to settle), and once at once when the tab becomes visible again.
 */
export function usePolling(tick: () => Promise<unknown>, ms: number, active: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let inFlight = false;
    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && document.visibilityState === 'visible') timer = setTimeout(run, ms);
    };
    const run = () => {
      if (inFlight) return;
      inFlight = true;
      // A failed tick is the caller's to report; polling carries on.
      latest
        .current()
        .catch(() => {})
        .finally(() => {
          inFlight = false;
          schedule();
        });
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') run();
      else clearTimeout(timer);
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ms, active]);
}
