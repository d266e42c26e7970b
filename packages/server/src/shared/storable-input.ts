import type { ErrorObject } from 'ajv';

declare global {
  interface String {
    /** ES2024 (Node 20+): false when the string holds an unpaired UTF-16 surrogate. */
    isWellFormed(): boolean;
  }
}

/**
 * Objects and arrays nested deeper than this are refused. Real payloads (targeting conditions,
 * variant `payload`s) are a handful of levels deep; the limit keeps every recursive consumer
 * downstream (JSON.stringify of a stored `content`, PostgreSQL's jsonb parser, the SDK in the
 * browser) far from its stack limit.
 */
export const MAX_INPUT_DEPTH = 32;

/** A 422 listing thousands of bad strings helps nobody and costs a large response. */
const MAX_ERRORS = 20;

function pointerSegment(key: string | number): string {
  return typeof key === 'number' ? String(key) : key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Why PostgreSQL (text, jsonb) cannot store this string, or undefined. */
function stringProblem(value: string): string | undefined {
  // jsonb and text both refuse U+0000.
  if (value.includes('\u0000')) return 'contains the NUL character (U+0000)';
  // JSON.stringify writes a lone surrogate as "\ud800", which jsonb refuses; as text it would
  // be stored as U+FFFD, silently not what was sent.
  if (!value.isWellFormed()) return 'contains an unpaired UTF-16 surrogate (invalid Unicode)';
  return undefined;
}

function problem(instancePath: string, message: string): ErrorObject {
  return { instancePath, schemaPath: '#/storable', keyword: 'storable', params: {}, message };
}

function reverseFrom(items: unknown[], start: number): void {
  for (let i = start, j = items.length - 1; i < j; i++, j--) [items[i], items[j]] = [items[j], items[i]];
}

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

/**
 * What a schema cannot say but PostgreSQL (and JSON) needs of every accepted value: strings,
 * keys included, without NUL or lone surrogates; finite numbers (`1e999` parses to Infinity);
 * bounded nesting. Iterative, so input nested arbitrarily deep cannot exhaust the stack.
 * Returns ajv-shaped errors (empty when the value is storable).
 */
export function unstorableInputErrors(root: unknown): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const stack: Pending[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const why = stringProblem(value);
      if (why) errors.push(problem(path, `must not be a string that ${why}`));
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) errors.push(problem(path, 'must be a finite number'));
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_INPUT_DEPTH) {
        errors.push(problem(path, `must not nest objects and arrays more than ${MAX_INPUT_DEPTH} deep`));
        continue;
      }
      const start = stack.length;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++)
          stack.push({ value: value[i], path: `${path}/${i}`, depth: depth + 1 });
      } else {
        for (const key of Object.keys(value)) {
          const why = stringProblem(key);
          // Reported on the object: the key itself is what cannot be written back.
          if (why) errors.push(problem(path, `must not have a field name that ${why}`));
          else {
            const child = (value as Record<string, unknown>)[key];
            stack.push({ value: child, path: `${path}/${pointerSegment(key)}`, depth: depth + 1 });
          }
        }
      }
      // Children are popped in document order, so errors are listed in it too.
      reverseFrom(stack, start);
    }
  }
  return errors;
}
