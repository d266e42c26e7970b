import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  classifyDatabaseError,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
} from './availability.js';

/** A server error as node-pg reports it: an Error with the SQLSTATE in `code`. */
const sqlError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe('classifyDatabaseError', () => {
  it.each([
    [
      'connect refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'unreachable',
    ],
    ['reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'unreachable'],
    ['terminated', new Error('Connection terminated unexpectedly'), 'unreachable'],
    ['query timeout', new Error('Query read timeout'), 'timeout'],
    [
      'connect timeout',
      new Error('Connection terminated due to connection timeout', { cause: new Error('x') }),
      'timeout',
    ],
    ['admin shutdown', sqlError('57P01'), 'unreachable'],
    ['starting up', sqlError('57P03'), 'unreachable'],
    ['connection exception', sqlError('08006'), 'unreachable'],
    ['statement timeout', sqlError('57014'), 'busy'],
    ['too many connections', sqlError('53300'), 'busy'],
    ['deadlock', sqlError('40P01'), 'busy'],
    ['serialization failure', sqlError('40001'), 'busy'],
    ['pool exhausted', new Error('timeout exceeded when trying to connect'), 'busy'],
    ['unique violation', sqlError('23505'), undefined],
    ['invalid text', sqlError('22P02'), undefined],
    ['undefined column', sqlError('42703'), undefined],
    ['idle session closed', sqlError('57P05'), undefined],
    ['a bug', new TypeError('x is not a function'), undefined],
  ])('%s', (_label, error, expected) => {
    expect(classifyDatabaseError(error)).toBe(expected);
  });
});

describe('CircuitBreaker', () => {
  function breaker() {
    let now = 0;
    const changes: string[] = [];
    const b = new CircuitBreaker({ coolDownMs: 1000, now: () => now, onChange: (s) => changes.push(s) });
    return { b, changes, advance: (ms: number) => (now += ms) };
  }
  const down = () => Promise.reject(new Error('Connection terminated unexpectedly'));
  const up = () => Promise.resolve('answer');

  it('opens on a connection failure, refuses at once during the cool-down, then probes once and closes', async () => {
    const { b, changes, advance } = breaker();
    const first = await b.run(down).catch((e) => e);
    expect(isDatabaseUnavailable(first) && first.reason).toBe('unreachable');
    expect(first.cause.message).toBe('Connection terminated unexpectedly');

    let called = 0;
    const refused = await b.run(async () => ++called).catch((e) => e);
    expect(refused).toBeInstanceOf(DatabaseUnavailableError);
    expect(refused.reason).toBe('circuit_open');
    expect(refused.retryAfterSeconds).toBe(1);
    expect(called).toBe(0);
    expect(b.snapshot()).toEqual({ state: 'open', retry_after_seconds: 1, reason: 'unreachable' });

    advance(1000);
    expect(b.snapshot().state).toBe('half_open');
    // One probe goes through; a second statement meanwhile is refused.
    let answer!: (v: string) => void;
    const probe = b.run(() => new Promise<string>((r) => (answer = r)));
    const during = await b.run(up).catch((e) => e);
    expect(during.reason).toBe('circuit_open');
    answer('back');
    expect(await probe).toBe('back');
    expect(b.snapshot()).toEqual({ state: 'closed', retry_after_seconds: 0 });
    expect(await b.run(up)).toBe('answer');
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed probe opens it for another cool-down', async () => {
    const { b, advance } = breaker();
    await b.run(down).catch(() => {});
    advance(1000);
    const probe = await b.run(() => Promise.reject(new Error('Query read timeout'))).catch((e) => e);
    expect(probe.reason).toBe('timeout');
    expect(b.snapshot().state).toBe('open');
    advance(999);
    expect((await b.run(up).catch((e) => e)).reason).toBe('circuit_open');
    advance(1);
    expect(await b.run(up)).toBe('answer');
  });

  it('SQL errors from data pass through untouched and never open it; they close a half-open circuit', async () => {
    const { b, advance } = breaker();
    const unique = sqlError('23505');
    for (let i = 0; i < 20; i++)
      expect(await b.run(() => Promise.reject(unique)).catch((e) => e)).toBe(unique);
    expect(b.snapshot().state).toBe('closed');
    await b.run(down).catch(() => {});
    advance(1000);
    expect(await b.run(() => Promise.reject(unique)).catch((e) => e)).toBe(unique);
    expect(b.snapshot().state).toBe('closed');
  });

  it('overload is a typed 503 but leaves the circuit closed', async () => {
    const { b } = breaker();
    const busy = await b.run(() => Promise.reject(sqlError('57014'))).catch((e) => e);
    expect(busy).toBeInstanceOf(DatabaseUnavailableError);
    expect(busy.reason).toBe('busy');
    const exhausted = await b
      .run(() => Promise.reject(new Error('timeout exceeded when trying to connect')))
      .catch((e) => e);
    expect(exhausted.reason).toBe('busy');
    expect(b.snapshot().state).toBe('closed');
  });

  it('a probe that fails without a verdict (a bug) lets the next statement probe', async () => {
    const { b, advance } = breaker();
    await b.run(down).catch(() => {});
    advance(1000);
    await b.run(() => Promise.reject(new TypeError('bug'))).catch(() => {});
    expect(await b.run(up)).toBe('answer');
  });
});
