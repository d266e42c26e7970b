/**
 * The editor's two modes on the page.
 *
 * Select: the pointer events that make pages act (and navigate) are cancelled in the capture phase
 * on window, before any of the page's listeners (the agent's listener is registered before every
 * page script, and stopImmediatePropagation keeps later window listeners from running too); a
 * click picks its target, hovering outlines it, Escape clears the selection. Touch events are only
 * stopped, not prevented, so the page still scrolls and the tap still becomes the click that picks.
 *
 * Interact: the page works as usual, except that a link or GET form the page did not handle
 * itself becomes a `navigate` (the dashboard loads it through the proxy) instead of leaving the
 * proxy, and a POST form is blocked. "Did not handle" is read in a bubble listener on window that
 * is moved to the end of window's listeners at the start of every dispatch, so it runs after all
 * of the page's listeners. Navigations that slip past (a page that stops propagation, scripts
 * setting location, reloads) are caught with the Navigation API where the browser has it.
 */
import type { EditorMode } from './protocol.js';

/** Cancelled (preventDefault + stopImmediatePropagation) in select mode. */
export const CANCELLED_EVENTS = [
  'click',
  'mousedown',
  'pointerdown',
  'mouseup',
  'pointerup',
  'auxclick',
  'dblclick',
  'submit',
] as const;

/** Stopped (stopImmediatePropagation only) in select mode: the page keeps scrolling on touch. */
export const STOPPED_EVENTS = ['touchstart', 'touchend'] as const;

export interface InteractionHooks {
  mode(): EditorMode;
  /** Select mode: the user clicked this element. */
  pick(el: Element): void;
  hover(el: Element | null): void;
  escape(): void;
  /** A navigation the page did not handle, to load through the proxy (a real-site URL). */
  navigate(url: string): void;
  /** The editor's own elements, never picked or hovered. */
  isOwn(node: Node | null): boolean;
  /** The real page's current URL and the mapping of editor-origin URLs back to the real site. */
  realUrl(): string;
  toReal(url: string): string;
}

interface NavigateEventLike extends Event {
  navigationType: 'push' | 'replace' | 'reload' | 'traverse';
  destination: { url: string; sameDocument: boolean };
  formData: FormData | null;
  downloadRequest: string | null;
}

const capture = { capture: true, passive: false } as const;

export function installInteraction(hooks: InteractionHooks): () => void {
  const targetOf = (event: Event): Element | null => {
    const t = event.target;
    return t instanceof Element && !hooks.isOwn(t) ? t : null;
  };

  const cancel = (event: Event) => {
    if (hooks.mode() !== 'select') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.type === 'click') {
      const target = targetOf(event);
      if (target) safely(() => hooks.pick(target));
    }
  };

  const stop = (event: Event) => {
    if (hooks.mode() === 'select') event.stopImmediatePropagation();
  };

  const over = (event: Event) => {
    if (hooks.mode() === 'select') safely(() => hooks.hover(targetOf(event)));
  };
  const out = (event: MouseEvent) => {
    if (!event.relatedTarget) safely(() => hooks.hover(null));
  };

  const key = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && hooks.mode() === 'select') safely(hooks.escape);
  };

  // Interact mode: runs last on window in the bubble phase (see the file's head).
  const afterPageClick = (event: MouseEvent) =>
    safely(() => {
      if (event.defaultPrevented || hooks.mode() !== 'interact' || event.button !== 0) return;
      const link = event
        .composedPath()
        .find(
          (n): n is HTMLAnchorElement | HTMLAreaElement =>
            (n instanceof HTMLAnchorElement || n instanceof HTMLAreaElement) && n.hasAttribute('href'),
        );
      if (!link) return;
      // Against the <base> a link is already the real site's; without one, map it back there.
      const url = new URL(hooks.toReal(link.href));
      if (url.protocol === 'javascript:') return; // runs in the page, as on the real site
      event.preventDefault();
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return; // mailto:, tel:, …
      if (link.hasAttribute('download')) return;
      const here = new URL(hooks.realUrl());
      if (url.hash && stripHash(url.href) === stripHash(here.href)) {
        // An in-page anchor: the base would resolve it to the real site, a document of its own.
        location.hash = url.hash;
        return;
      }
      hooks.navigate(url.href);
    });

  const afterPageSubmit = (event: SubmitEvent) =>
    safely(() => {
      if (event.defaultPrevented || hooks.mode() !== 'interact') return;
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      const submitter = event.submitter as HTMLButtonElement | HTMLInputElement | null;
      const method = (
        (submitter?.hasAttribute('formmethod') && submitter.formMethod) ||
        form.method ||
        'get'
      ).toLowerCase();
      if (method === 'dialog') return;
      event.preventDefault();
      if (method !== 'get') return; // POST: blocked, the editor never sends the site's forms
      const action = (submitter?.hasAttribute('formaction') && submitter.formAction) || form.action;
      const url = new URL(hooks.toReal(action));
      const params = new URLSearchParams();
      for (const [name, value] of formData(form, submitter))
        params.append(name, typeof value === 'string' ? value : value.name);
      url.search = params.toString();
      hooks.navigate(url.href);
    });

  // At the start of every dispatch: move the interact-mode checks to the end of window's list.
  const arm = (event: Event) => {
    if (hooks.mode() !== 'interact') return;
    if (event.type === 'click') {
      removeEventListener('click', afterPageClick);
      addEventListener('click', afterPageClick);
    } else {
      removeEventListener('submit', afterPageSubmit);
      addEventListener('submit', afterPageSubmit);
    }
  };

  const navigation = (window as { navigation?: EventTarget }).navigation;
  const onNavigate = (event: Event) =>
    safely(() => {
      const e = event as NavigateEventLike;
      if (e.destination.sameDocument || !e.cancelable || e.navigationType === 'traverse') return;
      if (e.downloadRequest != null) return;
      e.preventDefault();
      if (e.formData) return; // a POST form that got past the submit check
      hooks.navigate(e.navigationType === 'reload' ? hooks.realUrl() : hooks.toReal(e.destination.url));
    });

  for (const type of CANCELLED_EVENTS) addEventListener(type, cancel, capture);
  for (const type of STOPPED_EVENTS) addEventListener(type, stop, { capture: true, passive: true });
  addEventListener('click', arm, capture);
  addEventListener('submit', arm, capture);
  addEventListener('mouseover', over, { capture: true, passive: true });
  document.addEventListener('mouseout', out, { capture: true, passive: true });
  addEventListener('keydown', key, true);
  navigation?.addEventListener('navigate', onNavigate);

  return () => {
    for (const type of CANCELLED_EVENTS) removeEventListener(type, cancel, capture);
    for (const type of STOPPED_EVENTS) removeEventListener(type, stop, { capture: true });
    removeEventListener('click', arm, capture);
    removeEventListener('submit', arm, capture);
    removeEventListener('click', afterPageClick);
    removeEventListener('submit', afterPageSubmit);
    removeEventListener('mouseover', over, { capture: true });
    document.removeEventListener('mouseout', out, { capture: true });
    removeEventListener('keydown', key, true);
    navigation?.removeEventListener('navigate', onNavigate);
  };
}

function formData(form: HTMLFormElement, submitter: HTMLElement | null): FormData {
  try {
    return new FormData(form, submitter);
  } catch {
    return new FormData(form); // browsers without the submitter argument
  }
}

/** Runs an agent handler; an error stays in the agent instead of surfacing in the page. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Never throw into the page.
  }
}

const stripHash = (url: string) => url.replace(/#.*$/, '');
