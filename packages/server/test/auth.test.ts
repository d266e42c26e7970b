import { describe, expect, it } from 'vitest';
import { createTestApp, signUp, useTestApp } from './helpers/test-app.js';

const ctx = useTestApp();

describe('auth', () => {
  it('registers, rejects a duplicate email (any case) with 409, and never returns the hash', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'Ada@Example.com', password: 'analytical' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      email: 'Ada@Example.com',
      created_at: expect.any(String),
    });
    const dup = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'ada@example.com', password: 'other-password' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('AUTH_REGISTER_001');
  });

  it('stores an scrypt hash, not the password', async () => {
    const user = await signUp(ctx.app);
    const [row] = await ctx.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [user.id],
    );
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain(user.password);
  });

  it('rejects weak input with 422 naming each field', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'not-an-email', password: 'short' },
    });
    expect(res.statusCode).toBe(422);
    const fields = res.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password']));
  });

  it('issues a token from JSON and from the OAuth2 password form', async () => {
    const user = await signUp(ctx.app);
    const json = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: user.email, password: user.password },
    });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    const form = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        username: user.email,
        password: user.password,
      }).toString(),
    });
    expect(form.statusCode).toBe(200);
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${form.json().access_token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, email: user.email });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const user = await signUp(ctx.app);
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: user.email, password: 'not the password' },
    });
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'nobody@example.com', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('rejects missing, malformed, forged and alg=none tokens', async () => {
    const user = await signUp(ctx.app);
    const token = user.headers.authorization.slice('Bearer '.length);
    const [header, payload] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (const authorization of [undefined, 'Bearer', 'Basic abc', `Bearer ${none}`, `Bearer ${forged}`]) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toMatch(/^AUTH_REQUEST_00[12]$/);
    }
  });

  it('rejects an expired token', async () => {
    const short = await createTestApp({ jwtExpiresInSeconds: 1 });
    try {
      const user = await signUp(short.app);
      await new Promise((r) => setTimeout(r, 1100));
      const res = await short.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('AUTH_REQUEST_002');
    } finally {
      await short.close();
    }
  });
});
