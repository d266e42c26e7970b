import fc from 'fast-check';

/** The subset of JSON Schema (as @fastify/swagger writes it into OpenAPI 3.0) that our routes use. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export interface SchemaArbitraryOptions {
  /** Real ids to use for `format: uuid` about half of the time, so requests reach real rows. */
  uuids?: string[];
  /** Caps on generated sizes: a schema's maximum (100 variants of 100 kB) is not a typical request. */
  maxItems?: number;
  maxLength?: number;
}

/**
 * A JSON text fragment written verbatim into the serialised body: numbers JSON.stringify cannot
 * write (`1e999`), prototype keys, nesting deeper than JSON.stringify's own stack allows.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, except that RawJson values are written as their text. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v) =>
    v instanceof RawJson ? `\u0001raw${raws.push(v.text) - 1}\u0001` : v,
  );
  if (text === undefined) return '';
  return text.replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i) => raws[Number(i)]);
}

/** Values that conform to `schema` (ajv-formats' formats included), within the size caps. */
export function validValue(schema: JsonSchema, options: SchemaArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const maxItems = options.maxItems ?? 3;
  const maxLength = options.maxLength ?? 24;
  const nullable = (arb: fc.Arbitrary<unknown>) => (schema.nullable ? fc.option(arb, { nil: null }) : arb);

  if (schema.enum) return nullable(fc.constantFrom(...schema.enum));
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => validValue(s, options)));

  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return nullable(validString(schema, options, maxLength));
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
      const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e6;
      const arb =
        type === 'integer'
          ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, 2 ** 31)) })
          : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return nullable(
        arb.filter(
          (n) =>
            (schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum) &&
            (schema.exclusiveMaximum === undefined || n < schema.exclusiveMaximum),
        ),
      );
    }
    case 'boolean':
      return nullable(fc.boolean());
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = validValue(schema.items ?? {}, options);
      const constraints = {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? maxItems, maxItems)),
      };
      return nullable(
        schema.uniqueItems
          ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) })
          : fc.array(item, constraints),
      );
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const known = fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validValue(s, options)])),
        { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
      );
      const extra =
        typeof schema.additionalProperties === 'object'
          ? fc.dictionary(
              fc.string({ minLength: 1, maxLength: 12 }),
              validValue(schema.additionalProperties, options),
              {
                maxKeys: maxItems,
              },
            )
          : fc.constant({});
      return nullable(fc.tuple(extra, known).map(([a, b]) => ({ ...a, ...b })));
    }
    default:
      // No type: any JSON (a variant `payload`, targeting values).
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function validString(schema: JsonSchema, options: SchemaArbitraryOptions, cap: number): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? cap, cap);
  const fits = (s: string) => s.length <= (schema.maxLength ?? Infinity);
  switch (schema.format) {
    case 'uuid':
      return options.uuids?.length ? fc.oneof(fc.uuid(), fc.constantFrom(...options.uuids)) : fc.uuid();
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.webUrl({ validSchemes: ['https', 'http'] }).filter(fits);
    case 'date-time':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2035-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    default:
      return fc.constantFrom('grapheme-ascii', 'grapheme-composite').chain((unit) =>
        fc.string({
          unit,
          minLength: schema.minLength ?? 0,
          maxLength: Math.max(schema.minLength ?? 0, maxLength),
        }),
      );
  }
}

/** Strings PostgreSQL or JSON cannot hold, or that stress whatever handles them. */
export const hostileString = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d',
  'x'.repeat(100_000),
  '\u202e\u0301\ufeff\uffff',
  "'; DROP TABLE users; --",
  '%00',
  '../../../../etc/passwd',
  '$where',
  '{"$gt": ""}',
  '',
  ' ',
);

/** Numbers as JSON text: beyond double, beyond bigint, negative zero, denormal underflow. */
export const hostileNumber = fc.constantFrom(
  new RawJson('1e999'),
  new RawJson('-1e999'),
  new RawJson('99999999999999999999'),
  new RawJson('-0'),
  new RawJson('1e-400'),
  new RawJson('1.7976931348623157e308'),
  -1,
  2 ** 53 + 1,
);

/** Nesting far beyond any limit, as text (JSON.stringify itself would overflow on it). */
export const deepNesting = fc
  .constantFrom(33, 1000, 50_000)
  .chain((depth) =>
    fc.constantFrom(
      new RawJson('['.repeat(depth) + ']'.repeat(depth)),
      new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
    ),
  );

/** Keys that poison prototypes if anything merges them into an object. */
export const prototypeKeys = fc.constantFrom(
  new RawJson('{"__proto__":{"admin":true}}'),
  new RawJson('{"constructor":{"prototype":{"admin":true}}}'),
  new RawJson('{"\\u005f_proto__":{"x":1}}'),
);

/** MongoDB-style operators where free-form objects (targeting) are evaluated as conditions. */
export const hostileCondition = fc.constantFrom<unknown>(
  { $ne: null },
  { $and: 'x' },
  { $nor: [[]] },
  { $not: {} },
  { language: { $in: 5 } },
  { language: { $exists: 'x' } },
  { language: { $type: 'nope' } },
  { 'attributes.visits': { $mod: [0, 0] } },
  { 'attributes.visits': { $mod: [] } },
  { language: { $size: -1 } },
  { language: { $elemMatch: { $gt: {} } } },
  { language: { $all: [{ $elemMatch: {} }] } },
  { 'a.b.c.d.e.f': { $gt: 1e308 } },
  // Code and catastrophic patterns: targeting must refuse them (422), never run them.
  { $where: 'globalThis.__samplitFuzzPwned = true; return true' },
  { language: { $where: 'globalThis.__samplitFuzzPwned = true' } },
  { $expr: { $function: { body: 'globalThis.__samplitFuzzPwned = true', args: [], lang: 'js' } } },
  { language: { $regex: '(a+)+$' } },
  { url: { $regex: '^(a|a)*$', $options: 'x' } },
  { url: { $regex: '(?=a)a' } },
);

/** Any hostile value, of any JSON type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  deepNesting,
  prototypeKeys,
  hostileCondition,
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, [], {}, [null], { '': '' }),
  fc.dictionary(hostileString, fc.constant(1), { minKeys: 1, maxKeys: 2 }),
);

type Path = (string | number)[];

function containerPaths(value: unknown): Path[] {
  const paths: Path[] = [];
  const walk = (v: unknown, path: Path) => {
    if (typeof v !== 'object' || v === null || v instanceof RawJson) return;
    paths.push(path);
    for (const [k, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
  };
  walk(value, []);
  return paths;
}

/**
 * `value` with one thing changed: a field replaced by a hostile value, a field removed, or an
 * unknown (possibly hostile) field added. `pick` chooses where, deterministically.
 */
export function mutate(
  value: unknown,
  pick: number,
  replacement: unknown,
  kind: 'replace' | 'remove' | 'add',
) {
  const copy = structuredClone(value);
  const containers = containerPaths(copy);
  if (containers.length === 0) return replacement;
  const path = containers[pick % containers.length];
  let target = copy as Record<string | number, unknown>;
  for (const key of path) target = target[key] as Record<string | number, unknown>;
  const keys = Object.keys(target);
  if (kind === 'add' || keys.length === 0) {
    const key = typeof replacement === 'string' && replacement.length < 100 ? replacement : 'extra_field';
    if (Array.isArray(target)) target.push(replacement);
    else
      Object.defineProperty(target, key, {
        value: replacement,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return copy;
  }
  const key = keys[pick % keys.length];
  if (kind === 'remove') {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
  } else {
    target[Array.isArray(target) ? Number(key) : key] = replacement;
  }
  return copy;
}
