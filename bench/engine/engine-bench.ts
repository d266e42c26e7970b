// Engine benchmark (a program, not a test): `npm run bench:engine`.
//
// Prints the cost of one assignment decision (`choose` on a precomputed allocation) for 2, 9 and
// 81 arms, against a baseline measured in the same run — per-visitor Thompson sampling that draws
// one Beta per arm — and the cost of the full statistics (`computeStats`) and of an allocation
// refresh for 9 and 81 arms. Each figure is the median of several repetitions, reported as wall
// time and as this process's CPU time (the machine may be shared).

import {
  type Allocation,
  choose,
  computeAllocation,
  computeStats,
  createRng,
  getScenario,
  type PolicyName,
  type Rng,
  type Snapshot,
  sampleBeta,
} from '@samplit/engine';
import { measure, type Timing } from './measure.js';

/** A snapshot with `visitorsPerArm` simulated visitors on each arm of a scenario-like set of rates. */
function snapshotFor(arms: number, visitorsPerArm: number, rng: Rng): Snapshot {
  const scenario =
    arms === 81
      ? getScenario('mvt-81')!
      : arms === 9
        ? getScenario('seed-multielement')!
        : getScenario('ab-small-lift')!;
  return {
    arms: scenario.rates.map((rate) => {
      let conversions = 0;
      for (let v = 0; v < visitorsPerArm; v++) if (rng.next() < rate) conversions++;
      return { visitors: visitorsPerArm, conversions };
    }),
    levels: scenario.levels,
    controlArm: 0,
  };
}

const rng = createRng(2024);
const snapshots = new Map<number, Snapshot>([
  [2, snapshotFor(2, 5000, rng)],
  [9, snapshotFor(9, 1000, rng)],
  [81, snapshotFor(81, 600, rng)],
]);

const us = (ms: number) => `${(ms * 1000).toFixed(3)} µs`;
const msText = (ms: number) => `${ms.toFixed(2)} ms`;
const lines: string[] = [];
const row = (label: string, t: Timing, format: (ms: number) => string, extra = '') =>
  lines.push(
    `${label.padEnd(44)} ${format(t.wall).padStart(12)} wall ${format(t.cpu).padStart(12)} cpu ${extra}`,
  );

lines.push('Assignment decision (per visitor), target ≤ 10 µs for 81 arms');
for (const arms of [2, 9, 81]) {
  const snapshot = snapshots.get(arms)!;
  const allocation: Allocation = computeAllocation('adaptive', snapshot, rng);
  let sink = 0;
  const fast = measure(200_000, () => {
    sink += choose(allocation, rng).arm;
  });
  const alpha = snapshot.arms.map((a) => a.conversions + 1);
  const beta = snapshot.arms.map((a) => a.visitors - a.conversions + 1);
  const baseline = measure(arms === 81 ? 2_000 : 20_000, () => {
    let best = 0;
    let bestValue = -1;
    for (let k = 0; k < arms; k++) {
      const x = sampleBeta(alpha[k], beta[k], rng);
      if (x > bestValue) {
        bestValue = x;
        best = k;
      }
    }
    sink += best;
  });
  row(
    `  choose, ${arms} arms`,
    fast,
    us,
    `(baseline: per-visitor Thompson draw ${us(baseline.cpu)} cpu, ×${(baseline.cpu / fast.cpu).toFixed(0)})`,
  );
  if (sink < 0) console.log(sink);
}

lines.push('', 'Full statistics (computeStats), target ≤ 20 ms for 81 arms');
for (const arms of [9, 81]) {
  const snapshot = snapshots.get(arms)!;
  row(
    `  computeStats, ${arms} arms`,
    measure(arms === 81 ? 30 : 200, () => computeStats(snapshot)),
    msText,
  );
}

lines.push('', 'Allocation refresh (computeAllocation, once per snapshot refresh)');
for (const arms of [9, 81]) {
  const snapshot = snapshots.get(arms)!;
  for (const policy of ['thompson', 'top_two', 'adaptive', 'factorial'] as PolicyName[]) {
    row(
      `  ${policy}, ${arms} arms`,
      measure(policy === 'factorial' || arms === 81 ? 20 : 200, () =>
        computeAllocation(policy, snapshot, rng),
      ),
      msText,
    );
  }
}

console.log(lines.join('\n'));
