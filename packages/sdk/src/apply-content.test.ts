// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { applyContent } from './apply-content.js';
import { variant } from './fake-tracker.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (selector: string) => document.querySelector(selector) as HTMLElement;
const reverts: Array<() => void> = [];
const apply = (...args: Parameters<typeof applyContent>) => {
  const revert = applyContent(...args);
  reverts.push(revert);
  return revert;
};

afterEach(() => {
  for (const revert of reverts.splice(0)) revert();
  document.body.innerHTML = '';
});

describe('applyContent', () => {
  it('sets text (escaped), and restores the original', () => {
    document.body.innerHTML = '<h1 id="headline">Original <b>headline</b></h1>';
    const revert = apply([variant('#headline', { text: 'New <i>headline</i> & more' })]);
    expect($('#headline').textContent).toBe('New <i>headline</i> & more');
    expect($('#headline').querySelector('i')).toBeNull();
    revert();
    expect($('#headline').innerHTML).toBe('Original <b>headline</b>');
  });

  it('sets html and attributes, removing attributes set to null', () => {
    document.body.innerHTML = '<a id="cta" href="/a" title="old">Buy</a>';
    const revert = apply([
      variant('#cta', { html: '<span>Start</span>', attributes: { href: '/b', title: null, 'data-x': '1' } }),
    ]);
    const cta = $('#cta');
    expect(cta.innerHTML).toBe('<span>Start</span>');
    expect(cta.getAttribute('href')).toBe('/b');
    expect(cta.hasAttribute('title')).toBe(false);
    expect(cta.getAttribute('data-x')).toBe('1');
    revert();
    expect(cta.innerHTML).toBe('Buy');
    expect(cta.getAttribute('href')).toBe('/a');
    expect(cta.getAttribute('title')).toBe('old');
    expect(cta.hasAttribute('data-x')).toBe(false);
  });

  it('applies styles, hide and page CSS through a stylesheet, and removes it on revert', () => {
    document.body.innerHTML = '<button id="cta" style="color: blue">Buy</button><p id="promo">Sale</p>';
    const sheets = document.adoptedStyleSheets.length;
    const revert = apply([
      variant('#cta', { styles: { backgroundColor: 'green', color: 'white' }, css: 'body { margin: 3px }' }),
      variant('#promo', { hide: true }),
    ]);
    expect(getComputedStyle($('#cta')).backgroundColor).toBe('green');
    expect(getComputedStyle($('#cta')).color).toBe('white'); // !important beats the inline style
    expect(getComputedStyle($('#promo')).display).toBe('none');
    expect(getComputedStyle(document.body).margin).toBe('3px');
    revert();
    expect(document.adoptedStyleSheets.length).toBe(sheets);
    expect(getComputedStyle($('#promo')).display).not.toBe('none');
    expect($('#cta').getAttribute('style')).toBe('color: blue');
  });

  it('applies content to elements rendered later (single-page apps)', async () => {
    apply([variant('#late', { text: 'Variant B' })]);
    const view = document.createElement('div');
    view.innerHTML = '<h2 id="late">Original</h2>';
    document.body.appendChild(view);
    await tick();
    expect($('#late').textContent).toBe('Variant B');
  });

  it('re-applies content when the site re-renders the element', async () => {
    document.body.innerHTML = '<h1 id="headline">Original</h1>';
    apply([variant('#headline', { text: 'Variant B' })]);
    $('#headline').textContent = 'Re-rendered original';
    await tick();
    expect($('#headline').textContent).toBe('Variant B');
  });

  it('applies several elements of a multi-element combination', () => {
    document.body.innerHTML = '<h1>Hi</h1><button id="cta">Buy</button>';
    apply([variant('h1', { text: 'Hello' }), variant('#cta', { text: 'Start' })]);
    expect($('h1').textContent).toBe('Hello');
    expect($('#cta').textContent).toBe('Start');
  });

  it('ignores invalid selectors, missing selectors and empty content without throwing', () => {
    document.body.innerHTML = '<h1>Hi</h1>';
    expect(() =>
      apply([
        variant('#(bad', { text: 'x', styles: { color: 'red' } }),
        variant(null, { text: 'y', payload: { plan: 'pro' } }),
        variant('h1', null),
        variant('h1', {}),
      ]),
    ).not.toThrow();
    expect($('h1').textContent).toBe('Hi');
  });

  it('runs custom JavaScript as a script element carrying the nonce', () => {
    apply([variant(null, { js: 'window.__samplitRan = true' })], 'n0nce');
    const script = document.head.querySelector('script:last-of-type') as HTMLScriptElement;
    expect(script.textContent).toBe('window.__samplitRan = true');
    expect(script.nonce).toBe('n0nce');
  });
});
