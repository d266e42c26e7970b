import { RE2JS } from 're2js';
import type { ErrorDetail } from '../errors/app-error.js';
import {
  type Condition,
  evaluate,
  type Literal,
  type OperatorNode,
  type RuleNode,
} from './targeting-evaluate.js';

// Limits of a rule. A rule written by hand is a few dozen values; these leave room for generated
// lists (every ISO country code in one $in) while keeping validation, storage and the evaluator's
// recursion small.

/** Nesting of objects and arrays; a logical group or two inside a field condition is about 8. */
export const MAX_RULE_DEPTH = 12;
/** Every object, array and scalar of the rule counts one. */
export const MAX_RULE_NODES = 1000;
/** Elements of any one array ($in, $and, ...): the 249 ISO 3166 country codes fit. */
export const MAX_ARRAY_LENGTH = 256;
/** A string value: the longest url the tracker accepts; a longer literal targets nothing sensible. */
export const MAX_STRING_LENGTH = 4096;
/** A field path such as `attributes.plan`: attribute keys are at most 200 characters. */
export const MAX_KEY_LENGTH = 512;
/** A `$regex` pattern's length: bounds its compile time (once per load) and the stored rule. */
export const MAX_PATTERN_LENGTH = 512;
/**
 * RE2's program size of a pattern (about one instruction per literal character or repetition;
 * realistic url patterns are 10–60). A test costs program size × input length, so this keeps one
 * test of any allowed pattern on the longest url (200 × 4097) inside the evaluation budget.
 */
export const MAX_PROGRAM_SIZE = 200;
/** Patterns per rule: each compiles once per load and keeps its own match cache. */
export const MAX_PATTERNS = 16;
/** Problems reported for one rule; enough to fix it, never a response the size of the rule. */
const MAX_ERRORS = 20;

/**
 * Work units one evaluation may spend: one unit is one value visited, one comparison, 64
 * characters compared, or one RE2 program step over one input character; each costs roughly
 * 5–30 ns once the code is optimized, so targeting adds at most a few tens of milliseconds to a
 * request (targeting.test.ts measures the worst cases and prints them). A realistic rule over a
 * realistic context spends a few hundred units; a context big enough to exhaust the budget is not
 * a visitor, and the rule then does not match it.
 */
export const EVALUATION_BUDGET = 2 ** 20;

const LOGICAL_OPERATORS = ['$and', '$or', '$nor'] as const;
const FIELD_OPERATORS = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$all',
  '$exists',
  '$size',
  '$regex',
  '$options',
  '$not',
  '$elemMatch',
] as const;
/** Everything a targeting rule may say; any other `$` key ($where, $expr, $function...) is refused. */
export const ALLOWED_OPERATORS: readonly string[] = [...LOGICAL_OPERATORS, ...FIELD_OPERATORS];
/** What the OpenAPI document says a targeting rule may be. */
export const TARGETING_DESCRIPTION =
  'MongoDB-style condition over the assign request context (url, referrer, user_agent, language, ' +
  'attributes.*), e.g. {"language": "de", "attributes.plan": {"$in": ["pro"]}}. Operators: ' +
  `${ALLOWED_OPERATORS.join(' ')}; $regex is RE2 syntax (linear time: no backreferences or ` +
  'lookaround) and $options takes i, m, s. Any other operator ($where, $expr, $function, ...) is ' +
  `refused with 422. Limits: ${MAX_RULE_DEPTH} levels of nesting, ${MAX_RULE_NODES} values, ` +
  `${MAX_ARRAY_LENGTH} elements per array, strings of ${MAX_STRING_LENGTH} characters, ` +
  `${MAX_PATTERNS} patterns of ${MAX_PATTERN_LENGTH} characters.`;
const LOGICAL = new Set<string>(LOGICAL_OPERATORS);
const FIELD = new Set<string>(FIELD_OPERATORS);

/** `$options` letters MongoDB and RE2 share; RE2 has no x (extended) mode. */
const REGEX_FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class RuleParser {
  readonly errors: ErrorDetail[] = [];
  private nodes = 0;
  private patterns = 0;

  fail(field: string, message: string): undefined {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ field, message });
    return undefined;
  }

  refuse(operator: string, field: string): undefined {
    return this.fail(field, `operator ${operator} is not allowed (allowed: ${ALLOWED_OPERATORS.join(', ')})`);
  }

  /** The size limits, checked before anything else; stops at the first limit so a huge rule costs little. */
  withinLimits(value: unknown, field: string, depth: number): boolean {
    if (++this.nodes > MAX_RULE_NODES) {
      this.fail(field, `the rule has more than ${MAX_RULE_NODES} values (objects, arrays and scalars)`);
      return false;
    }
    if (depth > MAX_RULE_DEPTH) {
      this.fail(field, `nested deeper than ${MAX_RULE_DEPTH} levels`);
      return false;
    }
    if (typeof value === 'string' && value.length > MAX_STRING_LENGTH) {
      this.fail(field, `longer than ${MAX_STRING_LENGTH} characters`);
      return false;
    }
    if (Array.isArray(value)) {
      if (value.length > MAX_ARRAY_LENGTH) {
        this.fail(field, `more than ${MAX_ARRAY_LENGTH} elements`);
        return false;
      }
      return value.every((item, i) => this.withinLimits(item, `${field}.${i}`, depth + 1));
    }
    if (isObject(value)) {
      return Object.entries(value).every(([key, item]) => {
        if (key.length > MAX_KEY_LENGTH) {
          this.fail(field, `a key is longer than ${MAX_KEY_LENGTH} characters`);
          return false;
        }
        return this.withinLimits(item, `${field}.${key}`, depth + 1);
      });
    }
    return true;
  }

  rule(value: unknown, field: string): RuleNode | undefined {
    if (!isObject(value))
      return this.fail(field, 'a rule is an object of field conditions, e.g. {"language": "de"}');
    const rules: RuleNode[] = [];
    for (const [key, operand] of Object.entries(value)) {
      const at = `${field}.${key}`;
      if (LOGICAL.has(key)) {
        if (!Array.isArray(operand) || operand.length === 0) {
          this.fail(at, `${key} takes a non-empty array of rules`);
          continue;
        }
        const kind = key.slice(1) as 'and' | 'or' | 'nor';
        rules.push({ kind, rules: operand.flatMap((r, i) => this.rule(r, `${at}.${i}`) ?? []) });
      } else if (FIELD.has(key)) {
        this.fail(at, `operator ${key} applies to a field, e.g. {"url": {"${key}": ...}}`);
      } else if (key.startsWith('$')) {
        this.refuse(key, at);
      } else {
        const path = key.split('.');
        const condition = this.condition(operand, at);
        if (path.some((segment) => segment === '' || segment.startsWith('$'))) {
          this.fail(at, 'a field path is names separated by dots, none empty or starting with $');
        } else if (condition) {
          rules.push({ kind: 'field', path, condition });
        }
      }
    }
    return rules.length === 1 ? rules[0] : { kind: 'and', rules };
  }

  /** A field's condition: an object of operators, or any other value to compare with. */
  condition(operand: unknown, field: string): Condition | undefined {
    if (isObject(operand)) {
      const keys = Object.keys(operand);
      const operators = keys.filter((key) => key.startsWith('$')).length;
      if (operators > 0 && operators < keys.length) {
        return this.fail(
          field,
          'a condition is either operators ({"$gt": 1}) or a value to compare, not both',
        );
      }
      if (operators > 0) return this.operators(operand, field);
    }
    const value = this.literal(operand, field);
    return value === undefined ? undefined : [{ op: '$eq', value }];
  }

  operators(object: Record<string, unknown>, field: string): Condition | undefined {
    const condition: OperatorNode[] = [];
    const add = (node: OperatorNode | undefined) => node && condition.push(node);
    for (const [key, operand] of Object.entries(object)) {
      const at = `${field}.${key}`;
      switch (key) {
        case '$eq':
        case '$ne': {
          const value = this.literal(operand, at);
          if (value !== undefined) add({ op: key, value });
          break;
        }
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte':
          if (typeof operand === 'number' || typeof operand === 'string') add({ op: key, value: operand });
          else this.fail(at, `${key} compares with a number or a string`);
          break;
        case '$in':
        case '$nin':
        case '$all': {
          if (!Array.isArray(operand) || (key === '$all' && operand.length === 0)) {
            this.fail(at, `${key} takes ${key === '$all' ? 'a non-empty' : 'an'} array of values`);
            break;
          }
          const values = operand.map((v, i) => this.literal(v, `${at}.${i}`));
          if (values.every((v) => v !== undefined)) add({ op: key, values: values as Literal[] });
          break;
        }
        case '$exists':
          if (typeof operand === 'boolean') add({ op: key, value: operand });
          else this.fail(at, '$exists takes true or false');
          break;
        case '$size':
          if (Number.isInteger(operand) && (operand as number) >= 0)
            add({ op: key, value: operand as number });
          else this.fail(at, '$size takes a whole number');
          break;
        case '$regex':
          add(this.regex(operand, object.$options, field));
          break;
        case '$options':
          if (!Object.hasOwn(object, '$regex')) this.fail(at, '$options goes with a $regex');
          break;
        case '$not': {
          const keys = isObject(operand) ? Object.keys(operand) : [];
          if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
            this.fail(at, '$not takes an object of operators, e.g. {"$not": {"$in": ["a"]}}');
            break;
          }
          const negated = this.operators(operand as Record<string, unknown>, at);
          if (negated) add({ op: key, condition: negated });
          break;
        }
        case '$elemMatch': {
          if (!isObject(operand)) {
            this.fail(at, '$elemMatch takes a rule for the elements, e.g. {"$elemMatch": {"id": 1}}');
            break;
          }
          // Operators such as {"$gt": 1} test the elements themselves; field names test their fields.
          if (Object.keys(operand).some((k) => FIELD.has(k))) {
            const elements = this.operators(operand, at);
            if (elements) add({ op: '$elemMatchValue', condition: elements });
          } else {
            const rule = this.rule(operand, at);
            if (rule) add({ op: '$elemMatch', rule });
          }
          break;
        }
        default:
          if (LOGICAL.has(key)) this.fail(at, `${key} combines rules; put it outside the field's condition`);
          else this.refuse(key, at);
      }
    }
    return condition;
  }

  /** A value compared as is; keys starting with $ are refused so no operator hides inside one. */
  literal(value: unknown, field: string): Literal | undefined {
    if (Array.isArray(value)) {
      return value.every((item, i) => this.literal(item, `${field}.${i}`) !== undefined)
        ? (value as Literal[])
        : undefined;
    }
    if (isObject(value)) {
      let ok = true;
      for (const [key, item] of Object.entries(value)) {
        const at = `${field}.${key}`;
        if (key.startsWith('$')) {
          ok = false;
          if (ALLOWED_OPERATORS.includes(key)) this.fail(at, `operator ${key} cannot appear inside a value`);
          else this.refuse(key, at);
        } else if (this.literal(item, at) === undefined) {
          ok = false;
        }
      }
      return ok ? (value as Literal) : undefined;
    }
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Literal;
    return this.fail(field, 'not a JSON value');
  }

  regex(pattern: unknown, options: unknown, field: string): OperatorNode | undefined {
    const at = `${field}.$regex`;
    if (typeof pattern !== 'string') return this.fail(at, '$regex takes a pattern string');
    if (pattern.length > MAX_PATTERN_LENGTH) {
      return this.fail(at, `a pattern is at most ${MAX_PATTERN_LENGTH} characters`);
    }
    if (++this.patterns > MAX_PATTERNS) return this.fail(at, `a rule has at most ${MAX_PATTERNS} patterns`);
    let flags = 0;
    if (options !== undefined) {
      if (typeof options !== 'string' || ![...options].every((c) => Object.hasOwn(REGEX_FLAGS, c))) {
        return this.fail(`${field}.$options`, '$options takes the letters i, m and s');
      }
      for (const c of options) flags |= REGEX_FLAGS[c];
    }
    let regex: RE2JS;
    try {
      regex = RE2JS.compile(pattern, flags);
    } catch (error) {
      return this.fail(
        at,
        `not a pattern the linear-time engine (RE2) runs; it has no backreferences or lookaround: ` +
          (error as Error).message,
      );
    }
    const programSize = regex.programSize();
    if (programSize > MAX_PROGRAM_SIZE) {
      return this.fail(
        at,
        `the pattern is too complex (RE2 program size ${programSize} > ${MAX_PROGRAM_SIZE})`,
      );
    }
    return { op: '$regex', regex, programSize };
  }
}

/** A rule ready for the tracker, or the reasons it was refused (then it matches nobody). */
export interface CompiledTargeting {
  matches: (context: unknown) => boolean;
  errors: ErrorDetail[];
}

const matchesNobody = () => false;

/**
 * Parses a targeting rule against the allow-listed grammar and compiles it. `field` prefixes the
 * error paths (`body.targeting` for a request). Whether a rule is accepted and how it runs come
 * from the same parse, so validation and execution cannot disagree; a rule that fails the grammar
 * (one stored before the grammar existed) compiles to a predicate that matches nobody.
 */
export function compileTargeting(rule: unknown, field = 'targeting'): CompiledTargeting {
  const parser = new RuleParser();
  const parsed = parser.withinLimits(rule, field, 1) ? parser.rule(rule, field) : undefined;
  if (!parsed || parser.errors.length > 0) return { matches: matchesNobody, errors: parser.errors };
  return { matches: (context) => evaluate(parsed, context, EVALUATION_BUDGET), errors: [] };
}

/** The problems of a targeting rule, each naming its field path; empty when it is accepted. */
export function validateTargetingRule(rule: unknown, field = 'targeting'): ErrorDetail[] {
  return compileTargeting(rule, field).errors;
}
