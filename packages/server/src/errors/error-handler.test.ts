import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/helpers/test-app.js';
import { DatabaseUnavailableError } from '../db/availability.js';
import { AppError } from './app-error.js';
import { toAppError } from './error-handler.js';

describe('availability errors are 503 with Retry-After, never 500', () => {
  let prod: TestContext;
  beforeAll(async () => {
    prod = await createTestApp({ production: true });
    prod.app.get('/down', async () => {
      throw new DatabaseUnavailableError('circuit_open', 2.2, {
        cause: new Error('connect ECONNREFUSED 10.1.2.3:5432'),
      });
    });
    prod.app.get('/shed', async () => {
      throw new AppError('SERVER_UNAVAILABLE_001', 'Too many tracker requests queued.');
    });
    prod.app.get('/plain-503', async (_request, reply) => reply.status(503).send({ busy: true }));
  });
  afterAll(() => prod.close());

  it('a database failure: SERVER_UNAVAILABLE_002, the seconds to wait, and no driver detail (production)', async () => {
    const res = await prod.app.inject({ method: 'GET', url: '/down' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json()).toEqual({
      error: { code: 'SERVER_UNAVAILABLE_002', message: expect.stringContaining('database'), details: [] },
    });
    expect(res.body).not.toContain('10.1.2.3');
  });

  it('any other 503 carries Retry-After too', async () => {
    const shed = await prod.app.inject({ method: 'GET', url: '/shed' });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.json().error).toEqual({
      code: 'SERVER_UNAVAILABLE_001',
      message: 'Too many tracker requests queued.',
      details: [],
    });
    const plain = await prod.app.inject({ method: 'GET', url: '/plain-503' });
    expect(plain.headers['retry-after']).toBe('1');
  });

  it('/health reports the circuit (closed in process)', async () => {
    const res = await prod.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json().database).toMatchObject({ kind: prod.db.kind, status: 'ok', circuit: 'closed' });
    expect(res.headers['retry-after']).toBeUndefined();
  });
});

describe('a value the database refuses for what it is', () => {
  it('is the request’s fault: 422, not 500', () => {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
    });
    expect(toAppError(refused)).toMatchObject({ statusCode: 422, code: 'REQUEST_VALIDATION_001' });
    // Anything else the database says stays a server error.
    const bug = Object.assign(new Error('column "x" does not exist'), { code: '42703' });
    expect(toAppError(bug)).toMatchObject({ statusCode: 500 });
  });
});
