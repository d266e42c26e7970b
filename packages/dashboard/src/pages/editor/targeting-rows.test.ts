// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
// The server's own grammar and evaluator: what the builder writes must be what the API accepts and means.
import { compileTargeting } from '../../../../server/src/experiments/targeting.js';
import {
  conditionToRows,
  OPERATORS,
  rowProblem,
  rowsToCondition,
  type TargetingRow,
  type TargetingRows,
} from './targeting-rows.js';

const row = (patch: Partial<TargetingRow>): TargetingRow => ({
  field: 'url',
  attribute: '',
  operator: 'equals',
  value: '',
  ...patch,
});

describe('rows → condition', () => {
  const cases: [TargetingRow, Record<string, unknown>][] = [
    [row({ field: 'language', operator: 'equals', value: 'de' }), { language: 'de' }],
    [row({ field: 'language', operator: 'not_equals', value: 'de' }), { language: { $ne: 'de' } }],
    [
      row({ field: 'language', operator: 'in', value: 'de, fr ,, it' }),
      { language: { $in: ['de', 'fr', 'it'] } },
    ],
    [row({ field: 'language', operator: 'not_in', value: 'en' }), { language: { $nin: ['en'] } }],
    [
      row({ field: 'url', operator: 'contains', value: '/pricing?a=1' }),
      { url: { $regex: '/pricing\\?a=1' } },
    ],
    [
      row({ field: 'referrer', operator: 'matches', value: '^https://(www\\.)?google\\.' }),
      { referrer: { $regex: '^https://(www\\.)?google\\.' } },
    ],
    [
      row({ field: 'attribute', attribute: 'plan', operator: 'exists' }),
      { 'attributes.plan': { $exists: true } },
    ],
    [
      row({ field: 'attribute', attribute: 'plan', operator: 'not_exists' }),
      { 'attributes.plan': { $exists: false } },
    ],
    [
      row({ field: 'attribute', attribute: 'age', operator: 'gt', value: '30' }),
      { 'attributes.age': { $gt: 30 } },
    ],
    [
      row({ field: 'attribute', attribute: 'age', operator: 'gte', value: '2.5' }),
      { 'attributes.age': { $gte: 2.5 } },
    ],
    [
      row({ field: 'attribute', attribute: 'tier', operator: 'lt', value: 'm' }),
      { 'attributes.tier': { $lt: 'm' } },
    ],
    [row({ field: 'user_agent', operator: 'lte', value: '-1' }), { user_agent: { $lte: -1 } }],
  ];

  it('covers every operator the builder offers', () => {
    expect(new Set(cases.map(([r]) => r.operator))).toEqual(new Set(OPERATORS.map((o) => o.id)));
  });

  it.each(cases)('%o → %o, accepted by the server and read back as the same row', (input, expected) => {
    const condition = rowsToCondition({ combinator: 'all', rows: [input] });
    expect(condition).toEqual({ $and: [expected] });
    expect(compileTargeting(condition).errors).toEqual([]);
    const back = conditionToRows(condition);
    expect(back.ok).toBe(true);
    const again = back.ok ? rowsToCondition(back.value) : null;
    expect(again).toEqual(condition);
  });

  it('joins rows with $and for all and $or for any; no rows is no targeting', () => {
    const rows = [
      row({ field: 'language', value: 'de' }),
      row({ field: 'attribute', attribute: 'plan', operator: 'in', value: 'pro' }),
    ];
    expect(rowsToCondition({ combinator: 'all', rows })).toEqual({
      $and: [{ language: 'de' }, { 'attributes.plan': { $in: ['pro'] } }],
    });
    expect(rowsToCondition({ combinator: 'any', rows })).toEqual({
      $or: [{ language: 'de' }, { 'attributes.plan': { $in: ['pro'] } }],
    });
    expect(rowsToCondition({ combinator: 'any', rows: [] })).toBeNull();
  });

  it('means on the server what the rows say', () => {
    const rules: TargetingRows = {
      combinator: 'all',
      rows: [
        row({ field: 'url', operator: 'contains', value: 'a.b' }),
        row({ field: 'attribute', attribute: 'age', operator: 'gte', value: '18' }),
      ],
    };
    const { matches } = compileTargeting(rowsToCondition(rules));
    expect(matches({ url: 'https://x.test/a.b', attributes: { age: 18 } })).toBe(true);
    // "contains" is literal text: the dot is not a wildcard.
    expect(matches({ url: 'https://x.test/axb', attributes: { age: 18 } })).toBe(false);
    expect(matches({ url: 'https://x.test/a.b', attributes: { age: 17 } })).toBe(false);
    const any = compileTargeting(rowsToCondition({ ...rules, combinator: 'any' }));
    expect(any.matches({ url: 'https://x.test/axb', attributes: { age: 40 } })).toBe(true);
    expect(any.matches({ url: 'https://x.test/axb', attributes: { age: 4 } })).toBe(false);
  });
});

describe('condition → rows', () => {
  it('reads a plain object of fields (the API’s example) as all, and $eq as equals', () => {
    const parsed = conditionToRows({ language: { $eq: 'de' }, 'attributes.plan': { $in: ['pro', 'team'] } });
    expect(parsed).toEqual({
      ok: true,
      value: {
        combinator: 'all',
        rows: [
          row({ field: 'language', operator: 'equals', value: 'de' }),
          row({ field: 'attribute', attribute: 'plan', operator: 'in', value: 'pro, team' }),
        ],
      },
    });
  });

  it('tells a literal $regex (contains) from a pattern (matches)', () => {
    const parsed = conditionToRows({ $or: [{ url: { $regex: 'a\\.b' } }, { url: { $regex: 'a.b' } }] });
    expect(parsed.ok && parsed.value.rows.map((r) => [r.operator, r.value])).toEqual([
      ['contains', 'a.b'],
      ['matches', 'a.b'],
    ]);
    expect(parsed.ok && parsed.value.combinator).toBe('any');
  });

  it('reads null as no rows', () => {
    expect(conditionToRows(null)).toEqual({ ok: true, value: { combinator: 'all', rows: [] } });
  });

  const unrepresentable: [string, unknown][] = [
    ['$nor', { $nor: [{ language: 'de' }] }],
    ['nested groups', { $and: [{ $or: [{ language: 'de' }] }] }],
    ['two operators on one field', { 'attributes.age': { $gt: 1, $lt: 5 } }],
    ['$regex with $options', { url: { $regex: 'x', $options: 'i' } }],
    ['$not', { url: { $not: { $regex: 'x' } } }],
    ['$elemMatch', { 'attributes.tags': { $elemMatch: { $eq: 'a' } } }],
    ['$size', { 'attributes.tags': { $size: 2 } }],
    ['a number compared for equality', { 'attributes.age': 30 }],
    ['a boolean', { 'attributes.beta': true }],
    ['a list item with a comma', { language: { $in: ['a,b'] } }],
    ['a numeric-looking string compared', { 'attributes.v': { $gt: '10' } }],
    ['a field outside the context', { country: 'de' }],
    ['an entry testing two fields', { $and: [{ language: 'de', url: 'x' }] }],
    ['a top-level array', [{ language: 'de' }]],
  ];
  it.each(unrepresentable)('%s stays JSON, with a reason', (_name, condition) => {
    const parsed = conditionToRows(condition);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason.length).toBeGreaterThan(5);
  });
});

describe('row problems', () => {
  it('asks for what a row lacks before it is sent', () => {
    expect(rowProblem(row({ field: 'attribute', attribute: ' ' }))).toMatch(/Name the attribute/);
    expect(rowProblem(row({ field: 'attribute', attribute: '$where', operator: 'exists' }))).toMatch(/\$/);
    expect(rowProblem(row({ operator: 'in', value: ' , ' }))).toMatch(/at least one value/);
    expect(rowProblem(row({ operator: 'gt', value: '' }))).toMatch(/compare/);
    expect(rowProblem(row({ operator: 'contains', value: '' }))).toMatch(/text/);
    expect(rowProblem(row({ operator: 'exists' }))).toBeNull();
    expect(rowProblem(row({ operator: 'equals', value: '' }))).toBeNull();
  });
});
