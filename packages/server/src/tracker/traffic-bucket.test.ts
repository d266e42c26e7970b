import { createRng } from '@samplit/engine';
import { describe, expect, it } from 'vitest';
import { trafficBucket } from './traffic-bucket.js';

const EXPERIMENT = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const N = 100_000;

/** FNV-1a, 32 bit, in exact BigInt arithmetic: the published algorithm, independent of Math.imul. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x01000193n) % 2n ** 32n;
  }
  return Number(hash);
}

/** Visitor ids as the SDK makes them (random UUIDs), from a seeded generator so the test replays. */
function uuidLikeIds(n: number, seed: number): string[] {
  const rng = createRng(seed);
  const hex = (words: number) =>
    Array.from({ length: words }, () => rng.nextUint32().toString(16).padStart(8, '0')).join('');
  return Array.from({ length: n }, () => {
    const h = hex(4);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });
}

/** Ids an application passes itself: one prefix and a counter, the least varied input there is. */
const sequentialIds = (n: number) => Array.from({ length: n }, (_, i) => `user-${i}`);

describe('traffic bucket', () => {
  it('is FNV-1a of "experiment:visitor", so every process and every version agrees', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5); // the published test vectors
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    for (const visitor of uuidLikeIds(1000, 1)) {
      expect(trafficBucket(EXPERIMENT, visitor)).toBe((fnv1a32(`${EXPERIMENT}:${visitor}`) % 10_000) / 100);
    }
    expect(trafficBucket(EXPERIMENT, 'visitor')).toBe(trafficBucket(EXPERIMENT, 'visitor'));
  });

  it('lies in [0, 100) in steps of 0.01', () => {
    const visitors = [...uuidLikeIds(N / 2, 2), ...sequentialIds(N / 2), '', 'é', '🙂'.repeat(64)];
    const outside = visitors
      .map((v) => trafficBucket(EXPERIMENT, v))
      .filter((b) => !(b >= 0 && b < 100 && Math.round(b * 100) / 100 === b));
    expect(outside).toEqual([]);
  });

  // A decile of N uniform buckets holds Binomial(N, 0.1) visitors: mean 10 000, standard deviation
  // √(N·0.1·0.9) ≈ 95. ±500 is more than 5 standard deviations (a uniform hash misses it with
  // probability under 10⁻⁶ per decile), and far less than any bias that would show in an
  // experiment's traffic (a 10 % slice off by 5 %). Over the 100 one-percent buckets, χ² with 99
  // degrees of freedom exceeds 181 with probability 10⁻⁶ (Wilson–Hilferty). The ids are
  // deterministic, so the test itself never flakes.
  for (const [name, ids] of [
    ['random UUIDs', () => uuidLikeIds(N, 3)],
    ['sequential ids', () => sequentialIds(N)],
  ] as const) {
    it(`spreads ${name} uniformly`, () => {
      const deciles = new Array<number>(10).fill(0);
      const percents = new Array<number>(100).fill(0);
      for (const visitor of ids()) {
        const bucket = trafficBucket(EXPERIMENT, visitor);
        deciles[Math.floor(bucket / 10)]++;
        percents[Math.floor(bucket)]++;
      }
      for (const count of deciles) expect(Math.abs(count - N / 10)).toBeLessThan(500);
      const expected = N / 100;
      const chiSquare = percents.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(181);
    });
  }

  it('only adds visitors as the percentage rises', () => {
    const visitors = uuidLikeIds(10_000, 4).map((v) => ({ v, bucket: trafficBucket(EXPERIMENT, v) }));
    let previous = new Set<string>();
    for (let percentage = 0; percentage <= 100; percentage += 5) {
      const included = new Set(visitors.filter((x) => x.bucket < percentage).map((x) => x.v));
      expect([...previous].filter((v) => !included.has(v))).toEqual([]);
      // Binomial(10 000, p): sd at most 50, so ±300 is 6 sd.
      expect(Math.abs(included.size - visitors.length * (percentage / 100))).toBeLessThan(300);
      previous = included;
    }
    expect(previous.size).toBe(visitors.length);
  });

  it('draws each experiment’s slice independently of another’s', () => {
    const other = '0b9e8d7c-6b5a-4f49-8382-716051403f2e';
    const visitors = uuidLikeIds(N, 5);
    const inBoth = visitors.filter(
      (v) => trafficBucket(EXPERIMENT, v) < 10 && trafficBucket(other, v) < 10,
    ).length;
    // Independent 10 % slices overlap on 1 % of visitors: Binomial(N, 0.01), sd ≈ 31.5; ±200 is > 6 sd.
    expect(Math.abs(inBoth - N / 100)).toBeLessThan(200);
  });
});
