import { AppError } from '../errors/app-error.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import type { TokenService } from './token-service.js';
import type { UserRow, UserStore } from './user-store.js';

export interface PublicUser {
  id: string;
  email: string;
  created_at: string;
}

function toPublic(user: UserRow): PublicUser {
  return { id: user.id, email: user.email, created_at: new Date(user.created_at).toISOString() };
}

export function createAuthService(users: UserStore, tokens: TokenService) {
  return {
    async register(email: string, password: string): Promise<PublicUser> {
      const user = await users.create(email.trim(), await hashPassword(password));
      if (!user) throw new AppError('AUTH_REGISTER_001');
      return toPublic(user);
    },

    /** Unknown email and wrong password fail alike, in message and (roughly) in time. */
    async login(email: string, password: string) {
      const user = await users.findByEmail(email.trim());
      const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
      if (!user || !ok) throw new AppError('AUTH_TOKEN_001');
      return tokens.issue(user.id);
    },

    async me(userId: string): Promise<PublicUser> {
      const user = await users.findById(userId);
      if (!user) throw new AppError('AUTH_REQUEST_002');
      return toPublic(user);
    },

    /**
     * The signed-in user of a request. A well-signed token of a user that no longer exists is as
     * invalid as a forged one: every later statement would act for nobody.
     */
    async authenticate(authorization: string | undefined): Promise<{ userId: string }> {
      const match = authorization?.match(/^Bearer\s+(\S+)$/i);
      if (!match) throw new AppError('AUTH_REQUEST_001');
      const { userId } = tokens.verify(match[1]);
      if (!(await users.findById(userId))) throw new AppError('AUTH_REQUEST_002');
      return { userId };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
