import {
  customScenario,
  DEFAULT_CHECK_EVERY,
  DEFAULT_REFRESH_EVERY,
  getScenario,
  POLICY_NAMES,
  type PolicyName,
  type RunResult,
  SCENARIO_NAMES,
  type Scenario,
  type SimulationConfig,
  type SimulationReport,
  simulateRun,
  summarizeRuns,
} from '@samplit/engine';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { toSimulationReportPayload } from '../stats/engine-payloads.js';
import { integer, positiveInteger, scenarioName } from './cli-arguments.js';

interface SimulateOptions {
  scenario?: string;
  policy: PolicyName;
  runs: number;
  seed: number;
  visitors?: number;
  checkEvery: number;
  refreshEvery: number;
  rates?: number[];
  orderValues?: number[];
  logSd?: number;
  json?: boolean;
  winnerProbBest?: number;
  minBayesFactor?: number;
  maxRelativeLoss?: number;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!(n >= 0)) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

function rateList(value: string): number[] {
  const rates = value.split(',').map((part) => Number(part.trim()));
  if (rates.length < 2 || rates.some((r) => !(r >= 0 && r <= 1))) {
    throw new InvalidArgumentError('expected at least two comma-separated rates in [0, 1], e.g. 0.05,0.055');
  }
  return rates;
}

/** Log-sd of custom order values when --log-sd is not given (the built-in revenue scenarios' value). */
const DEFAULT_LOG_SD = 1;

function valueList(value: string): number[] {
  const values = value.split(',').map((part) => Number(part.trim()));
  if (values.length < 2 || values.some((v) => !Number.isFinite(v))) {
    throw new InvalidArgumentError('expected at least two comma-separated order values, e.g. 50,75');
  }
  return values;
}

function resolveScenario(options: SimulateOptions): Scenario {
  if (options.rates) {
    const base = options.scenario ? getScenario(options.scenario) : undefined;
    const values = options.orderValues
      ? { means: options.orderValues, logSd: options.logSd ?? DEFAULT_LOG_SD }
      : undefined;
    if (values && values.means.length !== options.rates.length) {
      throw new Error('give one --order-values entry per rate');
    }
    return customScenario(options.rates, options.visitors ?? base?.visitors, values);
  }
  if (options.orderValues) throw new Error('--order-values needs --rates');
  if (!options.scenario) throw new Error('give --scenario NAME or --rates r1,r2,...');
  // --scenario was checked by scenarioName when the command line was parsed.
  return getScenario(options.scenario)!;
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

function formatReport(report: SimulationReport, scenario: Scenario, seconds: number): string {
  const unit = report.metric === 'mean' ? 'in value units (revenue)' : 'conversions';
  const rows: [string, string][] = [
    ['scenario', `${report.scenario} (${scenario.rates.length} arms: ${scenario.description})`],
    ['policy', report.policy],
    ['runs × visitors', `${report.runs} × ${report.visitors.toLocaleString('en-US')}`],
    ['seed', String(report.seed)],
    ['checks / refreshes every', `${report.checkEvery} / ${report.refreshEvery} visitors`],
    ['correct winner', percent(report.correctWinnerRate)],
    ['wrong winner', percent(report.wrongWinnerRate)],
    [
      'no winner',
      `${percent(report.noWinnerRate)} (no material difference: ${percent(report.noDifferenceRate)})`,
    ],
    ['mean regret', `${report.meanRegret.toFixed(1)} ${unit}`],
    ['lost vs oracle', percent(report.lostVsOracle)],
    [
      'median visitors to decision',
      report.medianVisitorsToDecision === null
        ? '—'
        : report.medianVisitorsToDecision.toLocaleString('en-US'),
    ],
    ['elapsed', `${seconds.toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/**
 * Runs the simulation run by run, yielding to the event loop between runs so that the
 * progress bar redraws and Ctrl-C works.
 */
async function simulate(config: SimulationConfig, showProgress: boolean): Promise<SimulationReport> {
  const bar = showProgress
    ? new SingleBar({
        stream: process.stderr,
        format: 'simulate {bar} {value}/{total} runs | ETA {eta_formatted}',
        clearOnComplete: true,
        hideCursor: true,
      })
    : undefined;
  bar?.start(config.runs, 0);
  const results: RunResult[] = [];
  try {
    for (let run = 0; run < config.runs; run++) {
      results.push(simulateRun(config, run));
      bar?.update(run + 1);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    bar?.stop();
  }
  return summarizeRuns(config, results);
}

/**
 * `samplit simulate`: runs a bandit policy and the decision rule on a simulated experiment
 * many times, the way the server does (docs/architecture.md#simulator), and reports how often it finds the winner.
 *
 * @example
 * // samplit simulate --scenario seed-multielement --policy adaptive --runs 200 --seed 1 --json
 * registerSimulateCommand(program);
 */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('measure a traffic policy and the decision rule on a simulated experiment')
    .addOption(
      new Option('--scenario <name>', `built-in scenario: ${SCENARIO_NAMES.join(', ')}`).argParser(
        scenarioName,
      ),
    )
    .addOption(new Option('--policy <policy>', 'traffic policy').choices(POLICY_NAMES).default('adaptive'))
    .option('--runs <n>', 'simulated experiments', positiveInteger, 200)
    .option('--seed <s>', 'random seed (same seed, same figures)', integer, 1)
    .option('--visitors <v>', "visitors per run (default: the scenario's)", positiveInteger)
    .option('--check-every <c>', 'visitors between decision checks', positiveInteger, DEFAULT_CHECK_EVERY)
    .option(
      '--refresh-every <r>',
      'visitors between allocation refreshes',
      positiveInteger,
      DEFAULT_REFRESH_EVERY,
    )
    .option('--rates <list>', 'custom true conversion rates, e.g. 0.05,0.055', rateList)
    .option(
      '--order-values <list>',
      'with --rates: mean order value per arm, e.g. 50,75 (a revenue scenario: one log-normal order per converting visitor)',
      valueList,
    )
    .option(
      '--log-sd <s>',
      `with --order-values: log-sd of the orders (default ${DEFAULT_LOG_SD})`,
      nonNegative,
    )
    .option('--json', 'print one JSON object instead of a table')
    .option('--winner-prob-best <p>', 'decision rule: P(best) a winner needs (default 0.9)', nonNegative)
    .option(
      '--min-bayes-factor <bf>',
      'decision rule: evidence gate, 0 disables it (default 30)',
      nonNegative,
    )
    .option(
      '--max-relative-loss <x>',
      "decision rule: winner's expected loss / rate (default 0.01)",
      nonNegative,
    )
    .action(async (options: SimulateOptions) => {
      const scenario = resolveScenario(options);
      const config: SimulationConfig = {
        scenario,
        policy: options.policy,
        runs: options.runs,
        seed: options.seed,
        visitors: options.visitors,
        checkEvery: options.checkEvery,
        refreshEvery: options.refreshEvery,
        decision: {
          winnerProbBest: options.winnerProbBest,
          minEvidenceBayesFactor: options.minBayesFactor,
          winnerMaxRelativeLoss: options.maxRelativeLoss,
        },
      };
      const started = process.hrtime.bigint();
      const report = await simulate(config, Boolean(process.stderr.isTTY));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        options.json
          ? JSON.stringify(toSimulationReportPayload(report))
          : formatReport(report, scenario, seconds),
      );
    });
}
