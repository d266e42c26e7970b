import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { buildTimeseries, MAX_BUCKETS } from './timeseries.js';

const combinations = [
  { id: 'a', name: 'A' },
  { id: 'b', name: 'B' },
];
const at = (iso: string) => new Date(iso);

describe('buildTimeseries', () => {
  it('fills the gaps with zeros and carries the last weights forward', () => {
    const series = buildTimeseries({
      experimentId: 'x',
      interval: 'day',
      goal: 'conversion',
      combinations,
      visitors: [
        { bucket: at('2025-03-01T00:00:00Z'), combination_id: 'a', n: 10 },
        { bucket: at('2025-03-01T00:00:00Z'), combination_id: 'b', n: 12 },
        { bucket: at('2025-03-04T00:00:00Z'), combination_id: 'b', n: 5 },
        { bucket: at('2025-03-04T00:00:00Z'), combination_id: 'gone', n: 99 }, // not a combination any more
      ],
      events: [
        { bucket: at('2025-03-02T00:00:00Z'), combination_id: 'a', conversions: 1, events: 3, value: 42.5 },
        { bucket: at('2025-03-04T00:00:00Z'), combination_id: 'b', conversions: 0, events: 1, value: 10 },
      ],
      allocations: [
        { bucket: at('2025-03-02T00:00:00Z'), weights: { phase: 'explore', weights: { a: 0.4, b: 0.6 } } },
      ],
    });
    expect(
      series.buckets.map((b) => [b.start.slice(0, 10), b.visitors, b.conversions, b.events, b.value]),
    ).toEqual([
      ['2025-03-01', 22, 0, 0, 0],
      ['2025-03-02', 0, 1, 3, 42.5],
      ['2025-03-03', 0, 0, 0, 0],
      ['2025-03-04', 5, 0, 1, 10],
    ]);
    expect(series.buckets[3].combinations.map((c) => [c.events, c.value])).toEqual([
      [0, 0],
      [1, 10],
    ]);
    expect(series.buckets.map((b) => b.combinations.map((c) => c.weight))).toEqual([
      [null, null],
      [0.4, 0.6],
      [0.4, 0.6],
      [0.4, 0.6],
    ]);
  });

  it('spans exactly the requested window', () => {
    const series = buildTimeseries({
      experimentId: 'x',
      interval: 'hour',
      goal: 'conversion',
      combinations,
      visitors: [],
      events: [],
      allocations: [],
      from: '2025-03-01T10:30:00Z',
      to: '2025-03-01T13:00:00Z',
    });
    expect(series.buckets.map((b) => b.start)).toEqual([
      '2025-03-01T10:00:00.000Z',
      '2025-03-01T11:00:00.000Z',
      '2025-03-01T12:00:00.000Z',
    ]);
  });

  it(`refuses more than ${MAX_BUCKETS} buckets and reversed windows`, () => {
    const input = {
      experimentId: 'x',
      goal: 'g',
      combinations,
      visitors: [],
      events: [],
      allocations: [],
    };
    expect(() =>
      buildTimeseries({
        ...input,
        interval: 'minute',
        from: '2025-01-01T00:00:00Z',
        to: '2025-02-01T00:00:00Z',
      }),
    ).toThrow(AppError);
    expect(() =>
      buildTimeseries({
        ...input,
        interval: 'day',
        from: '2025-02-01T00:00:00Z',
        to: '2025-01-01T00:00:00Z',
      }),
    ).toThrow(/window or interval/);
  });
});
