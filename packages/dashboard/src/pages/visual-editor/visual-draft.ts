import type { ContentDraft } from '../editor/content-draft.js';
import { draftToContent } from '../editor/content-draft.js';
import {
  activeElements,
  type Draft,
  type ElementDraft,
  freshElementName,
  freshVariantName,
  newElement,
  newVariant,
} from '../editor/experiment-draft.js';
import type { DashboardMessage, PreviewContent } from './protocol.js';

/**
 * The visual editor's changes to the editor's Draft (experiment-draft.ts): the same state the edit
 * page holds, so Save builds its PATCH with the same updateBody.
 */

/** Which variant of each element is shown: the combination being previewed and edited. */
export type Choice = readonly number[];

/** Each element's control, the combination a visitor who is not enrolled sees. */
export const controlChoice = (draft: Draft): number[] => draft.elements.map((element) => element.control);

/** A split URL test changes no element: its variants only redirect or add page CSS. */
export const selectorsApply = (draft: Draft) => draft.type !== 'split';

/**
 * Whether a selection can become an element of its own. An ab_test has exactly one element and the
 * API cannot change an experiment's type, so only a multi-element test grows.
 */
export const canAddElement = (draft: Draft) => draft.type === 'multi';

function mapElement(draft: Draft, e: number, change: (element: ElementDraft) => ElementDraft): Draft {
  return { ...draft, elements: draft.elements.map((element, i) => (i === e ? change(element) : element)) };
}

export const setSelector = (draft: Draft, e: number, selector: string): Draft =>
  mapElement(draft, e, (element) => ({ ...element, selector }));

export const renameElement = (draft: Draft, e: number, name: string): Draft =>
  mapElement(draft, e, (element) => ({ ...element, name }));

export const renameVariant = (draft: Draft, e: number, v: number, name: string): Draft =>
  mapElement(draft, e, (element) => ({
    ...element,
    variants: element.variants.map((variant, i) => (i === v ? { ...variant, name } : variant)),
  }));

export const setContent = (draft: Draft, e: number, v: number, content: ContentDraft): Draft =>
  mapElement(draft, e, (element) => ({
    ...element,
    variants: element.variants.map((variant, i) => (i === v ? { ...variant, content } : variant)),
  }));

/**
 * A new element (a control and one variant) on `selector`, last in the list; multi-element only.
 * Named after its place ("Element 3") when that name is free.
 */
export function addElement(draft: Draft, selector: string): { draft: Draft; e: number } {
  const taken = draft.elements.map((el) => el.name);
  const byPlace = `Element ${draft.elements.length + 1}`;
  const free = !taken.some((name) => name.trim().toLowerCase() === byPlace.toLowerCase());
  const element = { ...newElement(free ? byPlace : freshElementName(taken)), selector };
  return { draft: { ...draft, elements: [...draft.elements, element] }, e: draft.elements.length };
}

/** A new variant of element `e`, with nothing changed yet, and its index. */
export function addVariant(draft: Draft, e: number): { draft: Draft; v: number } {
  const element = draft.elements[e];
  const variant = newVariant(freshVariantName(element.variants.map((v) => v.name)));
  return {
    draft: mapElement(draft, e, (el) => ({ ...el, variants: [...el.variants, variant] })),
    v: element.variants.length,
  };
}

/**
 * The `preview` message for the combination `choice`: what the SDK would apply for it. Custom
 * JavaScript is never run in the editor, and a content field the API would refuse (a payload that
 * is not JSON) is left out rather than blocking the rest of the preview.
 */
export function previewMessage(draft: Draft, choice: Choice): Extract<DashboardMessage, { type: 'preview' }> {
  return {
    type: 'preview',
    variants: activeElements(draft).map((element, e) => {
      const variant = element.variants[choice[e] ?? element.control] ?? element.variants[0];
      const { js: _js, ...content } = draftToContent(variant.content).content;
      const selector = selectorsApply(draft) ? element.selector.trim() : '';
      return {
        selector: selector === '' ? null : selector,
        content: Object.keys(content).length > 0 ? (content as PreviewContent) : null,
      };
    }),
  };
}

/** "CTA Button: CTA-B · Hero Copy: Copy-Y"; an A/B test: the variant's name. */
export function combinationLabel(draft: Draft, choice: Choice): string {
  const elements = activeElements(draft);
  const name = (element: ElementDraft, e: number) =>
    element.variants[choice[e] ?? element.control]?.name || `Variant ${(choice[e] ?? 0) + 1}`;
  if (elements.length === 1) return name(elements[0], 0);
  return elements
    .map((element, e) => `${element.name || `Element ${e + 1}`}: ${name(element, e)}`)
    .join(' · ');
}

/** "matches 3 elements", for the count the agent reported (null: not known yet). */
export function matchText(count: number | null | 'no-answer' | undefined): string {
  if (count === undefined) return 'Open the page to count its matches.';
  if (count === null) return 'Counting matches…';
  if (count === 'no-answer') return 'The page did not answer; the matches are not known.';
  if (count === -1) return 'Not a valid CSS selector.';
  if (count === 0) return 'Matches no element on this page.';
  return `Matches ${count} element${count === 1 ? '' : 's'} on this page.`;
}

/** Without element `e` (a multi-element test keeps two at least: the caller checks). */
export const removeElement = (draft: Draft, e: number): Draft => ({
  ...draft,
  elements: draft.elements.filter((_, i) => i !== e),
});

/** Without variant `v` of element `e`; the control moves to the first when it was the one removed. */
export const removeVariant = (draft: Draft, e: number, v: number): Draft =>
  mapElement(draft, e, (element) => ({
    ...element,
    variants: element.variants.filter((_, i) => i !== v),
    control: element.control === v ? 0 : element.control > v ? element.control - 1 : element.control,
  }));

/** `choice` without position `e`, or with variant `v` of element `e` gone (shown: its neighbour). */
export function choiceWithout(choice: Choice, e: number, v?: number): number[] {
  if (v === undefined) return choice.filter((_, i) => i !== e);
  return choice.map((c, i) => (i !== e ? c : c > v ? c - 1 : c === v ? Math.max(0, v - 1) : c));
}
