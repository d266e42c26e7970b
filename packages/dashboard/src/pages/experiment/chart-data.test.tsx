// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  cumulativeRates,
  intervalForAge,
  MAX_CHART_SERIES,
  probBestOverTime,
  sampleBuckets,
  selectSeries,
  trafficShares,
} from './chart-data.js';
import {
  COLOUR,
  COPY,
  CTA,
  type FixtureBucket,
  fixtureExperiment,
  fixtureTimeseries,
} from './experiment-fixture.js';

const AB = { name: 'Button', variants: ['Control', 'Green', 'Red'] };

describe('trafficShares', () => {
  const experiment = fixtureExperiment(
    [AB],
    [
      [30, 3],
      [60, 4],
      [10, 1],
    ],
  );
  const ts = fixtureTimeseries(experiment, [
    // Before the first recorded allocation: the bucket's own visitor split stands in.
    [
      [10, 1, null],
      [20, 1, null],
      [10, 0, null],
    ],
    [
      [10, 1, 0.2],
      [20, 1, 0.7],
      [0, 0, 0.1],
    ],
    // Weights that do not quite add up to 1 (rounding) are normalised.
    [
      [10, 1, 0.3],
      [20, 2, 0.3],
      [0, 0, 0.3],
    ],
  ]);

  it('stacks the shares so the top edge is 1 in every bucket', () => {
    const t = trafficShares(ts, [0, 1, 2]);
    expect(t.hasOther).toBe(false);
    for (let b = 0; b < 3; b++) {
      expect(t.stacked[2][b]).toBeCloseTo(1, 12);
      const sum = t.shares.reduce((s, column) => s + (column[b] ?? 0), 0);
      expect(sum).toBeCloseTo(1, 12);
    }
    expect(t.shares.map((c) => c[0])).toEqual([0.25, 0.5, 0.25]);
    expect(t.fromVisitors).toEqual([true, false, false]);
    [0.2, 0.7, 0.1].forEach((w, i) => {
      expect(t.shares[i][1]).toBeCloseTo(w, 12);
    });
    expect(t.shares[0][2]).toBeCloseTo(1 / 3, 12);
    // Each band's top is the sum of the shares at and below it.
    expect(t.stacked[1][1]).toBeCloseTo(0.9, 12);
  });

  it('pools hidden arms into one "other" band, still summing to 1', () => {
    const t = trafficShares(ts, [1]);
    expect(t.hasOther).toBe(true);
    expect(t.shares).toHaveLength(2);
    expect(t.shares[1][1]).toBeCloseTo(0.3, 12);
    for (let b = 0; b < 3; b++) expect(t.stacked[1][b]).toBeCloseTo(1, 12);
  });

  it('leaves a gap for a bucket with neither weights nor visitors', () => {
    const empty = fixtureTimeseries(experiment, [
      [
        [0, 0, null],
        [0, 0, null],
        [0, 0, null],
      ],
    ]);
    const t = trafficShares(empty, [0, 1, 2]);
    expect(t.stacked.map((c) => c[0])).toEqual([null, null, null]);
  });
});

describe('cumulativeRates', () => {
  it('divides conversions so far by visitors so far, null before the first visitor', () => {
    const experiment = fixtureExperiment(
      [{ name: 'B', variants: ['A', 'B'] }],
      [
        [30, 6],
        [20, 2],
      ],
    );
    const ts = fixtureTimeseries(experiment, [
      [
        [10, 1, 0.5],
        [0, 0, 0.5],
      ],
      [
        [10, 3, 0.5],
        [10, 1, 0.5],
      ],
      [
        [10, 2, 0.5],
        [10, 1, 0.5],
      ],
    ]);
    const { x, rates } = cumulativeRates(ts, [0, 1]);
    expect(x).toEqual([0, 1, 2].map((m) => Date.parse('2026-01-01T00:00:00Z') / 1000 + m * 60));
    expect(rates[0]).toEqual([0.1, 0.2, 0.2]);
    expect(rates[1]).toEqual([null, 0.1, 0.1]);
  });
});

describe('cumulativeRates of a revenue or count goal', () => {
  it('divides the values’ sum, or the events, so far by the visitors so far', () => {
    const experiment = fixtureExperiment(
      [{ name: 'B', variants: ['A', 'B'] }],
      [
        [20, 2],
        [20, 2],
      ],
    );
    // [visitors, conversions, weight, events, value]
    const ts = fixtureTimeseries(
      experiment,
      [
        [
          [10, 1, 0.5, 2, 25],
          [10, 0, 0.5, 0, 0],
        ],
        [
          [10, 1, 0.5, 1, 15],
          [10, 2, 0.5, 3, 12.5],
        ],
      ],
      'basket',
    );
    expect(cumulativeRates(ts, [0, 1], 'revenue').rates).toEqual([
      [2.5, 2],
      [0, 0.625],
    ]);
    expect(cumulativeRates(ts, [0, 1], 'count').rates).toEqual([
      [0.2, 0.15],
      [0, 0.15],
    ]);
  });
});

describe('probBestOverTime', () => {
  it('sums to 1 over all arms in every bucket and matches the stats at the last bucket', () => {
    // Cumulative counts end at the experiment's counts, so the last bucket must reproduce its P(best).
    const counts: [number, number][] = [
      [300, 12],
      [300, 18],
      [300, 9],
      [300, 15],
      [300, 30],
      [300, 10],
      [300, 11],
      [300, 14],
      [300, 8],
    ];
    const experiment = fixtureExperiment([CTA, COPY], counts);
    const buckets: FixtureBucket[] = [1, 2, 3].map(() => counts.map(([v, c]) => [v / 3, c / 3, 1 / 9]));
    const ts = fixtureTimeseries(experiment, buckets);
    const p = probBestOverTime(ts);
    expect(p.buckets).toEqual([0, 1, 2]);
    for (let j = 0; j < 3; j++) {
      expect(p.probBest.reduce((s, arm) => s + arm[j], 0)).toBeCloseTo(1, 6);
    }
    experiment.stats!.combinations.forEach((c, i) => {
      expect(p.probBest[i][2]).toBeCloseTo(c.prob_best, 9);
    });
  });

  it('evaluates at most the cap of buckets, evenly, keeping the first and the last', () => {
    expect(sampleBuckets(5, 60)).toEqual([0, 1, 2, 3, 4]);
    const picked = sampleBuckets(1000, 60);
    expect(picked).toHaveLength(60);
    expect(picked[0]).toBe(0);
    expect(picked[59]).toBe(999);
    const experiment = fixtureExperiment(
      [{ name: 'B', variants: ['A', 'B'] }],
      [
        [200, 20],
        [200, 30],
      ],
    );
    const ts = fixtureTimeseries(
      experiment,
      Array.from({ length: 200 }, () => [
        [1, 0.1, 0.5],
        [1, 0.15, 0.5],
      ]),
    );
    const p = probBestOverTime(ts, 20);
    expect(p.x).toHaveLength(20);
    for (let j = 0; j < 20; j++) expect(p.probBest[0][j] + p.probBest[1][j]).toBeCloseTo(1, 9);
  });
});

describe('selectSeries', () => {
  it('draws every arm of a small experiment', () => {
    const experiment = fixtureExperiment(
      [CTA, COPY],
      Array.from({ length: 9 }, () => [100, 5] as [number, number]),
    );
    const ts = fixtureTimeseries(experiment, []);
    expect(selectSeries(ts, experiment.stats!)).toEqual({ shown: [0, 1, 2, 3, 4, 5, 6, 7, 8], total: 9 });
  });

  it('draws the top arms by P(best) plus the control at 27 combinations, in combination order', () => {
    // Conversions rise with the index, so the best arms are the last ones; the control is arm 0.
    const counts = Array.from({ length: 27 }, (_, i) => [500, 10 + i] as [number, number]);
    const experiment = fixtureExperiment([CTA, COPY, COLOUR], counts);
    const ts = fixtureTimeseries(experiment, []);
    const { shown, total } = selectSeries(ts, experiment.stats!);
    expect(total).toBe(27);
    expect(shown).toHaveLength(MAX_CHART_SERIES + 1);
    expect(shown[0]).toBe(0);
    expect(shown.slice(1)).toEqual([19, 20, 21, 22, 23, 24, 25, 26]);
  });
});

describe('intervalForAge', () => {
  it('uses minutes for 6 hours, hours for two weeks, then days', () => {
    const hour = 3_600_000;
    expect(intervalForAge(0)).toBe('minute');
    expect(intervalForAge(6 * hour)).toBe('minute');
    expect(intervalForAge(6 * hour + 1)).toBe('hour');
    expect(intervalForAge(14 * 24 * hour)).toBe('hour');
    expect(intervalForAge(15 * 24 * hour)).toBe('day');
  });
});

describe('probBestOverTime where lower is better', () => {
  it('gives the lowest rate the highest probability, matching the stats’ goal at the last bucket', () => {
    const counts: [number, number][] = [
      [400, 40],
      [400, 20],
      [400, 30],
    ];
    const experiment = fixtureExperiment(
      [{ name: 'B', variants: ['A', 'B', 'C'] }],
      [
        [400, 0],
        [400, 0],
        [400, 0],
      ],
      {
        goals: [
          { key: 'signup', kind: 'conversion', direction: 'higher', role: 'primary', threshold: null },
          { key: 'bounce', kind: 'conversion', direction: 'lower', role: 'secondary', threshold: null },
        ],
        events: {
          bounce: counts.map(([, c]) => Array.from({ length: c }, () => [1, 0] as [number, number])),
        },
      },
    );
    const buckets: FixtureBucket[] = [1, 2].map(() => counts.map(([v, c]) => [v / 2, c / 2, 1 / 3]));
    const p = probBestOverTime(fixtureTimeseries(experiment, buckets, 'bounce'), undefined, 'lower');
    const last = p.probBest.map((arm) => arm[1]);
    expect(last[1]).toBeGreaterThan(last[2]);
    expect(last[2]).toBeGreaterThan(last[0]);
    expect(last.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const bounce = experiment.stats!.goals.find((g) => g.key === 'bounce')!;
    bounce.combinations.forEach((c, i) => {
      expect(last[i]).toBeCloseTo(c.prob_best, 6);
    });
  });
});
