// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Samplit } from './client.js';
import { init, parseAntiFlicker } from './script-tag.js';

const EXP = '6f1d2c3e-0000-4000-8000-000000000001';

function scriptTag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
}

let requests: Array<{ url: string; body: Record<string, unknown> }>;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  requests = [];
  document.body.innerHTML = '<h1 id="headline">Original</h1>';
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body));
    requests.push({ url, body });
    return new Response(
      JSON.stringify({
        experiment_id: body.experiment_id,
        browser_id: body.browser_id,
        eligible: true,
        variants: [
          {
            element_id: 'e',
            element_name: 'h',
            selector: '#headline',
            variant_id: 'v',
            variant_name: 'B',
            is_control: false,
            content: { text: 'From script tag' },
          },
        ],
      }),
      { status: 200 },
    );
  });
});
afterEach(() => {
  const client = window.samplit;
  if (client instanceof Samplit) client.revert();
  window.samplit = undefined;
  vi.unstubAllGlobals();
});

describe('parseAntiFlicker', () => {
  it('reads data-anti-flicker', () => {
    expect(parseAntiFlicker(undefined)).toBe(false);
    expect(parseAntiFlicker('false')).toBe(false);
    expect(parseAntiFlicker('')).toBe(true);
    expect(parseAntiFlicker('true')).toBe(true);
    expect(parseAntiFlicker('page')).toBe('page');
    expect(parseAntiFlicker('#headline, .cta')).toEqual(['#headline', '.cta']);
  });
});

describe('init', () => {
  it('configures itself from data attributes, exposes window.samplit and runs the experiments', async () => {
    const client = init(
      scriptTag({
        src: 'https://cdn.example/sdk/samplit.js',
        'data-api': 'https://samplit.example',
        'data-experiments': EXP + ', other',
        'data-browser-id': 'user-7',
        'data-attributes': '{"plan":"pro"}',
      }),
    );
    expect(window.samplit).toBe(client);
    await vi.waitFor(() => expect(document.querySelector('#headline')!.textContent).toBe('From script tag'));
    expect(requests.map((r) => r.url)).toEqual([
      'https://samplit.example/api/v1/tracker/assign',
      'https://samplit.example/api/v1/tracker/assign',
    ]);
    expect(requests[0].body).toMatchObject({
      experiment_id: EXP,
      browser_id: 'user-7',
      context: { attributes: { plan: 'pro' } },
    });
    expect(requests[1].body.experiment_id).toBe('other');
  });

  it('defaults the API to the origin the script was served from', async () => {
    init(scriptTag({ src: 'https://samplit.example/sdk/samplit.js', 'data-experiments': EXP }));
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].url).toBe('https://samplit.example/api/v1/tracker/assign');
  });

  it('replays calls queued before it loaded', async () => {
    window.samplit = [['convert', EXP, 'early-goal']];
    init(scriptTag({ src: 'https://samplit.example/sdk/samplit.js' }));
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      url: 'https://samplit.example/api/v1/tracker/convert',
      body: { goal: 'early-goal' },
    });
  });

  it('stands down inside the visual editor, leaving queued calls unsent', async () => {
    // What the editor agent (editor/editor-entry.ts) sets before any page script runs.
    window.samplitEditor = true;
    try {
      window.samplit = [['convert', EXP, 'early-goal']];
      expect(
        init(scriptTag({ src: 'https://samplit.example/sdk/samplit.js', 'data-experiments': EXP })),
      ).toBe(undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(requests).toEqual([]);
      expect(Array.isArray(window.samplit)).toBe(true);
      expect(document.querySelector('#headline')!.textContent).toBe('Original');
    } finally {
      delete window.samplitEditor;
    }
  });

  it('does not throw on broken attributes', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => init(scriptTag({ 'data-goals': '{not json' }))).not.toThrow();
    expect(() => init(null)).not.toThrow();
    warn.mockRestore();
  });
});
