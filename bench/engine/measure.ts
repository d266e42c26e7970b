// Timing for the engine's benchmark programs: the median of several repetitions, as wall time
// and as this process's CPU time (the machine may be shared).

const REPETITIONS = 7;

export interface Timing {
  wall: number;
  cpu: number;
}

/** Median per-call wall and CPU time (in ms) of `fn`, called `calls` times per repetition, after a JIT warm-up. */
export function measure(calls: number, fn: () => void): Timing {
  for (let i = 0; i < Math.min(calls, 1000); i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    const used = process.cpuUsage(c0);
    wall.push(elapsed / calls);
    cpu.push((used.user + used.system) / 1000 / calls);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: median(wall), cpu: median(cpu) };
}
