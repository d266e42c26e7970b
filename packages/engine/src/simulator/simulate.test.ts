import { describe, expect, it } from 'vitest';
import { computeStats } from '../stats.js';
import { armValues, customScenario, getScenario, SCENARIO_NAMES } from './scenarios.js';
import { runSimulation, simulateRun, summarizeRuns } from './simulate.js';

describe('scenarios', () => {
  it('defines the issue’s scenarios', () => {
    expect(SCENARIO_NAMES).toEqual(
      expect.arrayContaining(['seed-multielement', 'aa-2', 'aa-9', 'ab-small-lift', 'five-arms', 'mvt-81']),
    );
    const seed = getScenario('seed-multielement')!;
    expect(seed.labels![seed.rates.indexOf(Math.max(...seed.rates))]).toBe('B-Y');
    const mvt = getScenario('mvt-81')!;
    expect(mvt.rates).toHaveLength(81);
    // Best: element 1 variant 2, element 2 variant 3 (+ interaction), element 3 variant 3, element 4 variant 2.
    expect(mvt.labels![mvt.rates.indexOf(Math.max(...mvt.rates))]).toBe('2332');
    expect(() => customScenario([0.5])).toThrow();
  });
});

describe('simulator', () => {
  const config = {
    scenario: getScenario('seed-multielement')!,
    policy: 'adaptive' as const,
    runs: 4,
    seed: 42,
  };

  it('is reproducible from its seed, run by run', () => {
    expect(runSimulation(config)).toEqual(runSimulation(config));
    expect(simulateRun(config, 3)).toEqual(simulateRun({ ...config, runs: 100 }, 3));
    expect(simulateRun(config, 0)).not.toEqual(simulateRun({ ...config, seed: 43 }, 0));
  });

  it('reports rates that add up and regret against the oracle', () => {
    const report = runSimulation(config);
    expect(report.correctWinnerRate + report.wrongWinnerRate + report.noWinnerRate).toBeCloseTo(1, 12);
    expect(report.lostVsOracle).toBeCloseTo(report.meanRegret / (0.075 * 10_000), 12);
    expect(report.lostVsOracle).toBeGreaterThan(0);
    expect(report.lostVsOracle).toBeLessThan(0.41); // better than fixed equal allocation
  });

  it('counts any winner of an A/A test as wrong, and fixed allocation has no regret there', () => {
    const aa = runSimulation({
      scenario: customScenario([0.05, 0.05], 2000),
      policy: 'fixed',
      runs: 3,
      seed: 1,
      rule: 'bayes_factor',
      decision: {
        minEvidenceBayesFactor: 0,
        winnerProbBest: 0.5,
        winnerMaxRelativeLoss: 1,
        minLeaderConversions: 0,
      },
    });
    expect(aa.correctWinnerRate).toBe(0);
    expect(aa.wrongWinnerRate).toBe(1);
    expect(aa.meanRegret).toBe(0);
  });
});

describe('simulator, revenue scenarios', () => {
  const aov = getScenario('revenue-aov')!;

  it('defines revenue-aov, where the variant earns more per visitor but converts less, and revenue-aa', () => {
    expect(armValues(aov)).toEqual([0.05 * 50, 0.045 * 75]);
    expect(aov.rates[0]).toBeGreaterThan(aov.rates[1]);
    const aa = getScenario('revenue-aa')!;
    expect(new Set(armValues(aa)).size).toBe(1);
    expect(() => customScenario([0.05, 0.05], 1000, { means: [50], logSd: 1 })).toThrow();
    expect(() => customScenario([0.05, 0.05], 1000, { means: [50, 50], logSd: -1 })).toThrow();
  });

  it('tracks revenue and measures regret in value units', () => {
    const config = {
      scenario: aov,
      policy: 'fixed' as const,
      runs: 3,
      seed: 2,
      visitors: 6000,
      checkEvery: 6000,
    };
    const runs = [0, 1, 2].map((r) => simulateRun(config, r));
    for (const run of runs) {
      const [control, variant] = run.counts;
      expect(control.visitors + variant.visitors).toBe(6000);
      expect(run.value).toBeCloseTo(control.sum! + variant.sum!, 6);
      expect(control.sumSquares!).toBeGreaterThan((control.sum! * control.sum!) / control.conversions);
      // Every control visitor costs the oracle's 3.375 − 2.5 per visitor in expectation.
      expect(run.regret).toBeCloseTo(control.visitors * (0.045 * 75 - 0.05 * 50), 6);
    }
    const report = summarizeRuns(config, runs);
    expect(report.metric).toBe('mean');
    expect(report.lostVsOracle).toBeCloseTo(report.meanRegret / (0.045 * 75 * 6000), 12);
  });

  it('adaptive finds the higher-revenue variant in most runs; the conversion view of the same data prefers control', () => {
    // Allocation and decision every 1,000 visitors instead of 100 / 250 keeps this test to a few seconds.
    const adaptive = runSimulation({
      scenario: aov,
      policy: 'adaptive',
      runs: 40,
      seed: 1,
      refreshEvery: 1000,
      checkEvery: 1000,
    });
    expect(adaptive.correctWinnerRate).toBeGreaterThanOrEqual(0.8);
    expect(adaptive.wrongWinnerRate).toBe(0);
    const fixed = {
      scenario: aov,
      policy: 'fixed' as const,
      runs: 10,
      seed: 1,
      checkEvery: aov.visitors,
      refreshEvery: aov.visitors,
    };
    let revenueLeads = 0;
    let conversionLeads = 0;
    for (let r = 0; r < fixed.runs; r++) {
      const { counts } = simulateRun(fixed, r);
      if (computeStats({ arms: counts, metric: 'mean' }).decision.leader === 1) revenueLeads++;
      if (computeStats({ arms: counts }).decision.leader === 0) conversionLeads++;
    }
    expect(revenueLeads).toBe(10);
    expect(conversionLeads).toBeGreaterThanOrEqual(9);
  });
});
