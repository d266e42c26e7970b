// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react';
import { useRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentMessage } from './protocol.js';
import { type AgentFrame, COUNT_TIMEOUT_MS, useAgentFrame } from './use-agent-frame.js';

const AGENT = 'http://127.0.0.1:8001';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

interface HarnessProps {
  origin: string | null;
  onMessage(message: AgentMessage): void;
  expose(frame: AgentFrame): void;
}

function Harness({ origin, onMessage, expose }: HarnessProps) {
  const ref = useRef<HTMLIFrameElement>(null);
  expose(useAgentFrame(ref, origin, onMessage));
  return <iframe ref={ref} title="page" />;
}

/**
 * The hook on a real iframe element. happy-dom loads no frame content, so the frame's window is a
 * stand-in object: the hook compares `event.source` with it and posts to it.
 */
function setUp(origin: string | null = AGENT) {
  const received: AgentMessage[] = [];
  let frame!: AgentFrame;
  const posted = vi.fn();
  const frameWindow = { postMessage: posted };
  const defineWindow = (iframe: HTMLIFrameElement | null) => {
    if (iframe) Object.defineProperty(iframe, 'contentWindow', { configurable: true, value: frameWindow });
  };
  render(<Harness origin={origin} onMessage={(m) => received.push(m)} expose={(f) => (frame = f)} />);
  defineWindow(document.querySelector('iframe'));
  const send = (data: unknown, from: { origin?: string; source?: unknown } = {}) =>
    act(() => {
      window.dispatchEvent(
        new MessageEvent('message', {
          data,
          origin: from.origin ?? AGENT,
          source: (from.source === undefined ? frameWindow : from.source) as Window,
        }),
      );
    });
  return { received, frame: () => frame, posted, send };
}

const ready = { samplit: 'editor/1', type: 'ready', url: 'https://shop.example/pricing', title: 'Pricing' };

describe('the dashboard end of the editor protocol', () => {
  it('takes a message from the frame on the editor origin', async () => {
    const { received, send } = setUp();
    await send(ready);
    expect(received).toEqual([{ type: 'ready', url: 'https://shop.example/pricing', title: 'Pricing' }]);
  });

  it('ignores the right data from another origin, another window, or no window', async () => {
    const { received, send } = setUp();
    await send(ready, { origin: 'http://127.0.0.1:8000' }); // the dashboard's own origin
    await send(ready, { origin: 'https://shop.example' }); // the real site, framed directly
    await send(ready, { source: window }); // another window on the right origin
    await send(ready, { source: null });
    expect(received).toEqual([]);
  });

  it('ignores messages of another protocol or with malformed fields', async () => {
    const { received, send } = setUp();
    await send({ ...ready, samplit: 'editor/2' });
    await send({ type: 'ready', url: ready.url });
    await send({ ...ready, url: 'javascript:alert(1)' });
    await send({ samplit: 'editor/1', type: 'selected', selector: '', count: 1 });
    await send({ samplit: 'editor/1', type: 'selected', selector: '#cta', count: 1.5 });
    await send({ samplit: 'editor/1', type: 'count', requestId: 'c1', selector: '#cta', count: '3' });
    await send('{"samplit":"editor/1","type":"ready"}');
    expect(received).toEqual([]);
  });

  it('caps what a page could send: text, html and the attributes', async () => {
    const { received, send } = setUp();
    const attributes = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`data-a${i}`, 'x']));
    await send({
      samplit: 'editor/1',
      type: 'selected',
      selector: '#cta',
      count: 1,
      tag: 'BUTTON',
      text: 'x'.repeat(600),
      html: '<b>x</b>',
      attributes,
    });
    const [selected] = received;
    expect(selected).toMatchObject({ type: 'selected', selector: '#cta', count: 1, tag: 'button' });
    expect(selected.type === 'selected' && selected.text.length).toBe(500);
    expect(selected.type === 'selected' && Object.keys(selected.attributes).length).toBe(30);
  });

  it('posts to the frame with the editor origin as the target, and nothing without one', () => {
    const { frame, posted } = setUp();
    expect(frame().post({ type: 'mode', mode: 'interact' })).toBe(true);
    expect(posted).toHaveBeenCalledWith({ samplit: 'editor/1', type: 'mode', mode: 'interact' }, AGENT);
    cleanup();
    const unknown = setUp(null);
    expect(unknown.frame().post({ type: 'mode', mode: 'select' })).toBe(false);
    expect(unknown.posted).not.toHaveBeenCalled();
  });

  it('pairs a count with its answer by request id, and gives up without one', async () => {
    vi.useFakeTimers();
    const { frame, posted, send } = setUp();
    const first = frame().count('#cta');
    const second = frame().count('.nope[');
    const [[a], [b]] = posted.mock.calls as [{ requestId: string; selector: string }][];
    expect(a).toMatchObject({ type: 'count', selector: '#cta' });
    expect(a.requestId).not.toBe(b.requestId);
    // Answered out of order; an answer from the wrong origin does not count.
    await send(
      { samplit: 'editor/1', type: 'count', requestId: b.requestId, selector: '.nope[', count: 5 },
      { origin: 'https://evil.example' },
    );
    await send({ samplit: 'editor/1', type: 'count', requestId: b.requestId, selector: '.nope[', count: -1 });
    await send({ samplit: 'editor/1', type: 'count', requestId: a.requestId, selector: '#cta', count: 1 });
    await expect(first).resolves.toBe(1);
    await expect(second).resolves.toBe(-1);
    const unanswered = frame().count('h1');
    vi.advanceTimersByTime(COUNT_TIMEOUT_MS + 1);
    await expect(unanswered).resolves.toBeNull();
  });
});
