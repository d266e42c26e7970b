import { describe, expect, it } from 'vitest';
import { MAX_INPUT_DEPTH, unstorableInputErrors } from './storable-input.js';

const messages = (value: unknown) =>
  unstorableInputErrors(value).map((e) => `${e.instancePath} ${e.message}`);

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

describe('unstorableInputErrors', () => {
  it('accepts ordinary JSON, astral characters included', () => {
    expect(messages({ name: 'Grün 🚀', n: [1, -0, 1e308, 5e-324], ok: true, none: null })).toEqual([]);
  });

  it('refuses NUL and unpaired surrogates in values and keys, at their JSON pointer', () => {
    expect(
      messages({
        variants: [{ name: 'a\u0000b' }, { name: 'x\ud800' }],
        attributes: { 'k\udc00': 'v', 'a/b': '\ud83d' },
      }),
    ).toEqual([
      '/variants/0/name must not be a string that contains the NUL character (U+0000)',
      '/variants/1/name must not be a string that contains an unpaired UTF-16 surrogate (invalid Unicode)',
      '/attributes must not have a field name that contains an unpaired UTF-16 surrogate (invalid Unicode)',
      '/attributes/a~1b must not be a string that contains an unpaired UTF-16 surrogate (invalid Unicode)',
    ]);
  });

  it('refuses non-finite numbers', () => {
    expect(messages({ value: JSON.parse('1e999'), list: [-Infinity, NaN] })).toEqual([
      '/value must be a finite number',
      '/list/0 must be a finite number',
      '/list/1 must be a finite number',
    ]);
  });

  it(`allows ${MAX_INPUT_DEPTH} levels of nesting and refuses one more`, () => {
    expect(messages(nested(MAX_INPUT_DEPTH))).toEqual([]);
    expect(messages(nested(MAX_INPUT_DEPTH + 1))).toHaveLength(1);
  });

  it('walks input nested a million deep without recursion', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    expect(messages(deep)[0]).toMatch(/more than 32 deep$/);
  });

  it('lists at most 20 problems', () => {
    expect(messages(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });

  it('costs a few microseconds on a typical tracker assign body', () => {
    const body = {
      experiment_id: '5b0a3c1e-9a43-4f47-9d55-4a3f0f7c2b11',
      browser_id: 'b-7f3a9c2e41d84b6f',
      context: {
        url: 'https://shop.example/products/42?utm_source=newsletter',
        referrer: 'https://www.google.com/',
        user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
        language: 'de-DE',
        attributes: { plan: 'pro', visits: 3, returning: true },
      },
    };
    const rounds = 200_000;
    for (let i = 0; i < 20_000; i++) unstorableInputErrors(body);
    const started = performance.now();
    for (let i = 0; i < rounds; i++) unstorableInputErrors(body);
    const micros = ((performance.now() - started) * 1000) / rounds;
    console.log(`storable-input walk of an assign body: ${micros.toFixed(2)} µs`);
    // Generous for a shared CI machine; about 1 µs measured on a quiet one.
    expect(micros).toBeLessThan(20);
  });
});
