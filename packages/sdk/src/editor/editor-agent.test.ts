// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EditorAgent, startEditorAgent } from './editor-agent.js';
import { OVERLAY_ATTRIBUTE } from './overlay.js';
import { type AgentMessage, EDITOR_PROTOCOL } from './protocol.js';

const REAL = 'https://shop.example/pricing?plan=pro#faq';
const PARENT = 'https://dashboard.example';
const PROXY = 'http://localhost:3000/api/v1/visual-editor/proxy?url=x&token=secret';

/** The dashboard's window, as the agent sees it: a postMessage target and a message source. */
class Dashboard {
  sent: Array<{ message: AgentMessage; targetOrigin: string }> = [];
  postMessage(message: AgentMessage, targetOrigin: string) {
    this.sent.push({ message, targetOrigin });
  }
  messages<T extends AgentMessage['type']>(type: T) {
    return this.sent
      .map((s) => s.message)
      .filter((m): m is Extract<AgentMessage, { type: T }> => m.type === type);
  }
  /** Delivers a message to the agent as the browser would, from `source` on `origin`. */
  send(data: unknown, origin = PARENT, source: unknown = this) {
    dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
  }
  msg(type: string, fields: Record<string, unknown> = {}) {
    this.send({ samplit: EDITOR_PROTOCOL, type, ...fields });
  }
}

let dashboard: Dashboard;
let agent: EditorAgent | undefined;
const pageListeners: Array<[EventTarget, string, EventListener]> = [];
/** A page script's listener (removed after each test). */
const listen = (target: EventTarget, type: string, fn: EventListener) => {
  target.addEventListener(type, fn);
  pageListeners.push([target, type, fn]);
};
const $ = (selector: string) => document.querySelector(selector) as HTMLElement;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** As the proxy serves a page: at the proxy URL, with the real page as <base>. */
function proxiedPage(body: string, base = REAL.replace(/#.*/, '')) {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(PROXY);
  document.head.innerHTML = `<base href="${base}"><title>Pricing</title>`;
  document.body.innerHTML = body;
}

function start() {
  agent = startEditorAgent({ url: REAL, parentOrigin: PARENT, parent: dashboard as unknown as Window });
  expect(agent).toBeDefined();
}

function click(el: Element, init: MouseEventInit = {}) {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init });
  el.dispatchEvent(event);
  return event;
}

beforeEach(() => {
  dashboard = new Dashboard();
});

afterEach(() => {
  agent?.stop();
  agent = undefined;
  for (const [target, type, fn] of pageListeners.splice(0)) target.removeEventListener(type, fn);
  document.body.innerHTML = '';
  document.head.innerHTML = '';
});

describe('editor agent: start-up and history', () => {
  it('puts the real path in place of the proxy URL and reports ready with the real URL', () => {
    proxiedPage('<h1 id="headline">Plans</h1>');
    start();
    expect(location.href).toBe('http://localhost:3000/pricing?plan=pro#faq');
    expect(location.href).not.toContain('secret');
    expect(dashboard.sent).toEqual([
      {
        message: { samplit: EDITOR_PROTOCOL, type: 'ready', url: REAL, title: 'Pricing' },
        targetOrigin: PARENT,
      },
    ]);
  });

  it("lands the page's pushState('/x') on /x and reports the route", () => {
    proxiedPage('');
    start();
    history.pushState({ step: 1 }, '', '/x');
    expect(location.pathname).toBe('/x');
    expect(history.state).toEqual({ step: 1 });
    expect(dashboard.messages('route')).toEqual([
      { samplit: EDITOR_PROTOCOL, type: 'route', url: 'https://shop.example/x' },
    ]);

    // Relative to the current route (the base follows it, as the real page's URL would), and
    // absolute URLs of the real site.
    history.pushState(null, '', '/shop/cart');
    history.pushState(null, '', 'checkout?step=2');
    expect(location.pathname + location.search).toBe('/shop/checkout?step=2');
    expect(document.baseURI).toBe('https://shop.example/shop/checkout?step=2');
    history.replaceState(null, '', 'https://shop.example/done#ok');
    expect(location.href).toBe('http://localhost:3000/done#ok');
    expect(dashboard.messages('route').map((m) => m.url)).toEqual([
      'https://shop.example/x',
      'https://shop.example/shop/cart',
      'https://shop.example/shop/checkout?step=2',
      'https://shop.example/done#ok',
    ]);
    // A state change that keeps the URL is not a route change.
    history.replaceState({ again: true }, '');
    expect(dashboard.messages('route')).toHaveLength(4);
  });

  it('throws where the page’s call would have thrown, and only there', () => {
    proxiedPage('');
    start();
    expect(() => history.pushState(null, '', 'https://other.example/')).toThrow(/pushState/);
    expect(() => history.pushState(null, '')).not.toThrow();
    expect(location.pathname).toBe('/pricing');
  });

  it('reports hash changes', async () => {
    proxiedPage('');
    start();
    location.hash = '#plans';
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(dashboard.messages('route').map((m) => m.url)).toEqual([
      'https://shop.example/pricing?plan=pro#plans',
    ]);
  });

  it('does nothing without a usable script tag', () => {
    proxiedPage('');
    expect(startEditorAgent({ url: '', parentOrigin: PARENT })).toBeUndefined();
    expect(startEditorAgent({ url: 'javascript:alert(1)', parentOrigin: PARENT })).toBeUndefined();
    expect(startEditorAgent({ url: REAL, parentOrigin: 'https://dashboard.example/path' })).toBeUndefined();
    expect(location.href).toBe(PROXY);
  });
});

describe('editor agent: messages', () => {
  beforeEach(() => {
    proxiedPage('<p class="price">9</p><p class="price">19</p>');
    start();
    dashboard.sent = [];
  });

  it('answers the parent window on the parent origin', () => {
    dashboard.msg('count', { requestId: 1, selector: '.price' });
    dashboard.msg('count', { requestId: 'b', selector: 'p[' });
    expect(dashboard.sent).toEqual([
      {
        message: { samplit: EDITOR_PROTOCOL, type: 'count', requestId: 1, selector: '.price', count: 2 },
        targetOrigin: PARENT,
      },
      {
        message: { samplit: EDITOR_PROTOCOL, type: 'count', requestId: 'b', selector: 'p[', count: -1 },
        targetOrigin: PARENT,
      },
    ]);
  });

  it('ignores a message from another origin or another window', () => {
    const count = { samplit: EDITOR_PROTOCOL, type: 'count', requestId: 1, selector: '.price' };
    dashboard.send(count, 'https://evil.example');
    dashboard.send(count, 'http://localhost:3000'); // the proxied page itself
    dashboard.send(count, PARENT, window); // right origin claimed, wrong window
    dashboard.send(count, PARENT, null);
    expect(dashboard.sent).toEqual([]);
    dashboard.send(count);
    expect(dashboard.sent).toHaveLength(1);
  });

  it('ignores messages of unknown shape without throwing', () => {
    for (const data of [
      null,
      'count',
      42,
      [],
      { type: 'count', requestId: 1, selector: 'p' },
      { samplit: 'editor/2', type: 'count', requestId: 1, selector: 'p' },
      { samplit: EDITOR_PROTOCOL, type: 'count', selector: 'p' },
      { samplit: EDITOR_PROTOCOL, type: 'count', requestId: {}, selector: 'p' },
      { samplit: EDITOR_PROTOCOL, type: 'mode', mode: 'edit' },
      { samplit: EDITOR_PROTOCOL, type: 'preview', variants: 'all' },
      { samplit: EDITOR_PROTOCOL, type: 'preview', variants: [{ selector: 'p', content: { text: 5 } }] },
      { samplit: EDITOR_PROTOCOL, type: 'select' },
      { samplit: EDITOR_PROTOCOL, type: 'unknown' },
    ])
      dashboard.send(data);
    expect(dashboard.sent).toEqual([]);
    expect($('.price').textContent).toBe('9');
  });

  it('select: selects the first match and answers selected', () => {
    $('.price').setAttribute('title', 'Basic');
    dashboard.msg('select', { selector: '.price' });
    expect(dashboard.messages('selected')).toEqual([
      {
        samplit: EDITOR_PROTOCOL,
        type: 'selected',
        selector: '.price',
        count: 2,
        tag: 'p',
        text: '9',
        html: '9',
        attributes: { class: 'price', title: 'Basic' },
      },
    ]);
    dashboard.msg('select', { selector: '.missing' });
    expect(dashboard.messages('selected')).toHaveLength(1);
  });

  it('highlight: the overlay is drawn outside the page and never counted', async () => {
    const before = document.querySelectorAll('*').length;
    dashboard.msg('highlight', { selector: '.price' });
    await frame();
    expect(document.querySelector(`[${OVERLAY_ATTRIBUTE}]`)?.parentElement).toBe(document.documentElement);
    expect(document.querySelectorAll('*').length).toBe(before + 1);
    dashboard.msg('count', { requestId: 1, selector: '*' });
    expect(dashboard.messages('count')[0].count).toBe(before);
  });
});

describe('editor agent: preview', () => {
  it('applies variants with applyContent, reverts the previous preview, and never runs js', async () => {
    proxiedPage('<h1 id="headline">Original</h1><a id="cta" href="/signup">Start</a>');
    start();
    dashboard.msg('preview', {
      variants: [
        { selector: '#headline', content: { text: 'Variant B', js: 'window.__ran = true' } },
        {
          selector: '#cta',
          content: { attributes: { href: '/trial' }, styles: { backgroundColor: 'green' } },
        },
        { selector: null, content: { css: 'body { margin: 7px }' } },
      ],
    });
    expect($('#headline').textContent).toBe('Variant B');
    expect($('#cta').getAttribute('href')).toBe('/trial');
    expect(getComputedStyle($('#cta')).backgroundColor).toBe('green');
    expect(getComputedStyle(document.body).margin).toBe('7px');
    expect((window as { __ran?: boolean }).__ran).toBeUndefined();
    expect(document.querySelectorAll('script')).toHaveLength(0);

    // A re-render of the element keeps the preview (dom-mutator).
    $('#headline').textContent = 'Re-rendered';
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect($('#headline').textContent).toBe('Variant B');

    // The next preview replaces this one whole; a reverted element shows the page's own latest
    // render (dom-mutator keeps what the page wrote as the original).
    dashboard.msg('preview', { variants: [{ selector: '#cta', content: { text: 'Buy now' } }] });
    expect($('#headline').textContent).toBe('Re-rendered');
    expect($('#cta').getAttribute('href')).toBe('/signup');
    expect($('#cta').textContent).toBe('Buy now');
    expect(getComputedStyle(document.body).margin).not.toBe('7px');

    dashboard.msg('preview', { variants: [] });
    expect($('#cta').textContent).toBe('Start');
  });
});

describe('editor agent: select mode', () => {
  it("cancels the page's handlers and navigation, and reports the element", () => {
    proxiedPage('<main><button id="buy">Buy</button><a id="next" href="/next">Next</a></main>');
    start();
    let pageClicks = 0;
    listen($('#buy'), 'click', () => pageClicks++);
    listen(document, 'click', () => pageClicks++);
    listen(window, 'click', () => pageClicks++);
    listen(window, 'mousedown', () => pageClicks++);
    $('#buy').setAttribute('onclick', 'window.__inline = true');

    $('#buy').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    const buy = click($('#buy'));
    expect(buy.defaultPrevented).toBe(true);
    expect(pageClicks).toBe(0);
    expect((window as { __inline?: boolean }).__inline).toBeUndefined();

    const next = click($('#next'));
    expect(next.defaultPrevented).toBe(true); // no navigation
    expect(pageClicks).toBe(0);
    expect(location.pathname).toBe('/pricing');

    expect(dashboard.messages('selected').map((m) => [m.selector, m.count, m.tag, m.text])).toEqual([
      ['#buy', 1, 'button', 'Buy'],
      ['#next', 1, 'a', 'Next'],
    ]);
    expect(dashboard.messages('navigate')).toEqual([]);
  });

  it('stops touch events without preventing them (the page still scrolls), and never picks its own overlay', async () => {
    proxiedPage('<button id="buy">Buy</button>');
    start();
    let touches = 0;
    listen($('#buy'), 'touchstart', () => touches++);
    const touch = new Event('touchstart', { bubbles: true, cancelable: true });
    $('#buy').dispatchEvent(touch);
    expect(touches).toBe(0);
    expect(touch.defaultPrevented).toBe(false);

    $('#buy').dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    await frame();
    const host = document.querySelector(`[${OVERLAY_ATTRIBUTE}]`)!;
    expect(host).not.toBeNull();
    click(host);
    expect(dashboard.messages('selected')).toEqual([]);
  });

  it('cancels form submission', () => {
    proxiedPage('<form action="/search"><input name="q" value="x"><button>Go</button></form>');
    start();
    let submitted = 0;
    listen(document, 'submit', () => submitted++);
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    $('form').dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
    expect(submitted).toBe(0);
  });

  it('lets the page run again after switching to interact mode', () => {
    proxiedPage('<button id="buy">Buy</button>');
    start();
    let pageClicks = 0;
    listen($('#buy'), 'click', () => pageClicks++);
    dashboard.msg('mode', { mode: 'interact' });
    click($('#buy'));
    expect(pageClicks).toBe(1);
    expect(dashboard.messages('selected')).toEqual([]);
  });
});

describe('editor agent: interact mode', () => {
  beforeEach(() => {
    proxiedPage(`
      <a id="plain" href="/features?x=1">Features</a>
      <a id="routed" href="/pricing/team">Team</a>
      <a id="later" href="/about">About</a>
      <a id="anchor" href="#plans">Plans</a>
      <a id="mail" href="mailto:hi@shop.example">Mail</a>
      <form id="search" action="/search"><input name="q" value="red shoes"><button>Go</button></form>
      <form id="post" method="post" action="/subscribe"><input name="email" value="a@b.c"></form>`);
    start();
    dashboard.msg('mode', { mode: 'interact' });
  });

  it('posts navigate for a link the page did not handle, and cancels the navigation', () => {
    const event = click($('#plain'));
    expect(event.defaultPrevented).toBe(true);
    expect(dashboard.messages('navigate')).toEqual([
      { samplit: EDITOR_PROTOCOL, type: 'navigate', url: 'https://shop.example/features?x=1' },
    ]);
  });

  it('leaves a link the page handled to the page', () => {
    // A router on the document (registered before the click), and one on window registered after
    // the agent: the agent's check still runs after both.
    listen(document, 'click', (e) => {
      if ((e.target as Element).id === 'routed') {
        e.preventDefault();
        history.pushState(null, '', '/pricing/team');
      }
    });
    listen(window, 'click', (e) => {
      if ((e.target as Element).id === 'later') e.preventDefault();
    });
    click($('#routed'));
    click($('#later'));
    expect(dashboard.messages('navigate')).toEqual([]);
    expect(dashboard.messages('route').map((m) => m.url)).toEqual(['https://shop.example/pricing/team']);
  });

  it('keeps in-page anchors in the page and drops other schemes', async () => {
    click($('#anchor'));
    click($('#mail'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(location.hash).toBe('#plans');
    expect(dashboard.messages('navigate')).toEqual([]);
  });

  it('turns a GET form into navigate and blocks a POST form', () => {
    ($('#search') as HTMLFormElement).requestSubmit();
    expect(dashboard.messages('navigate').map((m) => m.url)).toEqual([
      'https://shop.example/search?q=red+shoes',
    ]);
    const post = new Event('submit', { bubbles: true, cancelable: true });
    $('#post').dispatchEvent(post);
    expect(post.defaultPrevented).toBe(true);
    expect(dashboard.messages('navigate')).toHaveLength(1);
  });
});
