import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { AssignBody } from '../tracker/tracker-schemas.js';
import { validatorCompiler } from './validator.js';

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};
const compile = (schema: object, httpPart: string) =>
  validatorCompiler({ schema, httpPart, method: 'GET', url: '/' }) as unknown as Validate;

describe('validatorCompiler', () => {
  it('bounds every integer without a maximum at Number.MAX_SAFE_INTEGER', () => {
    const validate = compile(
      Type.Object({ n: Type.Integer(), m: Type.Integer({ maximum: 5 }) }),
      'querystring',
    );
    expect(validate({ n: String(Number.MAX_SAFE_INTEGER), m: '5' })).toBe(true);
    expect(validate({ n: '99999999999999999999', m: '5' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/n',
      message: `must be <= ${Number.MAX_SAFE_INTEGER}`,
    });
    expect(validate({ n: String(-Number.MAX_SAFE_INTEGER - 2), m: '5' })).toBe(false);
  });

  it('refuses unstorable values after the schema passes, as ajv errors', () => {
    const validate = compile(Type.Object({ name: Type.String(), value: Type.Number() }), 'body');
    expect(validate({ name: 'ok', value: 1 })).toBe(true);
    expect(validate.errors).toBeNull();
    expect(validate({ name: 'a\u0000', value: Number.POSITIVE_INFINITY })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(['/name', '/value']);
  });

  it('reports schema errors first, without walking an invalid value', () => {
    const validate = compile(Type.Object({ name: Type.String() }, { additionalProperties: false }), 'body');
    expect(validate({ name: 'a\u0000', extra: 1 })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(['']);
  });

  it('checks date-times against what timestamptz and JS Dates hold', () => {
    const validate = compile(Type.Object({ from: Type.String({ format: 'date-time' }) }), 'querystring');
    expect(validate({ from: '2024-02-29T00:00:00Z' })).toBe(true);
    expect(validate({ from: '2023-02-29T00:00:00Z' })).toBe(false);
    expect(validate({ from: '0000-01-01T00:00:00Z' })).toBe(false);
  });

  it('adds about a microsecond to the tracker assign body', () => {
    const validate = compile(AssignBody, 'body');
    const body = {
      experiment_id: '5b0a3c1e-9a43-4f47-9d55-4a3f0f7c2b11',
      browser_id: 'b-7f3a9c2e41d84b6f',
      context: { url: 'https://shop.example/', language: 'de-DE', attributes: { plan: 'pro', visits: 3 } },
    };
    const rounds = 100_000;
    for (let i = 0; i < 10_000; i++) validate(body);
    const started = performance.now();
    for (let i = 0; i < rounds; i++) validate(body);
    const micros = ((performance.now() - started) * 1000) / rounds;
    console.log(`assign body, ajv + storable check: ${micros.toFixed(2)} µs`);
    expect(validate(body)).toBe(true);
    expect(micros).toBeLessThan(25);
  });
});
