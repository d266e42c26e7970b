// Calibration of the mean model's 95% intervals (a program, not a test):
// `npx tsx bench/engine/mean-model-calibration.ts [experiments] [seed]` (default 10000, 1).
//
// Simulates experiments with a known truth — 2,000 visitors, 5% buy, one log-normal order of mean
// 50 and log-sd 1 each (heavy-tailed); and 2,000 visitors, 10% act, 1 + Poisson(1.5) events each —
// and prints how often computeStats' 95% interval of the metric per visitor covers the truth, and
// on which side it misses. The unit test (stats.test.ts) asserts 93–97% on 400 of them.

import { type ArmCounts, computeStats, createRng, type Rng, sampleNormal } from '@samplit/engine';

const experiments = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 1);

function revenueArm(rng: Rng): ArmCounts {
  let conversions = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let v = 0; v < 2000; v++) {
    if (rng.next() >= 0.05) continue;
    const order = 50 * Math.exp(sampleNormal(rng) - 0.5);
    conversions++;
    sum += order;
    sumSquares += order * order;
  }
  return { visitors: 2000, conversions, sum, sumSquares };
}

function countArm(rng: Rng): ArmCounts {
  let conversions = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let v = 0; v < 2000; v++) {
    if (rng.next() >= 0.1) continue;
    let events = 1;
    let term = Math.exp(-1.5);
    let cdf = term;
    const u = rng.next();
    for (let j = 1; u > cdf; j++) {
      term *= 1.5 / j;
      cdf += term;
      events++;
    }
    conversions++;
    sum += events;
    sumSquares += events * events;
  }
  return { visitors: 2000, conversions, sum, sumSquares };
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
for (const [label, draw, truth] of [
  ['revenue per visitor (5% × log-normal 50, log-sd 1)', revenueArm, 2.5],
  ['events per visitor (10% × (1 + Poisson(1.5)))', countArm, 0.25],
] as const) {
  const rng = createRng(seed);
  let below = 0;
  let above = 0;
  for (let r = 0; r < experiments; r++) {
    const [lo, hi] = computeStats({ arms: [draw(rng)], metric: 'mean' }).arms[0].ci95;
    if (truth < lo) below++;
    else if (truth > hi) above++;
  }
  const covered = 1 - (below + above) / experiments;
  console.log(
    `${label}: ${percent(covered)} covered of ${experiments} (truth below the interval ${percent(below / experiments)}, above ${percent(above / experiments)})`,
  );
}
