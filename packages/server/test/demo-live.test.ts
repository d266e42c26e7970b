import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoClient } from '../src/demo/demo-client.js';
import { demoScenario } from '../src/demo/demo-scenarios.js';
import { runLiveDemo } from '../src/demo/live-demo.js';
import { formatSummary, trafficRow } from '../src/demo/live-demo-report.js';
import type { ExperimentStats } from '../src/stats/stats-schemas.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';

// The demo talks HTTP to a real listening server, as `samplit demo` does against `npm start`.
async function listening(ctx: TestContext): Promise<string> {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
}

describe('samplit demo (live)', () => {
  let ctx: TestContext;
  let baseUrl: string;
  beforeAll(async () => {
    ctx = await createTestApp({ trackerRateLimitPerIp: 0, snapshotRefreshMs: 100 });
    baseUrl = await listening(ctx);
  });
  afterAll(() => ctx.close());

  it('creates an adaptive experiment, drives visitors through the tracker and reports the shift', async () => {
    const scenario = demoScenario('seed-multielement')!;
    const reports: [number, ExperimentStats][] = [];
    const result = await runLiveDemo({
      client: createDemoClient(baseUrl),
      scenario,
      visitors: 2000,
      seed: 1,
      rate: 1000,
      concurrency: 16,
      reportEvery: 500,
      email: 'demo@example.com',
      password: 'samplit-demo',
      onReport: (done, stats) => reports.push([done, stats]),
    });
    const { stats } = result;
    expect(stats.total_visitors).toBe(2000);
    expect(stats.total_conversions).toBe(result.conversions);
    expect(stats.combinations).toHaveLength(9);
    expect(result.truth.find((t) => t.name === 'CTA-B × Copy-Y')?.true_rate).toBe(0.075);
    expect(result.trueWinner).toBe('CTA-B × Copy-Y');
    const meanRate = scenario.scenario.rates.reduce((s, r) => s + r, 0) / 9;
    expect(result.expectedWithEqualSplit).toBeCloseTo(2000 * meanRate, 9);
    expect(result.expectedWithAllocation).toBeCloseTo(
      stats.combinations.reduce((s, c, i) => s + c.visitors * result.truth[i].true_rate, 0),
      9,
    );
    expect(reports.map(([done]) => done)).toEqual([500, 1000, 1500, 2000]);
    // Past the burn-in the tracker no longer splits traffic evenly.
    expect(['explore', 'exploit']).toContain(stats.allocation.phase);
    const weights = stats.combinations.map((c) => c.traffic_weight);
    expect(Math.max(...weights) - Math.min(...weights)).toBeGreaterThan(0.01);
    expect(trafficRow(2000, stats)).toMatch(/^ {3}2,000 (explore|exploit) /);
    const summary = formatSummary(result, { baseUrl, email: 'demo@example.com', password: 'samplit-demo' });
    expect(summary).toContain('True winner: CTA-B × Copy-Y');
    expect(summary).toContain(`Experiment ${result.experimentId} is left running`);

    // The experiment stays, running, in the demo account.
    const client = createDemoClient(baseUrl);
    await client.login('demo@example.com', 'samplit-demo');
    const kept = await client.experiment(result.experimentId);
    expect(kept.stats?.total_visitors).toBe(2000);
  });

  it('tells the user when the demo account exists with another password', async () => {
    const client = createDemoClient(baseUrl);
    await client.login('taken@example.com', 'first password');
    await expect(client.login('taken@example.com', 'other password')).rejects.toThrow(/another password/);
  });

  it('reports a server that is not there', async () => {
    expect(await createDemoClient('http://127.0.0.1:9').health()).toBe(false);
    expect(await createDemoClient(baseUrl).health()).toBe(true);
  });
});

describe('samplit demo against the tracker’s per-IP rate limit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    // The demo runs on loopback; a trusted proxy setting makes the per-IP limit apply to it.
    ctx = await createTestApp({ trackerRateLimitPerIp: 40, trustProxy: true });
  });
  afterAll(() => ctx.close());

  it('backs off on 429 and still delivers every visitor exactly once', async () => {
    const baseUrl = await listening(ctx);
    const result = await runLiveDemo({
      client: createDemoClient(baseUrl),
      scenario: demoScenario('five-arms')!,
      visitors: 120,
      seed: 3,
      rate: 500,
      concurrency: 8,
      reportEvery: 1000,
      email: 'limited@example.com',
      password: 'samplit-demo',
    });
    expect(result.rateLimited).toBeGreaterThan(0);
    expect(result.stats.total_visitors).toBe(120);
    expect(result.stats.total_conversions).toBe(result.conversions);
  });
});
