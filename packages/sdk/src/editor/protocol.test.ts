import { describe, expect, it } from 'vitest';
import { EDITOR_PROTOCOL, parseAgentMessage, parseContent, parseDashboardMessage } from './protocol.js';

const samplit = EDITOR_PROTOCOL;

describe('editor protocol', () => {
  it('keeps the content fields applyContent reads and drops js and unknown fields', () => {
    expect(
      parseContent({
        text: 'B',
        html: null,
        attributes: { href: '/b', title: null },
        styles: { color: 'red' },
        css: 'p{}',
        hide: false,
        js: 'alert(1)',
        extra: 1,
      }),
    ).toEqual({
      text: 'B',
      attributes: { href: '/b', title: null },
      styles: { color: 'red' },
      css: 'p{}',
      hide: false,
    });
    expect(parseContent(null)).toBeNull();
    for (const bad of [
      { text: 1 },
      { attributes: { a: 1 } },
      { styles: { color: null } },
      { hide: 'yes' },
      'x',
      [],
    ])
      expect(parseContent(bad)).toBeUndefined();
  });

  it('parses each dashboard message and rejects other shapes', () => {
    expect(parseDashboardMessage({ samplit, type: 'mode', mode: 'interact' })).toEqual({
      samplit,
      type: 'mode',
      mode: 'interact',
    });
    expect(
      parseDashboardMessage({
        samplit,
        type: 'preview',
        variants: [{ selector: null, content: { css: 'a{}' } }],
      }),
    ).toEqual({ samplit, type: 'preview', variants: [{ selector: null, content: { css: 'a{}' } }] });
    expect(parseDashboardMessage({ samplit, type: 'highlight', selector: null })).toEqual({
      samplit,
      type: 'highlight',
      selector: null,
    });
    for (const bad of [
      { samplit, type: 'preview', variants: [null] },
      { samplit, type: 'preview', variants: [{ selector: 3, content: null }] },
      { samplit, type: 'highlight', selector: 1 },
      { samplit, type: 'count', requestId: Number.NaN, selector: 'a' },
      { samplit, type: 'ready', url: 'x', title: 'y' },
      { samplit: 'editor/0', type: 'mode', mode: 'select' },
    ])
      expect(parseDashboardMessage(bad)).toBeNull();
  });

  it('parses the agent’s messages for the dashboard', () => {
    const selected = {
      samplit,
      type: 'selected',
      selector: '#cta',
      count: 1,
      tag: 'a',
      text: 'Buy',
      html: 'Buy',
      attributes: { id: 'cta' },
    };
    expect(parseAgentMessage(selected)).toEqual(selected);
    expect(parseAgentMessage({ samplit, type: 'route', url: 'https://a.example/x', extra: 1 })).toEqual({
      samplit,
      type: 'route',
      url: 'https://a.example/x',
    });
    expect(parseAgentMessage({ ...selected, attributes: { id: 1 } })).toBeNull();
    expect(parseAgentMessage({ samplit, type: 'mode', mode: 'select' })).toBeNull();
  });
});
