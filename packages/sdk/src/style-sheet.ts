/**
 * Adds page CSS and returns a function that removes it.
 *
 * A constructed stylesheet (`document.adoptedStyleSheets`) is CSSOM, which a strict
 * Content-Security-Policy without `'unsafe-inline'` in `style-src` still allows; a `<style>`
 * element (carrying the nonce, when there is one) is the fallback for older browsers.
 */
export function addStyle(css: string, nonce?: string): () => void {
  const doc = document;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  } catch {
    const el = appendElement('style', css, nonce);
    return () => el.remove();
  }
}

/** Appends a `<style>` or `<script>` with `text` to the head, carrying the page's nonce if any. */
export function appendElement(tag: 'style' | 'script', text: string, nonce?: string): HTMLElement {
  const el = document.createElement(tag);
  if (nonce) el.nonce = nonce;
  el.textContent = text;
  return (document.head || document.documentElement).appendChild(el);
}

/** Whether `selector` is a valid CSS selector (invalid ones would throw in querySelectorAll). */
export function isSelector(selector: string | null | undefined): selector is string {
  try {
    document.createDocumentFragment().querySelector(selector!);
    return !!selector;
  } catch {
    return false;
  }
}
