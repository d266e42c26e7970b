import type { RE2JS } from 're2js';

/** A JSON value taken literally from a rule: the parser guarantees no operator key anywhere inside. */
export type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal };

/**
 * A parsed targeting rule. These shapes are everything the evaluator can do, so a rule that is
 * not one of them (a `$where`, an unknown operator) has no way to run: the parser refuses it and
 * nothing else builds these nodes.
 */
export type RuleNode =
  | { kind: 'and' | 'or' | 'nor'; rules: RuleNode[] }
  | { kind: 'field'; path: string[]; condition: Condition };

/** Operators on one field; all must hold (MongoDB's implicit AND). */
export type Condition = OperatorNode[];

export type OperatorNode =
  | { op: '$eq' | '$ne'; value: Literal }
  | { op: '$gt' | '$gte' | '$lt' | '$lte'; value: number | string }
  | { op: '$in' | '$nin' | '$all'; values: Literal[] }
  | { op: '$exists'; value: boolean }
  | { op: '$size'; value: number }
  | { op: '$regex'; regex: RE2JS; programSize: number }
  | { op: '$not'; condition: Condition }
  | { op: '$elemMatch'; rule: RuleNode }
  | { op: '$elemMatchValue'; condition: Condition };

class BudgetExhausted extends Error {}
const EXHAUSTED = new BudgetExhausted('targeting evaluation budget exhausted');

/**
 * Counts the work of one evaluation and stops it when the budget is spent. Static limits on the
 * rule and the request body alone still allow seconds of work (hundreds of operators, each over
 * tens of thousands of array elements or a 64 KiB string), so the bound is enforced where the work
 * happens. A regex test is charged before it runs, so one long test cannot overshoot.
 */
class Meter {
  private readonly keyCounts = new WeakMap<object, number>();

  constructor(private left: number) {}

  /** Own keys of a context object, counted (and charged) once per evaluation however often compared. */
  keyCount(value: object): number {
    let count = this.keyCounts.get(value);
    if (count === undefined) {
      count = Object.keys(value).length;
      this.charge(count);
      this.keyCounts.set(value, count);
    }
    return count;
  }

  charge(units: number): void {
    this.left -= units;
    if (this.left < 0) throw EXHAUSTED;
  }

  /** Compares two strings (code-unit order), charged by the characters a comparison may read. */
  strings(a: string, b: string): number {
    this.charge(Math.min(a.length, b.length) >> 6);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /**
   * RE2 runs in O(program size × input length); that product is the charge. `matcher().find()`
   * runs RE2's NFA-based matchers, whose cost per unit stays flat; `test()` prefers the DFA, which
   * took about 7 times as long on a pattern built to defeat its state cache (`a[ab]{190}c` on
   * 4096 characters).
   */
  test(node: { regex: RE2JS; programSize: number }, input: string): boolean {
    this.charge(node.programSize * (input.length + 1));
    return node.regex.matcher(input).find();
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isIndex = (key: string) => key.length <= 9 && [...key].every((c) => c >= '0' && c <= '9');

/**
 * What a field path reaches. MongoDB semantics: a path into an array of objects continues into
 * each element (one level: arrays inside arrays are not searched), a numeric segment on an array
 * is an index, and `missing` records that some branch reached nothing (which `null` matches).
 * Only own properties are read, so `constructor` or `__proto__` in a path never reaches a prototype.
 */
class Found {
  private expandedValues?: unknown[];

  constructor(
    readonly values: unknown[],
    readonly missing: boolean,
  ) {}

  /** The values plus the elements of array values: what `{tags: "a"}` or `$in` compares against. */
  expanded(meter: Meter): unknown[] {
    if (!this.expandedValues) {
      const out: unknown[] = [];
      for (const value of this.values) {
        out.push(value);
        if (Array.isArray(value)) {
          meter.charge(value.length);
          for (const element of value) out.push(element);
        }
      }
      this.expandedValues = out;
    }
    return this.expandedValues;
  }
}

function resolve(doc: unknown, path: string[], meter: Meter): Found {
  let current: unknown[] = [doc];
  let missing = false;
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current) {
      meter.charge(1);
      if (Array.isArray(value)) {
        if (isIndex(key)) {
          const index = Number(key);
          if (index < value.length) next.push(value[index]);
          else missing = true;
        } else {
          meter.charge(value.length);
          for (const element of value) {
            if (isObject(element) && Object.hasOwn(element, key)) next.push(element[key]);
            else missing = true;
          }
        }
      } else if (isObject(value) && Object.hasOwn(value, key)) {
        next.push(value[key]);
      } else {
        missing = true;
      }
    }
    current = next;
  }
  return new Found(current, missing);
}

/**
 * Deep equality of a rule literal with a context value. Object key order is ignored: the rule is
 * stored as JSONB, which does not keep key order, so order could not mean anything. The recursion
 * follows the literal, so its depth and work are bounded by the rule, not by the context.
 */
function equal(literal: Literal, value: unknown, meter: Meter): boolean {
  meter.charge(1);
  if (typeof literal === 'string') return typeof value === 'string' && meter.strings(literal, value) === 0;
  if (literal === null || typeof literal !== 'object') return literal === value;
  if (Array.isArray(literal)) {
    if (!Array.isArray(value) || value.length !== literal.length) return false;
    return literal.every((item, i) => equal(item, value[i], meter));
  }
  if (!isObject(value)) return false;
  const keys = Object.keys(literal);
  if (!keys.every((key) => Object.hasOwn(value, key) && equal(literal[key], value[key], meter))) return false;
  return meter.keyCount(value) === keys.length;
}

function equalsAny(literal: Literal, found: Found, meter: Meter): boolean {
  if (literal === null && found.missing) return true;
  return found.expanded(meter).some((value) => equal(literal, value, meter));
}

/** MongoDB compares only within a type: numbers with numbers, strings with strings (by code unit). */
function compares(
  op: '$gt' | '$gte' | '$lt' | '$lte',
  bound: number | string,
  value: unknown,
  meter: Meter,
): boolean {
  meter.charge(1);
  let order: number;
  if (typeof bound === 'string' && typeof value === 'string') order = meter.strings(value, bound);
  else if (typeof bound === 'number' && typeof value === 'number') order = value - bound;
  else return false;
  if (op === '$gt') return order > 0;
  if (op === '$gte') return order >= 0;
  if (op === '$lt') return order < 0;
  return order <= 0;
}

// The negative operators ($ne, $nin, $not, $exists: false) are the complement of their positive
// form over everything the path reaches, as in MongoDB: {tags: {$ne: "a"}} holds when no tag is "a".
function holds(node: OperatorNode, found: Found, meter: Meter): boolean {
  switch (node.op) {
    case '$eq':
      return equalsAny(node.value, found, meter);
    case '$ne':
      return !equalsAny(node.value, found, meter);
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return found.expanded(meter).some((value) => compares(node.op, node.value, value, meter));
    case '$in':
      return node.values.some((literal) => equalsAny(literal, found, meter));
    case '$nin':
      return !node.values.some((literal) => equalsAny(literal, found, meter));
    case '$all':
      return node.values.every((literal) => equalsAny(literal, found, meter));
    case '$exists':
      return found.values.length > 0 === node.value;
    case '$size':
      return found.values.some((value) => Array.isArray(value) && value.length === node.value);
    case '$regex':
      return found.expanded(meter).some((value) => typeof value === 'string' && meter.test(node, value));
    case '$not':
      return !satisfies(node.condition, found, meter);
    case '$elemMatch':
      return found.values.some(
        (value) =>
          Array.isArray(value) &&
          value.some((element) => isObject(element) && matchesRule(node.rule, element, meter)),
      );
    case '$elemMatchValue':
      return found.values.some(
        (value) =>
          Array.isArray(value) &&
          value.some((element) => satisfies(node.condition, new Found([element], false), meter)),
      );
  }
}

function satisfies(condition: Condition, found: Found, meter: Meter): boolean {
  return condition.every((node) => holds(node, found, meter));
}

function matchesRule(rule: RuleNode, doc: unknown, meter: Meter): boolean {
  switch (rule.kind) {
    case 'and':
      return rule.rules.every((r) => matchesRule(r, doc, meter));
    case 'or':
      return rule.rules.some((r) => matchesRule(r, doc, meter));
    case 'nor':
      return !rule.rules.some((r) => matchesRule(r, doc, meter));
    case 'field':
      return satisfies(rule.condition, resolve(doc, rule.path, meter), meter);
  }
}

/**
 * Whether `context` satisfies the parsed rule, spending at most `budget` work units; a rule that
 * runs out of budget does not match (the visitor is not targeted), whatever `$not` or `$nor`
 * surrounds the point where it stopped. Recursion follows the rule (bounded depth), never the
 * context, so a deeply nested context cannot overflow the stack.
 */
export function evaluate(rule: RuleNode, context: unknown, budget: number): boolean {
  try {
    return matchesRule(rule, context, new Meter(budget));
  } catch (error) {
    if (error === EXHAUSTED) return false;
    throw error;
  }
}
