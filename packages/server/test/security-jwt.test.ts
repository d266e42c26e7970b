import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token assembled by hand, so that every part of it can be wrong. */
function handmade(header: object, payload: object, key: string | null): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature = key === null ? '' : createHmac('sha256', key).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

describe('access tokens under attack', () => {
  const ctx = useTestApp();
  let secret: string;
  let user: Awaited<ReturnType<typeof signUp>>;
  let experimentId: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    secret = ctx.config.jwtSecret;
    user = await signUp(ctx.app);
    experimentId = (await launch(ctx.app, user.headers, AB_TEST, false)).id;
  });

  const routes = () => [
    { method: 'GET' as const, url: '/api/v1/auth/me' },
    { method: 'GET' as const, url: '/api/v1/experiments' },
    { method: 'GET' as const, url: `/api/v1/experiments/${experimentId}` },
    { method: 'GET' as const, url: `/api/v1/experiments/${experimentId}/timeseries` },
    { method: 'GET' as const, url: `/api/v1/experiments/${experimentId}/export.csv` },
    { method: 'POST' as const, url: `/api/v1/experiments/${experimentId}/start` },
  ];

  /** Every signed-in route answers 401 in the error shape, and nothing changed. */
  async function refusedEverywhere(token: string) {
    for (const route of routes()) {
      const res = await ctx.app.inject({ ...route, headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().error.code).toMatch(/^AUTH_REQUEST_00[12]$/);
    }
    const [{ status }] = await ctx.db.asSystem((q) =>
      q.query<{ status: string }>('SELECT status FROM experiments WHERE id = $1', [experimentId]),
    );
    expect(status).toBe('draft');
  }

  const claims = () => ({ sub: user.id, iss: 'samplit', iat: now(), exp: now() + 600 });

  it('accepts the token it issued (control case)', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers });
    expect(res.statusCode).toBe(200);
    expect(handmade({ alg: 'HS256', typ: 'JWT' }, claims(), secret)).toMatch(/\./);
    const forged = handmade({ alg: 'HS256', typ: 'JWT' }, claims(), secret);
    const ok = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(ok.statusCode).toBe(200); // the hand-made tokens below differ from a good one in one way only
  });

  it('refuses alg "none" (unsigned)', async () => {
    await refusedEverywhere(handmade({ alg: 'none', typ: 'JWT' }, claims(), null));
    await refusedEverywhere(handmade({ alg: 'NONE', typ: 'JWT' }, claims(), null));
  });

  it('refuses other algorithms, even signed with the right secret or a public key (alg confusion)', async () => {
    const hs512 = createSigner({ key: secret, algorithm: 'HS512', iss: 'samplit', expiresIn: 600_000 });
    await refusedEverywhere(hs512({ sub: user.id }));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = createSigner({
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      algorithm: 'RS256',
      iss: 'samplit',
      expiresIn: 600_000,
    });
    await refusedEverywhere(rs256({ sub: user.id }));
    // The classic confusion: HS256 keyed with the public key, claiming to be RS256 or HS256.
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await refusedEverywhere(handmade({ alg: 'RS256', typ: 'JWT' }, claims(), pem));
    await refusedEverywhere(handmade({ alg: 'HS256', typ: 'JWT' }, claims(), pem));
  });

  it('refuses a token signed with another (weak or guessed) secret', async () => {
    for (const guess of ['secret', '', 'samplit', 'x'.repeat(40)]) {
      await refusedEverywhere(handmade({ alg: 'HS256', typ: 'JWT' }, claims(), guess));
    }
  });

  it('refuses a tampered token', async () => {
    const [header, , signature] = user.headers.authorization.slice(7).split('.');
    const other = await signUp(ctx.app);
    await refusedEverywhere(`${header}.${b64({ ...claims(), sub: other.id })}.${signature}`);
    await refusedEverywhere(`${header}.${b64(claims())}.${signature.slice(0, -2)}AA`);
  });

  it('refuses an expired token and one not yet valid', async () => {
    await refusedEverywhere(handmade({ alg: 'HS256', typ: 'JWT' }, { ...claims(), exp: now() - 5 }, secret));
    await refusedEverywhere(
      handmade({ alg: 'HS256', typ: 'JWT' }, { ...claims(), nbf: now() + 3600 }, secret),
    );
  });

  it('refuses tokens missing exp, iss or sub, or with another issuer', async () => {
    const { exp, iss, sub, ...rest } = claims();
    await refusedEverywhere(handmade({ alg: 'HS256', typ: 'JWT' }, { ...rest, iss, sub }, secret));
    await refusedEverywhere(handmade({ alg: 'HS256', typ: 'JWT' }, { ...rest, exp, sub }, secret));
    await refusedEverywhere(handmade({ alg: 'HS256', typ: 'JWT' }, { ...rest, exp, iss }, secret));
    await refusedEverywhere(
      handmade({ alg: 'HS256', typ: 'JWT' }, { ...claims(), iss: 'someone-else' }, secret),
    );
    await refusedEverywhere(handmade({ alg: 'HS256', typ: 'JWT' }, { ...claims(), sub: 42 }, secret));
  });

  it('refuses garbage in the Authorization header', async () => {
    for (const value of [
      'Bearer',
      'Bearer a.b',
      'Bearer ...',
      'Basic dXNlcjpwYXNz',
      `Bearer ${'a'.repeat(5000)}`,
    ]) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/experiments',
        headers: { authorization: value },
      });
      expect(res.statusCode).toBe(401);
    }
  });

  it('refuses a valid token whose user no longer exists', async () => {
    const gone = await signUp(ctx.app);
    await ctx.db.query('DELETE FROM users WHERE id = $1', [gone.id]);
    for (const route of [...routes(), { method: 'POST' as const, url: '/api/v1/experiments' }]) {
      const res = await ctx.app.inject({
        ...route,
        headers: gone.headers,
        payload: route.method === 'POST' ? AB_TEST : undefined,
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('will not start with a weak secret, or without one in production', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ NODE_ENV: 'production', SAMPLIT_DATA_DIR: 'memory://' })).toThrow(
      /JWT_SECRET is required/,
    );
  });
});
