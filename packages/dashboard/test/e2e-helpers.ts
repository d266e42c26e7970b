/**
 * Building blocks of the dashboard's browser tests: a real `samplit serve` on a throwaway embedded
 * database serving the freshly built dashboard, Debian's Chromium driven by playwright-core, axe-core
 * inside the page, screenshots at desktop and phone widths, and a small API client for set-up.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePorts, SAMPLIT_BIN, waitUntilUp } from '../../server/test/helpers/server-process.js';

const DASHBOARD_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Git-ignored; CI keeps it as an artifact. */
export const RESULTS_DIR = join(DASHBOARD_ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const require = createRequire(import.meta.url);
const VITE_BIN = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');

export const WIDTHS = { desktop: 1280, phone: 390 } as const;
export const PASSWORD = 'correct horse battery staple';

export interface App {
  /** http://127.0.0.1:<port>, the dashboard at `/`. */
  url: string;
  /** http://127.0.0.1:<port> of the visual editor's own app (SAMPLIT_EDITOR_PORT). */
  editorUrl: string;
  browser: Browser;
  /** The server's JWT secret: lets a test sign a token the server accepts, or one it has expired. */
  jwtSecret: string;
  /** What `samplit serve` printed on stdout so far. */
  stdout(): string;
  close(): Promise<void>;
}

/**
 * Builds the dashboard, starts `samplit serve` on a fresh embedded data directory and launches
 * Chromium. The tracker's and sign-in's per-IP limits are raised: every simulated visitor and
 * every test user comes from 127.0.0.1. `env` adds to the server's environment (the visual
 * editor's settings).
 */
export async function startApp(options: { env?: Record<string, string> } = {}): Promise<App> {
  // The production build, as `npm install` makes it: the test runner's NODE_ENV=test would
  // otherwise give React's development build.
  execFileSync(process.execPath, [VITE_BIN, 'build', '--logLevel', 'warn'], {
    cwd: DASHBOARD_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'samplit-dashboard-e2e-'));
  const jwtSecret = randomBytes(32).toString('hex');
  const [port, editorPort] = await freePorts(2);
  const child: ChildProcess = spawn(
    process.execPath,
    [SAMPLIT_BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'],
    {
      env: {
        ...process.env,
        SAMPLIT_DATA_DIR: dataDir,
        JWT_SECRET: jwtSecret,
        LOG_LEVEL: 'warn',
        TRACKER_RATE_LIMIT_PER_IP: '100000',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        REGISTER_RATE_LIMIT_PER_HOUR: '1000',
        SAMPLIT_EDITOR_PORT: String(editorPort),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  try {
    await waitUntilUp(port, child, 60_000);
  } catch (error) {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(RESULTS_DIR, { recursive: true });
  return {
    url: `http://127.0.0.1:${port}`,
    editorUrl: `http://127.0.0.1:${editorPort}`,
    browser,
    jwtSecret,
    stdout: () => stdout,
    async close() {
      await browser.close();
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestPage {
  page: Page;
  /** Uncaught errors and console errors seen on the page: a test expects none. */
  errors: string[];
  close(): Promise<void>;
}

/** A page in a fresh browser context (its own sessionStorage), `width` px wide. */
export async function openPage(app: App, width: number = WIDTHS.desktop): Promise<TestPage> {
  const context = await app.browser.newContext({ viewport: { width, height: 900 }, baseURL: app.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    // A 401 the dashboard handles (an expired session) is still logged by Chromium as a failed load.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) errors.push(message.text());
  });
  return { page, errors, close: () => context.close() };
}

export const newEmail = (prefix = 'dashboard') => `${prefix}-${randomUUID()}@example.com`;

/** Signs up through the sign-up form and waits for the experiments list. */
export async function signUpInBrowser(page: Page, email = newEmail(), password = PASSWORD): Promise<string> {
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByRole('heading', { name: 'Experiments', level: 1 }).waitFor();
  return email;
}

/** Signs in through the sign-in form (the page must show it) and waits to leave it. */
export async function signInInBrowser(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

let axeScript: string | undefined;
const axeSource = () => {
  axeScript ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeScript;
};

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }>;
}

/**
 * Runs axe-core in the page and throws on any serious or critical violation, naming each rule
 * and the elements it found.
 */
export async function axeCheck(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol rather than added as a <script>: the dashboard's CSP
  // (scripts from its own origin only) rightly refuses an injected tag.
  if (!loaded) await page.evaluate(axeSource());
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
  )) as AxeResult;
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map(
      (v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
    throw new Error(
      `axe found ${bad.length} serious/critical violation(s) on ${page.url()}:\n${lines.join('\n')}`,
    );
  }
}

/**
 * Saves full-page screenshots of the page as it is now at each width (test-results/<name>-<width>.png),
 * and leaves the page at the width it had.
 */
export async function screenshot(page: Page, name: string, widths: number[] = Object.values(WIDTHS)) {
  const before = page.viewportSize();
  const paths: string[] = [];
  for (const width of widths) {
    await page.setViewportSize({ width, height: before?.height ?? 900 });
    // Two frames: the new layout is computed and painted before the capture.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const path = join(RESULTS_DIR, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    paths.push(path);
  }
  if (before) await page.setViewportSize(before);
  return paths;
}

/** A token for `userId` signed with the server's secret that expired a minute ago. */
export function expiredToken(app: App, userId: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: userId, iss: 'samplit', iat: now - 3600, exp: now - 60 })}`;
  return `${body}.${createHmac('sha256', app.jwtSecret).update(body).digest('base64url')}`;
}

/** The token the dashboard holds for this tab, or null. */
export function tokenInPage(page: Page): Promise<string | null> {
  return page.evaluate(() => sessionStorage.getItem('samplit.token'));
}

/** The user id (`sub`) a token was issued to. */
export function tokenSubject(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
}

/** A minimal client of the REST API for set-up: a user's experiments and the public tracker. */
export class ApiClient {
  private constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  /** Signs in an existing user (registering it first when `register`). */
  static async as(app: App, email: string, options: { register?: boolean; password?: string } = {}) {
    const credentials = { email, password: options.password ?? PASSWORD };
    const anonymous = new ApiClient(app.url, '');
    if (options.register) await anonymous.call('POST', '/auth/register', credentials);
    const { access_token } = await anonymous.call<{ access_token: string }>(
      'POST',
      '/auth/token',
      credentials,
    );
    return new ApiClient(app.url, access_token);
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createExperiment(body: Record<string, unknown>) {
    return this.call<{ id: string; name: string }>('POST', '/experiments', body);
  }

  action(id: string, action: 'start' | 'pause' | 'resume' | 'complete' | 'archive' | 'restore') {
    return this.call('POST', `/experiments/${id}/${action}`);
  }

  /**
   * Sends `visitors` fresh visitors to a running experiment through the public tracker; a visitor
   * converts on `goal` with the probability `rates[variant name]` (0 when absent), drawn from
   * `random` so a test can make it repeatable.
   */
  async traffic(
    id: string,
    visitors: number,
    rates: Record<string, number>,
    goal: string,
    random: () => number = Math.random,
  ) {
    const one = async () => {
      const browser_id = `e2e-${randomUUID()}`;
      const answer = await this.call<{ eligible: boolean; variants: Array<{ variant_name: string }> }>(
        'POST',
        '/tracker/assign',
        { experiment_id: id, browser_id },
      );
      const variant = answer.variants[0]?.variant_name;
      if (answer.eligible && variant && random() < (rates[variant] ?? 0)) {
        await this.call('POST', '/tracker/convert', { experiment_id: id, browser_id, goal });
      }
    };
    // A few in flight at once, like real visitors; not so many that the 2-core CI machine stalls.
    for (let done = 0; done < visitors; done += 8) {
      await Promise.all(Array.from({ length: Math.min(8, visitors - done) }, one));
    }
  }
}

/** A seeded generator (mulberry32): the same conversions on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
