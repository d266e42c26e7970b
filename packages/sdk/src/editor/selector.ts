/**
 * The selector the editor proposes for a picked element: a unique id that does not look generated,
 * else a unique stable test attribute, else @medv/finder's shortest unique path over ids, classes
 * and stable attributes that do not look generated, and tag names with :nth-of-type/:nth-child.
 * Generated names change with every build or render, so a selector built on them would stop
 * matching the element the experiment was made for.
 */
import { finder } from '@medv/finder';

/** Attributes sites add for tests and tooling: stable across builds by intent. */
export const STABLE_ATTRIBUTES = ['data-testid', 'data-test', 'data-test-id', 'data-qa', 'data-cy'];

/** The editor's own markers (overlay host, agent script tag) are never part of a selector. */
const EDITOR_ATTRIBUTE_PREFIX = 'data-samplit-editor';

export function isStableAttribute(name: string): boolean {
  return (
    STABLE_ATTRIBUTES.includes(name) ||
    (name.startsWith('data-samplit') && !name.startsWith(EDITOR_ATTRIBUTE_PREFIX))
  );
}

const stableValue = (value: string) => value.length > 0 && value.length < 100 && !/[\n\r]/.test(value);

/** Prefixes of names that CSS-in-JS libraries, scoped styles and frameworks generate. */
const GENERATED_PREFIX = /^(css|jsx|svelte|astro|emotion|sc)-|^ng-|^(ember|jss)\d+$|^_?[rR]_[\da-z]*_$/;

/**
 * Whether an id or class name looks generated (a build hash, a render counter) or cannot be
 * written as a plain CSS identifier: css-1x2y3z (Emotion), sc-abc and bZdVnR (styled-components),
 * jsx-123 (styled-jsx), :r1: and _r_1_ (React's useId), ember123, ng-star-inserted (Angular),
 * Button_primary__3xYz1 (CSS modules), long digit runs and hex hashes.
 */
export function looksGenerated(name: string): boolean {
  if (!/^-?[A-Za-z_][\w-]*$/.test(name) || name.length > 60) return true;
  if (GENERATED_PREFIX.test(name)) return true;
  if (/\d{4,}/.test(name)) return true;
  // A hex run of 6+ that mixes digits and letters: a content hash (a1b2c3, 9f86d081).
  for (const run of name.match(/[\da-f]{6,}/gi) ?? []) if (/\d/.test(run) && /[a-f]/i.test(run)) return true;
  // A part that mixes letters and digits in more than one run or in both cases: 1x2y3z, 3xYz1.
  for (const part of name.split(/[-_]+/)) {
    if (!/\d/.test(part) || !/[a-z]/i.test(part)) continue;
    if ((part.match(/\d+/g) ?? []).length > 1 || (/[a-z]/.test(part) && /[A-Z]/.test(part))) return true;
  }
  // A short camel-case-looking run of random letters (styled-components' bZdVnR, kXqsyZ), told from
  // real camel case (myNavBar) by its chunks that are too short or have no vowel.
  if (/^[a-z][a-zA-Z]{4,7}$/.test(name) && (name.match(/[A-Z]/g) ?? []).length >= 2) {
    const chunks = name.split(/(?=[A-Z])/).slice(1);
    if (chunks.some((w) => w.length < 3 || !/[aeiou]/i.test(w))) return true;
  }
  return false;
}

const cssString = (value: string) => '"' + value.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\a ') + '"';

/** The elements a selector matches, without the editor's own; `null` for an invalid selector. */
export function matchAll(selector: string, isOwn: (el: Element) => boolean): Element[] | null {
  try {
    return [...document.querySelectorAll(selector)].filter((el) => !isOwn(el));
  } catch {
    return null;
  }
}

const isUnique = (selector: string, el: Element) => {
  try {
    const found = document.querySelectorAll(selector);
    return found.length === 1 && found[0] === el;
  } catch {
    return false;
  }
};

/** A selector that matches `el` alone, preferring what survives site rebuilds (see the file's head). */
export function selectorFor(el: Element): string {
  const id = el.getAttribute('id');
  if (id && !looksGenerated(id)) {
    const byId = '#' + CSS.escape(id);
    if (isUnique(byId, el)) return byId;
  }
  for (const name of STABLE_ATTRIBUTES) {
    const value = el.getAttribute(name);
    if (value == null || !stableValue(value)) continue;
    const byAttribute = `[${name}=${cssString(value)}]`;
    if (isUnique(byAttribute, el)) return byAttribute;
  }
  try {
    return finder(el, {
      root: document.body ?? document.documentElement,
      idName: (name) => !looksGenerated(name),
      className: (name) => !looksGenerated(name),
      attr: (name, value) => isStableAttribute(name) && stableValue(value),
      tagName: () => true,
      timeoutMs: 500,
    });
  } catch {
    return structuralPath(el);
  }
}

/** `html > body:nth-of-type(1) > …`: unique by construction, the last resort. */
function structuralPath(el: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = el; node && node !== document.documentElement; node = node.parentElement) {
    const tag = node.localName;
    let index = 1;
    for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling)
      if (sibling.localName === tag) index++;
    parts.unshift(`${CSS.escape(tag)}:nth-of-type(${index})`);
  }
  return ['html', ...parts].join(' > ');
}
