import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.js';
import type { AgentMessage } from './protocol.js';
import { fetchProxyToken, proxiedUrl } from './proxy-token.js';

/**
 * How long after the frame's `load` the agent may still say `ready` (its message and the load
 * event travel in separate task queues). Past it, no agent is running in the frame.
 */
export const SILENCE_MS = 2_000;

export type FrameState =
  | { state: 'idle' }
  | { state: 'token'; url: string }
  | { state: 'loading'; url: string }
  | { state: 'ready'; url: string; title: string }
  | { state: 'failed'; url: string; reason: 'token' | 'silent'; message: string };

export interface ProxiedPage {
  frame: FrameState;
  /** The iframe's src, null before the first page. */
  src: string | null;
  /** The editor origin the frame's agent speaks from. */
  origin: string | null;
  /** Loads `url` through the proxy with a fresh token. */
  open(url: string): void;
  /** The iframe's load event. */
  onLoad(): void;
  /** Every message the agent sent (ready and route move the state). */
  onAgent(message: AgentMessage): void;
}

/**
 * The page shown in the editor frame: a proxy token per load, and whether the agent came up. The
 * proxy's refusals (a blocked address, a page that is not HTML, an upstream error) are JSON in the
 * error shape on another origin without CORS, so the dashboard cannot read them; it sees the frame
 * load without an agent and says so, while the frame itself shows the proxy's reason.
 */
export function useProxiedPage(): ProxiedPage {
  const [frame, setFrame] = useState<FrameState>({ state: 'idle' });
  const [src, setSrc] = useState<string | null>(null);
  const [origin, setOrigin] = useState<string | null>(null);
  const generation = useRef(0);
  const token = useRef<AbortController | null>(null);
  /** Whether the agent said `ready` since the frame's last load event (or the last open). */
  const readySinceLoad = useRef(false);
  const silence = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () => () => {
      token.current?.abort();
      clearTimeout(silence.current);
    },
    [],
  );

  const open = useCallback((url: string) => {
    const mine = ++generation.current;
    token.current?.abort();
    const controller = new AbortController();
    token.current = controller;
    clearTimeout(silence.current);
    readySinceLoad.current = false;
    setFrame({ state: 'token', url });
    fetchProxyToken(controller.signal).then(
      (answer) => {
        if (mine !== generation.current) return;
        setOrigin(new URL(answer.proxy_url).origin);
        setSrc(proxiedUrl(answer.proxy_url, url, answer.token));
        setFrame({ state: 'loading', url });
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        const message =
          error instanceof ApiError
            ? `The server gave no editor token: ${error.message}`
            : 'The server could not be reached for an editor token. Try again.';
        setFrame({ state: 'failed', url, reason: 'token', message });
      },
    );
  }, []);

  const onLoad = useCallback(() => {
    clearTimeout(silence.current);
    if (readySinceLoad.current) {
      readySinceLoad.current = false;
      return;
    }
    silence.current = setTimeout(() => {
      if (readySinceLoad.current) {
        readySinceLoad.current = false;
        return;
      }
      setFrame((f) =>
        f.state === 'idle' || f.state === 'token'
          ? f
          : {
              state: 'failed',
              url: f.url,
              reason: 'silent',
              message:
                'The page did not open in the editor. The frame shows the proxy’s answer, which says why: an address that is not allowed, a page that is not HTML, or the site answering with an error. Pages behind a login wall or bot protection cannot be fetched by the proxy; check their variants on the live site with a preview link.',
            },
      );
    }, SILENCE_MS);
  }, []);

  const onAgent = useCallback((message: AgentMessage) => {
    if (message.type === 'ready') {
      readySinceLoad.current = true;
      setFrame({ state: 'ready', url: message.url, title: message.title });
    } else if (message.type === 'route') {
      setFrame((f) => (f.state === 'ready' ? { ...f, url: message.url } : f));
    }
  }, []);

  return { frame, src, origin, open, onLoad, onAgent };
}
