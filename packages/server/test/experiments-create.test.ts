import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';

const ctx = useTestApp({ maxCombinations: 64 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

const create = (payload: unknown) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/experiments', headers, payload: payload as object });

function fieldsOf(body: { error: { details: { field: string }[] } }): string[] {
  return body.error.details.map((d) => d.field);
}

describe('POST /experiments', () => {
  it('creates an ab_test with one implied element, the first variant as control, one combination per variant', async () => {
    const res = await create(AB_TEST);
    expect(res.statusCode).toBe(201);
    const exp = res.json();
    expect(exp).toMatchObject({
      name: 'Homepage CTA',
      type: 'ab_test',
      status: 'draft',
      traffic_percentage: 100,
    });
    expect(exp.elements).toHaveLength(1);
    expect(exp.elements[0].selector).toBe('#cta');
    expect(exp.variants.map((v: { is_control: boolean }) => v.is_control)).toEqual([true, false]);
    expect(exp.variants[1].content).toEqual({ text: 'Get started', styles: { background: 'green' } });
    expect(exp.combinations).toEqual(
      exp.variants.map((v: { id: string }) => ({ id: expect.any(String), variant_ids: [v.id], weight: 1 })),
    );
  });

  it('creates a 3×3 multi_element test with 9 combinations, one variant per element in element order', async () => {
    const res = await create(MULTI_ELEMENT);
    expect(res.statusCode).toBe(201);
    const exp = res.json();
    const [cta, copy] = exp.elements;
    expect(exp.combinations).toHaveLength(9);
    const pairs = exp.combinations.map((c: { variant_ids: string[] }) => c.variant_ids);
    const expected = cta.variants.flatMap((a: { id: string }) =>
      copy.variants.map((x: { id: string }) => [a.id, x.id]),
    );
    expect(pairs).toEqual(expected);
    expect(exp.variants).toBeUndefined();
  });

  it('accepts an ab_test given as one element, an explicit control, fixed weights and targeting', async () => {
    const res = await create({
      name: 'Weighted',
      type: 'ab_test',
      traffic_allocation: 'fixed',
      traffic_percentage: 50,
      targeting: { language: 'de', url: { $regex: '/pricing' } },
      goals: ['signup', 'purchase'],
      elements: [
        {
          name: 'Headline',
          selector: 'h1',
          variants: [
            { name: 'Old', weight: 3 },
            { name: 'New', weight: 1, is_control: true },
          ],
        },
      ],
    });
    expect(res.statusCode).toBe(201);
    const exp = res.json();
    expect(exp.variants.map((v: { is_control: boolean }) => v.is_control)).toEqual([false, true]);
    expect(exp.combinations.map((c: { weight: number }) => c.weight)).toEqual([3, 1]);
    expect(exp.targeting).toEqual({ language: 'de', url: { $regex: '/pricing' } });
    expect(exp.goals).toEqual([
      { key: 'signup', kind: 'conversion', direction: 'higher', role: 'primary', threshold: null },
      { key: 'purchase', kind: 'conversion', direction: 'higher', role: 'secondary', threshold: null },
    ]);
  });

  it('multiplies variant weights into combination weights', async () => {
    const res = await create({
      ...MULTI_ELEMENT,
      traffic_allocation: 'fixed',
      elements: [
        { name: 'E1', variants: [{ name: 'a', weight: 2 }, { name: 'b' }] },
        { name: 'E2', variants: [{ name: 'x', weight: 3 }, { name: 'y' }] },
      ],
    });
    expect(res.json().combinations.map((c: { weight: number }) => c.weight)).toEqual([6, 2, 3, 1]);
  });

  it.each([
    ['an ab_test with one variant', { ...AB_TEST, variants: [{ name: 'Only' }] }, 'body.variants'],
    ['an ab_test without variants', { name: 'x', type: 'ab_test' }, 'body.variants'],
    [
      'an ab_test with two elements',
      { name: 'x', type: 'ab_test', elements: MULTI_ELEMENT.elements },
      'body.elements',
    ],
    [
      'a multi_element with one element',
      { ...MULTI_ELEMENT, elements: [MULTI_ELEMENT.elements[0]] },
      'body.elements',
    ],
    [
      'a multi_element element with one variant',
      {
        ...MULTI_ELEMENT,
        elements: [MULTI_ELEMENT.elements[0], { name: 'Solo', variants: [{ name: 'only' }] }],
      },
      'body.elements.1.variants',
    ],
    ['variants on a multi_element', { ...MULTI_ELEMENT, variants: AB_TEST.variants }, 'body.variants'],
    [
      'two controls',
      {
        ...AB_TEST,
        variants: [
          { name: 'a', is_control: true },
          { name: 'b', is_control: true },
        ],
      },
      'body.variants',
    ],
    [
      'duplicate variant names',
      { ...AB_TEST, variants: [{ name: 'Same' }, { name: 'same' }] },
      'body.variants',
    ],
    [
      'duplicate element names',
      {
        ...MULTI_ELEMENT,
        elements: [MULTI_ELEMENT.elements[0], { ...MULTI_ELEMENT.elements[1], name: 'CTA Button' }],
      },
      'body.elements',
    ],
    [
      'too many combinations (5×5×5 > 64)',
      {
        ...MULTI_ELEMENT,
        elements: ['a', 'b', 'c'].map((n) => ({
          name: n,
          variants: [1, 2, 3, 4, 5].map((i) => ({ name: `v${i}` })),
        })),
      },
      'body.elements',
    ],
    [
      'custom JS without permission',
      { ...AB_TEST, variants: [{ name: 'a' }, { name: 'b', content: { js: 'x()' } }] },
      'body.variants.1.content.js',
    ],
    [
      'an invalid targeting operator',
      { ...AB_TEST, targeting: { url: { $bogus: 1 } } },
      'body.targeting.url.$bogus',
    ],
  ])('rejects %s with 422 EXP_CREATE_001', async (_label, payload, field) => {
    const res = await create(payload);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('EXP_CREATE_001');
    expect(fieldsOf(res.json())).toContain(field);
  });

  it.each([
    ['a wrong type', { ...AB_TEST, name: 42 }, 'body.name'],
    ['a missing name', { type: 'ab_test', variants: AB_TEST.variants }, 'body.name'],
    ['an unknown experiment type', { ...AB_TEST, type: 'split' }, 'body.type'],
    ['an unknown allocation', { ...AB_TEST, traffic_allocation: 'greedy' }, 'body.traffic_allocation'],
    ['traffic above 100%', { ...AB_TEST, traffic_percentage: 101 }, 'body.traffic_percentage'],
    [
      'a zero weight',
      { ...AB_TEST, variants: [{ name: 'a', weight: 0 }, { name: 'b' }] },
      'body.variants.0.weight',
    ],
    [
      'a negative weight',
      { ...AB_TEST, variants: [{ name: 'a', weight: -1 }, { name: 'b' }] },
      'body.variants.0.weight',
    ],
    [
      'an unknown content field',
      { ...AB_TEST, variants: [{ name: 'a', content: { color: 'red' } }, { name: 'b' }] },
      'body.variants.0.content.color',
    ],
    [
      'a non-http redirect',
      {
        ...AB_TEST,
        variants: [{ name: 'a' }, { name: 'b', content: { redirect_url: 'javascript:alert(1)' } }],
      },
      'body.variants.1.content.redirect_url',
    ],
    ['a string for a number', { ...AB_TEST, traffic_percentage: '50' }, 'body.traffic_percentage'],
    ['an unknown top-level field', { ...AB_TEST, owner_id: 'x' }, 'body.owner_id'],
  ])('rejects %s with 422 REQUEST_VALIDATION_001 naming the field', async (_label, payload, field) => {
    const res = await create(payload);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('REQUEST_VALIDATION_001');
    expect(fieldsOf(res.json())).toContain(field);
  });

  it('stores nothing when validation fails', async () => {
    const before = (await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments', headers })).json()
      .total;
    await create({ ...AB_TEST, variants: [{ name: 'Only' }] });
    const after = (await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments', headers })).json().total;
    expect(after).toBe(before);
  });

  it('allows custom JS when the experiment enables it', async () => {
    const res = await create({
      ...AB_TEST,
      allow_custom_js: true,
      variants: [{ name: 'a' }, { name: 'b', content: { js: 'document.title = "B"' } }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().variants[1].content.js).toBe('document.title = "B"');
  });
});
