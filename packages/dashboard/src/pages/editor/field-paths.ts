/**
 * Where the API's 422 `details[].field` paths (`body.variants.1.content.redirect_url`) land in the
 * editor: the DOM id of the control that path names. The ids are built here and used by the
 * controls, so a path and its control cannot disagree.
 */

export const CONTENT_FIELDS = [
  'text',
  'html',
  'attributes',
  'styles',
  'css',
  'redirect_url',
  'hide',
  'payload',
  'js',
] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

const SETTINGS = [
  'name',
  'description',
  'url',
  'traffic_percentage',
  'traffic_allocation',
  'allow_custom_js',
];

export const ids = {
  setting: (name: string) => `exp-${name.replaceAll('_', '-')}`,
  type: 'exp-type',
  goal: (g: number) => `goal-${g}`,
  goals: 'exp-goals',
  targeting: 'exp-targeting',
  targetingRow: (r: number) => `targeting-row-${r}`,
  structure: 'exp-structure',
  element: (e: number, part: 'name' | 'selector' | 'variants') => `element-${e}-${part}`,
  variant: (e: number, v: number, part: 'name' | 'weight' | 'control' | 'content' | ContentField) =>
    `variant-${e}-${v}-${part}`,
  /** A key/value row of a variant's attributes or styles. */
  pair: (e: number, v: number, field: 'attributes' | 'styles', row: number, part: 'key' | 'value') =>
    `variant-${e}-${v}-${field}-${row}-${part}`,
};

const index = (segment: string | undefined) =>
  segment !== undefined && /^\d+$/.test(segment) ? Number(segment) : undefined;

function variantControl(e: number, v: number, rest: string[]): string | null {
  const [part, field] = rest;
  if (part === undefined || part === 'name') return ids.variant(e, v, 'name');
  if (part === 'weight') return ids.variant(e, v, 'weight');
  if (part === 'is_control') return ids.variant(e, v, 'control');
  if (part !== 'content') return null;
  return (CONTENT_FIELDS as readonly string[]).includes(field)
    ? ids.variant(e, v, field as ContentField)
    : ids.variant(e, v, 'content');
}

function elementControl(e: number, rest: string[]): string | null {
  const [part, v] = rest;
  if (part === undefined || part === 'name') return ids.element(e, 'name');
  if (part === 'selector') return ids.element(e, 'selector');
  if (part !== 'variants') return null;
  const variant = index(v);
  return variant === undefined ? ids.element(e, 'variants') : variantControl(e, variant, rest.slice(2));
}

export interface MapOptions {
  /** In rows mode an error inside `$and.N`/`$or.N` names row N; otherwise the JSON text. */
  targetingMode: 'rows' | 'json';
}

/** The id of the control a field path names, or null when no control of the editor holds it. */
export function controlForField(field: string, options: MapOptions): string | null {
  const [root, top, ...rest] = field.split('.');
  if (root !== 'body' || top === undefined) return null;
  if (SETTINGS.includes(top)) return rest.length === 0 ? ids.setting(top) : null;
  if (top === 'type') return ids.type;
  if (top === 'goals') {
    const g = index(rest[0]);
    return g === undefined ? ids.goals : ids.goal(g);
  }
  if (top === 'targeting') {
    const row = index(rest[1]);
    if (options.targetingMode === 'rows' && (rest[0] === '$and' || rest[0] === '$or') && row !== undefined)
      return ids.targetingRow(row);
    return ids.targeting;
  }
  // An ab_test is sent as the top-level selector and variants of its one element.
  if (top === 'selector') return rest.length === 0 ? ids.element(0, 'selector') : null;
  if (top === 'variants') return elementControl(0, ['variants', ...rest]);
  if (top === 'elements') {
    const e = index(rest[0]);
    return e === undefined ? ids.structure : elementControl(e, rest.slice(1));
  }
  return null;
}

export interface FieldMessage {
  field: string;
  message: string;
}

/** The messages by control id, and those no control holds (shown in the summary). */
export function placeErrors(
  details: readonly FieldMessage[],
  options: MapOptions,
): { placed: Map<string, string[]>; unplaced: FieldMessage[] } {
  const placed = new Map<string, string[]>();
  const unplaced: FieldMessage[] = [];
  for (const detail of details) {
    const id = controlForField(detail.field, options);
    if (id === null) unplaced.push(detail);
    else placed.set(id, [...(placed.get(id) ?? []), detail.message]);
  }
  return { placed, unplaced };
}
