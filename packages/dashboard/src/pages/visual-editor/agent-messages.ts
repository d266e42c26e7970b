import { type AgentMessage, PROTOCOL } from './protocol.js';

/**
 * The agent's message in `data`, or null. The origin and source checks (use-agent-frame.ts) tell
 * that a message came from the proxied page, not that the agent wrote it: the page's own scripts
 * run in that same window and origin and can post anything. So every field is checked and capped
 * here, and the dashboard only ever shows them as text.
 */
export function parseAgentMessage(data: unknown): AgentMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.samplit !== PROTOCOL) return null;
  switch (m.type) {
    case 'ready':
      return isUrl(m.url) ? { type: 'ready', url: m.url, title: text(m.title, 300) } : null;
    case 'route':
    case 'navigate':
      return isUrl(m.url) ? { type: m.type, url: m.url } : null;
    case 'selected':
      if (!isText(m.selector, MAX_SELECTOR) || !isCount(m.count)) return null;
      return {
        type: 'selected',
        selector: m.selector,
        count: m.count,
        tag: text(m.tag, 40).toLowerCase(),
        text: text(m.text, 500),
        html: text(m.html, 20_000),
        attributes: attributes(m.attributes),
      };
    case 'count':
      if (!isText(m.requestId, 100) || !isText(m.selector, MAX_SELECTOR) || !isCount(m.count)) return null;
      return { type: 'count', requestId: m.requestId, selector: m.selector, count: m.count };
    default:
      return null;
  }
}

/** The API's limit on an element's selector. */
export const MAX_SELECTOR = 1000;

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= -1;

/** Only http(s) URLs: the dashboard loads them through the proxy, which takes nothing else. */
function isUrl(value: unknown): value is string {
  if (!isText(value, 8192)) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function attributes(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [name, v] of Object.entries(value).slice(0, 30))
    if (typeof v === 'string') out[name.slice(0, 100)] = v.slice(0, 1000);
  return out;
}
