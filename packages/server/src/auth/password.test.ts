import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies what it hashed and nothing else', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
  });

  it('runs a bounded number of hashes and sheds the rest of a burst with a 503', async () => {
    const settled = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => hashPassword(`p${i}`)));
    const shed = settled.filter((s) => s.status === 'rejected');
    // 4 running + 64 waiting are accepted; everything beyond is refused at once, not queued.
    expect(settled.length - shed.length).toBe(68);
    for (const s of shed) {
      expect((s as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
      expect((s as PromiseRejectedResult).reason.statusCode).toBe(503);
    }
    // The bound releases: the next hash runs normally.
    expect(await hashPassword('after the burst')).toMatch(/^scrypt\$/);
  }, 60_000);
});
