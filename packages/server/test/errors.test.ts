import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, createTestApp, signUp, useTestApp } from './helpers/test-app.js';

const ctx = useTestApp({ bodyLimitBytes: 10_000 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

const errorShape = {
  error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
};

describe('client errors get a 4xx in the one error shape', () => {
  it.each([
    ['malformed JSON', '{"name": ', 'application/json', 400, 'REQUEST_BODY_001'],
    ['an empty JSON body', '', 'application/json', 422, 'REQUEST_VALIDATION_001'],
    [
      'a prototype-poisoning body',
      '{"__proto__": {"admin": true}}',
      'application/json',
      400,
      'REQUEST_BODY_001',
    ],
    ['a JSON array', '[1,2]', 'application/json', 422, 'REQUEST_VALIDATION_001'],
    ['a JSON null', 'null', 'application/json', 422, 'REQUEST_VALIDATION_001'],
    ['an unsupported media type', '<xml/>', 'application/xml', 415, 'REQUEST_BODY_003'],
    [
      'an oversized body',
      JSON.stringify({ ...AB_TEST, description: 'x'.repeat(20_000) }),
      'application/json',
      413,
      'REQUEST_BODY_002',
    ],
  ])('%s', async (_label, payload, contentType, status, code) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/experiments',
      headers: { ...headers, 'content-type': contentType },
      payload,
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject(errorShape);
    expect(res.json().error.code).toBe(code);
  });

  it('unknown routes are 404 in the error shape', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'REQUEST_ROUTE_001' } });
  });

  it('a bad UUID in the path is 422 naming the parameter', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments/not-a-uuid', headers });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([
      { field: 'params.id', message: expect.stringContaining('uuid') },
    ]);
  });

  it('an unknown but well-formed id is 404', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/experiments/00000000-0000-4000-8000-000000000000',
      headers,
    });
    expect(res.statusCode).toBe(404);
  });

  it('requests without a token are 401', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_REQUEST_001');
  });
});

describe('server errors', () => {
  async function appThatFails(production: boolean) {
    const test = await createTestApp({ production });
    test.app.get('/boom', async () => {
      throw new Error('connection string postgres://secret@db leaked');
    });
    return test;
  }

  it('in production, a 5xx carries no internal message, code or stack', async () => {
    const prod = await appThatFails(true);
    try {
      const res = await prod.app.inject({ method: 'GET', url: '/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'SERVER_INTERNAL_001', message: 'Internal server error.', details: [] },
      });
      expect(res.body).not.toContain('secret');
      // 4xx stay helpful in production.
      const bad = await prod.app.inject({ method: 'GET', url: '/api/v1/experiments/nope' });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.message).toContain('Authorization');
    } finally {
      await prod.close();
    }
  });

  it('in development, a 5xx shows the message and stack to help debugging', async () => {
    const dev = await appThatFails(false);
    try {
      const res = await dev.app.inject({ method: 'GET', url: '/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.message).toContain('leaked');
      expect(res.json().error.details[0].field).toBe('stack');
    } finally {
      await dev.close();
    }
  });
});

describe('health and docs', () => {
  it('reports the database', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { kind: ctx.db.kind, status: 'ok' } });
  });

  it('serves an OpenAPI document built from the route schemas, and the docs UI', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/experiments',
        '/api/v1/experiments/{id}',
        '/api/v1/auth/token',
        '/health',
      ]),
    );
    const create = doc.paths['/api/v1/experiments'].post;
    expect(create.requestBody.content['application/json'].schema.properties.type).toBeDefined();
    const ui = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});
