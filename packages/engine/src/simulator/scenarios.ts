// Built-in simulator scenarios (packages/engine/README.md, "Simulator and measured figures"). Rates are true per-visitor conversion probabilities.

/**
 * Order values of a revenue scenario: a converting visitor places one order, log-normal with
 * mean `means[arm]` and log-sd `logSd` (i.e. exp(N(log mean − logSd² / 2, logSd²))).
 */
export interface ScenarioValues {
  means: number[];
  logSd: number;
}

/** A simulated experiment: true conversion rate per arm and a visitor budget. */
export interface Scenario {
  name: string;
  description: string;
  rates: number[];
  /** Revenue scenarios: the order values; the metric is then revenue per visitor ('mean'). */
  values?: ScenarioValues;
  /** Per arm, the variant index of each element (multi-element scenarios only). */
  levels?: number[][];
  /** Human-readable arm names, e.g. "B-Y". */
  labels?: string[];
  visitors: number;
  /** Every arm's rate is multiplied by a factor moving linearly from `from` to `to` over the run. */
  drift?: { from: number; to: number };
  /** `fixed` policy: weights moving linearly from `from` to `to` over the run (forced imbalance). */
  weights?: { from: number[]; to: number[] };
}

/** Every combination of `counts[e]` variants per element, first element slowest. */
export function fullFactorialLevels(counts: readonly number[]): number[][] {
  let rows: number[][] = [[]];
  for (const count of counts) {
    const next: number[][] = [];
    for (const row of rows) for (let v = 0; v < count; v++) next.push([...row, v]);
    rows = next;
  }
  return rows;
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function seedMultiElement(): Scenario {
  const cta = ['A', 'B', 'C'];
  const copy = ['X', 'Y', 'Z'];
  const levels = fullFactorialLevels([3, 3]);
  return {
    name: 'seed-multielement',
    description: 'The seed demo: CTA A/B/C × Copy X/Y/Z; B-Y wins only through the interaction',
    rates: [0.04, 0.044, 0.037, 0.045, 0.075, 0.042, 0.038, 0.042, 0.035],
    levels,
    labels: levels.map(([c, h]) => `${cta[c]}-${copy[h]}`),
    visitors: 10_000,
  };
}

function mvt81(): Scenario {
  const effects = [
    [0, 0.15, -0.1],
    [0, 0.1, 0.2],
    [0, -0.05, 0.05],
    [0, 0.1, 0],
  ];
  const levels = fullFactorialLevels([3, 3, 3, 3]);
  const base = logit(0.03);
  const rates = levels.map((row) => {
    let eta = base;
    for (let e = 0; e < row.length; e++) eta += effects[e][row[e]];
    if (row[0] === 1 && row[1] === 2) eta += 0.1; // element 1 variant 2 × element 2 variant 3
    return sigmoid(eta);
  });
  return {
    name: 'mvt-81',
    description: '4 elements × 3 variants, base 3%, additive logit effects plus one interaction',
    rates,
    levels,
    labels: levels.map((row) => row.map((v) => v + 1).join('')),
    visitors: 50_000,
  };
}

const BUILT_IN: Record<string, () => Scenario> = {
  'seed-multielement': seedMultiElement,
  'aa-2': () => ({
    name: 'aa-2',
    description: 'A/A test: 2 identical arms at 5%',
    rates: [0.05, 0.05],
    visitors: 20_000,
  }),
  'aa-9': () => ({
    name: 'aa-9',
    description: 'A/A test: 9 identical arms at 5%',
    rates: new Array<number>(9).fill(0.05),
    visitors: 20_000,
  }),
  'ab-small-lift': () => ({
    name: 'ab-small-lift',
    description: '5.0% vs 5.5% (10% relative lift)',
    rates: [0.05, 0.055],
    visitors: 100_000,
  }),
  'five-arms': () => ({
    name: 'five-arms',
    description: 'Five arms: 10, 11, 12, 10.5, 9%',
    rates: [0.1, 0.11, 0.12, 0.105, 0.09],
    visitors: 100_000,
  }),
  'mvt-81': mvt81,
  'ab-20': () => ({
    name: 'ab-20',
    description: '5% vs 6% (20% lift), sized for ≈ 74% power of one look at the end',
    rates: [0.05, 0.06],
    visitors: 14_000,
  }),
  'ab-high-base': () => ({
    name: 'ab-high-base',
    description: '30% vs 32% (a 2-point lift on a high base rate)',
    rates: [0.3, 0.32],
    visitors: 20_000,
  }),
  'control-best': () => ({
    name: 'control-best',
    description: 'control 6% against two losers at 5%',
    rates: [0.06, 0.05, 0.05],
    visitors: 36_000,
  }),
  'four-arms': () => ({
    name: 'four-arms',
    description: 'four arms, one 20% better: 5, 5, 5, 6%',
    rates: [0.05, 0.05, 0.05, 0.06],
    visitors: 48_000,
  }),
  'aa-drift': () => ({
    name: 'aa-drift',
    description: 'A/A test whose common rate drifts from 3% to 6% over the run',
    rates: [0.03, 0.03],
    drift: { from: 1, to: 2 },
    visitors: 40_000,
  }),
  'drift-shift': () => ({
    name: 'drift-shift',
    description: 'identical arms drifting 3% → 6% while (fixed) traffic moves from 50/50 to 10/90',
    rates: [0.03, 0.03],
    drift: { from: 1, to: 2 },
    weights: { from: [0.5, 0.5], to: [0.1, 0.9] },
    visitors: 40_000,
  }),
  'revenue-aov': () => ({
    name: 'revenue-aov',
    description:
      'revenue: control 5% × orders of 50 (2.50 per visitor), variant 4.5% × 75 (3.375): fewer orders, more revenue',
    rates: [0.05, 0.045],
    values: { means: [50, 75], logSd: 1 },
    visitors: 60_000,
  }),
  'revenue-aa': () => ({
    name: 'revenue-aa',
    description: 'revenue A/A test: 2 identical arms, 5% × 50 (log-normal orders, log-sd 1)',
    rates: [0.05, 0.05],
    values: { means: [50, 50], logSd: 1 },
    visitors: 60_000,
  }),
};

/** Names of the built-in scenarios. */
export const SCENARIO_NAMES: readonly string[] = Object.keys(BUILT_IN);

/**
 * A built-in scenario by name, or undefined.
 *
 * @example
 * getScenario('seed-multielement')?.rates.length; // 9
 */
export function getScenario(name: string): Scenario | undefined {
  return BUILT_IN[name]?.();
}

/**
 * A custom scenario from a list of rates (the CLI's `--rates 0.05,0.055`), optionally with order
 * values (`--order-values 50,65 --log-sd 1`), which make it a revenue scenario.
 *
 * @example
 * customScenario([0.05, 0.055], 50_000);
 * customScenario([0.05, 0.045], 60_000, { means: [50, 65], logSd: 1 });
 */
export function customScenario(
  rates: readonly number[],
  visitors = 20_000,
  values?: ScenarioValues,
): Scenario {
  if (rates.length < 2) throw new RangeError('a scenario needs at least two rates');
  for (const r of rates) if (!(r >= 0 && r <= 1)) throw new RangeError(`rate out of [0, 1]: ${r}`);
  if (values) {
    if (values.means.length !== rates.length) throw new RangeError('one order value per rate');
    for (const m of values.means)
      if (!Number.isFinite(m)) throw new RangeError(`order value not finite: ${m}`);
    if (!(values.logSd >= 0 && Number.isFinite(values.logSd))) throw new RangeError('log-sd must be ≥ 0');
  }
  const description = values
    ? `custom rates ${rates.join(', ')}, order values ${values.means.join(', ')} (log-sd ${values.logSd})`
    : `custom rates ${rates.join(', ')}`;
  return {
    name: 'custom',
    description,
    rates: [...rates],
    ...(values ? { values: { means: [...values.means], logSd: values.logSd } } : {}),
    visitors,
  };
}

/**
 * The true metric per visitor of each arm: the conversion rate, or for revenue scenarios the
 * rate × mean order value. The oracle arm is its argmax.
 *
 * @example
 * armValues(getScenario('revenue-aov')!); // [2.5, 2.925]
 */
export function armValues(scenario: Scenario): number[] {
  const values = scenario.values;
  return scenario.rates.map((rate, k) => (values ? rate * values.means[k] : rate));
}

/**
 * The true conversion rate of `arm` for the t-th of `visitors` visitors: the scenario's rate,
 * times the drift multiplier when the scenario drifts (linear in t from `drift.from` to `drift.to`).
 */
export function rateAt(scenario: Scenario, arm: number, t: number, visitors: number): number {
  const drift = scenario.drift;
  if (!drift) return scenario.rates[arm];
  const f = visitors > 1 ? (t - 1) / (visitors - 1) : 0;
  return Math.min(1, scenario.rates[arm] * (drift.from + (drift.to - drift.from) * f));
}

/**
 * The `fixed` policy's weights after t of `visitors` visitors: the scenario's weight path
 * (linear from `weights.from` to `weights.to`), or undefined (uniform).
 */
export function weightsAt(scenario: Scenario, t: number, visitors: number): number[] | undefined {
  const path = scenario.weights;
  if (!path) return undefined;
  const f = visitors > 0 ? Math.min(1, t / visitors) : 0;
  return path.from.map((w, k) => w + (path.to[k] - w) * f);
}
