import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { proxyContentSecurityPolicy } from './proxy-headers.js';
import { rewriteHtml } from './rewrite-html.js';

type Element = DefaultTreeAdapterTypes.Element;

const OPTIONS = {
  pageUrl: 'https://shop.example/pricing?plan=pro',
  editorOrigin: 'http://127.0.0.1:8001',
  parentOrigin: 'http://127.0.0.1:8000',
};

function headChildren(html: string): Element[] {
  const document = parse(html);
  const root = document.childNodes.find(
    (n): n is Element => 'tagName' in n && n.tagName === 'html',
  ) as Element;
  const head = root.childNodes.find((n): n is Element => 'tagName' in n && n.tagName === 'head') as Element;
  return head.childNodes.filter((n): n is Element => 'tagName' in n);
}

const attrs = (e: Element | undefined) => Object.fromEntries((e?.attrs ?? []).map((a) => [a.name, a.value]));

describe('rewriteHtml', () => {
  it('gives a fragment without <head> one, with base, referrer and agent in that order', () => {
    const { html, baseHref } = rewriteHtml('<h1>Hi</h1>', OPTIONS);
    expect(baseHref).toBe(OPTIONS.pageUrl);
    const [base, meta, script] = headChildren(html);
    expect(attrs(base)).toEqual({ href: OPTIONS.pageUrl });
    expect(attrs(meta)).toEqual({ name: 'referrer', content: 'no-referrer' });
    expect(attrs(script)).toEqual({
      src: 'http://127.0.0.1:8001/visual-editor/agent.js',
      'data-samplit-editor': '',
      'data-url': OPTIONS.pageUrl,
      'data-parent-origin': OPTIONS.parentOrigin,
    });
    expect(html).toContain('<h1>Hi</h1>');
  });

  it('keeps the first <base href> (resolved), drops the others, ignores a non-http(s) one', () => {
    const two = rewriteHtml(
      '<head><base target="_top"><base href="../assets/"><base href="/x/"></head>',
      OPTIONS,
    );
    expect(two.baseHref).toBe('https://shop.example/assets/');
    expect(headChildren(two.html).filter((e) => e.tagName === 'base')).toHaveLength(1);
    expect(rewriteHtml('<base href="javascript:alert(1)">', OPTIONS).baseHref).toBe(OPTIONS.pageUrl);
    expect(rewriteHtml('<base href="https://cdn.example/site/">', OPTIONS).baseHref).toBe(
      'https://cdn.example/site/',
    );
  });

  it('removes CSP, frame, cookie and refresh metas in any case and place, keeps the rest', () => {
    const { html } = rewriteHtml(
      `<head><meta http-equiv=" Content-Security-Policy " content="script-src 'none'">
       <meta charset="utf-8"><meta http-equiv="content-type" content="text/html; charset=utf-8">
       <meta name="viewport" content="width=device-width"></head>
       <body><meta http-equiv="REFRESH" content="0;url=/x"><template><meta http-equiv="x-frame-options" content="deny"></template></body>`,
      OPTIONS,
    );
    expect(html).not.toMatch(/security-policy|refresh|x-frame-options/i);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('http-equiv="content-type"');
  });

  it('escapes what it injects', () => {
    const { html } = rewriteHtml('<p>x</p>', {
      ...OPTIONS,
      pageUrl: 'https://shop.example/a?q="><script>alert(1)</script>',
    });
    expect(html).not.toContain('"><script>alert(1)');
    expect(attrs(headChildren(html)[2])['data-url']).toBe(
      'https://shop.example/a?q="><script>alert(1)</script>',
    );
  });
});

describe('proxyContentSecurityPolicy', () => {
  it('frames for the dashboard only; base and forms for the page’s origins and ours', () => {
    expect(
      proxyContentSecurityPolicy({
        parentOrigin: 'https://samplit.example',
        editorOrigin: 'https://editor.samplit.example',
        pageUrl: 'https://shop.example/pricing',
        baseHref: 'https://cdn.example/site/',
      }),
    ).toBe(
      "frame-ancestors https://samplit.example; object-src 'none'; base-uri https://cdn.example; " +
        'form-action https://editor.samplit.example https://shop.example https://cdn.example',
    );
  });
});
