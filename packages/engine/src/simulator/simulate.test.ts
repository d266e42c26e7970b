import { describe, expect, it } from 'vitest';
import { customScenario, getScenario, SCENARIO_NAMES } from './scenarios.js';
import { runSimulation, simulateRun } from './simulate.js';

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
