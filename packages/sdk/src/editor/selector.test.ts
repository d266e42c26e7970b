// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { OVERLAY_ATTRIBUTE, OVERLAY_TAG } from './overlay.js';
import { looksGenerated, matchAll, selectorFor } from './selector.js';

const $ = (selector: string) => document.querySelector(selector)!;
/** The proposed selector, checked to match exactly the element it was made for. */
const proposed = (el: Element) => {
  const selector = selectorFor(el);
  const found = document.querySelectorAll(selector);
  expect(found.length).toBe(1);
  expect(found[0]).toBe(el);
  return selector;
};

afterEach(() => {
  document.body.innerHTML = '';
  for (const el of document.querySelectorAll(OVERLAY_TAG)) el.remove();
});

describe('looksGenerated', () => {
  it.each([
    'css-1x2y3z',
    'css-b7ugz0-Button',
    'sc-abc',
    'sc-bdnylx',
    'jsx-123',
    'jsx-2946165493',
    ':r1:',
    '«r1»',
    '_r_1_',
    'ember123',
    'jss42',
    'ng-star-inserted',
    'ng-tns-c12-0',
    'svelte-1xk2a9',
    'Button_primary__3xYz1',
    'a1b2c3d4e5',
    'e3b0c442',
    'item-1234567',
    'bZdVnR',
    'kXqsyZ',
    '123abc',
    'w-1/2',
  ])('%s looks generated', (name) => {
    expect(looksGenerated(name)).toBe(true);
  });

  it.each([
    'cta',
    'hero-title',
    'nav_pricing',
    'btn-lg',
    'text-2xl',
    'col-md-6',
    'step2',
    'isOpen',
    'myNavBar',
    'MuiButton-root',
    'product-card__title--highlighted',
  ])('%s does not', (name) => {
    expect(looksGenerated(name)).toBe(false);
  });
});

describe('selectorFor', () => {
  it('prefers a unique id', () => {
    document.body.innerHTML =
      '<main><a id="cta" class="button primary" data-testid="hero-cta">Buy</a></main>';
    expect(proposed($('a'))).toBe('#cta');
  });

  it('passes over a duplicated or generated id for a stable test attribute', () => {
    document.body.innerHTML =
      '<div id="dup"><button id=":r1:" data-testid="signup">Sign up</button></div><p id="dup">x</p>';
    expect(proposed($('button'))).toBe('[data-testid="signup"]');
    document.body.innerHTML = '<span id="dup" data-qa="price">9</span><span id="dup">8</span>';
    expect(proposed($('[data-qa]'))).toBe('[data-qa="price"]');
  });

  it('uses data-samplit attributes but not the editor’s own', () => {
    document.body.innerHTML = '<p><b data-samplit="headline">Hi</b></p><p><b>Other</b></p>';
    expect(proposed($('[data-samplit]'))).toBe('[data-samplit="headline"]');
    document.body.innerHTML = '<p><b data-samplit-editor-x="1">Hi</b></p><p><b>Other</b></p>';
    expect(proposed($('[data-samplit-editor-x]'))).not.toContain('data-samplit-editor');
  });

  it('never builds on generated class names or ids', () => {
    document.body.innerHTML = `
      <div class="css-1x2y3z sc-abc"><button class="jsx-123 bZdVnR">One</button></div>
      <div class="css-9q8w7e sc-def"><button class="jsx-456 kXqsyZ" id="ember123">Two</button></div>`;
    const selector = proposed(document.querySelectorAll('button')[1]);
    expect(selector).not.toMatch(/css-|sc-|jsx-|bZdVnR|kXqsyZ|ember/);
  });

  it('uses a stable class and nth-child paths when nothing else tells elements apart', () => {
    document.body.innerHTML = `
      <ul class="plans"><li>Free</li><li>Pro</li><li>Team</li></ul>
      <ul class="features"><li>Fast</li><li>Safe</li></ul>`;
    const pro = document.querySelectorAll('.plans li')[1];
    const selector = proposed(pro);
    expect(selector).toContain('.plans');
    expect(selector).toMatch(/nth-(child|of-type)\(2\)/);
    // Every item gets its own unique selector.
    const all = [...document.querySelectorAll('li')].map(proposed);
    expect(new Set(all).size).toBe(5);
  });

  it('anchors on a stable ancestor id', () => {
    document.body.innerHTML = `
      <section id="pricing"><div><div><a class="x9f3k2a1">Start</a></div></div></section>
      <section id="faq"><div><div><a class="x9f3k2a1">Ask</a></div></div></section>`;
    const selector = proposed($('#faq a'));
    expect(selector).toContain('#faq');
    expect(selector).not.toContain('x9f3k2a1');
  });

  it('is unique even when every element looks alike', () => {
    document.body.innerHTML =
      '<div><span>a</span><span>b</span></div><div><span>c</span><span>d</span></div>';
    for (const span of document.querySelectorAll('span')) proposed(span);
  });
});

describe('matchAll', () => {
  it('leaves out the editor’s overlay and returns null for an invalid selector', () => {
    document.body.innerHTML = '<p>a</p><p>b</p>';
    const host = document.createElement(OVERLAY_TAG);
    host.setAttribute(OVERLAY_ATTRIBUTE, '');
    document.documentElement.appendChild(host);
    const isOwn = (el: Element) => el.hasAttribute(OVERLAY_ATTRIBUTE);
    expect(matchAll('p', isOwn)).toHaveLength(2);
    expect(matchAll(`${OVERLAY_TAG}, p`, isOwn)).toHaveLength(2);
    expect(matchAll('html > *', isOwn)!.map((el) => el.localName)).toEqual(['head', 'body']);
    expect(matchAll('p[', isOwn)).toBeNull();
  });
});
