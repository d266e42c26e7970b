import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { computeStats } from '@samplit/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTally, formatAnalysis } from './analysis.js';
import { tallyCsv } from './csv-tally.js';
import { DEFAULT_DEMO_SEED, writeDemoData } from './demo-data.js';
import { demoScenario } from './demo-scenarios.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'samplit-analyze-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function analyzeScenario(name: string, seed = DEFAULT_DEMO_SEED) {
  const written = await writeDemoData(demoScenario(name)!, { dir, seed });
  const tally = await tallyCsv(createReadStream(written.csvPath));
  return {
    written,
    tally,
    analysis: analyzeTally(tally, written.csvPath, written.metadata.true_winner?.name),
  };
}

describe('samplit analyze on the default demo data', () => {
  it('names CTA-B × Copy-Y the winner of the seed multi-element scenario', async () => {
    const { analysis, tally, written } = await analyzeScenario('seed-multielement');
    expect(tally.rows).toBe(30_000);
    expect(tally.elements).toEqual([
      { name: 'cta_button', variants: ['CTA-A', 'CTA-B', 'CTA-C'] },
      { name: 'hero_copy', variants: ['Copy-X', 'Copy-Y', 'Copy-Z'] },
    ]);
    expect(analysis.combinations.map((c) => [c.name, c.visitors, c.conversions])).toEqual(
      written.metadata.combinations.map((c) => [c.name, c.visitors, c.conversions]),
    );
    expect(analysis.control).toBe('CTA-A × Copy-X');
    expect(analysis.decision.decision).toBe('winner');
    expect(analysis.winner).toBe('CTA-B × Copy-Y');
    expect(analysis.found_true_winner).toBe(true);
    expect(analysis.elements?.map((e) => e.variants.map((v) => v.name))).toEqual([
      ['CTA-A', 'CTA-B', 'CTA-C'],
      ['Copy-X', 'Copy-Y', 'Copy-Z'],
    ]);
    const text = formatAnalysis(analysis);
    expect(text).toContain('Winner: CTA-B × Copy-Y');
    expect(text).toContain('identified ✓');
  });

  it('finds the best arm of the A/B/n scenario (npm run demo:data)', async () => {
    const { analysis } = await analyzeScenario('five-arms');
    expect(analysis.winner).toBe('Variant-C');
    expect(analysis.found_true_winner).toBe(true);
    expect(analysis.elements).toBeNull();
  });

  it('reports exactly what the engine computes for the counts', async () => {
    const { analysis, tally } = await analyzeScenario('seed-multielement', 3);
    const engine = computeStats({
      arms: tally.combinations.map((c) => ({ visitors: c.visitors, conversions: c.conversions })),
      levels: tally.combinations.map((c) => c.levels),
      controlArm: 0,
    });
    expect(analysis.combinations.map((c) => c.prob_best)).toEqual(engine.arms.map((a) => a.probBest));
    expect(analysis.decision.evidence_bayes_factor).toBe(engine.decision.evidenceBayesFactor);
  });
});

describe('tallyCsv', () => {
  const csv = (text: string) => Readable.from([text]);

  it('reads the server export: element columns by name, converted_<goal>, a "Control" variant first', async () => {
    const text =
      'visitor_id,combination_id,combination,Button,assigned_at,probability,converted_purchase,converted_signup\n' +
      'a,c2,Blue,Blue,2025-01-01T00:00:00.000Z,0.5,1,0\n' +
      'b,c1,Control,Control,2025-01-01T00:00:00.000Z,0.5,0,1\n' +
      'c,c1,Control,Control,2025-01-01T00:00:00.000Z,0.5,true,0\n';
    const tally = await tallyCsv(csv(text));
    expect(tally.outcomeColumn).toBe('converted_purchase');
    expect(tally.elements).toEqual([{ name: 'Button', variants: ['Control', 'Blue'] }]);
    expect(tally.combinations.map((c) => [c.name, c.visitors, c.conversions])).toEqual([
      ['Control', 2, 1],
      ['Blue', 1, 1],
    ]);
    const signup = await tallyCsv(csv(text), { goal: 'signup' });
    expect(signup.combinations.map((c) => c.conversions)).toEqual([1, 0]);
    const blueControl = await tallyCsv(csv(text), { control: ['Blue'] });
    expect(blueControl.elements[0].variants).toEqual(['Blue', 'Control']);
  });

  it('refuses files it cannot read as visitors', async () => {
    await expect(tallyCsv(csv('visitor_id,variant\na,A\n'))).rejects.toThrow(/converted/);
    await expect(tallyCsv(csv('visitor_id,variant,converted\na,A,maybe\n'))).rejects.toThrow(/row 2/);
    await expect(tallyCsv(csv('visitor_id,variant,converted\n'))).rejects.toThrow(/no visitor rows/);
    await expect(tallyCsv(csv('variant,converted\nA,1\n'), { goal: 'x' })).rejects.toThrow(/converted_x/);
  });
});

describe('samplit analyze on a server export with a revenue goal', () => {
  it('reads value_<goal> as revenue per visitor and ranks the arms by it', async () => {
    // B converts less often (10% vs 20%) but its orders are four times larger: B wins on revenue.
    const rows = [
      'visitor_id,combination_id,combination,assigned_at,probability,converted_purchase,value_purchase',
    ];
    for (let i = 0; i < 2000; i++) {
      const arm = i % 2 === 0 ? 'A' : 'B';
      const converted = arm === 'A' ? i % 10 === 0 || i % 10 === 2 : i % 10 === 1;
      const value = converted ? (arm === 'A' ? 20 + (i % 7) : 80 + (i % 13)) : 0;
      rows.push(`v${i},${arm},${arm},2026-01-01T00:00:00.000Z,0.5,${converted ? 1 : 0},${value}`);
    }
    const tally = await tallyCsv(Readable.from([rows.join('\n')]), { goal: 'purchase', control: ['A'] });
    expect([tally.outcomeColumn, tally.metricColumn]).toEqual(['converted_purchase', 'value_purchase']);
    expect(tally.elements).toEqual([{ name: 'combination', variants: ['A', 'B'] }]);
    const analysis = analyzeTally(tally, 'export.csv');
    const [a, b] = analysis.combinations;
    expect([a.conversion_rate, b.conversion_rate]).toEqual([0.4, 0.2]);
    const meanOf = (arm: string) =>
      rows
        .slice(1)
        .filter((r) => r.split(',')[2] === arm)
        .reduce((s, r) => s + Number(r.split(',')[6]), 0) / 1000;
    expect(a.observed_mean).toBeCloseTo(meanOf('A'), 12);
    expect(b.observed_mean).toBeCloseTo(meanOf('B'), 12);
    expect(analysis.leader).toBe('B');
    expect(b.prob_best).toBeGreaterThan(0.99);
    expect(formatAnalysis(analysis)).toContain('metric per visitor "value_purchase"');
  });

  it('refuses a value that is not a number, naming the row', async () => {
    const csv = 'visitor_id,combination,converted_purchase,value_purchase\na,A,1,12\nb,B,1,lots\n';
    await expect(tallyCsv(Readable.from([csv]), { goal: 'purchase' })).rejects.toThrow(
      'row 3: value_purchase must be a number, got "lots"',
    );
  });
});
