// The visual editor end to end, in real Chromium against the real server (dashboard, API, editor
// app with its proxy and agent) and a local demo site: open the editor from a draft's page, follow
// the app's client-side routes and its links, pick the CTA of a page that re-renders it every
// second (the page's own click handler must not run), change its text and background for variant
// B, save, start, and see variant B on the real page as a fresh visitor with the SDK; a preview
// link shows it without an assignment; a refused address says why; and the seed's CTA × Hero Copy
// test is built by pointing and clicking, with no JSON typed.
import { execFileSync } from 'node:child_process';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from './demo-site.js';
import {
  ApiClient,
  type App,
  axeCheck,
  newEmail,
  openPage,
  screenshot,
  signUpInBrowser,
  startApp,
  type TestPage,
  tokenInPage,
} from './e2e-helpers.js';

let app: App;
let site: DemoSite;

beforeAll(async () => {
  // The agent bundle the editor app serves, and the SDK the demo pages load, as this tree builds them.
  execFileSync('npm', ['run', 'build', '-w', '@samplit/sdk', '--silent'], { stdio: 'inherit' });
  site = await startDemoSite();
  app = await startApp({
    env: {
      // The demo site is on 127.0.0.1 and a high port: an operator's explicit opt-in.
      SAMPLIT_EDITOR_ALLOW_PRIVATE: 'true',
      SAMPLIT_EDITOR_ALLOWED_PORTS: String(site.port),
    },
  });
  site.samplitUrl = app.url;
});
afterAll(async () => {
  await app?.close();
  await site?.close();
});

const B_TEXT = 'Start saving now';
const B_BACKGROUND = 'rgb(214, 40, 40)';

/** The editor's iframe as a Playwright frame (cross-origin: the editor app's origin). */
async function editorFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe[title^="Page being edited"]').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no editor frame');
  return frame;
}

/** Waits until the editor says it is editing `url` (the agent's `ready` or `route`). */
async function editing(page: Page, url: string) {
  await expect.poll(() => page.locator('.ve-status-url').textContent(), { timeout: 20_000 }).toBe(url);
}

const ctaClicks = (frame: Frame) =>
  frame.evaluate(() => (window as unknown as { ctaClicks?: number }).ctaClicks ?? 0);

/** Rows of the experiment's CSV export: one per assigned visitor. */
async function assignedVisitors(page: Page, id: string): Promise<number> {
  const token = await tokenInPage(page);
  const res = await fetch(`${app.url}/api/v1/experiments/${id}/export.csv`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`export.csv → ${res.status}`);
  return (await res.text()).trim().split('\n').length - 1;
}

/** What the SDK on a real page decided for `id`, once it has. */
async function assignment(page: Page, id: string) {
  await page.waitForFunction(
    (experiment) =>
      (window as unknown as { samplit?: { getAssignment?(id: string): unknown } }).samplit?.getAssignment?.(
        experiment,
      ) !== undefined,
    id,
    { timeout: 10_000 },
  );
  return page.evaluate(
    (experiment) =>
      (
        window as unknown as {
          samplit: {
            getAssignment(id: string): {
              eligible: boolean;
              reason?: string;
              variants: { variant_name: string }[];
            };
          };
        }
      ).samplit.getAssignment(experiment),
    id,
  );
}

describe('the visual editor, in the browser', () => {
  let tab: TestPage;
  let api: ApiClient;
  let experimentId: string;

  beforeAll(async () => {
    tab = await openPage(app);
    const email = newEmail('visual');
    await signUpInBrowser(tab.page, email);
    api = await ApiClient.as(app, email);
  });
  afterAll(() => tab?.close());

  it('serves the editor on its own origin, announced by `samplit serve`', () => {
    expect(app.stdout()).toContain(`Visual editor: ${app.editorUrl}/`);
  });

  it('opens a draft’s page in the editor from its experiment page, and follows its routes and links', async () => {
    const { page } = tab;
    const created = await api.createExperiment({
      name: 'Trial button',
      type: 'ab_test',
      url: `${site.url}/app`,
      variants: [{ name: 'Control' }, { name: 'Variant B' }],
    });
    experimentId = created.id;
    site.experiments['/app'] = [experimentId];
    await page.goto(`/experiments/${experimentId}`);
    await page.getByRole('link', { name: 'Visual editor' }).click();
    await page.waitForURL(`**/experiments/${experimentId}/visual`);
    await editing(page, `${site.url}/app`);
    const frame = await editorFrame(page);
    // The frame is the editor origin's document, with the real page's path (the agent replaced it).
    expect(new URL(frame.url()).origin).toBe(app.editorUrl);
    expect(new URL(frame.url()).pathname).toBe('/app');
    await frame.locator('[data-testid=cta]').waitFor();

    // Interact: the app's own pushState route is followed, a plain link is loaded through the proxy.
    await page.getByLabel('Interact', { exact: true }).check();
    await frame.locator('a[data-route]').click();
    await expect
      .poll(() => page.getByLabel('Page URL', { exact: true }).inputValue())
      .toBe(`${site.url}/app/pricing`);
    await frame.getByRole('link', { name: 'Home page' }).click();
    await editing(page, `${site.url}/`);
    await page.getByLabel('Page URL', { exact: true }).fill(`${site.url}/app`);
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await editing(page, `${site.url}/app`);
    await page.getByLabel('Select', { exact: true }).check();
    expect(tab.errors).toEqual([]);
  });

  it('picks the re-rendered CTA without running its handler, and previews variant B on it', async () => {
    const { page } = tab;
    const frame = await editorFrame(page);
    await frame.locator('[data-testid=cta]').click();
    const selector = page.getByLabel('CSS selector', { exact: true });
    await expect.poll(() => selector.inputValue()).toBe('[data-testid="cta"]');
    await page.getByText('Matches 1 element on this page.').first().waitFor();
    expect(await ctaClicks(frame)).toBe(0);
    await page.getByRole('button', { name: 'Use for Main element' }).click();
    await page.getByRole('radio', { name: /^Variant B/ }).check();
    await page.getByLabel('Main element, Variant B Text', { exact: true }).fill(B_TEXT);
    await page.getByRole('button', { name: 'Add style to Main element, Variant B' }).click();
    await page
      .getByLabel('Main element, Variant B style 1 CSS property', { exact: true })
      .fill('background-color');
    await page.getByLabel('Main element, Variant B style 1 Value', { exact: true }).fill(B_BACKGROUND);
    const cta = frame.locator('[data-testid=cta]');
    await expect.poll(() => cta.textContent()).toBe(B_TEXT);
    await expect.poll(() => cta.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(B_BACKGROUND);
    // The app renders the button anew every second; the preview stays (the SDK's mutation layer).
    const renders = await frame.locator('.renders').textContent();
    await expect.poll(() => frame.locator('.renders').textContent()).not.toBe(renders);
    expect(await cta.textContent()).toBe(B_TEXT);
    // The control shows the page as it is.
    await page.getByRole('radio', { name: /^Control/ }).check();
    await expect.poll(() => cta.textContent()).toBe('Start free trial');
    await page.getByRole('radio', { name: /^Variant B/ }).check();
    await expect.poll(() => cta.textContent()).toBe(B_TEXT);
    expect(await ctaClicks(frame)).toBe(0);
    expect(tab.errors).toEqual([]);
  });

  it('saves through the API, and says why an address is refused', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved').waitFor();
    const saved = await api.call<{
      elements: { selector: string | null; variants: { name: string; content: Record<string, unknown> }[] }[];
    }>('GET', `/experiments/${experimentId}`);
    expect(saved.elements[0].selector).toBe('[data-testid="cta"]');
    expect(saved.elements[0].variants[1].content).toEqual({
      text: B_TEXT,
      styles: { 'background-color': B_BACKGROUND },
    });

    // Port 1 is not among the allowed ports: the frame shows the proxy's reason, the page says so.
    await page.getByLabel('Page URL', { exact: true }).fill('http://127.0.0.1:1/');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The page did not open in the editor' });
    await alert.waitFor({ timeout: 20_000 });
    const refused = await editorFrame(page);
    await expect.poll(() => refused.locator('body').textContent()).toContain('EDITOR_TARGET_003');
    await page.getByLabel('Page URL', { exact: true }).fill(`${site.url}/app`);
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await editing(page, `${site.url}/app`);
    // The refusal's own 403, logged by Chromium for the frame, and nothing else.
    expect(tab.errors.length).toBeGreaterThan(0);
    expect(tab.errors.filter((e) => !e.includes('status of 403 (Forbidden)'))).toEqual([]);
    tab.errors.length = 0;
  });

  it('starts it, and a fresh visitor with the SDK who draws variant B sees it on the real page', async () => {
    const { page } = tab;
    await page.getByRole('link', { name: 'Trial button' }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    // Adaptive allocation starts even: fresh visitors until one draws B (19 in a row without it: 2⁻¹⁹).
    const seen: string[] = [];
    for (let visitor = 0; visitor < 20 && !seen.includes('Variant B'); visitor++) {
      const context = await app.browser.newContext();
      const real = await context.newPage();
      await real.goto(`${site.url}/app`);
      const answer = await assignment(real, experimentId);
      expect(answer.eligible).toBe(true);
      const name = answer.variants[0].variant_name;
      seen.push(name);
      const cta = real.locator('[data-testid=cta]');
      if (name === 'Variant B') {
        await expect.poll(() => cta.textContent()).toBe(B_TEXT);
        expect(await cta.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(B_BACKGROUND);
        const renders = await real.locator('.renders').textContent();
        await expect.poll(() => real.locator('.renders').textContent()).not.toBe(renders);
        expect(await cta.textContent()).toBe(B_TEXT);
      } else {
        expect(await cta.textContent()).toBe('Start free trial');
      }
      await context.close();
    }
    expect(seen).toContain('Variant B');
  });

  it('a preview link shows variant B on the real page without creating an assignment', async () => {
    const { page } = tab;
    await page.reload();
    const link = page.getByLabel('Variant B', { exact: true });
    await link.waitFor();
    const url = await link.inputValue();
    expect(url.startsWith(`${site.url}/app?samplit_preview=`)).toBe(true);
    await page.getByRole('button', { name: 'Copy the preview link for Variant B' }).click();
    await page.getByText(/Copied the link for Variant B|the link is selected/).waitFor();
    await screenshot(page, 'preview-links');

    const before = await assignedVisitors(page, experimentId);
    const context = await app.browser.newContext();
    const qa = await context.newPage();
    const calls: string[] = [];
    qa.on('request', (request) => {
      if (request.url().includes('/api/v1/tracker/')) calls.push(new URL(request.url()).pathname);
    });
    await qa.goto(url);
    const answer = await assignment(qa, experimentId);
    expect(answer.reason).toBe('preview');
    await expect.poll(() => qa.locator('[data-testid=cta]').textContent()).toBe(B_TEXT);
    expect(calls).toContain('/api/v1/tracker/preview');
    expect(calls).not.toContain('/api/v1/tracker/assign');
    await context.close();
    // Given the tracker's group commit time to write anything it would have.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await assignedVisitors(page, experimentId)).toBe(before);
  });

  it('builds the seed’s CTA × Hero Copy test by pointing and clicking', async () => {
    const { page } = tab;
    await page.goto('/');
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('CTA × Hero Copy');
    await page.getByLabel('Page URL', { exact: true }).fill(`${site.url}/`);
    await page.getByLabel('Multi-element test', { exact: true }).check();
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() as string;
    await page.getByRole('link', { name: 'Visual editor' }).click();
    await editing(page, `${site.url}/`);
    const frame = await editorFrame(page);

    const variants = async (element: string, names: string[], texts: (string | null)[]) => {
      for (let v = 0; v < names.length; v++) {
        const radio = page
          .getByRole('group', { name: /^Variant of .* to preview and edit$/ })
          .getByRole('radio');
        if ((await radio.count()) <= v)
          await page.getByRole('button', { name: `Add variant to ${element}` }).click();
        await radio.nth(v).check();
        await page.getByLabel('Variant name', { exact: true }).fill(names[v]);
        const text = texts[v];
        if (text) await page.getByLabel(`${element}, ${names[v]} Text`, { exact: true }).fill(text);
      }
    };

    await frame.locator('#cta').click();
    await expect.poll(() => page.getByLabel('CSS selector', { exact: true }).inputValue()).toBe('#cta');
    await page.getByRole('button', { name: 'Use for Element 1' }).click();
    await page.getByLabel('Element name', { exact: true }).fill('CTA Button');
    await variants('CTA Button', ['CTA-A', 'CTA-B', 'CTA-C'], [null, 'Start your free month', 'Try it free']);

    await page.getByRole('radio', { name: /^Element 2/ }).check();
    await frame.locator('h1').click();
    await expect.poll(() => page.getByLabel('CSS selector', { exact: true }).inputValue()).toBe('h1');
    await page.getByRole('button', { name: 'Use for Element 2' }).click();
    await page.getByLabel('Element name', { exact: true }).fill('Hero Copy');
    await variants(
      'Hero Copy',
      ['Copy-X', 'Copy-Y', 'Copy-Z'],
      [null, 'Ship experiments, not guesses', 'Know what works'],
    );

    // The combination shown: CTA-C × Copy-Z, applied by the SDK's code in the page.
    await page.getByText('CTA Button: CTA-C · Hero Copy: Copy-Z').waitFor();
    await expect.poll(() => frame.locator('#cta').textContent()).toBe('Try it free');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Know what works');
    // Two clicks on the page, and its handler (which counts and leaves for /signed-up) never ran.
    expect(await ctaClicks(frame)).toBe(0);
    expect(new URL(frame.url()).pathname).toBe('/');

    await axeCheck(page);
    // The panel from its top: the selection, the elements, then the variant being edited.
    await page.locator('.ve-panel').evaluate((panel) => panel.scrollTo(0, 0));
    await screenshot(page, 'visual-editor');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved').waitFor();
    const saved = await api.call<{
      type: string;
      elements: {
        name: string;
        selector: string;
        variants: { name: string; content: Record<string, unknown> }[];
      }[];
      combinations: unknown[];
    }>('GET', `/experiments/${id}`);
    expect(saved.type).toBe('multi_element');
    expect(saved.elements.map((e) => [e.name, e.selector, e.variants.map((v) => v.name)])).toEqual([
      ['CTA Button', '#cta', ['CTA-A', 'CTA-B', 'CTA-C']],
      ['Hero Copy', 'h1', ['Copy-X', 'Copy-Y', 'Copy-Z']],
    ]);
    expect(saved.elements[1].variants[1].content).toEqual({ text: 'Ship experiments, not guesses' });
    expect(saved.combinations).toHaveLength(9);
    expect(tab.errors).toEqual([]);
  });

  it('keeps a started experiment out of the editor, pointing back', async () => {
    const { page } = tab;
    await page.goto(`/experiments/${experimentId}/visual`);
    await page.getByText(/only change while an experiment is a draft/).waitFor();
    expect(await page.locator('iframe').count()).toBe(0);
    await axeCheck(page);
  });
});
