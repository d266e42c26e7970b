import { type AllocationOptions, choose, computeAllocation, type PolicyName } from '../allocation.js';
import type { DecisionOptions } from '../decide.js';
import { decideSnapshot } from '../decide-snapshot.js';
import { createRng } from '../rng.js';
import { sampleNormal } from '../sampling.js';
import type { ArmCounts, MetricModel, Snapshot } from '../types.js';
import { armValues, type Scenario } from './scenarios.js';

/** Default cadence of decision checks (visitors between two looks at the dashboard). */
export const DEFAULT_CHECK_EVERY = 250;
/**
 * Default cadence of allocation refreshes. The server refreshes its snapshot about once a second;
 * 100 visitors per refresh is the batch a busy site sees in that second (and a conservative
 * one for the small sites, where the server effectively refreshes after every visitor).
 */
export const DEFAULT_REFRESH_EVERY = 100;

export interface SimulationConfig {
  scenario: Scenario;
  policy: PolicyName;
  runs: number;
  seed: number;
  /** Visitors per run (default: the scenario's). */
  visitors?: number;
  checkEvery?: number;
  refreshEvery?: number;
  allocation?: AllocationOptions;
  decision?: DecisionOptions;
}

/** Outcome of one simulated experiment. */
export interface RunResult {
  /** First arm declared `winner` at a check, or null. */
  winner: number | null;
  /** Visitors seen when the winner was declared. */
  winnerAt: number | null;
  /** Visitors seen at the first `no_material_difference` (if it came before any winner). */
  noDifferenceAt: number | null;
  /**
   * Expected metric lost against always showing the best arm: Σ_t (v* − v_arm(t)), v the true
   * metric per visitor (conversions; value units for revenue scenarios).
   */
  regret: number;
  conversions: number;
  /** Σ of the visitors' totals: conversions, or revenue for revenue scenarios. */
  value: number;
  /** The counts at the end of the run, per arm. */
  counts: ArmCounts[];
}

/** The simulator's report (`samplit simulate --json` prints it in snake_case). */
export interface SimulationReport {
  scenario: string;
  policy: PolicyName;
  runs: number;
  visitors: number;
  /** 'mean' for revenue scenarios (regret in value units), else 'binary'. */
  metric: MetricModel;
  /** Runs whose declared winner is the unique best arm. */
  correctWinnerRate: number;
  /** Runs that declared any other arm — or any arm at all when no arm is uniquely best (A/A). */
  wrongWinnerRate: number;
  noWinnerRate: number;
  /** Mean expected regret per run, in conversions (value units for revenue scenarios). */
  meanRegret: number;
  /** meanRegret / conversions always showing the best arm would produce. */
  lostVsOracle: number;
  /** Median visitors to the first decision (winner, else no-material-difference) among runs with one; null if none. */
  medianVisitorsToDecision: number | null;
  /** Runs that saw `no_material_difference` before any winner. */
  noDifferenceRate: number;
  seed: number;
  checkEvery: number;
  refreshEvery: number;
}

function resolved(config: SimulationConfig) {
  return {
    visitors: config.visitors ?? config.scenario.visitors,
    checkEvery: config.checkEvery ?? DEFAULT_CHECK_EVERY,
    refreshEvery: config.refreshEvery ?? DEFAULT_REFRESH_EVERY,
  };
}

/**
 * Simulates one experiment exactly as the server runs it: allocations recomputed from the
 * counters every `refreshEvery` visitors, one O(1) `choose` per visitor, the decision rule
 * evaluated every `checkEvery` visitors. The first `winner` is final (as on the dashboard); the
 * run keeps going to the end of its visitors so regret covers what happens after the decision.
 * Run `r` of a seed always replays identically, whatever other runs are done. Revenue scenarios
 * (`scenario.values`) give each converting visitor one log-normal order, track `sum` and
 * `sumSquares`, and run the snapshot with metric 'mean'.
 *
 * @example
 * const result = simulateRun({ scenario: getScenario('aa-2')!, policy: 'adaptive', runs: 1, seed: 1 }, 0);
 */
export function simulateRun(config: SimulationConfig, run: number): RunResult {
  const { scenario, policy } = config;
  const { visitors, checkEvery, refreshEvery } = resolved(config);
  const rates = scenario.rates;
  const values = scenario.values;
  const perVisitor = armValues(scenario);
  const best = Math.max(...perVisitor);
  // An order of mean m is log-normal: m · exp(σ z − σ² / 2), z standard normal.
  const logSd = values?.logSd ?? 0;
  // Separate streams: the visitors' behaviour (environment) does not depend on the policy's draws,
  // so different policies face the same visitors for the same seed (common random numbers).
  const environment = createRng(config.seed, 2 * run + 1);
  const rng = createRng(config.seed, 2 * run + 2);
  const arms = rates.map(() => ({ visitors: 0, conversions: 0, sum: 0, sumSquares: 0 }));
  const snapshot = (): Snapshot =>
    values
      ? { arms: arms.map((a) => ({ ...a })), levels: scenario.levels, controlArm: 0, metric: 'mean' }
      : {
          arms: arms.map((a) => ({ visitors: a.visitors, conversions: a.conversions })),
          levels: scenario.levels,
          controlArm: 0,
        };
  // One set of thresholds for the dashboard checks and the adaptive policy's own exploit switch.
  const decision = { ...config.allocation?.decision, ...config.decision };
  const allocationOptions = { ...config.allocation, decision };
  let allocation = computeAllocation(policy, snapshot(), rng, allocationOptions);
  let regret = 0;
  let conversions = 0;
  let value = 0;
  let winner: number | null = null;
  let winnerAt: number | null = null;
  let noDifferenceAt: number | null = null;
  for (let t = 1; t <= visitors; t++) {
    const { arm } = choose(allocation, rng);
    const converted = environment.next() < rates[arm];
    // Revenue scenarios draw every visitor's order size, converted or not, so that the
    // environment stream stays aligned across policies (visitor t always gets the same z).
    const z = values ? sampleNormal(environment) : 0;
    arms[arm].visitors++;
    if (converted) {
      const total = values ? values.means[arm] * Math.exp(logSd * z - (logSd * logSd) / 2) : 1;
      arms[arm].conversions++;
      arms[arm].sum += total;
      arms[arm].sumSquares += total * total;
      conversions++;
      value += total;
    }
    regret += best - perVisitor[arm];
    if (winner === null && t % checkEvery === 0) {
      const verdict = decideSnapshot(snapshot(), decision);
      if (verdict.decision === 'winner') {
        winner = verdict.leader;
        winnerAt = t;
      } else if (verdict.decision === 'no_material_difference' && noDifferenceAt === null) {
        noDifferenceAt = t;
      }
    }
    if (t % refreshEvery === 0 && t < visitors) {
      allocation = computeAllocation(policy, snapshot(), rng, {
        ...allocationOptions,
        declaredWinner: winner,
      });
    }
  }
  const counts: ArmCounts[] = snapshot().arms;
  return { winner, winnerAt, noDifferenceAt, regret, conversions, value, counts };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Aggregates run results into the report. */
export function summarizeRuns(config: SimulationConfig, results: readonly RunResult[]): SimulationReport {
  const { visitors, checkEvery, refreshEvery } = resolved(config);
  const perVisitor = armValues(config.scenario);
  const best = Math.max(...perVisitor);
  const bestArms = perVisitor.flatMap((v, i) => (v === best ? [i] : []));
  const uniqueBest = bestArms.length === 1 ? bestArms[0] : -1;
  const n = results.length;
  let correct = 0;
  let wrong = 0;
  let noDifference = 0;
  let regret = 0;
  const decisionTimes: number[] = [];
  for (const r of results) {
    if (r.winner !== null) {
      if (r.winner === uniqueBest) correct++;
      else wrong++;
      decisionTimes.push(r.winnerAt!);
    } else if (r.noDifferenceAt !== null) {
      noDifference++;
      decisionTimes.push(r.noDifferenceAt);
    }
    regret += r.regret;
  }
  const meanRegret = n > 0 ? regret / n : 0;
  return {
    scenario: config.scenario.name,
    policy: config.policy,
    runs: n,
    visitors,
    metric: config.scenario.values ? 'mean' : 'binary',
    correctWinnerRate: n > 0 ? correct / n : 0,
    wrongWinnerRate: n > 0 ? wrong / n : 0,
    noWinnerRate: n > 0 ? (n - correct - wrong) / n : 0,
    meanRegret,
    lostVsOracle: best > 0 ? meanRegret / (best * visitors) : 0,
    medianVisitorsToDecision: median(decisionTimes),
    noDifferenceRate: n > 0 ? noDifference / n : 0,
    seed: config.seed,
    checkEvery,
    refreshEvery,
  };
}

/**
 * Runs `config.runs` simulations and summarises them. `onRun` is called after each run
 * (the CLI drives its progress bar with it).
 *
 * @example
 * const report = runSimulation({ scenario: getScenario('seed-multielement')!, policy: 'adaptive', runs: 200, seed: 1 });
 * report.correctWinnerRate; // e.g. 0.95
 */
export function runSimulation(
  config: SimulationConfig,
  onRun?: (completed: number, result: RunResult) => void,
): SimulationReport {
  const results: RunResult[] = [];
  for (let run = 0; run < config.runs; run++) {
    const result = simulateRun(config, run);
    results.push(result);
    onRun?.(run + 1, result);
  }
  return summarizeRuns(config, results);
}
