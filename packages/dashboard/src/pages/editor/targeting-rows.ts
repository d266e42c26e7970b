/**
 * The targeting builder's model: rows of attribute / operator / value joined by "all" or "any",
 * and the two conversions between rows and the MongoDB-style condition the API takes
 * (`TARGETING_DESCRIPTION` in the server's experiments/targeting.ts).
 *
 * The builder writes `{"$and": [...]}` or `{"$or": [...]}` with one field per entry. It reads
 * that shape back, and also a plain object of field conditions (the API's own example,
 * `{"language": "de"}`), which means "all". Anything else (`$nor`, `$not`, `$elemMatch`, nested
 * groups, two operators on one field, non-string values where a row holds text) is not
 * representable: `conditionToRows` says why and the page keeps it as raw JSON, so no part of a
 * rule is ever dropped by the builder.
 */

/** The fields of the assign request's context a rule can test; `attribute` is `attributes.<name>`. */
export const CONTEXT_FIELDS = ['url', 'referrer', 'user_agent', 'language', 'attribute'] as const;
export type ContextField = (typeof CONTEXT_FIELDS)[number];

export const OPERATORS = [
  { id: 'equals', label: 'equals' },
  { id: 'not_equals', label: 'does not equal' },
  { id: 'in', label: 'is in list' },
  { id: 'not_in', label: 'is not in list' },
  { id: 'contains', label: 'contains' },
  { id: 'matches', label: 'matches regex' },
  { id: 'exists', label: 'exists' },
  { id: 'not_exists', label: 'does not exist' },
  { id: 'gt', label: 'is greater than' },
  { id: 'gte', label: 'is at least' },
  { id: 'lt', label: 'is less than' },
  { id: 'lte', label: 'is at most' },
] as const;
export type OperatorId = (typeof OPERATORS)[number]['id'];

/** Operators whose row has no value input. */
export const VALUELESS: ReadonlySet<OperatorId> = new Set(['exists', 'not_exists']);
/** Operators whose value is a comma-separated list. */
export const LIST_OPERATORS: ReadonlySet<OperatorId> = new Set(['in', 'not_in']);

export interface TargetingRow {
  field: ContextField;
  /** The attribute's name when `field` is `attribute`. */
  attribute: string;
  operator: OperatorId;
  /** Text as typed; a list operator's items are separated by commas. */
  value: string;
}

export type Combinator = 'all' | 'any';

export interface TargetingRows {
  combinator: Combinator;
  rows: TargetingRow[];
}

export type Condition = Record<string, unknown>;

const COMPARISONS = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;
const REGEX_META = /[\\^$.|?*+()[\]{}]/g;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

export const emptyRow = (): TargetingRow => ({
  field: 'url',
  attribute: '',
  operator: 'contains',
  value: '',
});

/** The context path a row tests: `url`, or `attributes.plan`. */
export function rowPath(row: TargetingRow): string {
  return row.field === 'attribute' ? `attributes.${row.attribute.trim()}` : row.field;
}

const escapeRegex = (text: string) => text.replace(REGEX_META, '\\$&');

/** The literal text a pattern matches as a substring, when it is only escaped literal characters. */
function literalOf(pattern: string): string | undefined {
  if (!/^(?:[^\\^$.|?*+()[\]{}]|\\[\\^$.|?*+()[\]{}])*$/.test(pattern)) return undefined;
  const text = pattern.replace(/\\(.)/g, '$1');
  // Written back through escapeRegex it must be the same pattern, or the row would change the rule.
  return escapeRegex(text) === pattern ? text : undefined;
}

const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** A comparison's operand: a number when the text is one (attributes are often numbers). */
const comparable = (value: string): string | number => (NUMBER.test(value.trim()) ? Number(value) : value);

/** One row as a single-field condition, e.g. `{"url": {"$regex": "pricing"}}`. */
export function rowToCondition(row: TargetingRow): Condition {
  const path = rowPath(row);
  switch (row.operator) {
    case 'equals':
      return { [path]: row.value };
    case 'not_equals':
      return { [path]: { $ne: row.value } };
    case 'in':
      return { [path]: { $in: splitList(row.value) } };
    case 'not_in':
      return { [path]: { $nin: splitList(row.value) } };
    case 'contains':
      return { [path]: { $regex: escapeRegex(row.value) } };
    case 'matches':
      return { [path]: { $regex: row.value } };
    case 'exists':
      return { [path]: { $exists: true } };
    case 'not_exists':
      return { [path]: { $exists: false } };
    default:
      return { [path]: { [COMPARISONS[row.operator]]: comparable(row.value) } };
  }
}

/** The rows as the API's condition; `null` (no targeting: everyone) when there are none. */
export function rowsToCondition({ combinator, rows }: TargetingRows): Condition | null {
  if (rows.length === 0) return null;
  return { [combinator === 'all' ? '$and' : '$or']: rows.map(rowToCondition) };
}

/** What a row needs before it can be sent, or null when it is complete. */
export function rowProblem(row: TargetingRow): string | null {
  if (row.field === 'attribute' && row.attribute.trim() === '') return 'Name the attribute.';
  if (row.field === 'attribute' && /^\$|\.\.|^\.|\.$/.test(row.attribute.trim()))
    return 'An attribute name cannot start with $ or have empty parts between dots.';
  if (VALUELESS.has(row.operator)) return null;
  if (LIST_OPERATORS.has(row.operator) && splitList(row.value).length === 0)
    return 'List at least one value, separated by commas.';
  if (row.operator in COMPARISONS && row.value.trim() === '')
    return 'Give a number or a text to compare with.';
  if (row.operator === 'contains' && row.value === '') return 'Give the text to look for.';
  if (row.operator === 'matches' && row.value === '') return 'Give a pattern.';
  return null;
}

export type Parsed = { ok: true; value: TargetingRows } | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fieldOf(path: string): Pick<TargetingRow, 'field' | 'attribute'> | undefined {
  if (path.startsWith('attributes.') && path.length > 'attributes.'.length) {
    return { field: 'attribute', attribute: path.slice('attributes.'.length) };
  }
  return (CONTEXT_FIELDS as readonly string[]).includes(path) && path !== 'attribute'
    ? { field: path as ContextField, attribute: '' }
    : undefined;
}

function operandToRow(path: string, operand: unknown): TargetingRow | string {
  const field = fieldOf(path);
  if (!field)
    return `"${path}" is not a context field (url, referrer, user_agent, language, attributes.<name>)`;
  const row = (operator: OperatorId, value = ''): TargetingRow => ({ ...field, operator, value });
  if (typeof operand === 'string') return row('equals', operand);
  if (!isObject(operand)) return `the value of "${path}" is not text`;
  const keys = Object.keys(operand);
  if (keys.length !== 1) return `"${path}" has ${keys.length} operators; a row has one`;
  const [key] = keys;
  const value = operand[key];
  const strings = (list: unknown) =>
    Array.isArray(list) && list.every((item) => typeof item === 'string' && !item.includes(','))
      ? list.join(', ')
      : undefined;
  switch (key) {
    case '$eq':
    case '$ne':
      if (typeof value !== 'string') return `the value of "${path}" is not text`;
      return row(key === '$eq' ? 'equals' : 'not_equals', value);
    case '$in':
    case '$nin': {
      const list = strings(value);
      if (list === undefined || (value as string[]).some((item) => item.trim() !== item || item === ''))
        return `the list of "${path}" holds values a comma-separated row cannot`;
      return row(key === '$in' ? 'in' : 'not_in', list);
    }
    case '$regex': {
      if (typeof value !== 'string') return `the pattern of "${path}" is not text`;
      const literal = literalOf(value);
      return literal === undefined ? row('matches', value) : row('contains', literal);
    }
    case '$exists':
      if (typeof value !== 'boolean') return `$exists of "${path}" is not true or false`;
      return row(value ? 'exists' : 'not_exists');
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const operator = key.slice(1) as 'gt' | 'gte' | 'lt' | 'lte';
      if (typeof value === 'number') return row(operator, String(value));
      // A numeric-looking string would come back as a number.
      if (typeof value === 'string' && !NUMBER.test(value.trim())) return row(operator, value);
      return `the comparison of "${path}" is with a value a row cannot hold`;
    }
    default:
      return `it uses ${key}, which the rows do not offer`;
  }
}

function entriesToRows(entries: [string, unknown][]): TargetingRow[] | string {
  const rows: TargetingRow[] = [];
  for (const [path, operand] of entries) {
    if (path.startsWith('$')) return `it nests ${path} inside a group`;
    const row = operandToRow(path, operand);
    if (typeof row === 'string') return row;
    rows.push(row);
  }
  return rows;
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A condition as rows, or why it cannot be shown as rows. `null` (no targeting) is zero rows. When
 * it succeeds, `rowsToCondition` of the result is the same rule: the very condition for the
 * `$and`/`$or` form, the same fields under `$and` for a plain object.
 */
export function conditionToRows(condition: unknown): Parsed {
  if (condition === null || condition === undefined)
    return { ok: true, value: { combinator: 'all', rows: [] } };
  if (!isObject(condition)) return { ok: false, reason: 'a rule is a JSON object' };
  const keys = Object.keys(condition);
  let combinator: Combinator = 'all';
  let result: TargetingRow[] | string;
  if (keys.length === 1 && (keys[0] === '$and' || keys[0] === '$or')) {
    combinator = keys[0] === '$and' ? 'all' : 'any';
    const list = condition[keys[0]];
    if (!Array.isArray(list) || list.length === 0)
      return { ok: false, reason: `${keys[0]} takes a list of rules` };
    const entries: [string, unknown][] = [];
    for (const item of list) {
      if (!isObject(item) || Object.keys(item).length !== 1)
        return { ok: false, reason: `each entry of ${keys[0]} must test exactly one field` };
      entries.push(Object.entries(item)[0]);
    }
    result = entriesToRows(entries);
  } else if (keys.some((key) => key.startsWith('$'))) {
    return { ok: false, reason: `it uses ${keys.find((key) => key.startsWith('$'))} at the top level` };
  } else {
    result = entriesToRows(Object.entries(condition));
  }
  if (typeof result === 'string') return { ok: false, reason: result };
  const value = { combinator, rows: result };
  // The guarantee the rows never change the rule, checked rather than assumed.
  const expected =
    keys.length === 1 && (keys[0] === '$and' || keys[0] === '$or')
      ? condition
      : { $and: Object.entries(condition).map(([path, operand]) => ({ [path]: operand })) };
  const written = rowsToCondition(value);
  const same =
    deepEqual(written, expected) ||
    // `{"language": "de"}` and `{"language": {"$eq": "de"}}` are one rule; the rows write the first.
    deepEqual(
      written,
      JSON.parse(JSON.stringify(expected), (_k, v) =>
        isObject(v) && Object.keys(v).length === 1 && '$eq' in v ? v.$eq : v,
      ),
    );
  return same ? { ok: true, value } : { ok: false, reason: 'the rows would not say exactly the same' };
}
