// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Samplit } from './client.js';
import { FakeTracker, fakePreviewToken, variant } from './fake-tracker.js';
import { ID_KEY } from './identity.js';
import { PREVIEW_KEY, previewTokens } from './preview.js';
import { resetWarning } from './warn.js';

const API = 'https://samplit.test';
const EXP = '6f1d2c3e-0000-4000-8000-000000000001';
const OTHER = '6f1d2c3e-0000-4000-8000-000000000002';
const $ = (selector: string) => document.querySelector(selector) as HTMLElement;

let tracker: FakeTracker;
let clients: Samplit[] = [];
let warn: ReturnType<typeof vi.spyOn>;

/** A new page load at `path`, with its own Samplit client (which reads the URL as it starts). */
const page = (path = '/') => {
  history.replaceState(null, '', path);
  document.body.innerHTML =
    '<h1 id="headline">Original headline</h1><button id="buy" data-samplit-goal="purchase">Buy</button>';
  const client = new Samplit({ apiBase: API, fetch: tracker.fetch });
  clients.push(client);
  return client;
};
const link = (token: string) => '/pricing?utm_source=qa&' + PREVIEW_KEY + '=' + encodeURIComponent(token);
const stored = (kind: 'localStorage' | 'sessionStorage', key: string) =>
  JSON.parse(globalThis[kind].getItem(key) ?? 'null');

beforeEach(() => {
  // biome-ignore lint/suspicious/noDocumentCookie: clearing the cookie the way a visitor would
  document.cookie = ID_KEY + '=; path=/; max-age=0';
  localStorage.clear();
  sessionStorage.clear();
  resetWarning();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  tracker = new FakeTracker([variant('#headline', { text: 'Assigned headline' })]);
  tracker.previewVariants = [variant('#headline', { text: 'Previewed headline' })];
});

afterEach(() => {
  for (const client of clients) client.revert();
  clients = [];
  vi.restoreAllMocks();
  history.replaceState(null, '', '/');
});

describe('previewTokens', () => {
  it('reads the experiment from the token’s sub claim (base64url) and keeps it for the tab', () => {
    const token = fakePreviewToken(EXP);
    expect(token.split('.')[1]).toMatch(/[-_]/);
    history.replaceState(null, '', link(token));
    expect(previewTokens()).toEqual({ [EXP]: token });
    expect(stored('sessionStorage', PREVIEW_KEY)).toEqual({ [EXP]: token });
    history.replaceState(null, '', '/next');
    expect(previewTokens()).toEqual({ [EXP]: token });
  });

  it('adds a second experiment’s token, replaces a token of the same experiment, and clears all on "off"', () => {
    const first = fakePreviewToken(EXP, 'c1');
    const second = fakePreviewToken(EXP, 'c2');
    const other = fakePreviewToken(OTHER);
    for (const token of [first, other, second]) {
      history.replaceState(null, '', link(token));
      previewTokens();
    }
    expect(stored('sessionStorage', PREVIEW_KEY)).toEqual({ [EXP]: second, [OTHER]: other });
    history.replaceState(null, '', '/?' + PREVIEW_KEY + '=off');
    expect(previewTokens()).toEqual({});
    history.replaceState(null, '', '/');
    expect(previewTokens()).toEqual({});
  });

  it('ignores a parameter that is not a token, and storage that is not JSON, without throwing', () => {
    for (const junk of ['abc', 'a.b.c', 'a.%%%.c', '..', 'x.' + btoa('[1,2]') + '.y']) {
      sessionStorage.clear();
      history.replaceState(null, '', '/?' + PREVIEW_KEY + '=' + encodeURIComponent(junk));
      expect(() => previewTokens()).not.toThrow();
      // A payload without `sub` (the array) files its token under "undefined", which names no experiment.
      expect(Object.keys(previewTokens()).filter((k) => k !== 'undefined')).toEqual([]);
    }
    sessionStorage.setItem(PREVIEW_KEY, '{not json');
    history.replaceState(null, '', '/');
    expect(previewTokens()).toEqual({});
  });
});

describe('run and convert while previewing', () => {
  it('asks /tracker/preview with the token, applies its variants and remembers nothing', async () => {
    const token = fakePreviewToken(EXP);
    const samplit = page(link(token));
    const answer = await samplit.run(EXP);
    expect(tracker.calls).toEqual([
      expect.objectContaining({ path: '/api/v1/tracker/preview', body: { token } }),
    ]);
    expect(answer).toMatchObject({
      experiment_id: EXP,
      eligible: false,
      reason: 'preview',
      combination_id: 'c2',
    });
    expect($('#headline').textContent).toBe('Previewed headline');
    expect(samplit.getAssignment(EXP)).toEqual(answer);
    // Neither the session's assignments nor the remembered experiments know of it.
    expect(stored('sessionStorage', 'samplit_assignments')).toBeNull();
    expect(stored('localStorage', 'samplit_experiments')).toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });

  it('sends no conversion for the previewed experiment, called or declarative', async () => {
    const samplit = page(link(fakePreviewToken(EXP)));
    await samplit.run(EXP);
    expect(await samplit.convert(EXP, 'purchase', 10)).toBe('preview');
    $('#buy').click();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tracker.calledPaths()).toEqual(['/api/v1/tracker/preview']);
    expect(stored('localStorage', 'samplit_queue') ?? []).toEqual([]);
  });

  it('keeps previewing on the tab’s next pages, while other experiments are assigned as usual', async () => {
    const token = fakePreviewToken(EXP);
    await page(link(token)).run(EXP);
    const next = page('/checkout');
    await next.run([EXP, OTHER]);
    expect(tracker.calls.map((c) => c.path)).toEqual([
      '/api/v1/tracker/preview',
      '/api/v1/tracker/preview',
      '/api/v1/tracker/assign',
    ]);
    expect(tracker.calls[1].body).toEqual({ token });
    expect(next.getAssignment(OTHER)).toMatchObject({ eligible: true });
    expect(await next.convert(OTHER, 'purchase')).toBe('sent');
  });

  it('shows the preview to a visitor already enrolled, and their own variant again after "off"', async () => {
    const enrolled = page('/');
    await enrolled.run(EXP);
    expect($('#headline').textContent).toBe('Assigned headline');
    const previewing = page(link(fakePreviewToken(EXP)));
    expect(previewing.getAssignment(EXP)).toBeUndefined();
    await previewing.run(EXP);
    expect($('#headline').textContent).toBe('Previewed headline');
    // The assignment the session holds is untouched, and back in use once the preview is off.
    const off = page('/?' + PREVIEW_KEY + '=off');
    await off.run(EXP);
    expect($('#headline').textContent).toBe('Assigned headline');
    expect(tracker.calledPaths()).toEqual(['/api/v1/tracker/assign', '/api/v1/tracker/preview']);
    expect(await off.convert(EXP)).toBe('sent');
  });

  it('redirects for a split-URL variant, the token riding along in the query', async () => {
    const replace = vi.spyOn(location, 'replace').mockImplementation(() => {});
    const token = fakePreviewToken(EXP);
    tracker.previewVariants = [variant(null, { redirect_url: '/pricing-b' })];
    await page(link(token)).run(EXP);
    const target = new URL(replace.mock.calls[0][0] as string);
    expect(target.pathname).toBe('/pricing-b');
    expect(target.searchParams.get(PREVIEW_KEY)).toBe(token);
    expect(target.searchParams.get('utm_source')).toBe('qa');
  });

  it('shows the original page with one warning when the server refuses the token', async () => {
    tracker.failWith = 401;
    const samplit = page(link(fakePreviewToken(EXP)));
    expect(await samplit.run(EXP)).toMatchObject({ reason: 'error', variants: [] });
    expect($('#headline').textContent).toBe('Original headline');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('HTTP 401');
  });
});
