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
  type SimulatedRule,
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
  rule: SimulatedRule;
  horizon?: number;
  looks?: number;
  alpha?: number;
  compare?: boolean;
}

/**
 * `--compare`: the engine's rule and its baselines on the same visitors (common random numbers):
 * a plain fixed-horizon test (equal traffic, one look at the end), the engine's rule without and
 * with the run's visitors as horizon, the mSPRT and the rule used before.
 */
export const COMPARISONS: { label: string; config: Partial<SimulationConfig>; horizon: boolean }[] = [
  {
    label: 'fixed traffic, one look at the end',
    config: { policy: 'fixed', decision: { looks: 1 } },
    horizon: true,
  },
  { label: 'adaptive, anytime-valid (e-processes)', config: { policy: 'adaptive' }, horizon: false },
  { label: 'adaptive, horizon = visitors (5 analyses)', config: { policy: 'adaptive' }, horizon: true },
  { label: 'adaptive, mSPRT (baseline)', config: { policy: 'adaptive', rule: 'msprt' }, horizon: false },
  {
    label: 'adaptive, Bayes-factor rule (before)',
    config: { policy: 'adaptive', rule: 'bayes_factor' },
    horizon: false,
  },
];

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
    [
      'decision rule',
      report.horizon === null
        ? report.rule
        : `${report.rule}, horizon ${report.horizon.toLocaleString('en-US')} visitors`,
    ],
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

/** The --compare table, one row per configuration (markdown, as the engine README shows it). */
function formatComparison(reports: SimulationReport[], scenario: Scenario): string {
  const lines = [
    `${scenario.name}: ${scenario.description}; ${reports[0].runs} runs × ${reports[0].visitors.toLocaleString('en-US')} visitors, seed ${reports[0].seed}, a look after every refresh (${reports[0].checkEvery} visitors)`,
    '',
    '| configuration | correct | wrong | no winner | lost vs oracle | median visitors to decision | decided within the to-go estimate |',
    '|---|---|---|---|---|---|---|',
  ];
  reports.forEach((r, i) => {
    const toGo =
      r.toGo.decidedWithinEstimate === null
        ? '—'
        : `${percent(r.toGo.decidedWithinEstimate)} of ${r.toGo.runs}`;
    const median =
      r.medianVisitorsToDecision === null ? '—' : r.medianVisitorsToDecision.toLocaleString('en-US');
    lines.push(
      `| ${COMPARISONS[i].label} | ${percent(r.correctWinnerRate)} | ${percent(r.wrongWinnerRate)} | ${percent(r.noWinnerRate)} | ${r.lostVsOracle.toFixed(3)} | ${median} | ${toGo} |`,
    );
  });
  return lines.join('\n');
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
      "Bayes-factor rule: winner's expected loss / rate (default 0.01)",
      nonNegative,
    )
    .addOption(
      new Option('--rule <rule>', 'decision rule: the engine’s (sequential) or a baseline')
        .choices(['sequential', 'msprt', 'bayes_factor'])
        .default('sequential'),
    )
    .option(
      '--horizon <n>',
      'planned visitors: the sequential rule becomes group-sequential',
      positiveInteger,
    )
    .option('--looks <n>', 'analyses up to the horizon (default 5)', positiveInteger)
    .option('--alpha <a>', 'level of the sequential rule (default 0.05)', nonNegative)
    .option('--compare', 'run the engine’s rule and its baselines side by side on the same visitors')
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
        rule: options.rule,
        horizon: options.horizon,
        decision: {
          winnerProbBest: options.winnerProbBest,
          minEvidenceBayesFactor: options.minBayesFactor,
          winnerMaxRelativeLoss: options.maxRelativeLoss,
          looks: options.looks,
          alpha: options.alpha,
        },
      };
      if (options.compare) {
        if (scenario.values)
          throw new Error('--compare needs a conversion scenario (revenue goals keep one rule)');
        const reports: SimulationReport[] = [];
        for (const c of COMPARISONS) {
          const run = {
            ...config,
            ...c.config,
            decision: { ...config.decision, ...c.config.decision },
            horizon: c.horizon ? (options.visitors ?? scenario.visitors) : undefined,
          };
          reports.push(await simulate(run, Boolean(process.stderr.isTTY)));
        }
        console.log(
          options.json
            ? JSON.stringify(reports.map(toSimulationReportPayload))
            : formatComparison(reports, scenario),
        );
        return;
      }
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
