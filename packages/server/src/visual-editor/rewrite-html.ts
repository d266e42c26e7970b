import { type DefaultTreeAdapterTypes, defaultTreeAdapter, html, parse, serialize } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

export interface RewriteOptions {
  /** Where the page really is (the end of the redirect chain). */
  pageUrl: string;
  /** The editor app's origin, where the agent script is served. */
  editorOrigin: string;
  /** The dashboard's origin (the proxy token's `par`), the only one the agent talks to. */
  parentOrigin: string;
}

export interface RewrittenPage {
  html: string;
  /** The `<base href>` the page now has: its own, resolved, or the page's URL. */
  baseHref: string;
}

/** `<meta http-equiv>` values a proxied page must not apply on our origin. */
const DROPPED_HTTP_EQUIV = new Set(['content-security-policy', 'x-frame-options', 'set-cookie', 'refresh']);

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

function elements(parent: ParentNode, found: Element[] = []): Element[] {
  for (const child of parent.childNodes) {
    if (!('tagName' in child)) continue;
    found.push(child);
    elements(child, found);
    if (child.tagName === 'template') elements((child as DefaultTreeAdapterTypes.Template).content, found);
  }
  return found;
}

function create(tagName: string, attrs: Record<string, string>): Element {
  return defaultTreeAdapter.createElement(
    tagName,
    html.NS.HTML,
    Object.entries(attrs).map(([name, value]) => ({ name, value })),
  );
}

/**
 * The page's base URL: its own first `<base href>` resolved against where the page is, when
 * that is an http(s) URL; else the page's URL. Browsers use the first base with an href too.
 */
function baseHrefOf(all: Element[], pageUrl: string): string {
  const own = all.find((e) => e.tagName === 'base' && attr(e, 'href') !== undefined);
  if (own) {
    try {
      const resolved = new URL(attr(own, 'href') as string, pageUrl);
      if (resolved.protocol === 'http:' || resolved.protocol === 'https:') return resolved.href;
    } catch {}
  }
  return pageUrl;
}

/**
 * Rewrites a fetched page for the editor's iframe (contract §3): the meta tags that would
 * restrict or redirect the page on our origin removed; one `<base href>` first in `<head>`, so
 * relative URLs (sub-resources, links) still point at the real site; then a no-referrer meta,
 * so the token in our URL never leaks; then the agent script, classic and blocking, so it runs
 * before every script of the page. The result is serialised as UTF-8 text.
 */
export function rewriteHtml(
  source: string,
  { pageUrl, editorOrigin, parentOrigin }: RewriteOptions,
): RewrittenPage {
  const document = parse(source);
  const all = elements(document);
  const baseHref = baseHrefOf(all, pageUrl);
  for (const element of all) {
    const equiv = element.tagName === 'meta' ? attr(element, 'http-equiv')?.trim().toLowerCase() : undefined;
    const drop = (equiv !== undefined && DROPPED_HTTP_EQUIV.has(equiv)) || element.tagName === 'base';
    if (drop) defaultTreeAdapter.detachNode(element);
  }
  // parse5 builds <html><head> for any input, as browsers do.
  const htmlElement = document.childNodes.find((n): n is Element => 'tagName' in n && n.tagName === 'html');
  const head = htmlElement?.childNodes.find((n): n is Element => 'tagName' in n && n.tagName === 'head');
  if (!head) throw new Error('parse5 produced a document without <head>');
  const injected = [
    create('base', { href: baseHref }),
    create('meta', { name: 'referrer', content: 'no-referrer' }),
    create('script', {
      src: `${editorOrigin}/visual-editor/agent.js`,
      'data-samplit-editor': '',
      'data-url': pageUrl,
      'data-parent-origin': parentOrigin,
    }),
  ];
  const first = head.childNodes[0];
  for (const node of injected) {
    if (first) defaultTreeAdapter.insertBefore(head, node, first);
    else defaultTreeAdapter.appendChild(head, node);
  }
  return { html: serialize(document), baseHref };
}
