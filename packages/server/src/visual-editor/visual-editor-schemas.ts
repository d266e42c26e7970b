import { Type } from 'typebox';
import { Nullable } from '../shared/schemas.js';

/** `{}` or no body: the token carries only who asked and from which dashboard origin. */
export const ProxyTokenBody = Nullable(Type.Object({}, { additionalProperties: false }));

export const ProxyTokenResponse = Type.Object({
  token: Type.String({ description: 'For the proxy URL’s `token` parameter; valid on the proxy only' }),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
  proxy_url: Type.String({
    description: 'The proxy on the editor origin: add `?url=<page>&token=<token>`',
    examples: ['http://127.0.0.1:8001/api/v1/visual-editor/proxy'],
  }),
});

/**
 * Both optional in the schema, so that a missing token is the proxy's 401 and a missing url its
 * own 422 (EDITOR_TARGET_001) rather than a generic validation error.
 */
export const ProxyQuery = Type.Object({
  url: Type.Optional(Type.String({ maxLength: 8192, description: 'The absolute http(s) URL of the page' })),
  token: Type.Optional(
    Type.String({ maxLength: 4096, description: 'A token from POST /visual-editor/token' }),
  ),
});
