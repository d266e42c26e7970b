/**
 * The visual editor's postMessage protocol between the agent (the script injected into proxied
 * pages, `dist/samplit-editor.min.js`) and the dashboard. The dashboard imports the types with
 * `import type` from `@samplit/sdk/editor-protocol`; both sides may use the parsers, which accept
 * only messages of a known shape (anything else is `null`, to be ignored).
 *
 * Every message is `{ samplit: 'editor/1', type, ...fields }`. Origins are the caller's to check:
 * the agent accepts messages only from its parent window on the parent origin, the dashboard only
 * from the iframe's window on the editor origin.
 */
import type { VariantContent } from '../types.js';

export const EDITOR_PROTOCOL = 'editor/1';

export type EditorMode = 'select' | 'interact';

/** Echoed back in the `count` answer, so the dashboard can match answers to questions. */
export type RequestId = string | number;

/** One element's content to preview. `js` is never sent, and the agent drops it if it is. */
export interface PreviewVariant {
  selector: string | null;
  content: VariantContent | null;
}

interface Envelope<T extends string> {
  samplit: typeof EDITOR_PROTOCOL;
  type: T;
}

// ---- agent → dashboard

/** The page's DOM is ready; `url` is the real page's URL (not the proxy's). */
export interface ReadyMessage extends Envelope<'ready'> {
  url: string;
  title: string;
}

/** The page changed its URL client-side (pushState, replaceState, popstate, hashchange). */
export interface RouteMessage extends Envelope<'route'> {
  url: string;
}

/** In interact mode the user followed a link or a GET form the page did not handle: load `url`. */
export interface NavigateMessage extends Envelope<'navigate'> {
  url: string;
}

/** The user picked an element (select mode, or the dashboard's `select`). */
export interface SelectedMessage extends Envelope<'selected'> {
  selector: string;
  /** How many elements the selector matches on the page now. */
  count: number;
  /** Lower-case tag name. */
  tag: string;
  /** Trimmed textContent, at most 500 characters. */
  text: string;
  /** innerHTML, at most 20 000 characters. */
  html: string;
  /** The element's attributes (at most 30). */
  attributes: Record<string, string>;
}

/** The answer to `count`; `count: -1` for an invalid selector. */
export interface CountResultMessage extends Envelope<'count'> {
  requestId: RequestId;
  selector: string;
  count: number;
}

export type AgentMessage =
  | ReadyMessage
  | RouteMessage
  | NavigateMessage
  | SelectedMessage
  | CountResultMessage;

// ---- dashboard → agent

export interface ModeMessage extends Envelope<'mode'> {
  mode: EditorMode;
}

/** Reverts the previous preview and applies these variants with the SDK's own applyContent. */
export interface PreviewMessage extends Envelope<'preview'> {
  variants: PreviewVariant[];
}

export interface CountMessage extends Envelope<'count'> {
  requestId: RequestId;
  selector: string;
}

/** Outlines every element the selector matches; `null` clears the outlines. */
export interface HighlightMessage extends Envelope<'highlight'> {
  selector: string | null;
}

/** Selects the first element the selector matches; the agent answers `selected`. */
export interface SelectMessage extends Envelope<'select'> {
  selector: string;
}

export type DashboardMessage = ModeMessage | PreviewMessage | CountMessage | HighlightMessage | SelectMessage;

/** A message without its envelope's `samplit` field, as a sender writes it. */
export type MessageBody<M> = M extends Envelope<string> ? Omit<M, 'samplit'> : never;

// ---- parsers

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isRequestId = (value: unknown): value is RequestId =>
  isString(value) || (typeof value === 'number' && Number.isFinite(value));
const isStringOrNull = (value: unknown) => value == null || isString(value);

function envelope(data: unknown): Json | null {
  return isObject(data) && data.samplit === EDITOR_PROTOCOL && isString(data.type) ? data : null;
}

const isRecordOf = (value: unknown, item: (v: unknown) => boolean) =>
  isObject(value) && Object.values(value).every(item);

/**
 * Variant content as the agent previews it: the fields applyContent reads, each of the type the
 * API gives it; unknown fields (and `js`, which the editor never runs) are dropped. `undefined`
 * when a known field has the wrong type.
 */
export function parseContent(value: unknown): VariantContent | null | undefined {
  if (value == null) return null;
  if (!isObject(value)) return undefined;
  const { text, html, attributes, styles, css, hide, redirect_url, payload } = value;
  if (!isStringOrNull(text) || !isStringOrNull(html) || !isStringOrNull(css) || !isStringOrNull(redirect_url))
    return undefined;
  if (attributes != null && !isRecordOf(attributes, isStringOrNull)) return undefined;
  if (styles != null && !isRecordOf(styles, isString)) return undefined;
  if (hide != null && typeof hide !== 'boolean') return undefined;
  const content: VariantContent = {};
  if (text != null) content.text = text as string;
  if (html != null) content.html = html as string;
  if (css != null) content.css = css as string;
  if (attributes != null) content.attributes = attributes as Record<string, string | null>;
  if (styles != null) content.styles = styles as Record<string, string>;
  if (hide != null) content.hide = hide as boolean;
  if (redirect_url != null) content.redirect_url = redirect_url as string;
  if (payload !== undefined) content.payload = payload;
  return content;
}

function parseVariants(value: unknown): PreviewVariant[] | null {
  if (!Array.isArray(value)) return null;
  const variants: PreviewVariant[] = [];
  for (const item of value) {
    if (!isObject(item) || !isStringOrNull(item.selector)) return null;
    const content = parseContent(item.content);
    if (content === undefined) return null;
    variants.push({ selector: (item.selector as string | undefined) ?? null, content });
  }
  return variants;
}

/** The dashboard's message to the agent, or `null` for anything of another shape. */
export function parseDashboardMessage(data: unknown): DashboardMessage | null {
  const m = envelope(data);
  if (!m) return null;
  const samplit = EDITOR_PROTOCOL;
  switch (m.type) {
    case 'mode':
      return m.mode === 'select' || m.mode === 'interact' ? { samplit, type: 'mode', mode: m.mode } : null;
    case 'preview': {
      const variants = parseVariants(m.variants);
      return variants ? { samplit, type: 'preview', variants } : null;
    }
    case 'count':
      return isRequestId(m.requestId) && isString(m.selector)
        ? { samplit, type: 'count', requestId: m.requestId, selector: m.selector }
        : null;
    case 'highlight':
      return isStringOrNull(m.selector)
        ? { samplit, type: 'highlight', selector: (m.selector as string | undefined) ?? null }
        : null;
    case 'select':
      return isString(m.selector) ? { samplit, type: 'select', selector: m.selector } : null;
    default:
      return null;
  }
}

/** The agent's message to the dashboard, or `null` for anything of another shape. */
export function parseAgentMessage(data: unknown): AgentMessage | null {
  const m = envelope(data);
  if (!m) return null;
  const samplit = EDITOR_PROTOCOL;
  switch (m.type) {
    case 'ready':
      return isString(m.url) && isString(m.title)
        ? { samplit, type: 'ready', url: m.url, title: m.title }
        : null;
    case 'route':
    case 'navigate':
      return isString(m.url) ? { samplit, type: m.type, url: m.url } : null;
    case 'selected':
      return isString(m.selector) &&
        typeof m.count === 'number' &&
        isString(m.tag) &&
        isString(m.text) &&
        isString(m.html) &&
        isRecordOf(m.attributes, isString)
        ? {
            samplit,
            type: 'selected',
            selector: m.selector,
            count: m.count,
            tag: m.tag,
            text: m.text,
            html: m.html,
            attributes: m.attributes as Record<string, string>,
          }
        : null;
    case 'count':
      return isRequestId(m.requestId) && isString(m.selector) && typeof m.count === 'number'
        ? { samplit, type: 'count', requestId: m.requestId, selector: m.selector, count: m.count }
        : null;
    default:
      return null;
  }
}
