import type { Queryable } from '../db/database.js';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: Date;
}

export interface UserStore {
  /** Inserts a user; returns undefined when the email is taken. */
  create(email: string, passwordHash: string): Promise<UserRow | undefined>;
  findByEmail(email: string): Promise<UserRow | undefined>;
  findById(id: string): Promise<UserRow | undefined>;
}

export function createUserStore(db: Queryable): UserStore {
  return {
    async create(email, passwordHash) {
      const rows = await db.query<UserRow>(
        `INSERT INTO users (email, password_hash) VALUES ($1, $2)
         ON CONFLICT (lower(email)) DO NOTHING
         RETURNING id, email, password_hash, created_at`,
        [email, passwordHash],
      );
      return rows[0];
    },
    async findByEmail(email) {
      const rows = await db.query<UserRow>(
        'SELECT id, email, password_hash, created_at FROM users WHERE lower(email) = lower($1)',
        [email],
      );
      return rows[0];
    },
    async findById(id) {
      const rows = await db.query<UserRow>(
        'SELECT id, email, password_hash, created_at FROM users WHERE id = $1',
        [id],
      );
      return rows[0];
    },
  };
}
