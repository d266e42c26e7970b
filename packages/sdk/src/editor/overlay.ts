/**
 * The editor's outlines (hover, selection, highlighted matches), drawn in a closed shadow root of
 * one host element appended to <html> after <body>: the page's CSS and scripts cannot reach the
 * boxes, the boxes never take a pointer event (pointer-events: none), and document selectors never
 * see them. The host itself carries OVERLAY_ATTRIBUTE so callers can leave it out of counts and
 * picks; it is created on first use, once the page has a <body>, and put back at the next draw if
 * the page removes it.
 */

export const OVERLAY_TAG = 'samplit-editor-overlay';
export const OVERLAY_ATTRIBUTE = 'data-samplit-editor-overlay';

/** At most this many highlight boxes (a selector like `div` can match thousands). */
const MAX_HIGHLIGHTS = 300;

const CSS_TEXT = `
.box { position: fixed; box-sizing: border-box; pointer-events: none; margin: 0; padding: 0; }
.hover { outline: 2px dashed #2563eb; outline-offset: -1px; background: rgba(37, 99, 235, 0.06); }
.selected { outline: 2px solid #2563eb; outline-offset: -1px; background: rgba(37, 99, 235, 0.10); }
.highlight { outline: 2px solid #f59e0b; outline-offset: -1px; background: rgba(245, 158, 11, 0.10); }
`;

type Kind = 'hover' | 'selected' | 'highlight';

export class Overlay {
  private host: HTMLElement | null = null;
  private root: ShadowRoot | null = null;
  private boxes: HTMLElement[] = [];
  private hover: Element | null = null;
  private selectedSelector: string | null = null;
  private highlightSelector: string | null = null;
  private frame = 0;

  /** Whether `node` is the overlay's host (its boxes live in a closed shadow root). */
  isOwn = (node: Node | null): boolean =>
    !!node && node instanceof Element && node.hasAttribute(OVERLAY_ATTRIBUTE);

  setHover(el: Element | null): void {
    this.hover = el;
    this.schedule();
  }

  /** Outlines the first match of the selector, followed across re-renders (re-queried each frame). */
  setSelected(selector: string | null): void {
    this.selectedSelector = selector;
    this.schedule();
  }

  setHighlight(selector: string | null): void {
    this.highlightSelector = selector;
    this.schedule();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.host?.remove();
    this.host = this.root = null;
    this.boxes = [];
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(this.draw);
  }

  private draw = (): void => {
    this.frame = 0;
    // Until the parser has made <body>, a host appended now would end up before it.
    if (!document.body) {
      this.schedule();
      return;
    }
    try {
      const targets: Array<[Element, Kind]> = [];
      if (this.highlightSelector) {
        for (const el of this.query(this.highlightSelector).slice(0, MAX_HIGHLIGHTS))
          targets.push([el, 'highlight']);
      }
      const selected = this.selectedSelector ? this.query(this.selectedSelector)[0] : undefined;
      if (selected) targets.push([selected, 'selected']);
      if (this.hover?.isConnected && this.hover !== selected) targets.push([this.hover, 'hover']);
      this.render(targets);
      // Elements move (scrolling, layout, re-renders): follow them while anything is outlined.
      if (targets.length || this.selectedSelector || this.highlightSelector) this.schedule();
    } catch {
      // Never throw into the page.
    }
  };

  private query(selector: string): Element[] {
    try {
      return [...document.querySelectorAll(selector)].filter((el) => !this.isOwn(el));
    } catch {
      return [];
    }
  }

  private render(targets: Array<[Element, Kind]>): void {
    if (!targets.length && !this.root) return;
    const root = this.ensureRoot();
    while (this.boxes.length < targets.length) {
      const box = document.createElement('div');
      root.appendChild(box);
      this.boxes.push(box);
    }
    this.boxes.forEach((box, i) => {
      const target = targets[i];
      if (!target) {
        box.style.display = 'none';
        return;
      }
      const r = target[0].getBoundingClientRect();
      box.className = 'box ' + target[1];
      box.style.display = r.width || r.height ? 'block' : 'none';
      box.style.left = r.left + 'px';
      box.style.top = r.top + 'px';
      box.style.width = r.width + 'px';
      box.style.height = r.height + 'px';
    });
  }

  private ensureRoot(): ShadowRoot {
    if (!this.host || !this.root) {
      const host = document.createElement(OVERLAY_TAG);
      host.setAttribute(OVERLAY_ATTRIBUTE, '');
      // CSSOM, not a style attribute: allowed under any style-src. !important beats the page's rules.
      for (const [name, value] of [
        ['all', 'initial'],
        ['display', 'block'],
        ['position', 'fixed'],
        ['top', '0'],
        ['left', '0'],
        ['width', '0'],
        ['height', '0'],
        ['overflow', 'visible'],
        ['pointer-events', 'none'],
        ['z-index', '2147483647'],
      ])
        host.style.setProperty(name, value, 'important');
      const root = host.attachShadow({ mode: 'closed' });
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS_TEXT);
        root.adoptedStyleSheets = [sheet];
      } catch {
        const style = document.createElement('style');
        style.textContent = CSS_TEXT;
        root.appendChild(style);
      }
      this.host = host;
      this.root = root;
    }
    if (!this.host.isConnected) document.documentElement.appendChild(this.host);
    return this.root;
  }
}
