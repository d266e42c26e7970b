import { addStyle, isSelector } from './style-sheet.js';

/**
 * Hides the page (`'page'`) or the elements matching `selectors` until the returned function is
 * called or `timeout` ms pass, whichever comes first: the original page always shows in the end.
 */
export function hide(target: 'page' | string[], timeout: number, nonce?: string): () => void {
  const selectors = target === 'page' ? [] : target.filter(isSelector);
  if (target !== 'page' && !selectors.length) return () => {};
  // opacity on the root, as Google Optimize's anti-flicker snippet did: layout still happens, so
  // nothing jumps when the page shows; visibility keeps hidden elements' space for the same reason.
  const remove = addStyle(
    target === 'page' ? 'html{opacity:0!important}' : selectors.join(',') + '{visibility:hidden!important}',
    nonce,
  );
  const timer = setTimeout(remove, timeout);
  return () => {
    clearTimeout(timer);
    remove();
  };
}
