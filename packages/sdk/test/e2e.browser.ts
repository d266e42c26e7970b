/**
 * End-to-end tests of the SDK in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core), against a running Samplit and the demo site (packages/sdk/demo) served locally
 * under a strict Content-Security-Policy.
 *
 * Samplit: SAMPLIT_URL if set; otherwise `samplit serve` on the embedded database is started here.
 * (SAMPLIT_E2E_FAKE=1 uses test/fake-samplit.ts instead, to check the SDK alone.)
 * Run: npm run test:e2e -w @samplit/sdk    (Chromium: apt-get install -y chromium)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { type DemoSite, startDemoSite } from './demo-server.js';
import { startFakeSamplit } from './fake-samplit.js';
import {
  CUSTOM_JS_TEXT,
  createDemoExperiments,
  ORIGINAL_HEADLINE,
  SamplitApi,
  VARIANT_HEADLINE,
} from './samplit-api.js';

const SDK_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** A port nothing listens on: "Samplit is down". */
const DEAD_API = 'http://127.0.0.1:9';

let samplit: { url: string; close(): Promise<void> };
let site: DemoSite;
let api: SamplitApi;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, [SDK_ROOT + 'scripts/build.mjs'], { stdio: 'inherit' });
  samplit = await startSamplit();
  site = await startDemoSite({ api: samplit.url, headlineExperiment: '', splitExperiment: '' });
  api = await SamplitApi.signUp(samplit.url);
  Object.assign(site.config, await createDemoExperiments(api, site.url));
  browser = await launchChromium();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await site?.close();
  await samplit?.close();
});

describe('browser SDK end to end', () => {
  it('shows the variant at first paint, with no flash of the original, under a strict CSP', async () => {
    const visitor = await api.visitorIn(site.config.headlineExperiment, 'B');
    const { page, errors, samplitWarnings } = await settled(await visit('/index.html', visitor));
    await expectHeadline(page, VARIANT_HEADLINE);
    const log = await recorded(page);
    expect(log.frames.some((f) => f.visible && f.text === VARIANT_HEADLINE)).toBe(true);
    expect(log.frames.filter((f) => f.visible && f.text !== VARIANT_HEADLINE)).toEqual([]);
    // The variant's page CSS applied too.
    expect(await page.$eval('#cta', (el) => getComputedStyle(el).backgroundColor)).toBe('rgb(21, 128, 61)');
    expect(log.violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(samplitWarnings).toEqual([]);
  });

  it('never shows new visitors anything but their own variant', async () => {
    const seen = new Set<string>();
    // At least 6 fresh visitors, and on until both arms showed up (50/50 fixed split: 20 visits
    // all in one arm has probability 2^-19).
    for (let i = 0; i < 20 && (i < 6 || seen.size < 2); i++) {
      const { page, errors, samplitWarnings } = await visit('/index.html');
      const assignment = await waitForAssignment(page);
      // An answer later than the 1 s timeout is kept for the next page, not applied to this one.
      const late = samplitWarnings.some(isLate);
      const expected = assignment.variants[0].is_control || late ? ORIGINAL_HEADLINE : VARIANT_HEADLINE;
      await expectHeadline(page, expected);
      const log = await recorded(page);
      expect(log.frames.filter((f) => f.visible && f.text !== expected)).toEqual([]);
      expect(errors).toEqual([]);
      seen.add(expected);
    }
    expect(seen.size).toBe(2);
  });

  it('gives the same visitor the same variant after a reload and in a new tab', async () => {
    const { context, page } = await visit('/index.html');
    const first = await waitForAssignment(page);
    const text = await page.textContent('#headline');
    await page.reload();
    await expectHeadline(page, text!);
    // A new tab has no session cache: the server is asked again and must give the same answer.
    const tab = await context.newPage();
    const answer = tab.waitForResponse((r) => r.url().endsWith('/api/v1/tracker/assign'));
    await tab.goto(site.url + '/index.html');
    const second = await (await answer).json();
    expect(second).toMatchObject({ browser_id: first.browser_id, new_assignment: false });
    expect(second.variants[0].variant_id).toBe(first.variants[0].variant_id);
    await expectHeadline(tab, text!);
  });

  it('counts a conversion fired by a click on an outbound link', async () => {
    const experiment = site.config.headlineExperiment;
    const visitor = await api.visitorIn(experiment, 'B');
    const { context, page } = await settled(await visit('/index.html', visitor));
    await expectHeadline(page, VARIANT_HEADLINE);
    const sent = new Promise<void>((resolve) => {
      context.on('requestfinished', (r) => r.url().endsWith('/tracker/convert') && resolve());
      context.on('requestfailed', (r) => r.url().endsWith('/tracker/convert') && resolve());
    });
    await page.click('#outbound');
    await page.waitForURL(site.outboundUrl);
    await Promise.race([sent, sleep(3000)]);
    await sleep(200);
    // The SDK's conversion was counted: a repeat is not, while a new goal of the same (assigned)
    // visitor still is.
    expect(await api.convert(experiment, visitor, 'outbound')).toEqual({ counted: false });
    expect(await api.convert(experiment, visitor, 'e2e-probe')).toEqual({ counted: true });
    // Back on the site: delivered, so nothing is left to retry.
    await page.goto(site.url + '/index.html');
    const stored = await page.evaluate(() => [
      localStorage.getItem('samplit_queue'),
      localStorage.getItem('samplit_sent'),
    ]);
    expect(stored[0]).not.toContain('outbound');
    expect(stored[1]).toContain(`${visitor}|${experiment}|outbound`);
  });

  it('shows the original page, with no page error, when Samplit is down', async () => {
    const { page, errors, samplitWarnings } = await visit(
      '/index.html?samplit_api=' + encodeURIComponent(DEAD_API),
    );
    await expectHeadline(page, ORIGINAL_HEADLINE);
    expect(await shownAfter(page)).toBeLessThan(2500);
    await page.click('#cta'); // a conversion while down must not throw either
    await page.waitForURL(/signup\.html/);
    expect(errors).toEqual([]);
    expect(samplitWarnings.length).toBeLessThanOrEqual(1);
  });

  it('shows the original page after the timeout when Samplit is slow, and keeps it', async () => {
    const { page, errors, samplitWarnings } = await visit(
      '/index.html?samplit_api=' + encodeURIComponent(site.url + '/slow-api'),
    );
    await expectHeadline(page, ORIGINAL_HEADLINE);
    const shown = await shownAfter(page);
    expect(shown).toBeGreaterThanOrEqual(900); // hidden while waiting…
    expect(shown).toBeLessThan(2500); // …for the 1 s timeout, not for the server's 3 s
    await sleep(3000);
    expect(await page.textContent('#headline')).toBe(ORIGINAL_HEADLINE);
    expect(errors).toEqual([]);
    expect(samplitWarnings).toHaveLength(1);
  });

  it('applies the variant to elements a single-page app renders after a route change', async () => {
    const visitor = await api.visitorIn(site.config.headlineExperiment, 'B');
    const { page, errors } = await settled(await visit('/spa.html', visitor));
    expect(await page.$('#headline')).toBeNull();
    await page.click('#nav-pricing');
    await expectHeadline(page, VARIANT_HEADLINE);
    const log = await recorded(page);
    expect(log.frames.filter((f) => f.visible && f.text !== VARIANT_HEADLINE)).toEqual([]);
    expect(log.violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('redirects split-URL visitors before paint, keeping query string and hash', async () => {
    const visitor = await api.visitorIn(site.config.splitExperiment, 'Yearly');
    const { page, errors, samplitWarnings } = await visit('/split.html?utm_source=e2e&id=7#details', visitor);
    await page.waitForURL(/split-b\.html/, { timeout: 5000 }).catch(async () => {
      if (!samplitWarnings.some(isLate)) throw new Error('no redirect');
      await page.reload();
      await page.waitForURL(/split-b\.html/);
    });
    expect(page.url()).toBe(site.url + '/split-b.html?utm_source=e2e&id=7#details');
    await sleep(500); // the variant page does not redirect again
    expect(page.url()).toBe(site.url + '/split-b.html?utm_source=e2e&id=7#details');
    expect(await page.textContent('#pricing-title')).toBe('Pricing (variant page)');
    expect(errors).toEqual([]);

    const control = await api.visitorIn(site.config.splitExperiment, 'Control');
    const stay = await settled(await visit('/split.html?utm_source=e2e', control));
    await stay.page.waitForFunction(() => getComputedStyle(document.documentElement).opacity === '1');
    expect(stay.page.url()).toBe(site.url + '/split.html?utm_source=e2e');
  });

  it("runs a variant's custom JavaScript under a strict CSP only with the page's nonce", async () => {
    const visitor = await api.visitorIn(site.config.customJsExperiment!, 'Scripted');
    const allowed = await settled(await visit('/custom-js.html', visitor));
    await allowed.page.waitForFunction(
      (text) => document.getElementById('js-target')?.textContent === text,
      CUSTOM_JS_TEXT,
    );
    expect((await recorded(allowed.page)).violations).toEqual([]);
    expect(allowed.errors).toEqual([]);

    // Without the nonce the browser refuses the inline script: the original stays, nothing throws.
    const blocked = await settled(await visit('/custom-js.html?nonce=off', visitor));
    await blocked.page.waitForFunction(
      () => (window as unknown as { __e2e: Recorded }).__e2e.violations.length > 0,
    );
    expect(await blocked.page.textContent('#js-target')).toBe('Original content');
    expect((await recorded(blocked.page)).violations).toEqual([expect.stringMatching(/^script-src/)]);
    expect(blocked.errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
  });

  // The fake server (SAMPLIT_E2E_FAKE=1) has no preview links: this one needs the real server.
  it.skipIf(process.env.SAMPLIT_E2E_FAKE === '1')(
    'shows variant B through its preview link, enrolling and counting no one',
    async () => {
      const experiment = await api.startExperiment({
        name: 'Demo: preview link',
        type: 'ab_test',
        traffic_allocation: 'fixed',
        selector: '#headline',
        goals: ['signup'],
        variants: [
          { name: 'Control', content: { text: ORIGINAL_HEADLINE } },
          { name: 'B', content: { text: VARIANT_HEADLINE, css: '#cta { background: #15803d !important; }' } },
        ],
      });
      // The page the experiment runs on (the demo site picks its experiment from the query).
      await api.patch(`/api/v1/experiments/${experiment.id}`, {
        url: `${site.url}/index.html?samplit_experiment=${experiment.id}`,
      });
      const { items } = await api.get<{ items: Array<{ label: string; url: string }> }>(
        `/api/v1/experiments/${experiment.id}/preview-links`,
      );
      const b = items.find((i) => i.label === 'B')!;
      expect(b.url.startsWith(site.url + '/index.html?')).toBe(true);

      const tracker: string[] = [];
      const v = await visit(b.url.slice(site.url.length));
      v.context.on('request', (r) => r.url().includes('/api/v1/tracker/') && tracker.push(r.url()));
      const { page, errors, samplitWarnings } = await settled(v);
      await expectHeadline(page, VARIANT_HEADLINE);
      expect(await page.$eval('#cta', (el) => getComputedStyle(el).backgroundColor)).toBe('rgb(21, 128, 61)');
      expect((await recorded(page)).violations).toEqual([]);
      // The preview is kept for the tab, not as an assignment.
      const storage = await page.evaluate(() => ({
        preview: sessionStorage.getItem('samplit_preview'),
        assignments: sessionStorage.getItem('samplit_assignments'),
        known: localStorage.getItem('samplit_experiments'),
      }));
      expect(JSON.parse(storage.preview!)).toHaveProperty([experiment.id]);
      expect(storage.assignments ?? '').not.toContain(experiment.id);
      expect(storage.known ?? '').not.toContain(experiment.id);

      // The CTA's signup goal fires on the click; for a previewed experiment nothing is sent.
      await page.click('#cta');
      await page.waitForURL(/signup\.html/);
      await sleep(300);
      expect(tracker.filter((u) => !u.endsWith('/tracker/preview'))).toEqual([]);
      expect(errors).toEqual([]);
      expect(samplitWarnings).toEqual([]);

      const stats = await api.get<{ stats: { total_visitors: number; total_conversions: number } }>(
        `/api/v1/experiments/${experiment.id}`,
      );
      expect(stats.stats).toMatchObject({ total_visitors: 0, total_conversions: 0 });
      const csv = await api.text(`/api/v1/experiments/${experiment.id}/export.csv`);
      expect(csv.trim().split('\n')).toHaveLength(1); // the header: no assignment
    },
  );
});

// ---- helpers

interface Recorded {
  /** Each change of the headline's text or visibility, with ms since navigation start. */
  frames: Array<{ text: string; visible: boolean; at: number }>;
  violations: string[];
}

/**
 * Before any page script: log, at every animation frame (just before the browser paints), the
 * headline's text and whether it is visible; and any Content-Security-Policy violation.
 */
function recorder() {
  const log: Recorded = { frames: [], violations: [] };
  (window as unknown as { __e2e: Recorded }).__e2e = log;
  document.addEventListener('securitypolicyviolation', (e) =>
    log.violations.push(e.violatedDirective + ' ' + e.blockedURI),
  );
  const frame = () => {
    const headline = document.getElementById('headline');
    if (headline) {
      const style = getComputedStyle(headline);
      const visible =
        getComputedStyle(document.documentElement).opacity !== '0' &&
        style.visibility !== 'hidden' &&
        style.display !== 'none';
      const text = headline.textContent ?? '';
      const last = log.frames[log.frames.length - 1];
      if (!last || last.text !== text || last.visible !== visible) {
        log.frames.push({ text, visible, at: Math.round(performance.now()) });
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function visit(path: string, visitorId?: string) {
  const context = await browser.newContext();
  contexts.push(context);
  if (visitorId) await context.addCookies([{ name: 'samplit_id', value: visitorId, url: site.url }]);
  await context.addInitScript(recorder);
  const page = await context.newPage();
  const errors: string[] = [];
  const samplitWarnings: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (message) => {
    // Chromium's own "Failed to load resource" lines for a dead server are not the SDK's output.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
    if (message.text().startsWith('[samplit]')) samplitWarnings.push(message.text());
  });
  await page.goto(site.url + path);
  return { context, page, errors, samplitWarnings };
}

async function expectHeadline(page: Page, text: string) {
  await page.waitForFunction(
    (expected) => {
      const el = document.getElementById('headline');
      return el?.textContent === expected && getComputedStyle(el).visibility === 'visible';
    },
    text,
    { timeout: 10_000 },
  );
}

type Visit = Awaited<ReturnType<typeof visit>>;

/** The SDK's warning for an answer later than its timeout. */
const isLate = (warning: string) => warning.includes('no answer within');

/**
 * Waits for the visitor's assignment. An answer later than the SDK's 1 s timeout (a busy CI
 * machine) is kept for the next page instead of changing this one, so reload once to see it applied.
 */
async function settled(v: Visit): Promise<Visit> {
  await waitForAssignment(v.page);
  if (v.samplitWarnings.some(isLate)) {
    v.samplitWarnings.length = 0;
    await v.page.reload();
    await waitForAssignment(v.page);
  }
  return v;
}

async function waitForAssignment(page: Page) {
  const handle = await page.waitForFunction(
    () => {
      const samplit = (window as unknown as { samplit?: { getAssignment(id: string): unknown } }).samplit;
      const id = document.querySelector('script[data-experiments]')?.getAttribute('data-experiments') ?? '';
      return samplit?.getAssignment(id);
    },
    undefined,
    { timeout: 10_000 },
  );
  return (await handle.jsonValue()) as {
    browser_id: string;
    variants: Array<{ variant_id: string; is_control: boolean }>;
  };
}

function recorded(page: Page): Promise<Recorded> {
  return page.evaluate(() => (window as unknown as { __e2e: Recorded }).__e2e);
}

/** ms from navigation start to the first frame with the headline visible. */
async function shownAfter(page: Page): Promise<number> {
  const { frames } = await recorded(page);
  return frames.find((f) => f.visible)?.at ?? Number.POSITIVE_INFINITY;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SAMPLIT_URL, the fake (SAMPLIT_E2E_FAKE=1), or `samplit serve` on a throwaway embedded database. */
async function startSamplit(): Promise<{ url: string; close(): Promise<void> }> {
  if (process.env.SAMPLIT_URL) return { url: process.env.SAMPLIT_URL, close: async () => {} };
  if (process.env.SAMPLIT_E2E_FAKE === '1') return startFakeSamplit();
  // Below Linux's ephemeral range (32768–60999), where outgoing connections take their local
  // ports: a port there can be in use by any client socket of the machine.
  const port = 20_000 + Math.floor(Math.random() * 12_000);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/server/src/cli.ts', 'serve'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SAMPLIT_DATA_DIR: 'memory://',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error('samplit serve exited with ' + child.exitCode);
    if (
      await fetch(url + '/health').then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return {
        url,
        close: async () => {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
        },
      };
    }
    await sleep(500);
  }
  child.kill('SIGKILL');
  throw new Error('samplit serve did not become healthy on ' + url);
}
