/**
 * End-to-end tests of the dashboard in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core) against `samplit serve` on a throwaway embedded database: accounts, the
 * experiments list, live updates; axe-core on every page and screenshots at 1280 and 390 px in
 * test-results/. The tests of one describe block follow one user's story and run in order.
 * Run: npm run test:e2e -w @samplit/dashboard    (Chromium: apt-get install -y chromium)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  type App,
  axeCheck,
  expiredToken,
  openPage,
  screenshot,
  seeded,
  signInInBrowser,
  signUpInBrowser,
  startApp,
  type TestPage,
  tokenInPage,
  tokenSubject,
  WIDTHS,
} from './e2e-helpers.js';

const SESSION_ENDED = 'Your session has ended. Sign in again.';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('start-up', () => {
  it('prints the dashboard URL as the first line of samplit serve', () => {
    expect(app.stdout().split('\n')[0]).toBe(`Dashboard: ${app.url}/`);
  });
});

describe('accounts', () => {
  let tab: TestPage;
  let page: Page;
  let email: string;
  beforeAll(async () => {
    tab = await openPage(app);
    page = tab.page;
  });
  afterAll(() => tab?.close());

  it('sends a visitor without a session to sign-in, and the sign-in and sign-up pages pass axe', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await axeCheck(page);
    await screenshot(page, 'sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await axeCheck(page);
    await screenshot(page, 'sign-up');
  });

  it('signs up and lands on the empty list, which shows how to start', async () => {
    email = await signUpInBrowser(page);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
    expect(await page.getByRole('link', { name: 'Create an experiment' }).getAttribute('href')).toBe(
      '/experiments/new',
    );
    expect(await page.getByRole('link', { name: 'New experiment' }).getAttribute('href')).toBe(
      '/experiments/new',
    );
    await expect.poll(() => page.textContent('.empty-state')).toContain('npm run samplit -- demo');
    // The shell names who is signed in (GET /auth/me).
    await expect.poll(() => page.textContent('.topbar-email')).toContain(email);
    await axeCheck(page);
    await screenshot(page, 'list-empty');
    expect(tab.errors).toEqual([]);
  });

  it('signs out, and signs in again with the same account', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.getByText('You have signed out.').waitFor();
    expect(await tokenInPage(page)).toBeNull();
    // Signed out means signed out: the list sends back to sign-in.
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await signInInBrowser(page, email);
    await page.getByRole('heading', { name: 'Experiments', level: 1 }).waitFor();
    expect(await tokenInPage(page)).not.toBeNull();
  });

  it('keeps the session over a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Experiments', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.textContent('.topbar-email')).toContain(email);
  });

  it('returns an expired session to sign-in with a message, then back to where the user was', async () => {
    const token = (await tokenInPage(page))!;
    const expired = expiredToken(app, tokenSubject(token));
    await page.goto('/?status=running');
    await page.evaluate((t) => sessionStorage.setItem('samplit.token', t), expired);
    await page.reload();
    await page.waitForURL('**/sign-in');
    await page.getByText(SESSION_ENDED).waitFor();
    expect(await tokenInPage(page)).toBeNull();
    await axeCheck(page);
    await screenshot(page, 'sign-in-session-ended');
    await signInInBrowser(page, email);
    expect(new URL(page.url()).search).toBe('?status=running');
    expect(tab.errors).toEqual([]);
  });

  it('notices a session the server stops accepting while the list refreshes, without a reload', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
    const token = (await tokenInPage(page))!;
    // A token the server refuses (its signature no longer matches), as after a change of secret.
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    await page.evaluate((t) => sessionStorage.setItem('samplit.token', t), forged);
    await page.waitForURL('**/sign-in', { timeout: 15_000 });
    await page.getByText(SESSION_ENDED).waitFor();
    // The same document: the live refresh found out, not a reload.
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
  });
});

describe('experiments list', () => {
  let tab: TestPage;
  let page: Page;
  let api: ApiClient;
  const ids: Record<string, string> = {};
  const random = seeded(11);

  beforeAll(async () => {
    tab = await openPage(app);
    page = tab.page;
    const email = await signUpInBrowser(page);
    api = await ApiClient.as(app, email);
    const base = { traffic_allocation: 'adaptive', goals: ['signup'], url: 'https://shop.example/' };
    const checkout = await api.createExperiment({
      ...base,
      name: 'Checkout button colour',
      description: 'Green or blue on the pay step',
      type: 'ab_test',
      selector: '#pay',
      variants: [{ name: 'Blue' }, { name: 'Green' }],
    });
    const hero = await api.createExperiment({
      ...base,
      name: 'Homepage hero',
      type: 'multi_element',
      elements: [
        { name: 'Headline', selector: 'h1', variants: [{ name: 'Short' }, { name: 'Long' }] },
        { name: 'CTA', selector: '#cta', variants: [{ name: 'Buy' }, { name: 'Try' }] },
      ],
    });
    const pricing = await api.createExperiment({
      ...base,
      name: 'Pricing page checkout copy',
      type: 'ab_test',
      traffic_allocation: 'fixed',
      traffic_percentage: 50,
      selector: '#plan',
      variants: [{ name: 'Control' }, { name: 'Yearly first' }],
    });
    Object.assign(ids, { checkout: checkout.id, hero: hero.id, pricing: pricing.id });
    await api.action(ids.checkout, 'start');
    await api.traffic(ids.checkout, 120, { Blue: 0.05, Green: 0.5 }, 'signup', random);
  });
  afterAll(() => tab?.close());

  const row = (name: string) => page.locator('.experiments-table tbody tr', { hasText: name });
  const names = () => page.locator('.experiments-table tbody .experiment-name').allTextContents();

  it("shows each experiment's type, status, allocation, visitors, leader, decision and start", async () => {
    await page.goto('/');
    await row('Checkout button colour').locator('td[data-label="Leader"]', { hasText: 'Green' }).waitFor();
    expect(await names()).toEqual(['Pricing page checkout copy', 'Homepage hero', 'Checkout button colour']);
    const cells = async (name: string) =>
      Object.fromEntries(
        await row(name)
          .locator('td')
          .evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-label'), td.textContent?.trim()])),
      );
    const checkout = await cells('Checkout button colour');
    expect(checkout).toMatchObject({
      Type: 'A/B test',
      Status: 'Running',
      Allocation: 'Adaptive',
      Visitors: '120',
    });
    expect(checkout.Leader).toMatch(/^Green[<>]?\d+% best$/);
    expect(['Winner', 'Keep running']).toContain(checkout.Decision);
    expect(checkout.Started).not.toBe('Not started');
    expect(await cells('Homepage hero')).toMatchObject({
      Type: 'Multi-element',
      Status: 'Draft',
      Visitors: '0',
      Leader: '—',
      Decision: 'No data yet',
      Started: 'Not started',
    });
    expect((await cells('Pricing page checkout copy')).Allocation).toBe('Fixed · 50% of traffic');
    expect(await row('Homepage hero').getByRole('link').getAttribute('href')).toBe(
      `/experiments/${ids.hero}`,
    );
    await expect.poll(() => page.textContent('.list-range')).toBe('1–3 of 3');
    await axeCheck(page);
    await screenshot(page, 'list');
    // The phone layout is cards, still passing axe.
    await page.setViewportSize({ width: WIDTHS.phone, height: 900 });
    await axeCheck(page);
    await page.setViewportSize({ width: WIDTHS.desktop, height: 900 });
    expect(tab.errors).toEqual([]);
  });

  it('filters by status and searches names on the server, keeping both in the address', async () => {
    await page.getByLabel('Status').selectOption('running');
    await page.waitForURL('**/?status=running');
    await expect.poll(names).toEqual(['Checkout button colour']);
    await page.getByLabel('Status').selectOption('');
    await expect.poll(names).toHaveLength(3);

    await page.getByLabel('Search by name').fill('CHECKOUT');
    await page.waitForURL('**/?q=CHECKOUT');
    await expect.poll(names).toEqual(['Pricing page checkout copy', 'Checkout button colour']);
    await expect.poll(() => page.textContent('.list-range')).toBe('1–2 of 2');
    await page.getByLabel('Status').selectOption('draft');
    await expect.poll(names).toEqual(['Pricing page checkout copy']);
    await page.getByLabel('Search by name').fill('no such experiment');
    await page.getByText('No experiments match these filters.').waitFor();
    await axeCheck(page);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => url.search === '');
    await expect.poll(names).toHaveLength(3);
    expect(await page.getByLabel('Search by name').inputValue()).toBe('');
  });

  it('hides archived experiments unless "Archived only" is on', async () => {
    await api.action(ids.pricing, 'archive');
    await expect.poll(names, { timeout: 15_000 }).toEqual(['Homepage hero', 'Checkout button colour']);
    await page.getByLabel('Archived only').check();
    await page.waitForURL('**/?archived=1');
    await expect.poll(names).toEqual(['Pricing page checkout copy']);
    await page.getByLabel('Archived only').uncheck();
    await expect.poll(names).toHaveLength(2);
  });

  it('updates visitors in place, without a reload, as the tracker gets more traffic', async () => {
    const visitors = row('Checkout button colour').locator('td[data-label="Visitors"]');
    await expect.poll(() => visitors.textContent()).toBe('120');
    // The same document and the same row element afterwards: updated in place, nothing re-mounted.
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    const before = await row('Checkout button colour').elementHandle();
    const box = await row('Checkout button colour').boundingBox();
    const started = Date.now();
    await api.traffic(ids.checkout, 80, { Blue: 0.05, Green: 0.5 }, 'signup', random);
    await expect.poll(() => visitors.textContent(), { timeout: 15_000 }).toBe('200');
    const seenAfter = Date.now() - started;
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    expect(await before!.evaluate((tr) => tr.isConnected)).toBe(true);
    expect(await row('Checkout button colour').boundingBox()).toEqual(box);
    expect(seenAfter).toBeLessThan(15_000);
    expect(tab.errors).toEqual([]);
  });

  it('pages through more experiments than fit on one page', async () => {
    const other = await openPage(app, WIDTHS.phone);
    try {
      const email = await signUpInBrowser(other.page);
      const many = await ApiClient.as(app, email);
      for (let i = 1; i <= 23; i++) {
        await many.createExperiment({
          name: `Experiment ${String(i).padStart(2, '0')}`,
          type: 'ab_test',
          traffic_allocation: 'fixed',
          selector: '#x',
          variants: [{ name: 'Control' }, { name: 'B' }],
        });
      }
      const p = other.page;
      await p.goto('/');
      const range = () => p.textContent('.list-range');
      await expect.poll(range).toBe('1–20 of 23');
      expect(await p.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
      await screenshot(p, 'list-paged', [WIDTHS.phone]);
      await p.getByRole('button', { name: 'Next' }).click();
      await p.waitForURL('**/?offset=20');
      await expect.poll(range).toBe('21–23 of 23');
      expect(await p.locator('.experiment-name').allTextContents()).toEqual([
        'Experiment 03',
        'Experiment 02',
        'Experiment 01',
      ]);
      expect(await p.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
      await p.getByRole('button', { name: 'Previous' }).click();
      await expect.poll(range).toBe('1–20 of 23');
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
