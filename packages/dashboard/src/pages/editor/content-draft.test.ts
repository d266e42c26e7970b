// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { contentToDraft, draftToContent, newPair } from './content-draft.js';

describe('variant content ⇄ draft', () => {
  it('round-trips every field the API stores', () => {
    const content = {
      text: 'Hi',
      html: '<i>Hi</i>',
      attributes: { href: '/b', 'data-x': '' },
      styles: { color: 'red' },
      css: 'body{}',
      redirect_url: 'https://example.com/b',
      hide: true,
      payload: { deep: [1, { a: null }] },
      js: 'void 0',
    };
    expect(draftToContent(contentToDraft(content))).toEqual({ content, problems: [] });
  });

  it('leaves out what was left empty, including blank key/value rows', () => {
    const draft = contentToDraft({});
    draft.attributes = [newPair('', '')];
    draft.payload = '  ';
    expect(draftToContent(draft)).toEqual({ content: {}, problems: [] });
  });

  it('keeps a falsy JSON payload', () => {
    const draft = contentToDraft({});
    draft.payload = 'false';
    expect(draftToContent(draft).content).toEqual({ payload: false });
  });

  it('reports a value without its name, a name given twice and a payload that is not JSON', () => {
    const draft = contentToDraft({});
    draft.attributes = [newPair('', 'orphan')];
    draft.styles = [newPair('color', 'red'), newPair(' color', 'blue')];
    draft.payload = '{nope}';
    const { problems } = draftToContent(draft);
    expect(problems.map((p) => p.field)).toEqual(['attributes', 'styles', 'payload']);
    expect(problems[2].message).toMatch(/not valid JSON/);
  });
});
