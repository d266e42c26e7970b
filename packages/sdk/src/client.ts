import { hide } from './anti-flicker.js';
import { applyContent } from './apply-content.js';
import { ConversionQueue, type ConvertResult } from './conversion-queue.js';
import { watchGoals } from './goals.js';
import { loadBrowserId, newId } from './identity.js';
import { previewTokens } from './preview.js';
import { redirectTarget } from './redirect.js';
import { readJson, writeJson } from './storage.js';
import type { FetchLike } from './transport.js';
import { postJson } from './transport.js';
import type { AssignContext, Assignment, AssignRequest, GoalDefinition, PreviewRequest } from './types.js';
import { warnOnce } from './warn.js';

export interface SamplitOptions {
  /** Origin (and optional path prefix) of the Samplit server, e.g. `https://samplit.example`. */
  apiBase: string;
  /** Use this id instead of the random visitor id, e.g. a logged-in user's id. Required in Node. */
  browserId?: string;
  /** Milliseconds to wait for an assignment before showing the original page. Default 1000. */
  timeout?: number;
  /**
   * Hide content until variants are applied (or `timeout` passes): `'page'` hides the whole page,
   * a list of selectors hides those elements, `true` hides the elements of the experiments being
   * run as remembered from earlier visits, and the page on a first visit. Default: off.
   */
  antiFlicker?: boolean | 'page' | string[];
  /** Attributes for the server's targeting rules (`context.attributes`). */
  attributes?: Record<string, unknown>;
  /** CSP nonce for the stylesheet fallback and custom JavaScript. */
  nonce?: string;
  /** Domain of the visitor-id cookie, to share it across subdomains (e.g. `.shop.example`). */
  cookieDomain?: string;
  /** Declarative goals to watch; `data-samplit-goal` is always watched unless this is `false`. */
  goals?: GoalDefinition[] | false;
  /** A fetch implementation (default: the global one). */
  fetch?: FetchLike;
}

/** What the SDK remembers about an experiment across visits (localStorage). */
interface Known {
  /** Selectors to hide while waiting for an assignment, or the page for a split-URL test. */
  hide: string[] | 'page';
  /** The visitor is enrolled, so declarative goals credit this experiment. */
  enrolled: boolean;
}

const KNOWN_KEY = 'samplit_experiments';
const SESSION_KEY = 'samplit_assignments';
/** An assignment request is abandoned after this long even if `timeout` is longer. */
const HARD_TIMEOUT_MS = 10_000;
/** How much later than `timeout` the anti-flicker style lifts by itself if run() never returns. */
const REVEAL_BACKSTOP_MS = 250;
/** How long the page stays hidden while a split-URL redirect loads before showing anyway. */
const REDIRECT_GRACE_MS = 5_000;

const inBrowser = () => typeof document !== 'undefined' && typeof location !== 'undefined';

/**
 * A Samplit client: assigns visitors, applies variants and reports conversions. In a browser the
 * visitor id comes from a first-party cookie and localStorage; in Node pass `browserId`.
 * No method throws or rejects: a failure shows the original page and logs one warning.
 *
 * @example
 * const samplit = new Samplit({ apiBase: 'https://samplit.example', antiFlicker: ['#headline'] });
 * await samplit.run('3f0c…');                 // assign and apply
 * document.querySelector('#buy')!.addEventListener('click', () => samplit.convert('3f0c…', 'purchase'));
 */
export class Samplit {
  /** The visitor id sent to the server. */
  browserId: string;
  readonly #api: string;
  readonly #timeout: number;
  readonly #fetchImpl: FetchLike;
  readonly #queue: ConversionQueue;
  readonly #pendingAssign = new Map<string, Promise<Assignment>>();
  readonly #assignments = new Map<string, Assignment>();
  readonly #applied = new Map<string, () => void>();
  #redirecting = false;
  readonly #options: SamplitOptions;
  /** Preview tokens by experiment (preview.ts): those experiments show the token's combination. */
  readonly #previews = previewTokens();

  constructor(options: SamplitOptions) {
    this.#options = options;
    this.#api = String(options.apiBase || '').replace(/\/+$/, '') + '/api/v1/tracker/';
    this.#timeout = options.timeout ?? 1000;
    this.#fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
    this.#queue = new ConversionQueue(this.#api + 'convert', this.#fetchImpl);
    const browser = inBrowser();
    this.browserId = options.browserId || (browser ? loadBrowserId(options.cookieDomain) : newId());
    if (!browser) return;
    try {
      addEventListener('pagehide', () => this.#queue.pageHide());
      addEventListener('online', () => this.flush());
      if (options.goals !== false) this.goals(options.goals);
      // Retry conversions left over from earlier pages, after this page's own work has started.
      setTimeout(() => this.flush(), 0);
    } catch (e) {
      warnOnce('init', e);
    }
  }

  /**
   * Assigns the visitor to one or several experiments and applies the variants to the page
   * (or redirects, for a split-URL test). Answers are cached for the session, so later pages apply
   * them before first paint. Resolves with the assignments; never rejects.
   */
  run(experimentId: string): Promise<Assignment>;
  run(experimentIds: string[]): Promise<Assignment[]>;
  async run(ids: string | string[]): Promise<Assignment | Assignment[]> {
    const list = typeof ids === 'string' ? [ids] : ids;
    let reveal = () => {};
    let results: Assignment[];
    try {
      const waiting = list.filter((id) => !this.getAssignment(id));
      if (this.#options.antiFlicker && waiting.length && inBrowser()) {
        // The request's own deadline (`timeout`) is what ends the wait: past it the answer is not
        // applied and run() reveals the original. The hide timer is only a backstop, set later, so
        // that an answer landing between two timers can never show the original and then swap it.
        reveal = hide(this.#hideTarget(waiting), this.#timeout + REVEAL_BACKSTOP_MS, this.#options.nonce);
      }
      results = await Promise.all(list.map((id) => this.assign(id).then((a) => this.#apply(a))));
      if (!this.#redirecting) reveal();
    } catch (e) {
      warnOnce('run', e);
      reveal();
      results = list.map((id) => this.#fallback(id));
    }
    return typeof ids === 'string' ? results[0] : results;
  }

  /**
   * Asks the server which variants the visitor gets, without touching the page (works in Node).
   * Cached for the session; concurrent calls share one request. Server down, slow (past
   * `timeout`) or failing: resolves with `eligible: false, reason: "error"` and no variants.
   */
  assign(experimentId: string, context?: AssignContext): Promise<Assignment> {
    const cached = this.getAssignment(experimentId);
    if (cached) return Promise.resolve(cached);
    let pending = this.#pendingAssign.get(experimentId);
    if (!pending) {
      pending = this.#request(experimentId, context).finally(() => this.#pendingAssign.delete(experimentId));
      this.#pendingAssign.set(experimentId, pending);
    }
    return pending;
  }

  /**
   * Reports a conversion. Sent at most once per visitor, experiment and goal — or, with an
   * `eventId` (an order id), once per event, for revenue and count goals that add up every event —
   * with a keepalive request that survives the page unloading (a click on an outbound link);
   * failures are queued in localStorage and retried, also on later pages. Resolves with what
   * became of it (`'preview'`: nothing sent, the tab previews this experiment); never rejects.
   */
  async convert(
    experimentId: string,
    goal = 'conversion',
    value?: number,
    eventId?: string,
  ): Promise<ConvertResult> {
    if (this.#previews[experimentId]) return 'preview';
    try {
      const body = { experiment_id: experimentId, browser_id: this.browserId, goal, value };
      const key = this.#queue.add(body, eventId);
      if (!key) return 'duplicate';
      // A conversion right after run() belongs to the assignment being made: let it land first.
      await this.#pendingAssign.get(experimentId);
      return await this.#queue.send(key);
    } catch (e) {
      warnOnce('convert', e);
      return 'queued';
    }
  }

  /**
   * Watches declarative goals (see {@link GoalDefinition}) in addition to `data-samplit-goal`
   * attributes; goals without an experiment list credit every experiment the visitor is in.
   * Returns a function that stops watching.
   */
  goals(defs: GoalDefinition[] = []): () => void {
    try {
      return watchGoals(defs, (goal, value, experiments) => {
        for (const id of experiments ?? this.#enrolled()) void this.convert(id, goal, value);
      });
    } catch (e) {
      warnOnce('goals', e);
      return () => {};
    }
  }

  /**
   * The visitor's assignment, if one is known on this page or cached for this session; while the
   * tab previews the experiment, the preview's answer (`reason: "preview"`) once it is in.
   */
  getAssignment(experimentId: string): Assignment | undefined {
    if (this.#previews[experimentId]) return this.#assignments.get(experimentId);
    const cached =
      this.#assignments.get(experimentId) ??
      readJson<Record<string, Assignment>>('sessionStorage', SESSION_KEY, {})[experimentId];
    return cached?.browser_id === this.browserId ? cached : undefined;
  }

  /** The first `payload` among the visitor's variants, for code that renders variants itself. */
  getPayload(experimentId: string): unknown {
    return this.getAssignment(experimentId)?.variants.find((v) => v.content?.payload !== undefined)?.content
      ?.payload;
  }

  /** Switches to another visitor id (e.g. after login); later calls use it. */
  identify(browserId: string): void {
    this.browserId = browserId;
    this.#assignments.clear();
  }

  /** Restores the original page for one experiment, or for all. */
  revert(experimentId?: string): void {
    for (const [id, undo] of this.#applied) {
      if (experimentId && id !== experimentId) continue;
      this.#applied.delete(id);
      try {
        undo();
      } catch {}
    }
  }

  /** Retries queued conversions now. */
  flush(): Promise<void> {
    return this.#queue.flush().catch(() => {});
  }

  async #request(id: string, context?: AssignContext): Promise<Assignment> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const token = this.#previews[id];
    const body: AssignRequest | PreviewRequest = token
      ? { token }
      : { experiment_id: id, browser_id: this.browserId, context: context ?? this.#context() };
    // Not abandoned at `timeout`: a late answer is still cached for the next page, so the visitor
    // sees the variant they were assigned from then on, while this page keeps the original.
    const answer = postJson(
      this.#fetchImpl,
      this.#api + (token ? 'preview' : 'assign'),
      body,
      HARD_TIMEOUT_MS,
    ).then(({ status, body }) => {
      const a = body as Assignment;
      if (status !== 200 || !Array.isArray(a?.variants)) {
        const error = (body as { error?: { message?: string } })?.error;
        throw new Error('HTTP ' + status + (error?.message ? ' ' + error.message : ''));
      }
      this.#remember(a);
      return a;
    });
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(reject, this.#timeout, new Error('no answer within ' + this.#timeout + ' ms'));
    });
    try {
      return await Promise.race([answer, late]);
    } catch (e) {
      answer.catch(() => {});
      warnOnce('assign ' + id, e);
      return this.#fallback(id);
    } finally {
      clearTimeout(timer);
    }
  }

  #apply(a: Assignment): Assignment {
    if (!inBrowser() || this.#applied.has(a.experiment_id) || a.reason === 'error') return a;
    try {
      for (const v of a.variants) {
        const target = v.content?.redirect_url && redirectTarget(v.content.redirect_url, location.href);
        if (target) {
          location.replace(target);
          // Keep the original hidden until the variant page replaces it.
          this.#redirecting = true;
          hide('page', REDIRECT_GRACE_MS, this.#options.nonce);
          return a;
        }
      }
      this.#applied.set(a.experiment_id, applyContent(a.variants, this.#options.nonce));
    } catch (e) {
      warnOnce('applying ' + a.experiment_id, e);
    }
    return a;
  }

  #remember(a: Assignment): void {
    this.#assignments.set(a.experiment_id, a);
    // A preview enrols no one: nothing of it may outlive the page (its token is what persists).
    if (this.#previews[a.experiment_id]) return;
    if (a.eligible) {
      const session = readJson<Record<string, Assignment>>('sessionStorage', SESSION_KEY, {});
      session[a.experiment_id] = a;
      writeJson('sessionStorage', SESSION_KEY, session);
    }
    const known = readJson<Record<string, Known>>('localStorage', KNOWN_KEY, {});
    known[a.experiment_id] = {
      hide: a.variants.some((v) => v.content?.redirect_url)
        ? 'page'
        : a.variants.flatMap((v) => (v.selector ? [v.selector] : [])),
      enrolled: a.eligible,
    };
    writeJson('localStorage', KNOWN_KEY, known);
  }

  #hideTarget(ids: string[]): 'page' | string[] {
    const mode = this.#options.antiFlicker;
    if (mode === 'page') return 'page';
    const known = readJson<Record<string, Known>>('localStorage', KNOWN_KEY, {});
    const selectors = Array.isArray(mode) ? [...mode] : [];
    for (const id of ids) {
      const hide = known[id]?.hide;
      if (hide === 'page' || (!hide && mode === true)) return 'page';
      if (hide) selectors.push(...hide);
    }
    return selectors;
  }

  #enrolled(): string[] {
    const known = readJson<Record<string, Known>>('localStorage', KNOWN_KEY, {});
    const ids = new Set(Object.keys(known).filter((id) => known[id].enrolled));
    for (const [id, a] of this.#assignments) if (a.eligible) ids.add(id);
    return [...ids];
  }

  #context(): AssignContext {
    const context: AssignContext = { attributes: this.#options.attributes };
    if (inBrowser()) {
      // The tracker accepts URLs up to 4096 characters; a longer one must not cost the visitor their variant.
      context.url = location.href.slice(0, 4096);
      context.referrer = document.referrer.slice(0, 4096) || undefined;
      context.user_agent = navigator.userAgent;
      context.language = navigator.language;
    }
    return context;
  }

  #fallback(id: string): Assignment {
    return { experiment_id: id, browser_id: this.browserId, eligible: false, reason: 'error', variants: [] };
  }
}

/** Creates a {@link Samplit} client. */
export function createSamplit(options: SamplitOptions): Samplit {
  return new Samplit(options);
}
