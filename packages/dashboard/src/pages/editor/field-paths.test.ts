// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { controlForField, describeControl, ids, placeErrors } from './field-paths.js';

const rows = { targetingMode: 'rows' as const };
const json = { targetingMode: 'json' as const };

describe('controlForField', () => {
  it.each([
    ['body.name', ids.setting('name')],
    ['body.url', 'exp-url'],
    ['body.traffic_percentage', 'exp-traffic-percentage'],
    ['body.traffic_allocation', 'exp-traffic-allocation'],
    ['body.allow_custom_js', 'exp-allow-custom-js'],
    ['body.type', 'exp-type'],
    ['body.goals', 'exp-goals'],
    // A duplicate key is reported on the goal itself.
    ['body.goals.2', 'goal-2-key'],
    ['body.goals.0.key', 'goal-0-key'],
    ['body.goals.1.kind', 'goal-1-kind'],
    ['body.goals.1.direction', 'goal-1-direction'],
    ['body.goals.2.role', 'goal-2-role'],
    ['body.goals.0.threshold', 'goal-0-threshold'],
    ['body.goals.0.nonsense', 'goal-0-key'],
    // ab_test: the one element's selector and variants are top-level.
    ['body.selector', 'element-0-selector'],
    ['body.variants', 'element-0-variants'],
    ['body.variants.1', 'variant-0-1-name'],
    ['body.variants.1.name', 'variant-0-1-name'],
    ['body.variants.1.weight', 'variant-0-1-weight'],
    ['body.variants.0.is_control', 'variant-0-0-control'],
    ['body.variants.1.content.redirect_url', 'variant-0-1-redirect_url'],
    ['body.variants.1.content.attributes.href', 'variant-0-1-attributes'],
    ['body.variants.1.content.payload', 'variant-0-1-payload'],
    ['body.variants.3.content.js', 'variant-0-3-js'],
    ['body.variants.1.content.nonsense', 'variant-0-1-content'],
    // multi_element
    ['body.elements', 'exp-structure'],
    ['body.elements.1', 'element-1-name'],
    ['body.elements.1.name', 'element-1-name'],
    ['body.elements.0.selector', 'element-0-selector'],
    ['body.elements.0.variants', 'element-0-variants'],
    ['body.elements.0.variants.2.name', 'variant-0-2-name'],
    ['body.elements.2.variants.0.content.styles.color', 'variant-2-0-styles'],
    ['body.targeting', 'exp-targeting'],
  ])('%s → %s', (field, id) => {
    expect(controlForField(field, rows)).toBe(id);
  });

  it('puts a targeting error on its row in rows mode and on the JSON text otherwise', () => {
    expect(controlForField('body.targeting.$and.0.language.$where', rows)).toBe('targeting-row-0');
    expect(controlForField('body.targeting.$or.3.url.$regex', rows)).toBe('targeting-row-3');
    expect(controlForField('body.targeting.$and.0.language.$where', json)).toBe('exp-targeting');
    expect(controlForField('body.targeting.$nor', rows)).toBe('exp-targeting');
  });

  it.each(['body', 'stack', 'querystring.limit', 'body.name.extra', 'body.unknown', ''])(
    'leaves %s to the summary',
    (field) => {
      expect(controlForField(field, rows)).toBeNull();
    },
  );
});

describe('placeErrors', () => {
  it('groups messages by control and keeps the rest for the summary', () => {
    const { placed, unplaced } = placeErrors(
      [
        { field: 'body.elements.0.variants.2.name', message: 'must be at least 1 character' },
        { field: 'body.elements.0.variants.2.name', message: 'is used twice' },
        { field: 'body.name', message: 'required' },
        { field: 'body', message: 'is odd' },
      ],
      rows,
    );
    expect(Object.fromEntries(placed)).toEqual({
      'variant-0-2-name': ['must be at least 1 character', 'is used twice'],
      'exp-name': ['required'],
    });
    expect(unplaced).toEqual([{ field: 'body', message: 'is odd' }]);
  });
});

describe('describeControl', () => {
  it.each([
    ['exp-name', false, 'Name'],
    ['goal-0-key', false, 'Goal 1 key'],
    ['goal-3-threshold', false, 'Goal 4 threshold'],
    ['targeting-row-2', false, 'Targeting rule 3'],
    ['element-0-selector', false, 'CSS selector'],
    ['element-1-selector', true, 'Element 2 CSS selector'],
    ['variant-0-1-redirect_url', false, 'Variant 2 redirect URL'],
    ['variant-2-0-payload', true, 'Element 3, variant 1 payload'],
  ])('%s (multi: %s) → %s', (id, multi, words) => {
    expect(describeControl(id, multi)).toBe(words);
  });

  it('describes every control a field path can name', () => {
    for (const field of [
      'body.name',
      'body.goals.1',
      'body.goals.2.role',
      'body.elements.1.variants.0.content.css',
      'body.targeting',
    ]) {
      const id = controlForField(field, rows)!;
      expect(describeControl(id, true)).not.toBe(id);
    }
  });
});
