// Mean-model benchmark (a program, not a test): `npx tsx bench/engine/mean-model-bench.ts`.
//
// Prints what the mean model (revenue per visitor) costs per snapshot refresh for 9 arms — the
// statistics, an allocation refresh and the guardrail probability — against the binary model on
// the same counters, measured in the same run, and the statistics and allocation for 81 arms. Median of 7 repetitions, wall and this process's
// CPU time (the machine may be shared).

import {
  computeAllocation,
  computeStats,
  createRng,
  getScenario,
  hurdleDraws,
  hurdlePosteriors,
  probWorseThanControl,
  type Snapshot,
  sampleNormal,
} from '@samplit/engine';
import { measure } from './measure.js';

const rng = createRng(2024);

/** A scenario's arms with `visitors` each, buyers placing log-normal orders of mean 50 (log-sd 1). */
function revenueSnapshot(name: string, visitors: number): Snapshot {
  const scenario = getScenario(name)!;
  return {
    metric: 'mean',
    levels: scenario.levels,
    arms: scenario.rates.map((rate) => {
      let conversions = 0;
      let sum = 0;
      let sumSquares = 0;
      for (let v = 0; v < visitors; v++) {
        if (rng.next() >= rate) continue;
        const order = 50 * Math.exp(sampleNormal(rng) - 0.5);
        conversions++;
        sum += order;
        sumSquares += order * order;
      }
      return { visitors, conversions, sum, sumSquares };
    }),
  };
}

const revenue = revenueSnapshot('seed-multielement', 1000);
const large = revenueSnapshot('mvt-81', 600);
const binary: Snapshot = { ...revenue, metric: 'binary' };
const noLevels: Snapshot = { ...revenue, levels: undefined };

const cases: [string, () => unknown][] = [
  ['posterior draws only (hurdleDraws), 9 arms × 10^4', () => hurdleDraws(hurdlePosteriors(revenue.arms))],
  ['computeStats, mean, 9 arms', () => computeStats(noLevels)],
  ['computeStats, mean, 9 arms + 3 × 3 marginals', () => computeStats(revenue)],
  ['computeAllocation adaptive (explore), mean, 9 arms', () => computeAllocation('adaptive', revenue, rng)],
  ['computeAllocation thompson, mean, 9 arms', () => computeAllocation('thompson', revenue, rng)],
  ['probWorseThanControl, mean, 9 arms', () => probWorseThanControl(revenue, 0.02)],
  ['baseline: computeStats, binary, 9 arms + marginals', () => computeStats(binary)],
  ['baseline: computeAllocation adaptive, binary, 9 arms', () => computeAllocation('adaptive', binary, rng)],
  ['baseline: probWorseThanControl, binary, 9 arms', () => probWorseThanControl(binary, 0.02)],
  ['computeStats, mean, 81 arms + marginals', () => computeStats(large)],
  ['computeAllocation adaptive (explore), mean, 81 arms', () => computeAllocation('adaptive', large, rng)],
];
for (const [label, fn] of cases) {
  const t = measure(label.includes('81') ? 3 : 20, fn);
  console.log(
    `${label.padEnd(54)} ${t.wall.toFixed(2).padStart(7)} ms wall ${t.cpu.toFixed(2).padStart(7)} ms cpu`,
  );
}
