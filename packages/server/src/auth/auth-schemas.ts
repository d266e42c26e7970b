import { Type } from 'typebox';
import { DateTime, Uuid } from '../shared/schemas.js';

const Email = Type.String({ format: 'email', maxLength: 254, description: 'Login email' });

export const RegisterBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 8, maxLength: 256 }) },
  { additionalProperties: false },
);

/** JSON `{email, password}` or the OAuth2 password form (`username`, `password`, `grant_type`). */
export const TokenBody = Type.Object(
  {
    email: Type.Optional(Type.String({ maxLength: 254 })),
    username: Type.Optional(Type.String({ maxLength: 254 })),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    grant_type: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const User = Type.Object({ id: Uuid, email: Type.String(), created_at: DateTime }, { $id: 'User' });

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
});
