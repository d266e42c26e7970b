// Goals end to end: an A/B test declared in the form with a primary conversion goal, a revenue goal,
// a guardrail and 1,000 planned visitors (a group-sequential decision); the tracker's visitors sign up, buy with values and ask for refunds, and one
// page names a goal the experiment does not declare. The page shows the revenue figures, warns that
// the winner is likely worse on the guardrail, lists the undeclared goal, and the edit page shows
// the goals as they were declared.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type App,
  axeCheck,
  openPage,
  screenshot,
  seeded,
  signUpInBrowser,
  startApp,
  type TestPage,
} from './e2e-helpers.js';

/** The hidden truth: Green signs up three times as often, but asks for a refund three times as often. */
const TRUTH = {
  Control: { signup: 0.1, refund: 0.05 },
  Green: { signup: 0.3, refund: 0.15 },
} as const;
const VISITORS = 600;
/** The horizon: 600 visitors are 3 of its 5 analyses (at 200, 400, …, 1,000). */
const PLANNED = 1000;

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

async function post(path: string, body: object) {
  const res = await fetch(`${app.url}/api/v1/tracker/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ eligible: boolean; variants: { variant_name: string }[] }>;
}

/**
 * Visitors through the public tracker: each signs up with its variant's rate, and then buys once
 * or twice for 20–60 (the `value` of a `revenue` event); independently it asks for a refund. The
 * first few also send a goal with a typo, which the experiment does not declare.
 */
async function traffic(experimentId: string, visitors: number, random: () => number) {
  let typos = 0;
  const one = async () => {
    const browser_id = `goals-${randomUUID()}`;
    const answer = await post('assign', { experiment_id: experimentId, browser_id });
    const variant = answer.variants[0]?.variant_name as keyof typeof TRUTH;
    const truth = TRUTH[variant];
    if (!answer.eligible || !truth) return;
    const convert = (goal: string, value?: number) =>
      post('convert', {
        experiment_id: experimentId,
        browser_id,
        goal,
        ...(value === undefined ? {} : { value }),
      });
    if (random() < truth.signup) {
      await convert('signup');
      const purchases = random() < 0.5 ? 1 : 2;
      for (let i = 0; i < purchases; i++) await convert('revenue', Math.round(2000 + random() * 4000) / 100);
    }
    if (random() < truth.refund) await convert('refund');
    if (typos < 3) {
      typos += 1;
      await convert('purchse', 10);
    }
  };
  for (let done = 0; done < visitors; done += 16) {
    await Promise.all(Array.from({ length: Math.min(16, visitors - done) }, one));
  }
}

async function fillGoal(page: Page, g: number, key: string, settings: Record<string, string> = {}) {
  await page.getByLabel(`Goal ${g} Key`, { exact: true }).fill(key);
  for (const [label, value] of Object.entries(settings)) {
    await page.getByLabel(`Goal ${g} ${label}`, { exact: true }).selectOption(value);
  }
}

describe('goals, in the browser', () => {
  let tab: TestPage;
  let experimentId: string;
  beforeAll(async () => {
    tab = await openPage(app);
  });
  afterAll(() => tab?.close());

  it('declares a primary goal, a revenue goal and a guardrail in the form', async () => {
    const { page } = tab;
    await signUpInBrowser(page);
    await page.goto('/experiments/new');
    await page.getByLabel('Name', { exact: true }).fill('Checkout button');
    await page.getByLabel('CSS selector', { exact: true }).fill('#buy');
    await page.getByLabel('Variant 2 Name', { exact: true }).fill('Green');
    await page.getByLabel('Fixed weights', { exact: true }).check();
    await page.getByLabel('Planned visitors', { exact: true }).fill(String(PLANNED));
    await fillGoal(page, 1, 'signup');
    await page.getByRole('button', { name: 'Add goal' }).click();
    await fillGoal(page, 2, 'revenue', { Kind: 'revenue' });
    await page.getByRole('button', { name: 'Add goal' }).click();
    // Where the remove button sits before and after the role change: the row does not move.
    const remove = page.getByRole('button', { name: 'Remove goal 3' });
    const before = await remove.boundingBox();
    await fillGoal(page, 3, 'refund', { Direction: 'lower', Role: 'guardrail' });
    expect(await page.getByLabel('Goal 3 Threshold (%)', { exact: true }).inputValue()).toBe('2');
    expect(await remove.boundingBox()).toEqual(before);
    await axeCheck(page);
    await screenshot(page, 'goals-create');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
    experimentId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Checkout button', level: 1 }).waitFor();
    expect(tab.errors).toEqual([]);
  });

  it('shows the revenue figures and warns that the winner is likely worse on the guardrail', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await traffic(experimentId, VISITORS, seeded(11));
    const main = page.locator('main');
    await expect.poll(() => main.textContent(), { timeout: 30_000 }).toContain('Guardrail warning');
    expect(await main.textContent()).toMatch(
      /(Winner|Leader): Green — but guardrail refund is likely worse \(P [=>] [\d.]+ that it is more than 2% worse than control\)/,
    );
    // A horizon: the group-sequential test, its analyses so far and the visitors toward the planned ones.
    expect(await main.textContent()).toContain('Group-sequential test.');
    expect(await main.textContent()).toContain('1,000 planned visitors');
    const progress = page.getByRole('progressbar');
    await expect
      .poll(() => progress.getAttribute('aria-label'), { timeout: 15_000 })
      .toBe('Analysis 3 of 5 done: 600 of 1,000 planned visitors');
    expect(await progress.evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([600, 1000]);
    // The tracker's typo, with a way to fix it.
    await expect.poll(() => main.textContent()).toMatch(/does not declare: purchse \(3 visitors, 3 events\)/);
    expect(await page.getByRole('link', { name: 'Edit the experiment’s goals' }).getAttribute('href')).toBe(
      `/experiments/${experimentId}/edit`,
    );

    const select = page.getByLabel('Results for goal', { exact: true });
    expect(await select.locator('option').allTextContents()).toEqual([
      'signup (primary · conversion)',
      'revenue (secondary · revenue)',
      'refund (guardrail · conversion, lower is better)',
    ]);
    await select.selectOption('revenue');
    const table = page.getByRole('table', { name: 'Results per combination on revenue' });
    await table.getByRole('columnheader', { name: 'Revenue per visitor (95% interval)' }).waitFor();
    // Revenue per visitor and its interval as plain numbers with two decimals.
    const green = table.getByRole('row').filter({ hasText: 'Green' });
    expect(await green.textContent()).toMatch(/\d+\.\d\d\d+\.\d\d–\d+\.\d\d/);
    await page.getByText('Cumulative revenue per visitor').waitFor();
    await expect.poll(() => page.locator('.uplot').count(), { timeout: 40_000 }).toBeGreaterThanOrEqual(2);
    await axeCheck(page);
    await screenshot(page, 'goals-experiment-revenue');

    await select.selectOption('refund');
    await page.getByRole('columnheader', { name: 'P(worse by > 2%)' }).waitFor();
    expect(tab.errors).toEqual([]);
  });

  it('shows the goals as declared on the edit page', async () => {
    const { page } = tab;
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit “Checkout button”' }).waitFor();
    const values = async (g: number) =>
      Promise.all(
        ['Key', 'Kind', 'Direction', 'Role'].map((part) =>
          page.getByLabel(`Goal ${g} ${part}`, { exact: true }).inputValue(),
        ),
      );
    expect(await values(1)).toEqual(['signup', 'conversion', 'higher', 'primary']);
    expect(await values(2)).toEqual(['revenue', 'revenue', 'higher', 'secondary']);
    expect(await values(3)).toEqual(['refund', 'conversion', 'lower', 'guardrail']);
    expect(await page.getByLabel('Goal 3 Threshold (%)', { exact: true }).inputValue()).toBe('2');
    expect(await page.getByLabel('Planned visitors', { exact: true }).inputValue()).toBe(String(PLANNED));
    await page.locator('#exp-goals').scrollIntoViewIfNeeded();
    await axeCheck(page);
    await screenshot(page, 'goals-edit');
    expect(tab.errors).toEqual([]);
    // A key used twice: the API's message lands on the row that repeats it (Chromium logs the 422).
    await page.getByRole('button', { name: 'Add goal' }).click();
    await fillGoal(page, 4, 'signup');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#goal-3-key-error').textContent()).toMatch(/signup/);
    expect(tab.errors.every((e) => /status of 422/.test(e))).toBe(true);
    // Fewer than 100 planned visitors is refused before anything is sent, next to the field.
    await page.getByRole('button', { name: 'Remove goal 4' }).click();
    await page.getByLabel('Planned visitors', { exact: true }).fill('50');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => page.locator('#exp-planned-visitors-error').textContent())
      .toBe('Give a whole number of visitors from 100, or leave it empty for no horizon.');
    expect(await page.getByRole('alert').textContent()).toContain('Planned visitors');
  });
});
