import type { GoalDefinition } from './types.js';

/** Called for each goal hit; `experiments` is the goal's own list, if it has one. */
export type GoalHandler = (
  goal: string,
  value: number | undefined,
  experiments: string[] | undefined,
) => void;

/** "a, b,,c" → ['a', 'b', 'c']; undefined for no value (data attributes). */
export const commaList = (value: string | null | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Watches declarative goals and returns a function that stops watching:
 * - `data-samplit-goal="name"` on an element: a click on it (a submit, for a form), with optional
 *   `data-samplit-value` and `data-samplit-experiments="id1,id2"`;
 * - `{goal, click: selector}`: a click on a matching element;
 * - `{goal, url}`: the page URL matches, now or after a single-page-app navigation.
 *
 * Listeners are on the document in the capture phase, so a site's `stopPropagation` does not hide
 * the click, and they run before a followed link unloads the page.
 */
export function watchGoals(defs: GoalDefinition[], onGoal: GoalHandler): () => void {
  const fired = new Set<GoalDefinition>();
  const declared = (el: Element | null | undefined) => {
    if (el) {
      const value = el.getAttribute('data-samplit-value');
      onGoal(
        el.getAttribute('data-samplit-goal')!,
        value ? Number(value) : undefined,
        commaList(el.getAttribute('data-samplit-experiments')),
      );
    }
  };
  const onClick = (event: Event) => {
    const target = event.target as Element;
    if (!target?.closest) return;
    const el = target.closest('[data-samplit-goal]');
    if (el?.tagName !== 'FORM') declared(el);
    for (const def of defs) {
      try {
        if (def.click && target.closest(def.click)) onGoal(def.goal, def.value, def.experiments);
      } catch {}
    }
  };
  const onSubmit = (event: Event) =>
    declared((event.target as Element)?.closest?.('form[data-samplit-goal]'));
  const onNavigate = () => {
    for (const def of defs) {
      const url = def.url;
      if (!url || fired.has(def)) continue;
      if (typeof url === 'string' ? location.href.includes(url) : url.test(location.href)) {
        fired.add(def);
        onGoal(def.goal, def.value, def.experiments);
      }
    }
  };
  // The Navigation API sees pushState routing; popstate and hashchange cover older browsers.
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  const listeners: Array<[EventTarget | undefined, string, (e: Event) => void]> = [
    [document, 'click', onClick],
    [document, 'submit', onSubmit],
    [window, 'popstate', onNavigate],
    [window, 'hashchange', onNavigate],
    [nav, 'navigatesuccess', onNavigate],
  ];
  for (const [target, type, fn] of listeners) target?.addEventListener(type, fn, true);
  onNavigate();
  return () => {
    for (const [target, type, fn] of listeners) target?.removeEventListener(type, fn, true);
  };
}
