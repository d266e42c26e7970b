import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import type { AuthService } from './auth-service.js';
import { declareUserId, requireSignIn } from './signed-in.js';

// Only `authenticate` matters here; the real one (token + user lookup) is tested in test/auth*.
const auth = {
  async authenticate(authorization: string | undefined) {
    if (authorization !== 'Bearer good') throw new AppError('AUTH_REQUEST_002');
    return { userId: 'user-1' };
  },
} as unknown as AuthService;

async function app() {
  const instance = Fastify();
  declareUserId(instance);
  instance.get('/outside', async (request) => ({ user: request.userId }));
  await instance.register(async (scope) => {
    requireSignIn(scope, auth);
    scope.get('/inside', async (request) => ({ user: request.userId }));
  });
  return instance;
}

describe('the signed-in scope', () => {
  it('authenticates every route in it and exposes the user', async () => {
    const a = await app();
    expect((await a.inject({ url: '/inside', headers: { authorization: 'Bearer good' } })).json()).toEqual({
      user: 'user-1',
    });
    expect((await a.inject({ url: '/inside' })).statusCode).toBe(401);
  });

  it('refuses to give a user id to a route outside it', async () => {
    const a = await app();
    const res = await a.inject({ url: '/outside', headers: { authorization: 'Bearer good' } });
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toMatch(/outside a signed-in scope/);
  });
});
