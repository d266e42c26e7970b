import { readJson, writeJson } from './storage.js';
import { beacon, type FetchLike, postJson } from './transport.js';
import type { ConvertBody } from './types.js';

/** A conversion waiting for delivery, as stored in localStorage. */
export interface QueuedConversion {
  /** Dedupe key: visitor, experiment, goal and, for repeat events, the event id. */
  key: string;
  body: ConvertBody;
  /** When it was queued (ms since epoch). */
  created: number;
  /** Failed attempts so far. */
  attempts: number;
  /** When a page claimed it to send it (ms since epoch); other pages leave it alone for a while. */
  leased?: number;
}

/** What became of a conversion. */
export type ConvertResult = 'sent' | 'queued' | 'duplicate' | 'rejected' | 'preview';

const QUEUE_KEY = 'samplit_queue';
const SENT_KEY = 'samplit_sent';
/** A lease older than this is presumed dead (its page crashed) and the conversion may be retried. */
const LEASE_MS = 30_000;
/** Conversions older than this, or that failed this often, are dropped. */
const MAX_AGE_MS = 7 * 24 * 3600_000;
const MAX_ATTEMPTS = 12;
/** How many delivered keys are remembered for dedupe. */
const MAX_SENT = 500;
const REQUEST_TIMEOUT_MS = 10_000;

export const conversionKey = (b: ConvertBody, eventId?: string) =>
  b.browser_id + '|' + b.experiment_id + '|' + b.goal + (eventId === undefined ? '' : '|' + eventId);

/**
 * A write-ahead queue that delivers each (visitor, experiment, goal) conversion at most once and
 * retries failures on later pages.
 *
 * A conversion is stored (and leased by the page) before it is sent. A 2xx (or a definitive 4xx)
 * moves its key to the "sent" list; a network error, 408, 429 or 5xx leaves it queued for a retry
 * with backoff and on the next page. When the page goes away (`pagehide`) with a keepalive fetch
 * still in flight, the browser owns the delivery, so the conversion counts as sent: retrying it on
 * the next page could deliver it twice. This page's never-tried conversions are handed to
 * `sendBeacon` at that point. State lives in localStorage, so it is shared by the site's tabs
 * (leases keep two tabs from sending the same conversion); without storage it lives in memory.
 */
export class ConversionQueue {
  /** Conversions this page queued or is sending, and those with a request in flight. */
  #mine = new Set<string>();
  #inFlight = new Set<string>();
  #memory: { queue: QueuedConversion[]; sent: string[] } = { queue: [], sent: [] };
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #url: string;
  readonly #fetchImpl: FetchLike;
  readonly #now: () => number;

  constructor(url: string, fetchImpl: FetchLike, now: () => number = Date.now) {
    this.#url = url;
    this.#fetchImpl = fetchImpl;
    this.#now = now;
  }

  /**
   * Queues a conversion; `null` if this visitor already sent it (or it is queued): one per goal,
   * or one per `eventId` for the repeat events of revenue and count goals.
   */
  add(body: ConvertBody, eventId?: string): string | null {
    const key = conversionKey(body, eventId);
    const state = this.#load();
    if (state.sent.includes(key) || state.queue.some((c) => c.key === key)) return null;
    state.queue.push({ key, body, created: this.#now(), attempts: 0, leased: this.#now() });
    this.#save(state);
    this.#mine.add(key);
    return key;
  }

  /** Sends one queued conversion now. */
  async send(key: string): Promise<ConvertResult> {
    const entry = this.#update(key, (c) => {
      c.leased = this.#now();
    });
    if (!entry) return 'duplicate';
    this.#mine.add(key);
    this.#inFlight.add(key);
    let status = 0;
    try {
      status = (await postJson(this.#fetchImpl, this.#url, entry.body, REQUEST_TIMEOUT_MS, true)).status;
    } catch {}
    this.#inFlight.delete(key);
    if (status >= 200 && status < 300) {
      this.#done(key);
      return 'sent';
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      this.#done(key);
      return 'rejected';
    }
    const failed = this.#update(key, (c) => {
      c.leased = undefined;
      c.attempts++;
    });
    if (failed) this.#scheduleRetry(failed.attempts);
    return 'queued';
  }

  /** Retries every queued conversion that no other tab is sending. */
  async flush(): Promise<void> {
    const state = this.#load();
    const now = this.#now();
    const keep = state.queue.filter((c) => now - c.created < MAX_AGE_MS && c.attempts < MAX_ATTEMPTS);
    if (keep.length !== state.queue.length) this.#save({ ...state, queue: keep });
    await Promise.all(
      keep.filter((c) => !c.leased || now - c.leased > LEASE_MS).map((c) => this.send(c.key)),
    );
  }

  /**
   * On `pagehide`: this page's in-flight keepalive requests belong to the browser now; its untried
   * conversions go by beacon. Other tabs' conversions are theirs to finish.
   */
  pageHide(): void {
    for (const c of this.#load().queue) {
      if (!this.#mine.has(c.key)) continue;
      if (this.#inFlight.has(c.key) || (!c.attempts && beacon(this.#url, c.body))) this.#done(c.key);
    }
  }

  /** Queued conversions (for tests and debugging). */
  pending(): QueuedConversion[] {
    return this.#load().queue;
  }

  #scheduleRetry(attempts: number): void {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = undefined;
        void this.flush();
      },
      Math.min(60_000, 1000 * 2 ** attempts),
    );
    // Never keep a Node process alive just to retry.
    (this.#retryTimer as { unref?: () => void }).unref?.();
  }

  #done(key: string): void {
    const state = this.#load();
    state.queue = state.queue.filter((c) => c.key !== key);
    if (!state.sent.includes(key)) state.sent = [...state.sent, key].slice(-MAX_SENT);
    this.#save(state);
  }

  #update(key: string, change: (c: QueuedConversion) => void): QueuedConversion | undefined {
    const state = this.#load();
    const entry = state.queue.find((c) => c.key === key);
    if (entry) {
      change(entry);
      this.#save(state);
    }
    return entry;
  }

  // Read through to localStorage every time: another tab may have changed it.
  #load() {
    return {
      queue: readJson('localStorage', QUEUE_KEY, this.#memory.queue),
      sent: readJson('localStorage', SENT_KEY, this.#memory.sent),
    };
  }

  #save(state: { queue: QueuedConversion[]; sent: string[] }): void {
    this.#memory = state;
    writeJson('localStorage', QUEUE_KEY, state.queue);
    writeJson('localStorage', SENT_KEY, state.sent);
  }
}
