// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Samplit, type SamplitOptions } from './client.js';
import { FakeTracker, variant } from './fake-tracker.js';
import { ID_KEY } from './identity.js';
import { resetWarning } from './warn.js';

const API = 'https://samplit.test';
const EXP = '6f1d2c3e-0000-4000-8000-000000000001';
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const $ = (selector: string) => document.querySelector(selector) as HTMLElement;
const sheetsText = () =>
  document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n');

let tracker: FakeTracker;
let clients: Samplit[] = [];
let warn: ReturnType<typeof vi.spyOn>;
/** A new page load of the demo page, with its own Samplit client. */
const page = (options: Partial<SamplitOptions> = {}) => {
  const client = new Samplit({ apiBase: API + '/', fetch: tracker.fetch, goals: false, ...options });
  clients.push(client);
  return client;
};

beforeEach(() => {
  document.body.innerHTML = '<h1 id="headline">Original headline</h1><a id="cta" href="/signup">Sign up</a>';
  // biome-ignore lint/suspicious/noDocumentCookie: clearing the cookie the way a visitor would
  document.cookie = ID_KEY + '=; path=/; max-age=0';
  localStorage.clear();
  sessionStorage.clear();
  resetWarning();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  tracker = new FakeTracker([variant('#headline', { text: 'Variant headline', payload: { discount: 10 } })]);
});

afterEach(() => {
  for (const client of clients) client.revert();
  clients = [];
  vi.restoreAllMocks();
  vi.useRealTimers();
  document.adoptedStyleSheets = [];
});

describe('run', () => {
  it('assigns the visitor and applies the variant', async () => {
    const samplit = page({ attributes: { plan: 'pro' } });
    const assignment = await samplit.run(EXP);
    expect(assignment).toMatchObject({ experiment_id: EXP, eligible: true, combination_id: 'c1' });
    expect($('#headline').textContent).toBe('Variant headline');
    expect(tracker.calls).toHaveLength(1);
    expect(tracker.calls[0]).toMatchObject({
      path: '/api/v1/tracker/assign',
      contentType: 'text/plain;charset=UTF-8',
      body: {
        experiment_id: EXP,
        browser_id: samplit.browserId,
        context: { url: location.href, user_agent: navigator.userAgent, attributes: { plan: 'pro' } },
      },
    });
    expect(samplit.getPayload(EXP)).toEqual({ discount: 10 });
    expect(warn).not.toHaveBeenCalled();
  });

  it('runs several experiments with one call and one request each', async () => {
    const samplit = page();
    const results = await samplit.run([EXP, 'other-exp']);
    expect(results.map((a) => a.experiment_id)).toEqual([EXP, 'other-exp']);
    expect(tracker.calls).toHaveLength(2);
  });

  it('shares one request between concurrent calls and applies once', async () => {
    const samplit = page();
    await Promise.all([samplit.run(EXP), samplit.run(EXP), samplit.assign(EXP)]);
    expect(tracker.calls).toHaveLength(1);
  });

  it('caches the answer for the session: the next page applies it without a request', async () => {
    await page().run(EXP);
    document.body.innerHTML = '<h1 id="headline">Original headline</h1>';
    const next = page();
    await next.run(EXP);
    expect(tracker.calls).toHaveLength(1);
    expect($('#headline').textContent).toBe('Variant headline');
  });

  it('keeps the same visitor id across pages (cookie + localStorage)', () => {
    const a = page();
    const b = page();
    expect(b.browserId).toBe(a.browserId);
    expect(localStorage.getItem(ID_KEY)).toBe(a.browserId);
  });

  it('uses a site-provided visitor id, and identify() switches it', async () => {
    const samplit = page({ browserId: 'user-42' });
    await samplit.run(EXP);
    expect(tracker.calls[0].body.browser_id).toBe('user-42');
    samplit.identify('user-43');
    await samplit.assign(EXP);
    expect(tracker.calls[1].body.browser_id).toBe('user-43');
  });

  it('applies what the server returns for a visitor who is not enrolled (the control)', async () => {
    tracker.eligible = false;
    tracker.variants = [{ ...variant('#headline', { text: 'Control headline' }), is_control: true }];
    const assignment = await page().run(EXP);
    expect(assignment.eligible).toBe(false);
    expect($('#headline').textContent).toBe('Control headline');
    // Not cached: targeting may depend on the page, so the next page asks again.
    await page().run(EXP);
    expect(tracker.calls).toHaveLength(2);
  });

  it('restores the original page with revert()', async () => {
    const samplit = page();
    await samplit.run(EXP);
    samplit.revert(EXP);
    expect($('#headline').textContent).toBe('Original headline');
  });
});

describe('when the server fails', () => {
  it.each([
    ['returns 500', 500],
    ['returns 404', 404],
    ['is down', 0],
  ])('shows the original page when the server %s, with one warning', async (_, status) => {
    tracker.failWith = status;
    const samplit = page({ antiFlicker: 'page' });
    const [a, b] = await samplit.run([EXP, 'other-exp']);
    expect(a).toEqual({
      experiment_id: EXP,
      browser_id: samplit.browserId,
      eligible: false,
      reason: 'error',
      variants: [],
    });
    expect(b.reason).toBe('error');
    expect($('#headline').textContent).toBe('Original headline');
    expect(sheetsText()).toBe('');
    await samplit.convert(EXP);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^\[samplit\] assign/);
  });

  it('shows the original page when the answer is slower than the timeout, and uses it on the next page', async () => {
    tracker.delay = 100;
    const samplit = page({ timeout: 20, antiFlicker: 'page' });
    const started = Date.now();
    const assignment = await samplit.run(EXP);
    expect(Date.now() - started).toBeLessThan(90);
    expect(assignment.reason).toBe('error');
    expect(sheetsText()).toBe('');
    await tick(120);
    expect($('#headline').textContent).toBe('Original headline');
    await page().run(EXP);
    expect(tracker.calls).toHaveLength(1);
    expect($('#headline').textContent).toBe('Variant headline');
  });

  it('never throws into the page, whatever the fetch implementation does', async () => {
    const samplit = page({
      fetch: () => {
        throw new Error('sync failure');
      },
    });
    await expect(samplit.run(EXP)).resolves.toMatchObject({ reason: 'error' });
    await expect(samplit.convert(EXP)).resolves.toBe('queued');
    expect(() => samplit.revert()).not.toThrow();
  });

  it('answers malformed 200 responses with the control', async () => {
    const samplit = page({ fetch: async () => new Response('<html>proxy error</html>', { status: 200 }) });
    await expect(samplit.run(EXP)).resolves.toMatchObject({ reason: 'error' });
  });
});

describe('anti-flicker', () => {
  it('hides the page until the variant is applied', async () => {
    tracker.delay = 30;
    const run = page({ antiFlicker: 'page' }).run(EXP);
    expect(sheetsText()).toContain('opacity: 0 !important');
    await run;
    expect(sheetsText()).toBe('');
    expect($('#headline').textContent).toBe('Variant headline');
  });

  it('hides only the given elements', async () => {
    tracker.delay = 30;
    const run = page({ antiFlicker: ['#headline', '#(invalid'] }).run(EXP);
    expect(sheetsText()).toMatch(/#headline\s*\{\s*visibility: hidden !important/);
    expect(sheetsText()).not.toContain('opacity');
    await run;
    expect(sheetsText()).toBe('');
  });

  it('in auto mode hides the page on a first visit, then only the elements it learnt', async () => {
    tracker.delay = 30;
    const first = page({ antiFlicker: true }).run(EXP);
    expect(sheetsText()).toContain('opacity');
    await first;
    sessionStorage.clear(); // a new session: the answer is not cached any more
    const second = page({ antiFlicker: true }).run(EXP);
    expect(sheetsText()).toMatch(/#headline\s*\{\s*visibility: hidden/);
    expect(sheetsText()).not.toContain('opacity');
    await second;
  });

  it('hides nothing when the answer is cached', async () => {
    await page().run(EXP);
    page({ antiFlicker: 'page' }).run(EXP);
    expect(sheetsText()).toBe('');
  });

  it('shows the page after the timeout even if the server never answers', async () => {
    vi.useFakeTimers();
    page({ antiFlicker: 'page', timeout: 500, fetch: () => new Promise<Response>(() => {}) }).run(EXP);
    expect(sheetsText()).toContain('opacity');
    await vi.advanceTimersByTimeAsync(500);
    expect(sheetsText()).toBe('');
  });
});

describe('split-URL redirect', () => {
  it('redirects before showing the page, keeping query and hash', async () => {
    const replace = vi.spyOn(location, 'replace').mockImplementation(() => {});
    history.replaceState(null, '', '/landing?utm_source=ad#pricing');
    tracker.variants = [variant(null, { redirect_url: '/landing-b' })];
    await page({ antiFlicker: 'page' }).run(EXP);
    expect(replace).toHaveBeenCalledWith(location.origin + '/landing-b?utm_source=ad#pricing');
    expect(sheetsText()).toContain('opacity'); // kept hidden while the variant page loads
  });

  it('does not redirect from the variant page to itself', async () => {
    const replace = vi.spyOn(location, 'replace').mockImplementation(() => {});
    history.replaceState(null, '', '/landing-b?utm_source=ad');
    tracker.variants = [variant(null, { redirect_url: '/landing-b' })];
    await page().run(EXP);
    expect(replace).not.toHaveBeenCalled();
  });
});

describe('convert', () => {
  it('reports a conversion once per visitor, experiment and goal', async () => {
    const samplit = page();
    await samplit.run(EXP);
    expect(await samplit.convert(EXP, 'signup', 12.5)).toBe('sent');
    expect(await samplit.convert(EXP, 'signup')).toBe('duplicate');
    expect(await page().convert(EXP, 'signup')).toBe('duplicate');
    expect(await samplit.convert(EXP)).toBe('sent');
    const converts = tracker.calls.filter((c) => c.path.endsWith('/convert'));
    expect(converts.map((c) => c.body)).toEqual([
      { experiment_id: EXP, browser_id: samplit.browserId, goal: 'signup', value: 12.5 },
      { experiment_id: EXP, browser_id: samplit.browserId, goal: 'conversion' },
    ]);
    expect(converts.every((c) => c.keepalive)).toBe(true);
  });

  it('reports each event id once, so a revenue goal gets every order', async () => {
    const samplit = page();
    await samplit.run(EXP);
    expect(await samplit.convert(EXP, 'purchase', 30, 'order-1')).toBe('sent');
    expect(await samplit.convert(EXP, 'purchase', 12.5, 'order-2')).toBe('sent');
    expect(await page().convert(EXP, 'purchase', 30, 'order-1')).toBe('duplicate');
    const values = tracker.calls.filter((c) => c.path.endsWith('/convert')).map((c) => c.body.value);
    expect(values).toEqual([30, 12.5]);
  });

  it('waits for the assignment in flight before converting', async () => {
    tracker.delay = 20;
    const samplit = page();
    void samplit.run(EXP);
    await samplit.convert(EXP, 'signup');
    expect(tracker.calledPaths()).toEqual(['/api/v1/tracker/assign', '/api/v1/tracker/convert']);
  });

  it('queues a failed conversion and delivers it on the next page', async () => {
    const samplit = page();
    await samplit.run(EXP);
    tracker.failWith = 503;
    expect(await samplit.convert(EXP, 'signup')).toBe('queued');
    tracker.failWith = null;
    await page().flush();
    const converts = tracker.calls.filter((c) => c.path.endsWith('/convert'));
    expect(converts).toHaveLength(2);
    expect(await page().convert(EXP, 'signup')).toBe('duplicate');
  });
});

describe('declarative goals', () => {
  it('converts a click on a data-samplit-goal element for every experiment the visitor is in', async () => {
    document.body.innerHTML +=
      '<a id="out" href="#" data-samplit-goal="outbound" data-samplit-value="3"><b>Go</b></a>';
    const samplit = page();
    await samplit.run([EXP, 'other-exp']);
    const stop = samplit.goals();
    $('#out b').click();
    await tick(10);
    stop();
    const converts = tracker.calls.filter((c) => c.path.endsWith('/convert')).map((c) => c.body);
    expect(converts).toEqual([
      { experiment_id: EXP, browser_id: samplit.browserId, goal: 'outbound', value: 3 },
      { experiment_id: 'other-exp', browser_id: samplit.browserId, goal: 'outbound', value: 3 },
    ]);
  });

  it('credits experiments the visitor joined on earlier pages, or the listed ones', async () => {
    await page().run(EXP);
    document.body.innerHTML =
      '<button data-samplit-goal="signup">Go</button><i data-samplit-goal="x" data-samplit-experiments="e9">x</i>';
    const samplit = page();
    const stop = samplit.goals();
    $('button').click();
    $('i').click();
    await tick(10);
    stop();
    const converts = tracker.calls.filter((c) => c.path.endsWith('/convert')).map((c) => c.body);
    expect(converts).toMatchObject([
      { experiment_id: EXP, goal: 'signup' },
      { experiment_id: 'e9', goal: 'x' },
    ]);
  });

  it('converts on clicks matching a selector and on visits to a matching URL', async () => {
    const samplit = page();
    await samplit.run(EXP);
    history.replaceState(null, '', '/thank-you?order=1');
    const stop = samplit.goals([
      { goal: 'cta', click: '#cta' },
      { goal: 'thanks', url: '/thank-you' },
      { goal: 'never', url: /checkout/ },
    ]);
    $('#cta').click();
    await tick(10);
    stop();
    const goals = tracker.calls.filter((c) => c.path.endsWith('/convert')).map((c) => c.body.goal);
    expect(goals.sort()).toEqual(['cta', 'thanks']);
  });

  it('converts a form submit on a data-samplit-goal form, not clicks inside it', async () => {
    document.body.innerHTML =
      '<form data-samplit-goal="lead"><input name="e"><button type="button">x</button></form>';
    const samplit = page();
    await samplit.run(EXP);
    const stop = samplit.goals();
    $('button').click();
    $('form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await tick(10);
    stop();
    const goals = tracker.calls.filter((c) => c.path.endsWith('/convert')).map((c) => c.body.goal);
    expect(goals).toEqual(['lead']);
  });
});
