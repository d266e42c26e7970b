export interface ProxyPolicyInput {
  /** The dashboard origin (the token's `par`). */
  parentOrigin: string;
  editorOrigin: string;
  /** Where the page really is. */
  pageUrl: string;
  /** The page's `<base href>` after the rewrite. */
  baseHref: string;
}

/**
 * Samplit's CSP for a proxied page (contract §3). It leaves scripts, styles, images and fetches
 * alone (the page's own, loaded from its origin through `<base>`, must run) and governs what
 * the page could turn against the editor: only the dashboard may frame it, no plugins, no
 * `<base>` other than the injected one's origin, forms only to the page's own origins or ours
 * (where the agent catches navigation).
 */
export function proxyContentSecurityPolicy({
  parentOrigin,
  editorOrigin,
  pageUrl,
  baseHref,
}: ProxyPolicyInput): string {
  const target = new URL(pageUrl).origin;
  const base = new URL(baseHref).origin;
  const forms = [...new Set([editorOrigin, target, base])].join(' ');
  return `frame-ancestors ${parentOrigin}; object-src 'none'; base-uri ${base}; form-action ${forms}`;
}
