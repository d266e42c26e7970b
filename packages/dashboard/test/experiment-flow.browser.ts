// The dashboard end to end, the way a person runs the seed's multi-element scenario: sign up,
// create a 3 × 3 adaptive experiment in the form with its goal, start it, let simulated visitors with hidden
// true rates through the public tracker, watch the page find the winner without a reload, and
// complete it; then a form error shown next to its field, and another user's experiment URL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type App,
  axeCheck,
  newEmail,
  openPage,
  screenshot,
  seeded,
  signUpInBrowser,
  startApp,
  type TestPage,
  tokenInPage,
} from './e2e-helpers.js';

const CTA = ['CTA-A', 'CTA-B', 'CTA-C'];
const COPY = ['Copy-X', 'Copy-Y', 'Copy-Z'];
/** The hidden truth: CTA-B shines only together with Copy-Y (exaggerated so a few thousand visitors decide). */
const rateOf = (cta: string, copy: string) => (cta === 'CTA-B' && copy === 'Copy-Y' ? 0.3 : 0.05);
const VISITORS = 3000;

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/** The goal the experiment declares, and the one its visitors' conversions name. */
const GOAL = 'signup';

/** Visitors through the public tracker, converting with the hidden rate of what they were shown. */
async function traffic(experimentId: string, visitors: number, random: () => number) {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${app.url}/api/v1/tracker/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ eligible: boolean; variants: { variant_name: string }[] }>;
  };
  const one = async () => {
    const browser_id = `flow-${randomUUID()}`;
    const answer = await post('assign', { experiment_id: experimentId, browser_id });
    const [cta, copy] = answer.variants.map((v) => v.variant_name);
    if (answer.eligible && random() < rateOf(cta, copy)) {
      await post('convert', { experiment_id: experimentId, browser_id, goal: GOAL });
    }
  };
  for (let done = 0; done < visitors; done += 16) {
    await Promise.all(Array.from({ length: Math.min(16, visitors - done) }, one));
  }
}

describe('the seed scenario, in the browser', () => {
  let tab: TestPage;
  let experimentId: string;
  beforeAll(async () => {
    tab = await openPage(app);
  });
  afterAll(() => tab?.close());

  it('creates a 3 × 3 adaptive multi-element experiment through the form', async () => {
    const { page } = tab;
    await signUpInBrowser(page);
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Hero test');
    await page.getByLabel('Multi-element test', { exact: true }).check();
    for (const [e, name, selector, variants] of [
      [1, 'CTA Button', '#cta', CTA],
      [2, 'Hero Copy', 'h1', COPY],
    ] as const) {
      await page.getByLabel(`Element ${e} Name`, { exact: true }).fill(name);
      await page.getByLabel(`Element ${e} CSS selector`, { exact: true }).fill(selector);
      while (
        (await page.getByLabel(`Element ${e}, variant ${variants.length} Name`, { exact: true }).count()) ===
        0
      ) {
        await page.getByRole('button', { name: `Add variant to element ${e}`, exact: true }).click();
      }
      for (let v = 0; v < variants.length; v++) {
        await page.getByLabel(`Element ${e}, variant ${v + 1} Name`, { exact: true }).fill(variants[v]);
      }
    }
    await expect
      .poll(() => page.locator('.combination-count').textContent())
      .toContain('3 × 3 = 9 combinations');
    await page.getByLabel('Adaptive', { exact: true }).check();
    await page.getByLabel('Goal 1 Key', { exact: true }).fill(GOAL);
    expect(await page.getByLabel('Goal 1 Role', { exact: true }).inputValue()).toBe('primary');
    await axeCheck(page);
    await screenshot(page, 'flow-create');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
    experimentId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Hero test', level: 1 }).waitFor();
    expect(tab.errors).toEqual([]);
  });

  it('starts it, and the page finds the winner as visitors arrive, without a reload', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    // A marker in this document: a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { __samplitFlow: number }).__samplitFlow = 1;
    });
    const started = performance.now();
    await traffic(experimentId, VISITORS, seeded(7));
    const trafficSeconds = (performance.now() - started) / 1000;
    // The page shows every visitor sent (counters are flushed and polled every few seconds).
    const counted = async () =>
      Number(
        (
          /primary goal “signup”: ([\d,]+) visitors/.exec(
            (await page.locator('main').textContent()) ?? '',
          )?.[1] ?? '0'
        ).replaceAll(',', ''),
      );
    await expect.poll(counted, { timeout: 30_000 }).toBe(VISITORS);
    expect(await page.locator('main').textContent()).toMatch(/CTA-B × Copy-Y (wins|leads)/);
    expect(await page.locator('main').textContent()).toContain(`Decided on the primary goal “${GOAL}”`);
    // No horizon: the anytime-valid test, in the words of its guarantee.
    expect(await page.locator('main').textContent()).toContain(
      'The chance of ever declaring a winner that is not the best is at most 5%, however often this page refreshes.',
    );
    expect(await page.locator('main').textContent()).not.toMatch(/1 in 30/);
    // The uplift with its interval and its bar; the element variants as balanced main effects.
    const combos = page.getByRole('table', { name: `Results per combination on ${GOAL}` });
    await combos.getByRole('columnheader', { name: 'Uplift (95% interval)' }).waitFor();
    const winnerRow = combos.getByRole('row').filter({ hasText: 'CTA-B × Copy-Y' });
    expect(await winnerRow.textContent()).toMatch(/[+−]\d+(\.\d)?% \[[+−]?\d+(\.\d)?%, [+−]?\d+(\.\d)?%\]/);
    expect(await winnerRow.getByRole('img', { name: /^95% credible interval of the uplift / }).count()).toBe(
      1,
    );
    await page.getByRole('heading', { name: 'Element variants: balanced main effect' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('does not declare');
    expect(await page.evaluate(() => (window as unknown as { __samplitFlow?: number }).__samplitFlow)).toBe(
      1,
    );
    // The heat map marks the leader's cell, and the charts are drawn.
    await expect.poll(() => page.locator('.heat-map').textContent()).toContain('leader');
    await expect.poll(() => page.locator('.uplot').count(), { timeout: 40_000 }).toBeGreaterThanOrEqual(3);
    await axeCheck(page);
    await screenshot(page, 'flow-experiment');
    console.log(
      `experiment-flow: ${VISITORS} visitors through the tracker in ${trafficSeconds.toFixed(1)} s`,
    );
    expect(tab.errors).toEqual([]);
  });

  it('completes it with the winner, which the tracker then serves to everyone', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Complete…' }).click();
    const dialog = page.getByRole('dialog');
    await expect
      .poll(() =>
        dialog
          .getByRole('combobox')
          .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? ''),
      )
      .toContain('CTA-B × Copy-Y');
    await dialog.getByRole('button', { name: 'Complete and serve this combination' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Completed');
    const res = await fetch(`${app.url}/api/v1/tracker/assign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_id: experimentId, browser_id: `after-${randomUUID()}` }),
    });
    const answer = (await res.json()) as { variants: { variant_name: string }[] };
    expect(answer.variants.map((v) => v.variant_name)).toEqual(['CTA-B', 'Copy-Y']);
    await screenshot(page, 'flow-completed', [1280]);
  });

  it('shows the API’s message next to the field it names', async () => {
    const { page } = tab;
    await page.goto('/experiments/new');
    await page.getByLabel('Name', { exact: true }).fill('Bad redirect');
    await page.getByLabel('A/B test', { exact: true }).check();
    await page.getByLabel('Fixed weights', { exact: true }).check();
    await page.getByRole('button', { name: 'Edit content of Variant 2', exact: true }).click();
    await page.getByLabel('Variant 2 Redirect URL', { exact: true }).fill('ftp://not-a-page');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    const message = page.locator('#variant-0-1-redirect_url-error');
    await expect.poll(() => message.textContent()).toMatch(/https\?/);
    expect(page.url()).toMatch(/\/experiments\/new$/);
    await screenshot(page, 'flow-field-error', [1280]);
  });

  it('another user opening the experiment’s URL sees "not found"', async () => {
    const other = await openPage(app);
    try {
      await signUpInBrowser(other.page, newEmail('other'));
      expect(await tokenInPage(other.page)).not.toBeNull();
      await other.page.goto(`/experiments/${experimentId}`);
      await other.page.getByRole('heading', { name: 'Experiment not found' }).waitFor();
      expect(await other.page.locator('main').textContent()).not.toContain('Hero test');
    } finally {
      await other.close();
    }
  });
});
