import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_SEED, writeDemoData } from './demo-data.js';
import { demoScenario } from './demo-scenarios.js';

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'samplit-demo-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('demo-data', () => {
  it('writes the seed multi-element scenario: 30,000 visitors spread evenly over 9 combinations', async () => {
    const demo = demoScenario('seed-multielement')!;
    const { csvPath, metadata } = await writeDemoData(demo, {
      dir: await tempDir(),
      seed: DEFAULT_DEMO_SEED,
    });
    const rows: Record<string, string>[] = parse(await readFile(csvPath, 'utf8'), { columns: true });
    expect(Object.keys(rows[0])).toEqual([
      'visitor_id',
      'cta_button',
      'hero_copy',
      'combination',
      'converted',
    ]);
    expect(rows).toHaveLength(30_000); // DEMO_DATA_VISITORS
    expect(rows[0]).toMatchObject({ visitor_id: 'visitor-00001', cta_button: 'CTA-A', hero_copy: 'Copy-X' });
    expect(rows[4].combination).toBe('CTA-B × Copy-Y');
    const perCombination = new Map<string, number>();
    for (const r of rows) perCombination.set(r.combination, (perCombination.get(r.combination) ?? 0) + 1);
    expect([...perCombination.values()].sort()).toEqual([
      3333, 3333, 3333, 3333, 3333, 3333, 3334, 3334, 3334,
    ]);
    expect(new Set(rows.map((r) => r.converted))).toEqual(new Set(['0', '1']));
    expect(metadata.true_winner).toEqual({
      name: 'CTA-B × Copy-Y',
      variants: ['CTA-B', 'Copy-Y'],
      true_rate: 0.075,
    });
    expect(metadata.combinations.map((c) => c.true_rate)).toEqual(demo.scenario.rates);
    expect(metadata.totals.conversions).toBe(rows.filter((r) => r.converted === '1').length);
    expect(metadata.combinations.reduce((s, c) => s + c.visitors, 0)).toBe(30_000);
    expect(metadata.elements.map((e) => e.name)).toEqual(['CTA Button', 'Hero Copy']);
  });

  it('is deterministic from --seed, and another seed gives other visitors', async () => {
    const demo = demoScenario('seed-multielement')!;
    const [a, b, c] = await Promise.all([
      writeDemoData(demo, { dir: await tempDir(), seed: 7 }),
      writeDemoData(demo, { dir: await tempDir(), seed: 7 }),
      writeDemoData(demo, { dir: await tempDir(), seed: 8 }),
    ]);
    expect(await sha(a.csvPath)).toBe(await sha(b.csvPath));
    expect(await readFile(a.metadataPath, 'utf8')).toBe(await readFile(b.metadataPath, 'utf8'));
    expect(await sha(a.csvPath)).not.toBe(await sha(c.csvPath));
  });

  it('names the arms of an A/B/n scenario and of an A/A test (no true winner)', async () => {
    const five = await writeDemoData(demoScenario('five-arms')!, {
      dir: await tempDir(),
      seed: 1,
      visitors: 500,
    });
    expect(five.metadata.columns).toEqual(['visitor_id', 'variant', 'combination', 'converted']);
    expect(five.metadata.true_winner?.name).toBe('Variant-C');
    expect(five.metadata.combinations.map((c) => c.visitors)).toEqual([100, 100, 100, 100, 100]);
    const aa = await writeDemoData(demoScenario('aa-2')!, { dir: await tempDir(), seed: 1, visitors: 10 });
    expect(aa.metadata.true_winner).toBeNull();
  });
});
