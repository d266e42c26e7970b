import { type AllocationOptions, choose, computeAllocation, type PolicyName } from '../allocation.js';
import type { DecisionOptions } from '../decide.js';
import { decideSnapshot } from '../decide-snapshot.js';
import { createRng } from '../rng.js';
import { sampleNormal } from '../sampling.js';
import { DEFAULT_LOOKS } from '../sequential/group-sequential.js';
import { createMsprtTest } from '../sequential/msprt-test.js';
import { createSequentialTest, DEFAULT_ALPHA, type SequentialTest } from '../sequential/sequential-test.js';
import type { ArmCounts, MetricModel, Snapshot, Stratum } from '../types.js';
import { armValues, rateAt, type Scenario, weightsAt } from './scenarios.js';

/**
 * Decision rules the simulator can run: 'sequential' (the engine's rule: e-processes, or the
 * group-sequential test when a horizon is given), 'msprt' (a baseline: the two-sample normal
 * mixture SPRT of Johari et al. 2017 on pooled counts, per pair) and 'bayes_factor' (the rule used
 * before: Bayes-factor gate, P(best) ≥ 0.9, expected loss ≤ 1%). Mean goals always use 'bayes_factor'.
 */
export type SimulatedRule = 'sequential' | 'msprt' | 'bayes_factor';

/**
 * Default cadence of decision checks: every allocation refresh, as on the server, where the
 * decision is recomputed with every refresh of the snapshot (about once a second).
 */
export const DEFAULT_CHECK_EVERY = 100;
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
  /** Decision rule (default 'sequential'). */
  rule?: SimulatedRule;
  /** Planned visitors: the sequential rule becomes group-sequential with `decision.looks` analyses. */
  horizon?: number;
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
  /** The counts per allocation period (one stratum per refresh), in time order. */
  strata: Stratum[];
  /**
   * The rule's estimate of visitors still needed, made at the first check at or after a quarter
   * of the run's visitors when no decision had been reached then (null otherwise).
   */
  predictedToGo: { at: number; visitors: number } | null;
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
  /**
   * Check of the visitors-to-go estimate, over the runs that got one at a quarter of their
   * visitors: the share that declared a winner within the estimate (a current-trend projection is
   * a median-type forecast: about half), and among those that declared at all, the median of
   * (visitors actually needed after the estimate) / (estimate).
   */
  toGo: { runs: number; decidedWithinEstimate: number | null; medianRatio: number | null };
  rule: SimulatedRule;
  horizon: number | null;
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
  const rule: SimulatedRule = values ? 'bayes_factor' : (config.rule ?? 'sequential');
  const alpha = config.decision?.alpha ?? DEFAULT_ALPHA;
  const test: SequentialTest | undefined =
    rule === 'sequential'
      ? createSequentialTest(rates.length, {
          alpha,
          looks: config.decision?.looks ?? DEFAULT_LOOKS,
          horizon: config.horizon,
        })
      : rule === 'msprt'
        ? createMsprtTest(rates.length, { alpha })
        : undefined;
  const strata: Stratum[] = [];
  let period = rates.map(() => ({ visitors: 0, conversions: 0, sum: 0, sumSquares: 0 }));
  const closePeriod = (probabilities: number[]) => {
    const stratum = { probabilities: [...probabilities], arms: period };
    strata.push(stratum);
    test?.add(stratum);
    period = rates.map(() => ({ visitors: 0, conversions: 0, sum: 0, sumSquares: 0 }));
  };
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
  // 'bayes_factor' is the rule without a test (null); the others hand theirs to the policy and the checks.
  const allocationOptions = { ...config.allocation, decision, test: test ?? null };
  const weightsFor = (t: number) => weightsAt(scenario, t, visitors);
  let allocation = computeAllocation(
    policy,
    { ...snapshot(), weights: weightsFor(0) },
    rng,
    allocationOptions,
  );
  let predictedToGo: RunResult['predictedToGo'] = null;
  const quarter = Math.ceil(visitors / 4);
  let regret = 0;
  let conversions = 0;
  let value = 0;
  let winner: number | null = null;
  let winnerAt: number | null = null;
  let noDifferenceAt: number | null = null;
  for (let t = 1; t <= visitors; t++) {
    const { arm } = choose(allocation, rng);
    const converted = environment.next() < rateAt(scenario, arm, t, visitors);
    // Revenue scenarios draw every visitor's order size, converted or not, so that the
    // environment stream stays aligned across policies (visitor t always gets the same z).
    const z = values ? sampleNormal(environment) : 0;
    arms[arm].visitors++;
    period[arm].visitors++;
    if (converted) {
      const total = values ? values.means[arm] * Math.exp(logSd * z - (logSd * logSd) / 2) : 1;
      arms[arm].conversions++;
      arms[arm].sum += total;
      arms[arm].sumSquares += total * total;
      period[arm].conversions++;
      period[arm].sum += total;
      period[arm].sumSquares += total * total;
      conversions++;
      value += total;
    }
    regret += best - perVisitor[arm];
    // Conversions are immediate here, so a period's counts are final when it closes.
    if (t % refreshEvery === 0 || t === visitors) closePeriod(allocation.probabilities);
    if (winner === null && t % checkEvery === 0) {
      const verdict = decideSnapshot(snapshot(), decision, undefined, test ?? null);
      if (verdict.decision === 'winner') {
        winner = verdict.leader;
        winnerAt = t;
      } else {
        if (verdict.decision === 'no_material_difference' && noDifferenceAt === null) noDifferenceAt = t;
        if (predictedToGo === null && t >= quarter && verdict.visitorsToGo !== null)
          predictedToGo = { at: t, visitors: verdict.visitorsToGo };
      }
    }
    if (t % refreshEvery === 0 && t < visitors) {
      allocation = computeAllocation(policy, { ...snapshot(), weights: weightsFor(t) }, rng, {
        ...allocationOptions,
        declaredWinner: winner,
      });
    }
  }
  const counts: ArmCounts[] = snapshot().arms;
  return { winner, winnerAt, noDifferenceAt, regret, conversions, value, counts, strata, predictedToGo };
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
  const ratios: number[] = [];
  let estimated = 0;
  let within = 0;
  for (const r of results) {
    const p = r.predictedToGo;
    if (!p) continue;
    estimated++;
    if (r.winnerAt !== null && r.winnerAt <= p.at + p.visitors) within++;
    if (r.winnerAt !== null && p.visitors > 0) ratios.push((r.winnerAt - p.at) / p.visitors);
  }
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
    toGo: {
      runs: estimated,
      decidedWithinEstimate: estimated > 0 ? within / estimated : null,
      medianRatio: median(ratios),
    },
    rule: config.scenario.values ? 'bayes_factor' : (config.rule ?? 'sequential'),
    horizon: config.horizon ?? null,
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
