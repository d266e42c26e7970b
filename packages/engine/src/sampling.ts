import type { Rng } from './rng.js';

// Random variates from a seeded Rng: standard normal (Marsaglia polar), Gamma by
// Marsaglia & Tsang (2000) "A simple method for generating gamma variables", and Beta as
// a ratio of Gammas. Shapes below 1 use Gamma(a) = Gamma(a + 1) · U^(1/a), carried in log
// space so that tiny shapes (U^(1/a) underflows to 0) still give valid Beta draws.

/**
 * A standard normal draw (Marsaglia's polar method; the spare value is discarded so that
 * the draw is a pure function of the Rng state).
 *
 * @example
 * const z = sampleNormal(createRng(1));
 */
export function sampleNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Fills `out` with independent standard normals, using both values of each polar pair
 * (half the uniforms and logarithms of calling {@link sampleNormal} repeatedly).
 */
export function fillNormals(out: Float64Array, rng: Rng): void {
  let i = 0;
  while (i < out.length) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (!(s > 0 && s < 1)) continue;
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * f;
    if (i < out.length) out[i++] = v * f;
  }
}

/** log of a Gamma(shape ≥ 1, 1) draw by Marsaglia–Tsang squeeze/rejection. */
function logGammaAtLeastOne(shape: number, rng: Rng): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return Math.log(d * v);
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return Math.log(d * v);
  }
}

/**
 * log of a Gamma(shape, 1) draw, valid for any shape > 0 (no underflow for shapes ≪ 1).
 */
export function sampleLogGamma(shape: number, rng: Rng): number {
  if (shape >= 1) return logGammaAtLeastOne(shape, rng);
  // Gamma(a) = Gamma(a + 1) · U^(1/a); 1 − next() lies in (0, 1] so the log is finite.
  return logGammaAtLeastOne(shape + 1, rng) + Math.log(1 - rng.next()) / shape;
}

/**
 * A Gamma(shape, 1) draw.
 *
 * @example
 * sampleGamma(2.5, createRng(7)); // mean 2.5, variance 2.5
 */
export function sampleGamma(shape: number, rng: Rng): number {
  return Math.exp(sampleLogGamma(shape, rng));
}

/**
 * A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), evaluated as
 * 1 / (1 + exp(log Y − log X)) so that shapes far below 1 do not produce 0 / 0.
 *
 * @example
 * const rng = createRng(42);
 * sampleBeta(11, 91, rng); // a plausible conversion rate after 10 / 100 with a Beta(1, 1) prior
 */
export function sampleBeta(a: number, b: number, rng: Rng): number {
  const logX = sampleLogGamma(a, rng);
  const logY = sampleLogGamma(b, rng);
  return 1 / (1 + Math.exp(logY - logX));
}
