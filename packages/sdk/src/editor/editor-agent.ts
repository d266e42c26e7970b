/**
 * The visual editor's agent: the script the proxy injects into every page it serves
 * (`dist/samplit-editor.min.js`, entry editor-entry.ts), first in <head>, before any page script.
 * It talks to the dashboard (its parent window) with the protocol in protocol.ts, and previews
 * variants with the SDK's own applyContent, so what the editor shows is what visitors get.
 *
 * Messages are accepted only from the parent window on the parent origin; anything else, and any
 * message of an unknown shape, is ignored. Nothing here throws into the page.
 */
import { applyContent } from '../apply-content.js';
import { installHistory } from './history.js';
import { installInteraction, safely } from './interaction.js';
import { Overlay } from './overlay.js';
import {
  type AgentMessage,
  EDITOR_PROTOCOL,
  type EditorMode,
  type MessageBody,
  parseDashboardMessage,
  type SelectedMessage,
} from './protocol.js';
import { matchAll, selectorFor } from './selector.js';

export interface EditorAgentOptions {
  /** The real page's URL (the script tag's data-url). */
  url: string;
  /** The dashboard's origin (data-parent-origin): the only origin messages come from and go to. */
  parentOrigin: string;
  /** The dashboard's window; `window.parent` unless a test says otherwise. */
  parent?: Pick<Window, 'postMessage'>;
}

export interface EditorAgent {
  stop(): void;
}

const MAX_TEXT = 500;
const MAX_HTML = 20_000;
const MAX_ATTRIBUTES = 30;

/** Starts the agent; `undefined` (and nothing changed) when the script tag's data is unusable. */
export function startEditorAgent(options: EditorAgentOptions): EditorAgent | undefined {
  try {
    const real = new URL(options.url);
    if (real.protocol !== 'http:' && real.protocol !== 'https:') return undefined;
    const parentOrigin = new URL(options.parentOrigin).origin;
    if (parentOrigin !== options.parentOrigin || parentOrigin === 'null') return undefined;
    const parent = options.parent ?? window.parent;
    return run(real, parentOrigin, parent);
  } catch {
    return undefined;
  }
}

function run(real: URL, parentOrigin: string, parent: Pick<Window, 'postMessage'>): EditorAgent {
  const post = (message: MessageBody<AgentMessage>) =>
    safely(() => parent.postMessage({ samplit: EDITOR_PROTOCOL, ...message }, parentOrigin));

  const history = installHistory(real, (url) => post({ type: 'route', url }));
  const overlay = new Overlay();
  let mode: EditorMode = 'select';
  let revertPreview: (() => void) | null = null;

  const select = (el: Element, selector: string) => {
    overlay.setSelected(selector);
    post(describe(el, selector, matchAll(selector, overlay.isOwn)?.length ?? 0));
  };

  const stopInteraction = installInteraction({
    mode: () => mode,
    pick: (el) => select(el, selectorFor(el)),
    hover: (el) => overlay.setHover(el),
    escape: () => overlay.setSelected(null),
    navigate: (url) => post({ type: 'navigate', url }),
    isOwn: overlay.isOwn,
    realUrl: history.realUrl,
    toReal: history.toReal,
  });

  const onMessage = (event: MessageEvent) =>
    safely(() => {
      if (event.origin !== parentOrigin || event.source !== parent) return;
      const message = parseDashboardMessage(event.data);
      if (!message) return;
      switch (message.type) {
        case 'mode':
          mode = message.mode;
          overlay.setHover(null);
          break;
        case 'preview':
          revertPreview?.();
          revertPreview = null;
          revertPreview = applyContent(message.variants);
          break;
        case 'count': {
          const found = matchAll(message.selector, overlay.isOwn);
          post({
            type: 'count',
            requestId: message.requestId,
            selector: message.selector,
            count: found ? found.length : -1,
          });
          break;
        }
        case 'highlight':
          overlay.setHighlight(
            message.selector && matchAll(message.selector, overlay.isOwn) ? message.selector : null,
          );
          break;
        case 'select': {
          const first = matchAll(message.selector, overlay.isOwn)?.[0];
          if (first) select(first, message.selector);
          else overlay.setSelected(null);
          break;
        }
      }
    });
  // Capture, registered before any page script: a page listener cannot stop the dashboard's messages.
  addEventListener('message', onMessage, true);

  const ready = () => post({ type: 'ready', url: history.realUrl(), title: document.title });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready, { once: true });
  else ready();

  return {
    stop() {
      removeEventListener('message', onMessage, true);
      document.removeEventListener('DOMContentLoaded', ready);
      stopInteraction();
      history.stop();
      overlay.destroy();
      revertPreview?.();
    },
  };
}

function describe(el: Element, selector: string, count: number): MessageBody<SelectedMessage> {
  const attributes: Record<string, string> = {};
  for (const { name, value } of [...el.attributes].slice(0, MAX_ATTRIBUTES)) attributes[name] = value;
  return {
    type: 'selected',
    selector,
    count,
    tag: el.localName,
    text: (el.textContent ?? '').trim().slice(0, MAX_TEXT),
    html: el.innerHTML.slice(0, MAX_HTML),
    attributes,
  };
}
