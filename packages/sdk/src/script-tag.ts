/**
 * The script-tag build's set-up (`dist/samplit.min.js`, served at `/sdk/samplit.js`): configures
 * Samplit from its own `<script>` tag's data attributes, exposes `window.samplit` and runs the
 * listed experiments. See the README for the attributes; `script-entry.ts` calls it.
 */
import { Samplit, type SamplitOptions } from './client.js';
import { commaList } from './goals.js';
import type { GoalDefinition } from './types.js';
import { warnOnce } from './warn.js';

type Command = [method: string, ...args: unknown[]];

declare global {
  interface Window {
    samplit?: Samplit | Command[];
    /** Set by the visual editor's agent (editor/editor-entry.ts) in the pages it edits. */
    samplitEditor?: true;
  }
}

const json = <T>(value: string | undefined): T | undefined => (value ? (JSON.parse(value) as T) : undefined);

/** `data-anti-flicker`: absent or "false" → off; "" or "true" → remembered elements; "page"; selectors. */
export function parseAntiFlicker(value: string | undefined): SamplitOptions['antiFlicker'] {
  if (value == null || value === 'false') return false;
  if (value === '' || value === 'true') return true;
  return value === 'page' ? 'page' : commaList(value);
}

/** Starts Samplit from a script tag; returns the client (also `window.samplit`). */
export function init(script: HTMLScriptElement | null): Samplit | undefined {
  try {
    // In Samplit's visual editor (the proxy runs the editor agent first, which sets samplitEditor)
    // the editor previews variants itself: the page's own snippet must not enrol the editor as a
    // visitor, count its clicks as conversions, or apply an assignment over the preview.
    if (window.samplitEditor) return undefined;
    const data = script?.dataset ?? {};
    const client = new Samplit({
      // The server that serves the script is the API, unless data-api says otherwise.
      apiBase: data.api || (script?.src ? new URL(script.src).origin : location.origin),
      browserId: data.browserId,
      timeout: Number(data.timeout) || undefined,
      antiFlicker: parseAntiFlicker(data.antiFlicker),
      attributes: json(data.attributes),
      nonce: script?.nonce || undefined,
      cookieDomain: data.cookieDomain,
      goals: json<GoalDefinition[]>(data.goals) ?? [],
    });
    // Calls queued before the SDK loaded: window.samplit = [['convert', 'exp-id', 'signup'], …]
    const queued = window.samplit;
    window.samplit = client;
    const ids = commaList(data.experiments);
    if (ids?.length) void client.run(ids);
    if (Array.isArray(queued)) {
      for (const [method, ...args] of queued) {
        // biome-ignore lint/suspicious/noExplicitAny: replaying untyped commands
        (client as any)[method]?.(...args);
      }
    }
    return client;
  } catch (e) {
    warnOnce('init', e);
  }
}
