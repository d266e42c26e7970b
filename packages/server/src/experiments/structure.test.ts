import { describe, expect, it } from 'vitest';
import { enumerateCombinations, validateStructure, validateTargeting } from './structure.js';

const opts = { maxCombinations: 256, allowCustomJs: false };

describe('enumerateCombinations', () => {
  it('varies the last element fastest and multiplies weights', () => {
    const combos = enumerateCombinations([
      [
        { id: 'a', weight: 2 },
        { id: 'b', weight: 1 },
      ],
      [
        { id: 'x', weight: 1 },
        { id: 'y', weight: 3 },
      ],
    ]);
    expect(combos.map((c) => c.variants.map((v) => v.id).join(''))).toEqual(['ax', 'ay', 'bx', 'by']);
    expect(combos.map((c) => c.weight)).toEqual([2, 6, 1, 3]);
  });

  it('gives 3^4 = 81 arms for four three-variant elements', () => {
    const element = [1, 2, 3].map((i) => ({ id: String(i), weight: 1 }));
    expect(enumerateCombinations([element, element, element, element])).toHaveLength(81);
  });
});

describe('validateStructure', () => {
  it('makes the first variant the control by default', () => {
    const { structure, errors } = validateStructure(
      { type: 'ab_test', variants: [{ name: 'a' }, { name: 'b' }] },
      opts,
    );
    expect(errors).toEqual([]);
    expect(structure[0].variants.map((v) => v.is_control)).toEqual([true, false]);
    expect(structure[0].name).toBe('Main element');
  });

  it('collects every problem at once', () => {
    const { errors } = validateStructure(
      {
        type: 'multi_element',
        elements: [
          { name: 'a', variants: [{ name: 'x' }] },
          {
            name: 'A',
            variants: [
              { name: 'y', is_control: true },
              { name: 'z', is_control: true },
            ],
          },
        ],
      },
      opts,
    );
    expect(errors.map((e) => e.field)).toEqual([
      'body.elements',
      'body.elements.0.variants',
      'body.elements.1.variants',
    ]);
  });
});

describe('validateTargeting', () => {
  it('accepts MongoDB-style conditions and rejects unknown operators', () => {
    expect(validateTargeting({ language: 'de', url: { $regex: '/pricing' } })).toEqual([]);
    expect(validateTargeting({ $or: [{ language: 'de' }, { 'attributes.plan': { $in: ['pro'] } }] })).toEqual(
      [],
    );
    expect(validateTargeting({ url: { $nope: 1 } })[0].field).toBe('body.targeting.url.$nope');
  });
});
