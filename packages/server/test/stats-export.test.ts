import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { MULTI_ELEMENT, signUp, useTestApp } from './helpers/test-app.js';
import { launch, trackerFor } from './helpers/tracker.js';

const ctx = useTestApp({ trackerRateLimitPerIp: 0 });
let headers: Record<string, string>;
beforeAll(async () => {
  headers = (await signUp(ctx.app)).headers;
});

const exportOf = (id: string, as = headers) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1/experiments/${id}/export.csv`, headers: as });

describe('GET /experiments/{id}/export.csv', () => {
  it('has one row per assignment: variant per element, assigned_at, probability, converted per goal', async () => {
    const exp = await launch(ctx.app, headers, { ...MULTI_ELEMENT, goals: ['purchase', 'signup'] });
    const tracker = trackerFor(ctx.app, exp.id);
    const assigned = new Map<string, string>();
    for (let i = 0; i < 30; i++)
      assigned.set(`visitor-${i}`, (await tracker.assign(`visitor-${i}`)).combination_id!);
    await tracker.convert('visitor-1', { goal: 'purchase' });
    await tracker.convert('visitor-1', { goal: 'purchase' });
    await tracker.convert('visitor-2', { goal: 'signup' });
    await tracker.convert('visitor-3', { goal: 'newsletter' }); // a goal the experiment does not list
    await tracker.convert('stranger', { goal: 'purchase' }); // never assigned: no row

    const res = await exportOf(exp.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="experiment-${exp.id}.csv"`);
    const rows: Record<string, string>[] = parse(res.body, { columns: true });
    expect(Object.keys(rows[0])).toEqual([
      'visitor_id',
      'combination_id',
      'combination',
      'CTA Button',
      'Hero Copy',
      'assigned_at',
      'probability',
      'converted_purchase',
      'converted_signup',
      'converted_newsletter',
    ]);
    expect(rows).toHaveLength(30);
    const names = ['A', 'B', 'C'].flatMap((cta) => ['X', 'Y', 'Z'].map((copy) => [cta, copy]));
    const stored = await ctx.db.asSystem((q) =>
      q.query<{ browser_id: string; probability: number; assigned_at: Date }>(
        'SELECT browser_id, probability, assigned_at FROM assignments WHERE experiment_id = $1',
        [exp.id],
      ),
    );
    const byVisitor = new Map(stored.map((s) => [s.browser_id, s]));
    for (const row of rows) {
      expect(row.combination_id).toBe(assigned.get(row.visitor_id));
      const position = exp.combinations.findIndex((c) => c.id === row.combination_id);
      expect([row['CTA Button'], row['Hero Copy']]).toEqual(names[position]);
      expect(row.combination).toBe(names[position].join(' × '));
      expect(Number(row.probability)).toBe(byVisitor.get(row.visitor_id)!.probability);
      expect(row.assigned_at).toBe(new Date(byVisitor.get(row.visitor_id)!.assigned_at).toISOString());
    }
    const flags = (visitor: string) => {
      const row = rows.find((r) => r.visitor_id === visitor)!;
      return [row.converted_purchase, row.converted_signup, row.converted_newsletter];
    };
    expect(flags('visitor-1')).toEqual(['1', '0', '0']);
    expect(flags('visitor-2')).toEqual(['0', '1', '0']);
    expect(flags('visitor-3')).toEqual(['0', '0', '1']);
    expect(flags('visitor-4')).toEqual(['0', '0', '0']);
  });

  it('streams a large experiment page by page without losing or repeating a row', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT);
    const total = 12_345; // 3 pages of 5,000
    await ctx.db.asSystem(async (q) => {
      await q.query(
        `INSERT INTO assignments (experiment_id, browser_id, combination_id, probability)
         SELECT $1, 'b' || lpad(i::text, 6, '0'), ($2::uuid[])[1 + i % 9], 1.0 / 9
         FROM generate_series(1, $3) i`,
        [exp.id, exp.combinations.map((c) => c.id), total],
      );
      await q.query(
        `INSERT INTO conversions (experiment_id, browser_id, combination_id, goal, counted)
         SELECT experiment_id, browser_id, combination_id, 'conversion', true FROM assignments
         WHERE experiment_id = $1 AND browser_id LIKE '%7'`,
        [exp.id],
      );
    });
    const res = await exportOf(exp.id);
    expect(res.statusCode).toBe(200);
    const rows: Record<string, string>[] = parse(res.body, { columns: true });
    expect(rows).toHaveLength(total);
    const ids = rows.map((r) => r.visitor_id);
    expect(new Set(ids).size).toBe(total);
    expect(ids).toEqual([...ids].sort());
    expect(rows.filter((r) => r.converted_conversion === '1')).toHaveLength(
      ids.filter((id) => id.endsWith('7')).length,
    );
  });

  it('refuses other users, missing tokens and bad ids', async () => {
    const exp = await launch(ctx.app, headers, MULTI_ELEMENT);
    const other = await signUp(ctx.app);
    const foreign = await exportOf(exp.id, other.headers);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('EXP_FIND_001');
    expect((await exportOf(exp.id, {})).statusCode).toBe(401);
    const empty = await exportOf(exp.id);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toBe(
      'visitor_id,combination_id,combination,CTA Button,Hero Copy,assigned_at,probability,converted_conversion\n',
    );
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/experiments/42/export.csv', headers });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details[0].field).toBe('params.id');
  });
});
