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

export const GOAL_PARTS = ['key', 'kind', 'direction', 'role', 'threshold'] as const;
export type GoalPart = (typeof GOAL_PARTS)[number];

const SETTINGS = [
  'name',
  'description',
  'url',
  'traffic_percentage',
  'traffic_allocation',
  'planned_visitors',
  'allow_custom_js',
];

export const ids = {
  setting: (name: string) => `exp-${name.replaceAll('_', '-')}`,
  type: 'exp-type',
  goal: (g: number, part: GoalPart) => `goal-${g}-${part}`,
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
    if (g === undefined) return ids.goals;
    // `body.goals.N` itself (a duplicate key, a malformed goal) is about its key.
    const part = (GOAL_PARTS as readonly string[]).includes(rest[1]) ? (rest[1] as GoalPart) : 'key';
    return ids.goal(g, part);
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

const SETTING_LABELS: Record<string, string> = {
  [ids.setting('name')]: 'Name',
  [ids.setting('description')]: 'Description',
  [ids.setting('url')]: 'Page URL',
  [ids.setting('traffic_percentage')]: 'Traffic percentage',
  [ids.setting('traffic_allocation')]: 'Allocation',
  [ids.setting('planned_visitors')]: 'Planned visitors',
  [ids.setting('allow_custom_js')]: 'Allow custom JavaScript',
  [ids.type]: 'Type',
  [ids.goals]: 'Goals',
  [ids.targeting]: 'Targeting',
  [ids.structure]: 'Elements',
};

const PART_LABELS: Record<string, string> = {
  name: 'name',
  weight: 'weight',
  control: 'control',
  content: 'content',
  selector: 'CSS selector',
  variants: 'variants',
  text: 'text',
  html: 'HTML',
  attributes: 'attributes',
  styles: 'styles',
  css: 'CSS',
  redirect_url: 'redirect URL',
  hide: 'hide',
  payload: 'payload',
  js: 'custom JavaScript',
};

/** The control an id names, in words, for the error summary: "Element 1, variant 2 payload". */
export function describeControl(id: string, multi: boolean): string {
  if (SETTING_LABELS[id]) return SETTING_LABELS[id];
  let match = /^goal-(\d+)-(\w+)$/.exec(id);
  if (match) return `Goal ${Number(match[1]) + 1} ${match[2]}`;
  match = /^targeting-row-(\d+)$/.exec(id);
  if (match) return `Targeting rule ${Number(match[1]) + 1}`;
  match = /^element-(\d+)-(\w+)$/.exec(id);
  if (match) {
    const part = PART_LABELS[match[2]] ?? match[2];
    return multi ? `Element ${Number(match[1]) + 1} ${part}` : part[0].toUpperCase() + part.slice(1);
  }
  match = /^variant-(\d+)-(\d+)-(\w+)$/.exec(id);
  if (match) {
    const variant = `variant ${Number(match[2]) + 1}`;
    const who = multi
      ? `Element ${Number(match[1]) + 1}, ${variant}`
      : variant[0].toUpperCase() + variant.slice(1);
    return `${who} ${PART_LABELS[match[3]] ?? match[3]}`;
  }
  return id;
}
