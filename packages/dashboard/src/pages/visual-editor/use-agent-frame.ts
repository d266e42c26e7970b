import { type RefObject, useCallback, useEffect, useRef } from 'react';
import { parseAgentMessage } from './agent-messages.js';
import { type AgentMessage, type DashboardMessage, PROTOCOL } from './protocol.js';

/** How long a `count` question waits for its answer before it counts as unanswered. */
export const COUNT_TIMEOUT_MS = 2_000;

export interface AgentFrame {
  /** Posts to the agent; false when there is no frame or no agent origin to address. */
  post(message: DashboardMessage): boolean;
  /** How many elements `selector` matches on the page (-1: invalid), or null without an answer. */
  count(selector: string): Promise<number | null>;
}

/**
 * The dashboard's end of the editor protocol. A message is taken only from the frame's own window
 * (`event.source`) on the editor origin (`event.origin`), so another tab, a popup or a page framed
 * elsewhere cannot speak for the agent; messages are posted with that origin as the target, so
 * they reach nobody once the frame has left the editor origin.
 */
export function useAgentFrame(
  frame: RefObject<HTMLIFrameElement | null>,
  /** `new URL(proxy_url).origin`; null until the first token names it. */
  agentOrigin: string | null,
  onMessage: (message: AgentMessage) => void,
): AgentFrame {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const pending = useRef(new Map<string | number, (count: number | null) => void>());
  const lastId = useRef(0);

  useEffect(() => {
    if (!agentOrigin) return;
    const listen = (event: MessageEvent) => {
      const source = frame.current?.contentWindow;
      if (!source || event.source !== source || event.origin !== agentOrigin) return;
      const message = parseAgentMessage(event.data);
      if (!message) return;
      if (message.type === 'count') {
        const resolve = pending.current.get(message.requestId);
        pending.current.delete(message.requestId);
        resolve?.(message.count);
      }
      handler.current(message);
    };
    window.addEventListener('message', listen);
    return () => window.removeEventListener('message', listen);
  }, [frame, agentOrigin]);

  // Questions still open when the component goes are answered "unknown", not left hanging.
  useEffect(() => {
    const open = pending.current;
    return () => {
      for (const resolve of open.values()) resolve(null);
      open.clear();
    };
  }, []);

  const post = useCallback(
    (message: DashboardMessage) => {
      const target = frame.current?.contentWindow;
      if (!target || !agentOrigin) return false;
      target.postMessage({ samplit: PROTOCOL, ...message }, agentOrigin);
      return true;
    },
    [frame, agentOrigin],
  );

  const count = useCallback(
    (selector: string) =>
      new Promise<number | null>((resolve) => {
        const requestId = `c${++lastId.current}`;
        const timer = setTimeout(() => {
          pending.current.delete(requestId);
          resolve(null);
        }, COUNT_TIMEOUT_MS);
        pending.current.set(requestId, (n) => {
          clearTimeout(timer);
          resolve(n);
        });
        if (!post({ type: 'count', requestId, selector })) {
          pending.current.delete(requestId);
          clearTimeout(timer);
          resolve(null);
        }
      }),
    [post],
  );

  return { post, count };
}
