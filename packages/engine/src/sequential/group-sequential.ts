import { normalCdf, normalPdf, normalQuantile } from '../special/normal.js';

/** Interim analyses of a test with a horizon: at 1/L, 2/L, …, L/L of the planned visitors. */
export const DEFAULT_LOOKS = 5;

/**
 * Lan–DeMets spending function of O'Brien–Fleming type, one-sided level α: the error spent by
 * information fraction t, α(t) = 2 − 2Φ(Φ⁻¹(1 − α/2) / √t) (Lan & DeMets 1983, Biometrika 70:659).
 * It spends almost nothing early (α(0.1) ≈ 6e-10 at α = 0.05) and most of α near the horizon, which
 * is why the last boundary stays close to the single-look critical value.
 */
export function obrienFlemingSpending(t: number, alpha: number): number {
  if (!(t > 0)) return 0;
  return 2 - 2 * normalCdf(normalQuantile(1 - alpha / 2) / Math.sqrt(Math.min(1, t)));
}

const GRID_POINTS = 801;
const cache = new Map<string, number[]>();

/**
 * One-sided group-sequential critical values on the z scale for `looks` equally spaced analyses
 * at level `alpha`, spending by {@link obrienFlemingSpending}: b_i is chosen so that a standard
 * Brownian motion S observed at t_i = i / looks, with Z_i = S(t_i) / √t_i, first crosses at look i
 * with probability α(t_i) − α(t_{i−1}). The crossing probabilities are computed by the
 * Armitage–McPherson–Rowe recursion (the sub-density of S on the continuation region, carried
 * from look to look by numerical convolution with the N(0, Δt) kernel on an 801-point grid), and
 * each b_i by bisection. With looks = 1 it is the single-look critical value Φ⁻¹(1 − α).
 * Memoised per (looks, alpha).
 *
 * @example
 * groupSequentialBoundaries(1, 0.05); // [1.6448536…]
 * groupSequentialBoundaries(10, 0.05).at(-1); // ≈ 1.80 — the price of nine interim looks
 */
export function groupSequentialBoundaries(looks: number, alpha: number): number[] {
  const key = `${looks}:${alpha}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dt = 1 / looks;
  const boundaries: number[] = [];
  // Sub-density of S(t_{i−1}) on (−∞, c_{i−1}) restricted to the grid [lo, c_{i−1}].
  let xs: Float64Array | null = null;
  let density: Float64Array | null = null;
  let weights: Float64Array | null = null; // trapezoid weights × density
  let spent = 0;
  for (let i = 1; i <= looks; i++) {
    const t = i * dt;
    const target = obrienFlemingSpending(t, alpha) - spent;
    const crossing = (c: number): number => {
      // P(S(t_i) ≥ c, no earlier crossing)
      if (!xs || !density || !weights) return 1 - normalCdf(c / Math.sqrt(t));
      let p = 0;
      const sd = Math.sqrt(dt);
      for (let g = 0; g < xs.length; g++) p += weights[g] * (1 - normalCdf((c - xs[g]) / sd));
      return p;
    };
    // crossing(c) decreases in c: bisect on the S scale.
    let lo = -10 * Math.sqrt(t);
    let hi = 12 * Math.sqrt(t);
    if (target <= 0) {
      lo = hi; // nothing to spend at this look: the boundary is out of reach
    } else {
      for (let it = 0; it < 100; it++) {
        const mid = 0.5 * (lo + hi);
        if (crossing(mid) > target) lo = mid;
        else hi = mid;
      }
    }
    const c = 0.5 * (lo + hi);
    spent += target > 0 ? crossing(c) : 0;
    boundaries.push(c / Math.sqrt(t));
    // New sub-density on [bottom, c].
    const bottom = -10 * Math.sqrt(t);
    const next = new Float64Array(GRID_POINTS);
    const nextX = new Float64Array(GRID_POINTS);
    const h = (c - bottom) / (GRID_POINTS - 1);
    const sd = Math.sqrt(dt);
    for (let g = 0; g < GRID_POINTS; g++) {
      const x = bottom + g * h;
      nextX[g] = x;
      if (!xs || !weights) {
        next[g] = normalPdf(x / Math.sqrt(t)) / Math.sqrt(t);
      } else {
        let f = 0;
        for (let u = 0; u < xs.length; u++) f += weights[u] * (normalPdf((x - xs[u]) / sd) / sd);
        next[g] = f;
      }
    }
    const w = new Float64Array(GRID_POINTS);
    for (let g = 0; g < GRID_POINTS; g++) w[g] = next[g] * h * (g === 0 || g === GRID_POINTS - 1 ? 0.5 : 1);
    xs = nextX;
    density = next;
    weights = w;
  }
  cache.set(key, boundaries);
  return boundaries;
}
