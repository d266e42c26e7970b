import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isStorableDateTime } from './date-time.js';
import { unstorableInputErrors } from './storable-input.js';

// ajv-formats ships CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean): Ajv {
  // allErrors: a 422 lists every bad field at once. Bodies are never coerced: "12" is not a number.
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  });
  addFormats(ajv);
  // ajv-formats accepts any RFC 3339 year (0000, 9999 with a -14:00 offset…) and leap seconds,
  // which PostgreSQL's timestamptz or a JS Date cannot hold or round-trip.
  ajv.addFormat('date-time', { type: 'string', validate: isStorableDateTime });
  return ajv;
}

const strict = makeAjv(false);
const lenient = makeAjv(true);

type Schema = Record<string, unknown>;

/**
 * A copy of `schema` in which every integer without an upper (lower) bound gets
 * ±Number.MAX_SAFE_INTEGER: beyond it a JS number is no longer an exact integer, and
 * `offset=99999999999999999999` would otherwise reach PostgreSQL's bigint and overflow there.
 */
function withIntegerBounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withIntegerBounds);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = withIntegerBounds(value);
  const types = Array.isArray(copy.type) ? copy.type : [copy.type];
  if (types.includes('integer')) {
    if (copy.maximum === undefined && copy.exclusiveMaximum === undefined) {
      copy.maximum = Number.MAX_SAFE_INTEGER;
    }
    if (copy.minimum === undefined && copy.exclusiveMinimum === undefined) {
      copy.minimum = -Number.MAX_SAFE_INTEGER;
    }
  }
  return copy;
}

// One copy per route schema, so ajv's cache (keyed by the schema object) still compiles a shared
// schema once and a schema with an `$id` is never added twice.
const bounded = new WeakMap<object, unknown>();

function boundedSchema(schema: object): unknown {
  let copy = bounded.get(schema);
  if (copy === undefined) {
    copy = withIntegerBounds(schema);
    bounded.set(schema, copy);
  }
  return copy;
}

type Validate = ((data: unknown, context?: unknown) => boolean) & {
  errors?: ErrorObject[] | null;
  schemaEnv?: unknown;
};

/**
 * After the schema passes, `unstorableInputErrors` refuses what no schema keyword expresses
 * (NUL, lone surrogates, non-finite numbers, deep nesting); its errors have ajv's shape, so the
 * error handler turns them into the same 422 as any other invalid field.
 */
function withStorableCheck(validate: ValidateFunction): Validate {
  const checked: Validate = (data, context) => {
    // ajv mutates the value as it validates (defaults, coercion), so the walk sees what the
    // handler will.
    const ok = (validate as (d: unknown, c?: unknown) => boolean)(data, context);
    if (!ok) {
      checked.errors = validate.errors;
      return false;
    }
    const errors = unstorableInputErrors(data);
    checked.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  };
  // Fastify passes the parent object (so ajv can coerce a root value) only to validators that
  // carry ajv's `schemaEnv`.
  checked.schemaEnv = validate.schemaEnv;
  return checked;
}

/** Bodies are validated strictly; querystrings and params (always strings on the wire) are coerced. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : lenient;
  const validate = ajv.compile(boundedSchema(schema as object) as object);
  return withStorableCheck(validate) as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
};
