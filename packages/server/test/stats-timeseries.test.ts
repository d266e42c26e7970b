import { beforeAll, describe, expect, it } from 'vitest';
import { AB_TEST, signUp, useTestApp } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

const ctx = useTestApp();
let headers: Record<string, string>;
let exp: Awaited<ReturnType<typeof launch>>;
let a: string;
let b: string;

interface Bucket {
  start: string;
  visitors: number;
  conversions: number;
  combinations: { combination_id: string; visitors: number; conversions: number; weight: number | null }[];
}

beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
  exp = await launch(ctx.app, headers, AB_TEST);
  [a, b] = exp.combinations.map((c) => c.id);
  // A small history with known times: visitors at 10:00:10 (A), 10:00:50 (B), 10:02:05 (A) and
  // 12:30:00 (B) UTC; one first conversion at 10:01:00 (A), plus a repeat and another goal;
  // allocations recorded at 09:59 (50/50) and 10:01:30 (30/70).
  await ctx.db.asSystem(async (q) => {
    await q.query(
      `INSERT INTO assignments (experiment_id, browser_id, combination_id, probability, assigned_at) VALUES
         ($1, 'v1', $2, 0.5, '2025-01-01T10:00:10Z'), ($1, 'v2', $3, 0.5, '2025-01-01T10:00:50Z'),
         ($1, 'v3', $2, 0.3, '2025-01-01T10:02:05Z'), ($1, 'v4', $3, 0.7, '2025-01-01T12:30:00Z')`,
      [exp.id, a, b],
    );
    await q.query(
      `INSERT INTO conversions (experiment_id, browser_id, combination_id, goal, counted, created_at) VALUES
         ($1, 'v1', $2, 'conversion', true, '2025-01-01T10:01:00Z'),
         ($1, 'v1', $2, 'conversion', false, '2025-01-01T10:01:20Z'),
         ($1, 'v2', $3, 'newsletter', true, '2025-01-01T12:45:00Z')`,
      [exp.id, a, b],
    );
    await q.query(
      `INSERT INTO allocation_history (experiment_id, recorded_at, weights) VALUES
         ($1, '2025-01-01T09:59:00Z', $2::jsonb), ($1, '2025-01-01T10:01:30Z', $3::jsonb)`,
      [
        exp.id,
        JSON.stringify({ phase: 'burn_in', weights: { [a]: 0.5, [b]: 0.5 } }),
        JSON.stringify({ phase: 'explore', weights: { [a]: 0.3, [b]: 0.7 } }),
      ],
    );
  });
});

async function series(query: string, as = headers) {
  return ctx.app.inject({
    method: 'GET',
    url: `/api/v1/experiments/${exp.id}/timeseries${query}`,
    headers: as,
  });
}

const cells = (bucket: Bucket) => bucket.combinations.map((c) => [c.visitors, c.conversions, c.weight]);

describe('GET /experiments/{id}/timeseries', () => {
  it('buckets by hour (the default), dense, with the weights in force at each bucket’s end', async () => {
    const res = await series('');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.interval).toBe('hour');
    expect(body.goal).toBe('conversion');
    expect(body.combinations).toEqual([
      { combination_id: a, name: 'Control' },
      { combination_id: b, name: 'Green' },
    ]);
    const buckets: Bucket[] = body.buckets;
    expect(buckets.map((x) => x.start)).toEqual([
      '2025-01-01T09:00:00.000Z',
      '2025-01-01T10:00:00.000Z',
      '2025-01-01T11:00:00.000Z',
      '2025-01-01T12:00:00.000Z',
    ]);
    expect(buckets.map((x) => [x.visitors, x.conversions])).toEqual([
      [0, 0],
      [3, 1],
      [0, 0],
      [1, 0],
    ]);
    expect(cells(buckets[0])).toEqual([
      [0, 0, 0.5],
      [0, 0, 0.5],
    ]);
    expect(cells(buckets[1])).toEqual([
      [2, 1, 0.3],
      [1, 0, 0.7],
    ]);
    expect(cells(buckets[3])).toEqual([
      [0, 0, 0.3],
      [1, 0, 0.7],
    ]);
  });

  it('buckets by minute and by day', async () => {
    const minutes: Bucket[] = (await series('?interval=minute')).json().buckets;
    expect(minutes).toHaveLength(152); // 09:59 … 12:30
    expect(minutes[0].start).toBe('2025-01-01T09:59:00.000Z');
    expect(cells(minutes[1])).toEqual([
      [1, 0, 0.5],
      [1, 0, 0.5],
    ]);
    expect(cells(minutes[2])).toEqual([
      [0, 1, 0.3],
      [0, 0, 0.7],
    ]);
    expect(cells(minutes[3])).toEqual([
      [1, 0, 0.3],
      [0, 0, 0.7],
    ]);
    expect(minutes.reduce((s, x) => s + x.visitors, 0)).toBe(4);
    const days: Bucket[] = (await series('?interval=day')).json().buckets;
    expect(days.map((x) => [x.start, x.visitors, x.conversions])).toEqual([
      ['2025-01-01T00:00:00.000Z', 4, 1],
    ]);
  });

  it('takes a window and another goal', async () => {
    const windowed: Bucket[] = (
      await series('?interval=minute&from=2025-01-01T10:00:00Z&to=2025-01-01T11:00:00Z')
    ).json().buckets;
    expect(windowed).toHaveLength(60);
    expect(windowed[0].start).toBe('2025-01-01T10:00:00.000Z');
    expect(windowed[0].combinations.map((c) => c.weight)).toEqual([0.5, 0.5]); // carried from 09:59
    expect(windowed.reduce((s, x) => s + x.visitors, 0)).toBe(3);
    const newsletter = (await series('?interval=hour&goal=newsletter')).json();
    expect(newsletter.goal).toBe('newsletter');
    expect(newsletter.buckets.map((x: Bucket) => x.conversions)).toEqual([0, 0, 0, 1]);
  });

  it('refuses bad input with the error shape', async () => {
    const week = await series('?interval=week');
    expect(week.statusCode).toBe(422);
    expect(week.json().error.code).toBe('REQUEST_VALIDATION_001');
    expect(week.json().error.details[0].field).toBe('querystring.interval');
    const reversed = await series('?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json().error.code).toBe('STATS_TIMESERIES_001');
    const tooMany = await series('?interval=minute&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z');
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().error.message).toMatch(/exceed the limit/);
    expect((await series('?when=now')).statusCode).toBe(422);
    const badId = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/experiments/nope/timeseries',
      headers,
    });
    expect(badId.statusCode).toBe(422);
    expect((await series('', {})).statusCode).toBe(401);
  });

  it('answers 404 for another user’s experiment', async () => {
    const other = await signUp(ctx.app);
    const res = await series('', other.headers);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('EXP_FIND_001');
  });

  it('is empty for an experiment without traffic', async () => {
    const fresh = await launch(ctx.app, headers, AB_TEST, false);
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/experiments/${fresh.id}/timeseries`,
      headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().buckets).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents the reporting endpoints and the stats of an experiment', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const series = doc.paths['/api/v1/experiments/{id}/timeseries'].get;
    expect(series.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'interval', 'goal', 'from', 'to']),
    );
    const csv = doc.paths['/api/v1/experiments/{id}/export.csv'].get;
    expect(csv.summary).toMatch(/CSV/);
    expect(JSON.stringify(doc.components.schemas)).toContain('prob_beat_control');
  });
});
