import type { HurdlePosterior } from './hurdle-posterior.js';
import { createUniformBlocks, type UniformBlocks } from './rng.js';

/**
 * Posterior draws per group for the mean model. The product of a Beta and a Student-t has no
 * closed-form CDF, so probabilities to be best, expected losses and intervals come from draws.
 * 10^4 draws put the Monte Carlo error of a probability near 0.9 at ±0.003 (one sd).
 */
export const MEAN_MODEL_DRAWS = 10_000;

/**
 * The draws are seeded with this fixed seed (stream = group index), never with the caller's
 * Rng: the statistics and the allocation are then a deterministic function of the counters, so
 * every process (and the stats endpoint) computing them from the same snapshot agrees exactly.
 */
export const MEAN_MODEL_SEED = 0x5a3b_1e01;

const BLOCK = 2048;

/**
 * Exact variates from one uniform stream, read a block at a time (a call into the generator per
 * uniform would cost more than the arithmetic below). Same algorithms as sampling.ts, specialised
 * for this inner loop.
 */
class Variates {
  private readonly buffer = new Float64Array(BLOCK);
  private index = BLOCK;
  private spare = 0;
  private hasSpare = false;

  constructor(private readonly source: UniformBlocks) {}

  uniform(): number {
    if (this.index === BLOCK) {
      this.source.fill(this.buffer);
      this.index = 0;
    }
    return this.buffer[this.index++];
  }

  /** Standard normal, Marsaglia's polar method (both values of each pair are used). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        this.hasSpare = true;
        return u * f;
      }
    }
  }

  /** log Gamma(shape, 1) draw: Marsaglia & Tsang (2000), boosted by U^(1/shape) below shape 1. */
  logGamma(shape: number): number {
    if (shape < 1) return this.logGamma(shape + 1) + Math.log(1 - this.uniform()) / shape;
    return Math.log(this.gamma(shape));
  }

  /** Gamma(shape ≥ 1, 1) draw, Marsaglia & Tsang (2000) squeeze/rejection. */
  gamma(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Beta(a, b) as X / (X + Y) of two Gammas (in log space when a shape is below 1). */
  beta(a: number, b: number): number {
    if (a >= 1 && b >= 1) {
      const x = this.gamma(a);
      return x / (x + this.gamma(b));
    }
    return 1 / (1 + Math.exp(this.logGamma(b) - this.logGamma(a)));
  }

  /**
   * Student-t with `dof` degrees of freedom by Bailey's polar method (Bailey 1994, "Polar
   * generation of random variates with the t-distribution", Math. Comp. 62: 779–781):
   * (U, V) uniform on the unit disc, W = U² + V², T = U · √(ν (W^(−2/ν) − 1) / W), with
   * W^(−2/ν) − 1 as expm1 so that large ν keeps its precision.
   */
  studentT(dof: number): number {
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const w = u * u + v * v;
      if (w > 0 && w < 1) return u * Math.sqrt((dof * Math.expm1((-2 / dof) * Math.log(w))) / w);
    }
  }
}

/**
 * `draws` independent posterior draws of the metric per visitor for each group:
 * P(convert) × μ with P(convert) ~ Beta(α, β) and μ ~ location + scale · t_dof
 * (hurdle-posterior.ts). Group k always uses stream k of {@link MEAN_MODEL_SEED}.
 *
 * @example
 * const [draws] = hurdleDraws(hurdlePosteriors([{ visitors: 1000, conversions: 50, sum: 2500, sumSquares: 250_000 }]));
 * draws.length; // 10000
 */
export function hurdleDraws(
  posteriors: readonly HurdlePosterior[],
  draws: number = MEAN_MODEL_DRAWS,
): Float64Array[] {
  return posteriors.map((posterior, k) => {
    const variates = new Variates(createUniformBlocks(MEAN_MODEL_SEED, k));
    const out = new Float64Array(draws);
    const { alpha, beta, location, scale, dof } = posterior;
    for (let i = 0; i < draws; i++) {
      const p = variates.beta(alpha, beta);
      out[i] = scale > 0 ? p * (location + scale * variates.studentT(dof)) : p * location;
    }
    return out;
  });
}
