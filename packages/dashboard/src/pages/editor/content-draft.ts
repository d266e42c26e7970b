import type { ContentField } from './field-paths.js';

/**
 * A variant's content (the API's VariantContent, docs/architecture.md#variant-content) as the
 * editor holds it: text for every field, key/value rows for the maps, JSON text for the payload.
 */

export interface KeyValue {
  key: string;
  name: string;
  value: string;
}

export interface ContentDraft {
  text: string;
  html: string;
  attributes: KeyValue[];
  styles: KeyValue[];
  css: string;
  redirect_url: string;
  hide: boolean;
  payload: string;
  js: string;
}

/** What the API takes as `content`. */
export interface VariantContent {
  text?: string;
  html?: string;
  attributes?: Record<string, string>;
  styles?: Record<string, string>;
  css?: string;
  redirect_url?: string;
  hide?: boolean;
  payload?: unknown;
  js?: string;
}

let lastPair = 0;
export const newPair = (name = '', value = ''): KeyValue => ({ key: `p${++lastPair}`, name, value });

export const emptyContent = (): ContentDraft => ({
  text: '',
  html: '',
  attributes: [],
  styles: [],
  css: '',
  redirect_url: '',
  hide: false,
  payload: '',
  js: '',
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const pairs = (value: unknown) =>
  isObject(value) ? Object.entries(value).map(([name, v]) => newPair(name, String(v ?? ''))) : [];

export function contentToDraft(content: unknown): ContentDraft {
  const c = isObject(content) ? content : {};
  return {
    text: str(c.text),
    html: str(c.html),
    attributes: pairs(c.attributes),
    styles: pairs(c.styles),
    css: str(c.css),
    redirect_url: str(c.redirect_url),
    hide: c.hide === true,
    payload: c.payload === undefined ? '' : JSON.stringify(c.payload, null, 2),
    js: str(c.js),
  };
}

/** How many fields a variant's content sets: shown on its collapsed summary. */
export function contentSize(draft: ContentDraft): number {
  return (
    [draft.text, draft.html, draft.css, draft.redirect_url, draft.payload, draft.js].filter(
      (value) => value.trim() !== '',
    ).length +
    (draft.hide ? 1 : 0) +
    (draft.attributes.some((p) => p.name.trim() !== '') ? 1 : 0) +
    (draft.styles.some((p) => p.name.trim() !== '') ? 1 : 0)
  );
}

function mapOf(
  rows: KeyValue[],
  field: 'attributes' | 'styles',
  problems: { field: ContentField; message: string }[],
): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    // A row left empty is a row not used yet, not a mistake.
    if (name === '' && row.value === '') continue;
    const what = field === 'attributes' ? 'attribute' : 'CSS property';
    if (name === '') problems.push({ field, message: `Name the ${what} of the value “${row.value}”.` });
    else if (Object.hasOwn(map, name))
      problems.push({ field, message: `The ${what} “${name}” is set twice.` });
    else map[name] = row.value;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

/**
 * The content to send, without the fields left empty, and what keeps it from being sent (a
 * payload that is not JSON, a key/value row without its name).
 */
export function draftToContent(draft: ContentDraft): {
  content: VariantContent;
  problems: { field: ContentField; message: string }[];
} {
  const problems: { field: ContentField; message: string }[] = [];
  const content: VariantContent = {};
  if (draft.text !== '') content.text = draft.text;
  if (draft.html !== '') content.html = draft.html;
  const attributes = mapOf(draft.attributes, 'attributes', problems);
  if (attributes) content.attributes = attributes;
  const styles = mapOf(draft.styles, 'styles', problems);
  if (styles) content.styles = styles;
  if (draft.css.trim() !== '') content.css = draft.css;
  if (draft.redirect_url.trim() !== '') content.redirect_url = draft.redirect_url.trim();
  if (draft.hide) content.hide = true;
  if (draft.payload.trim() !== '') {
    try {
      content.payload = JSON.parse(draft.payload);
    } catch (error) {
      problems.push({
        field: 'payload',
        message: `The payload is not valid JSON: ${(error as Error).message}`,
      });
    }
  }
  if (draft.js.trim() !== '') content.js = draft.js;
  return { content, problems };
}
