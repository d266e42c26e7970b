import domMutator from 'dom-mutator';
import { addStyle, appendElement, isSelector } from './style-sheet.js';
import type { AssignedVariant } from './types.js';

type Mutate = typeof domMutator.default;
// dom-mutator is CommonJS: Node's loader hands over module.exports ({default: mutate}), while
// bundlers and Vitest unwrap the default export.
const mutate: Mutate = 'html' in domMutator ? (domMutator as unknown as Mutate) : domMutator.default;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/**
 * Applies variant content (docs/architecture.md#variant-content) to the page and returns a function that restores the
 * original. Text, HTML and attributes go through dom-mutator, so they also land on elements that
 * appear later (single-page apps) and survive re-renders; styles, `hide` and page CSS go into one
 * stylesheet, which covers later elements by nature. `redirect_url` and `payload` are the caller's.
 */
export function applyContent(
  variants: Array<Pick<AssignedVariant, 'selector' | 'content'>>,
  nonce?: string,
): () => void {
  const undo: Array<() => void> = [];
  let css = '';
  for (const { selector, content: c } of variants) {
    if (!c) continue;
    if (c.css) css += c.css + '\n';
    if (isSelector(selector)) {
      if (c.hide) css += selector + '{display:none!important}\n';
      if (c.styles) {
        css += selector + '{';
        for (const name in c.styles) css += kebab(name) + ':' + c.styles[name] + '!important;';
        css += '}\n';
      }
      const html = c.html ?? (c.text == null ? null : escapeHtml(String(c.text)));
      if (html != null) undo.push(mutate.html(selector, () => html).revert);
      for (const name in c.attributes) {
        const value = c.attributes[name];
        undo.push(mutate.attribute(selector, name, () => (value == null ? null : String(value))).revert);
      }
    }
    // Custom JavaScript runs as an inline <script> element, never through eval: under a strict
    // Content-Security-Policy it runs only when the page allows it, i.e. when the SDK's own script
    // tag carries the page's nonce (the SDK passes it on) or script-src has 'unsafe-inline'.
    if (c.js) appendElement('script', c.js, nonce);
  }
  if (css) undo.push(addStyle(css, nonce));
  return () => {
    for (const fn of undo) fn();
  };
}
