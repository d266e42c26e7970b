import { createSigner, createVerifier } from 'fast-jwt';
import { AppError } from '../errors/app-error.js';

// The algorithm is pinned on both sides: a token claiming another algorithm (or none) is rejected.
const ALGORITHM = 'HS256';
const ISSUER = 'samplit';

export interface TokenService {
  issue(userId: string): { access_token: string; token_type: 'bearer'; expires_in: number };
  verify(token: string): { userId: string };
}

export function createTokenService(secret: string, expiresInSeconds: number): TokenService {
  const sign = createSigner({
    key: secret,
    algorithm: ALGORITHM,
    expiresIn: expiresInSeconds * 1000,
    iss: ISSUER,
  });
  // A token must carry its expiry, issuer and subject: one signed without `exp` would never expire.
  const verifier = createVerifier({
    key: secret,
    algorithms: [ALGORITHM],
    allowedIss: ISSUER,
    requiredClaims: ['exp', 'iss', 'sub'],
    cache: true,
  });
  return {
    issue(userId) {
      return { access_token: sign({ sub: userId }), token_type: 'bearer', expires_in: expiresInSeconds };
    },
    verify(token) {
      try {
        const payload = verifier(token) as { sub?: unknown };
        if (typeof payload.sub !== 'string') throw new Error('no subject');
        return { userId: payload.sub };
      } catch {
        throw new AppError('AUTH_REQUEST_002');
      }
    },
  };
}
