import { createHmac } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import { AppError } from '../errors/app-error.js';

const ALGORITHM = 'HS256';
const AUDIENCE = 'visual-editor-proxy';
export const PROXY_TOKEN_SECONDS = 600;

export interface ProxyClaims {
  userId: string;
  /** The dashboard origin that asked for the token: the only one allowed to frame the proxy. */
  parentOrigin: string;
}

export interface ProxyTokenService {
  issue(claims: ProxyClaims): { token: string; expires_in: number };
  verify(token: string | undefined): ProxyClaims;
}

/**
 * The key is derived from the JWT secret rather than being it, so a proxy token (which travels
 * in a URL and may end up in logs) fails the main app's bearer check, and a bearer token fails
 * here: neither verifies under the other's key, whatever its claims say.
 */
export function proxyTokenKey(jwtSecret: string): Buffer {
  return createHmac('sha256', jwtSecret).update('samplit visual-editor proxy').digest();
}

/** `now` (milliseconds) lets a test issue a token that has already expired. */
export function createProxyTokenService(jwtSecret: string, now: () => number = Date.now): ProxyTokenService {
  const key = proxyTokenKey(jwtSecret);
  const verifier = createVerifier({
    key,
    algorithms: [ALGORITHM],
    allowedAud: AUDIENCE,
    requiredClaims: ['exp', 'aud', 'sub', 'par'],
  });
  return {
    issue({ userId, parentOrigin }) {
      const sign = createSigner({
        key,
        algorithm: ALGORITHM,
        expiresIn: PROXY_TOKEN_SECONDS * 1000,
        aud: AUDIENCE,
        clockTimestamp: now(),
      });
      return { token: sign({ sub: userId, par: parentOrigin }), expires_in: PROXY_TOKEN_SECONDS };
    },
    verify(token) {
      if (!token) {
        throw new AppError(
          'EDITOR_TOKEN_001',
          'The editor link has no token: open the page from the dashboard.',
        );
      }
      try {
        const claims = verifier(token) as { sub?: unknown; par?: unknown };
        if (typeof claims.sub !== 'string' || typeof claims.par !== 'string') throw new Error('claims');
        return { userId: claims.sub, parentOrigin: claims.par };
      } catch {
        throw new AppError('EDITOR_TOKEN_001');
      }
    },
  };
}
