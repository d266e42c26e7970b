/**
 * Raises every arm to at least `minShare` and scales the others down so the vector still sums
 * to 1 (water-filling: arms pushed below the floor by the rescaling are floored too).
 * A floor above 1/K is capped at 1/K (uniform).
 *
 * @example
 * applyTrafficFloor([0.9, 0.1, 0], 0.05); // [0.85, 0.1, 0.05]
 */
export function applyTrafficFloor(probabilities: readonly number[], minShare: number): number[] {
  const k = probabilities.length;
  const total = probabilities.reduce((s, p) => s + p, 0);
  const p = probabilities.map((x) => (total > 0 ? x / total : 1 / k));
  const floor = Math.min(Math.max(0, minShare), 1 / k);
  if (floor === 0) return p;
  const floored = new Array<boolean>(k).fill(false);
  for (let round = 0; round < k; round++) {
    let freeMass = 0;
    let count = 0;
    for (let i = 0; i < k; i++) {
      if (floored[i]) count++;
      else freeMass += p[i];
    }
    const scale = freeMass > 0 ? (1 - count * floor) / freeMass : 0;
    let changed = false;
    for (let i = 0; i < k; i++) {
      if (!floored[i] && p[i] * scale < floor) {
        floored[i] = true;
        changed = true;
      }
    }
    if (!changed) {
      return p.map((x, i) => (floored[i] ? floor : x * scale));
    }
  }
  return p.map(() => 1 / k);
}
