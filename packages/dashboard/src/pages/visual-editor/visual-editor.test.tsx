// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Experiment } from '../../api/types.js';
import { fixtureExperiment } from '../experiment/experiment-fixture.js';
import type { DashboardMessage } from './protocol.js';
import { SILENCE_MS } from './use-proxied-page.js';
import { UNSAVED_MESSAGE } from './use-unsaved-guard.js';
import { VisualEditorPage } from './visual-editor-page.js';

const AGENT = 'http://127.0.0.1:8001';
const PROXY = `${AGENT}/api/v1/visual-editor/proxy`;
const PAGE = 'https://shop.example/';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

/**
 * The page at /experiments/:id/visual with the API answered by a recording fetch (GET the
 * experiment, POST a proxy token, PATCH), and the frame's window a stand-in that records what the
 * dashboard posts: happy-dom loads no frame content, so the test speaks for the agent.
 */
async function open(
  experiment: Experiment,
  patch: (body: unknown) => Response = () => Response.json(experiment),
) {
  const sent: Sent[] = [];
  let tokens = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const path = new URL(url, 'http://dashboard.test').pathname.replace('/api/v1', '');
      const method = init.method ?? 'GET';
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      sent.push({ method, path, body });
      if (path === '/visual-editor/token')
        return Response.json({ token: `t${++tokens}`, expires_in: 600, proxy_url: PROXY });
      if (method === 'PATCH') return patch(body);
      return Response.json(experiment);
    }),
  );
  render(
    <MemoryRouter initialEntries={[`/experiments/${experiment.id}/visual`]}>
      <Routes>
        <Route path="/experiments/:id/visual" element={<VisualEditorPage />} />
        <Route path="/experiments/:id" element={<p>The experiment’s page</p>} />
      </Routes>
    </MemoryRouter>,
  );
  const posted: DashboardMessage[] = [];
  const frameWindow = {
    postMessage: vi.fn((message: DashboardMessage & { samplit: string }, target: string) => {
      expect(target).toBe(AGENT);
      expect(message.samplit).toBe('editor/1');
      posted.push(message);
      // The agent's answer to a count: how many elements the test's page has for the selector.
      if (message.type === 'count') {
        const n = PAGE_COUNTS[message.selector] ?? 0;
        queueMicrotask(() =>
          agent({ type: 'count', requestId: message.requestId, selector: message.selector, count: n }),
        );
      }
    }),
  };
  const agent = (message: Record<string, unknown>) =>
    act(() => {
      window.dispatchEvent(
        new MessageEvent('message', {
          data: { samplit: 'editor/1', ...message },
          origin: AGENT,
          source: frameWindow as unknown as Window,
        }),
      );
    });
  /** Waits for the frame and gives it the stand-in window. */
  const attach = async () => {
    const iframe = await waitFor(() => {
      const element = document.querySelector('iframe');
      if (!element) throw new Error('no frame yet');
      return element;
    });
    Object.defineProperty(iframe, 'contentWindow', { configurable: true, value: frameWindow });
    // The render that shows the frame also starts listening, in an effect: let it run.
    await act(async () => {});
    return iframe;
  };
  const iframe = experiment.url ? await attach() : (null as unknown as HTMLIFrameElement);
  return { sent, posted, iframe, agent, attach };
}

/** What the stand-in page holds: a selector's number of matches. */
const PAGE_COUNTS: Record<string, number> = { '#cta': 1, '.cta': 3, h1: 1, 'div[': -1 };

const lastPreview = (posted: DashboardMessage[]) =>
  posted.filter((m): m is Extract<DashboardMessage, { type: 'preview' }> => m.type === 'preview').at(-1);

function draftExperiment(type: 'multi' | 'ab' = 'multi') {
  const elements =
    type === 'multi'
      ? [
          { name: 'Element 1', variants: ['Control', 'Variant B'] },
          { name: 'Element 2', variants: ['Control', 'Variant B'] },
        ]
      : [{ name: 'Main element', variants: ['Control', 'Variant B'], selector: '#cta' }];
  const experiment = fixtureExperiment(
    elements,
    type === 'multi'
      ? [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ]
      : [
          [0, 0],
          [0, 0],
        ],
    { status: 'draft' },
  );
  return { ...experiment, url: PAGE, name: 'Hero test' };
}

const type = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
/** Counts wait out the debounce and a round trip; the shared CI machine may be slow. */
const found = (text: string | RegExp) => screen.findByText(text, {}, { timeout: 3000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the visual editor page', () => {
  it('loads the experiment’s page through the proxy with a fresh token, and a new one per navigation', async () => {
    const { sent, iframe, agent } = await open(draftExperiment());
    const src = new URL(iframe.src);
    expect(src.origin + src.pathname).toBe(PROXY);
    expect(src.searchParams.get('url')).toBe(PAGE);
    expect(src.searchParams.get('token')).toBe('t1');
    expect(iframe.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms');
    expect(iframe.title).toMatch(/^Page being edited/);
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    expect(screen.getByText(PAGE, { exact: false }).textContent).toContain(PAGE);
    // In interact mode the page followed a link: the editor loads it with a new token.
    await agent({ type: 'navigate', url: 'https://shop.example/pricing' });
    await waitFor(() => expect(new URL(iframe.src).searchParams.get('token')).toBe('t2'));
    expect(new URL(iframe.src).searchParams.get('url')).toBe('https://shop.example/pricing');
    expect(sent.filter((r) => r.path === '/visual-editor/token')).toHaveLength(2);
    // A client-side route change only moves the address shown.
    await agent({ type: 'ready', url: 'https://shop.example/pricing', title: 'Pricing' });
    await agent({ type: 'route', url: 'https://shop.example/pricing?plan=pro' });
    expect((screen.getByLabelText('Page URL') as HTMLInputElement).value).toBe(
      'https://shop.example/pricing?plan=pro',
    );
    expect(sent.filter((r) => r.path === '/visual-editor/token')).toHaveLength(2);
  });

  it('shows the selected element’s selector and its matches, and recounts an edited selector', async () => {
    const { posted, agent } = await open(draftExperiment());
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    expect(posted).toContainEqual(expect.objectContaining({ type: 'mode', mode: 'select' }));
    await agent({
      type: 'selected',
      selector: '#cta',
      count: 1,
      tag: 'BUTTON',
      text: 'Start now',
      html: 'Start now',
      attributes: { id: 'cta' },
    });
    expect((screen.getByLabelText('CSS selector') as HTMLInputElement).value).toBe('#cta');
    expect(screen.getByText('“Start now”', { exact: false })).toBeTruthy();
    await found('Matches 1 element on this page.');
    type('CSS selector', '.cta');
    await found('Matches 3 elements on this page.');
    expect(posted).toContainEqual(expect.objectContaining({ type: 'highlight', selector: '.cta' }));
    type('CSS selector', 'div[');
    await found('Not a valid CSS selector.');
    fireEvent.click(screen.getByLabelText('Interact'));
    expect(posted.at(-1)).toEqual(expect.objectContaining({ type: 'mode', mode: 'interact' }));
  });

  it('builds a test by picking elements, adding variants and content, previews it, and saves it with PATCH', async () => {
    const experiment = draftExperiment();
    const { sent, posted, agent } = await open(experiment);
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    // The CTA for element 1, renamed.
    await agent({
      type: 'selected',
      selector: '#cta',
      count: 1,
      tag: 'button',
      text: 'Start',
      html: 'Start',
      attributes: {},
    });
    click('Use for Element 1');
    type('Element name', 'CTA Button');
    expect(screen.getByRole('group', { name: 'Element to edit' }).textContent).toContain('#cta');
    // A third variant, made current, with its text and background.
    click('Add variant to CTA Button');
    expect(
      (screen.getByLabelText('Variant C', { selector: 'input[type=radio]' }) as HTMLInputElement).checked,
    ).toBe(true);
    type('Variant name', 'CTA-C');
    type('CTA Button, CTA-C Text', 'Try it free');
    click('Add style to CTA Button, CTA-C');
    type('CTA Button, CTA-C style 1 CSS property', 'background-color');
    type('CTA Button, CTA-C style 1 Value', 'rgb(200, 30, 30)');
    await waitFor(() =>
      expect(lastPreview(posted)?.variants[0]).toEqual({
        selector: '#cta',
        content: { text: 'Try it free', styles: { 'background-color': 'rgb(200, 30, 30)' } },
      }),
    );
    expect(screen.getByText('Element 2: Control', { exact: false })).toBeTruthy();
    // The heading becomes a new, third element.
    await agent({
      type: 'selected',
      selector: 'h1',
      count: 1,
      tag: 'h1',
      text: 'Welcome',
      html: 'Welcome',
      attributes: {},
    });
    click('Add as new element');
    expect((screen.getByLabelText('Element name') as HTMLInputElement).value).toBe('Element 3');
    expect(lastPreview(posted)?.variants).toHaveLength(3);
    expect(screen.getByText('Unsaved changes')).toBeTruthy();

    click('Save');
    await found(/^Saved at/);
    const patch = sent.find((r) => r.method === 'PATCH');
    expect(patch?.path).toBe(`/experiments/${experiment.id}`);
    const body = patch?.body as {
      elements: Array<{
        name: string;
        selector: string | null;
        variants: Array<{ name: string; content: unknown }>;
      }>;
    };
    expect(body.elements.map((e) => [e.name, e.selector, e.variants.map((v) => v.name)])).toEqual([
      ['CTA Button', '#cta', ['Control', 'Variant B', 'CTA-C']],
      ['Element 2', null, ['Control', 'Variant B']],
      ['Element 3', 'h1', ['Control', 'Variant B']],
    ]);
    expect(body.elements[0].variants[2].content).toEqual({
      text: 'Try it free',
      styles: { 'background-color': 'rgb(200, 30, 30)' },
    });
    expect(screen.getByText('All changes saved')).toBeTruthy();
  });

  it('asks before a link leaves the page with unsaved changes', async () => {
    const { agent } = await open(draftExperiment());
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    const answers = [false, true];
    const confirm = vi.fn(() => answers.shift());
    vi.stubGlobal('confirm', confirm);
    type('Element name', 'CTA Button');
    fireEvent.click(screen.getByRole('link', { name: 'Hero test' }));
    expect(confirm).toHaveBeenCalledWith(UNSAVED_MESSAGE);
    expect(screen.getByRole('heading', { name: 'Visual editor' })).toBeTruthy();
    fireEvent.click(screen.getByRole('link', { name: 'Hero test' }));
    await screen.findByText('The experiment’s page');
    expect(confirm).toHaveBeenCalledTimes(2);
  });

  it('lets a link go without asking when everything is saved', async () => {
    await open(draftExperiment());
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    fireEvent.click(screen.getByRole('link', { name: 'Hero test' }));
    await screen.findByText('The experiment’s page');
    expect(confirm).not.toHaveBeenCalled();
  });

  it('places the API’s refusal next to the control it names, bringing its element forward', async () => {
    const refusal = Response.json(
      {
        error: {
          code: 'VALIDATION_001',
          message: 'The request is not valid.',
          details: [{ field: 'body.elements.1.variants.1.name', message: 'Variant names must be unique.' }],
        },
      },
      { status: 422 },
    );
    const { agent } = await open(draftExperiment(), () => refusal);
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    click('Save');
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('The request is not valid.');
    fireEvent.click(within(summary).getByRole('link', { name: 'Element 2, variant 2 name' }));
    await waitFor(() =>
      expect((screen.getByLabelText('Variant name') as HTMLInputElement).getAttribute('aria-invalid')).toBe(
        'true',
      ),
    );
    expect(screen.getByText('Variant names must be unique.')).toBeTruthy();
  });

  it('offers the page shown as the page URL of an experiment without one, saved with the rest', async () => {
    const { sent, agent, attach } = await open({ ...draftExperiment(), url: null });
    await found(/no page URL yet/);
    type('Page URL', PAGE);
    click('Go');
    await attach();
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    click('Use this page’s URL');
    click('Save');
    await found(/^Saved at/);
    expect(sent.find((r) => r.method === 'PATCH')?.body).toMatchObject({ url: PAGE });
    expect(screen.queryByRole('button', { name: 'Use this page’s URL' })).toBeNull();
  });

  it('offers an A/B test no new element, and says why', async () => {
    const { agent } = await open(draftExperiment('ab'));
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    await agent({
      type: 'selected',
      selector: 'h1',
      count: 1,
      tag: 'h1',
      text: 'Welcome',
      html: 'Welcome',
      attributes: {},
    });
    expect(screen.getByRole('button', { name: 'Use for Main element' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add as new element' })).toBeNull();
    expect(screen.getByText(/create a multi-element test: an experiment’s type cannot change/)).toBeTruthy();
  });

  it('says the page did not open when the frame loads without an agent', async () => {
    const { iframe } = await open(draftExperiment());
    fireEvent.load(iframe);
    const alert = await screen.findByRole('alert', {}, { timeout: SILENCE_MS + 2000 });
    expect(alert.textContent).toContain('The page did not open in the editor');
    expect(alert.textContent).toContain('preview link');
  });

  it('judges each page by its own ready: a page that opened does not vouch for the next', async () => {
    const { iframe, agent } = await open(draftExperiment());
    // The first page's load event comes before its ready (separate task queues), then a link is followed.
    fireEvent.load(iframe);
    await agent({ type: 'ready', url: PAGE, title: 'Shop' });
    await agent({ type: 'navigate', url: 'http://127.0.0.1:1/' });
    await waitFor(() => expect(new URL(iframe.src).searchParams.get('token')).toBe('t2'));
    fireEvent.load(iframe);
    const alert = await screen.findByRole('alert', {}, { timeout: SILENCE_MS + 2000 });
    expect(alert.textContent).toContain('The page did not open in the editor');
  });

  it('keeps started experiments out, pointing back', async () => {
    const running = { ...draftExperiment(), status: 'running' as const };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json(running)),
    );
    render(
      <MemoryRouter initialEntries={[`/experiments/${running.id}/visual`]}>
        <Routes>
          <Route path="/experiments/:id/visual" element={<VisualEditorPage />} />
        </Routes>
      </MemoryRouter>,
    );
    await screen.findByText(/only change while an experiment is a draft/);
    expect(screen.getByRole('link', { name: 'Back to the experiment' })).toBeTruthy();
    expect(document.querySelector('iframe')).toBeNull();
  });
});
