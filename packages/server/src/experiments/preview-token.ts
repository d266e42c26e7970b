import { createHmac } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import { AppError } from '../errors/app-error.js';

/** How long a preview link works: long enough for a QA round, short enough to go stale. */
export const PREVIEW_TOKEN_SECONDS = 7 * 24 * 60 * 60;

const ALGORITHM = 'HS256';
const AUDIENCE = 'preview';
const KEY_LABEL = 'samplit preview';

/** What a preview token grants: showing one combination of one experiment. */
export interface PreviewClaims {
  experimentId: string;
  combinationId: string;
}

export interface PreviewTokens {
  readonly expiresInSeconds: number;
  issue(claims: PreviewClaims): string;
  /** The token's claims; 401 TRACKER_PREVIEW_001 when it is malformed, forged or expired. */
  verify(token: string): PreviewClaims;
}

/**
 * The key preview tokens are signed with. Derived rather than the JWT secret itself, so a preview
 * token (which travels in URLs, chat messages and referrers) can never pass as a bearer token, and
 * a bearer token can never pass as a preview token: each fails the other's signature check.
 */
export function previewKey(jwtSecret: string): Buffer {
  return createHmac('sha256', jwtSecret).update(KEY_LABEL).digest();
}

export function createPreviewTokens(
  jwtSecret: string,
  expiresInSeconds = PREVIEW_TOKEN_SECONDS,
): PreviewTokens {
  const key = previewKey(jwtSecret);
  const sign = createSigner({ key, algorithm: ALGORITHM, aud: AUDIENCE, expiresIn: expiresInSeconds * 1000 });
  // Pinned algorithm and audience, and an expiry required: a token signed without `exp` would never expire.
  const verifier = createVerifier({
    key,
    algorithms: [ALGORITHM],
    allowedAud: AUDIENCE,
    requiredClaims: ['exp', 'aud', 'sub', 'cmb'],
  });
  return {
    expiresInSeconds,
    issue({ experimentId, combinationId }) {
      return sign({ sub: experimentId, cmb: combinationId });
    },
    verify(token) {
      let payload: { sub?: unknown; cmb?: unknown };
      try {
        payload = verifier(token);
      } catch {
        throw new AppError('TRACKER_PREVIEW_001');
      }
      const { sub, cmb } = payload;
      if (typeof sub !== 'string' || typeof cmb !== 'string') throw new AppError('TRACKER_PREVIEW_001');
      return { experimentId: sub, combinationId: cmb };
    },
  };
}
