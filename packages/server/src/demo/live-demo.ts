import { randomUUID } from 'node:crypto';
import { createRng } from '@samplit/engine';
import type { ExperimentStats } from '../stats/stats-schemas.js';
import type { DemoClient, DemoExperiment } from './demo-client.js';
import { combinationName, type DemoScenario, trueWinner } from './demo-scenarios.js';

export interface LiveDemoOptions {
  client: DemoClient;
  scenario: DemoScenario;
  visitors: number;
  seed: number;
  /** Visitors started per second (the tracker re-reads counters about once a second). */
  rate: number;
  /** Visitors in flight at once. */
  concurrency: number;
  /** Visitors between two traffic reports. */
  reportEvery: number;
  email: string;
  password: string;
  /** Called as visitors finish (progress bar). */
  onProgress?: (done: number, conversions: number) => void;
  /** Called every `reportEvery` visitors with the server's current statistics. */
  onReport?: (done: number, stats: ExperimentStats) => void;
}

export interface LiveDemoResult {
  experimentId: string;
  /** Server stats at the end. */
  stats: ExperimentStats;
  /** Per combination (server order): its name and hidden true rate. */
  truth: { combination_id: string; name: string; true_rate: number }[];
  trueWinner: string | null;
  visitors: number;
  conversions: number;
  /** Conversions expected from the traffic each combination actually got: Σ visitors × true rate. */
  expectedWithAllocation: number;
  /** Conversions expected had every combination got an equal share: N × mean true rate. */
  expectedWithEqualSplit: number;
  seconds: number;
  requests: number;
  rateLimited: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function createBody(scenario: DemoScenario, seed: number) {
  const description =
    `Simulated by samplit demo: scenario ${scenario.scenario.name} (${scenario.scenario.description}), ` +
    `seed ${seed}. Visitors convert with hidden true rates.`;
  const common = {
    name: `Demo: ${scenario.elements.map((e) => e.name).join(' × ')} (${new Date().toISOString().slice(0, 16)}Z)`,
    description,
    traffic_allocation: 'adaptive',
    url: 'https://demo.samplit.invalid/',
  };
  if (scenario.elements.length === 1) {
    return { ...common, type: 'ab_test', variants: scenario.elements[0].variants.map((name) => ({ name })) };
  }
  return {
    ...common,
    type: 'multi_element',
    elements: scenario.elements.map((e) => ({
      name: e.name,
      variants: e.variants.map((name) => ({ name })),
    })),
  };
}

/** Server combination id → scenario arm, matched by variant names. */
function armsById(experiment: DemoExperiment, scenario: DemoScenario): Map<string, number> {
  const names = new Map<string, string>();
  for (const e of experiment.elements) for (const v of e.variants) names.set(v.id, v.name);
  const byName = new Map(scenario.combinations.map((c, i) => [c.name, i]));
  return new Map(
    experiment.combinations.map((c) => {
      const arm = byName.get(combinationName(c.variant_ids.map((id) => names.get(id) ?? '')));
      if (arm === undefined) throw new Error(`combination ${c.id} matches no scenario arm`);
      return [c.id, arm];
    }),
  );
}

/**
 * The live demo: creates an adaptive experiment through the public API, then sends simulated
 * visitors through /tracker/assign and, when they convert (with the hidden true rate of the
 * combination they were shown), /tracker/convert — paced so that the tracker's once-a-second
 * allocation refresh sees traffic arrive over time, as on a real site.
 */
export async function runLiveDemo(options: LiveDemoOptions): Promise<LiveDemoResult> {
  const { client, scenario } = options;
  await client.login(options.email, options.password);
  const created = await client.createExperiment(createBody(scenario, options.seed));
  await client.start(created.id);
  const arms = armsById(created, scenario);

  // One uniform per visitor, drawn in visitor order: the same seed gives every visitor the same
  // luck whatever order the concurrent requests finish in.
  const rng = createRng(options.seed);
  const luck = Float64Array.from({ length: options.visitors }, () => rng.next());
  const run = randomUUID().slice(0, 8);
  const started = Date.now();
  let next = 0;
  let done = 0;
  let conversions = 0;
  let nextReport = options.reportEvery;
  let reporting: Promise<void> = Promise.resolve();

  async function visit(i: number): Promise<void> {
    const browserId = `demo-${run}-${i}`;
    const assigned = await client.assign(created.id, browserId);
    if (!assigned.combination_id) throw new Error(`visitor ${browserId} was not enrolled`);
    const arm = arms.get(assigned.combination_id)!;
    if (luck[i] < scenario.combinations[arm].rate) {
      await client.convert(created.id, browserId);
      conversions++;
    }
  }

  async function worker(): Promise<void> {
    while (next < options.visitors) {
      const i = next++;
      const due = started + (i * 1000) / options.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      await visit(i);
      done++;
      options.onProgress?.(done, conversions);
      if (done >= nextReport && options.onReport) {
        nextReport += options.reportEvery;
        const at = done;
        reporting = reporting.then(async () =>
          options.onReport?.(at, (await client.experiment(created.id)).stats!),
        );
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  await reporting;
  const final = await client.experiment(created.id);
  const stats = final.stats!;
  const truth = stats.combinations.map((c) => {
    const arm = arms.get(c.combination_id)!;
    return { combination_id: c.combination_id, name: c.name, true_rate: scenario.combinations[arm].rate };
  });
  const winner = trueWinner(scenario);
  const meanRate = scenario.combinations.reduce((s, c) => s + c.rate, 0) / scenario.combinations.length;
  return {
    experimentId: created.id,
    stats,
    truth,
    trueWinner: winner === null ? null : scenario.combinations[winner].name,
    visitors: options.visitors,
    conversions,
    expectedWithAllocation: stats.combinations.reduce((s, c, i) => s + c.visitors * truth[i].true_rate, 0),
    expectedWithEqualSplit: options.visitors * meanRate,
    seconds: (Date.now() - started) / 1000,
    requests: client.counters.requests,
    rateLimited: client.counters.rateLimited,
  };
}
