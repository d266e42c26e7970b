import { useEffect, useState } from 'react';
import type { AgentFrame } from './use-agent-frame.js';

/** The wait after the last keystroke before a selector is counted on the page. */
export const COUNT_DEBOUNCE_MS = 250;

/**
 * How many elements `selector` matches on the page: a number (-1: invalid), `null` while the
 * answer is on its way, 'no-answer' when the agent did not answer, undefined without a page or
 * selector.
 */
export function useMatchCount(
  count: AgentFrame['count'],
  selector: string,
  ready: boolean,
): number | null | 'no-answer' | undefined {
  const wanted = selector.trim();
  const [result, setResult] = useState<{ selector: string; count: number | 'no-answer' } | null>(null);
  useEffect(() => {
    if (!ready || wanted === '') return;
    let live = true;
    const timer = setTimeout(() => {
      count(wanted).then((n) => {
        if (live) setResult({ selector: wanted, count: n ?? 'no-answer' });
      });
    }, COUNT_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [count, wanted, ready]);
  if (!ready || wanted === '') return undefined;
  return result?.selector === wanted ? result.count : null;
}
