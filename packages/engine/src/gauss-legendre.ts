// Gauss–Legendre nodes and weights on [-1, 1], plus the spectral integration matrix
// S[i][l] = ∫_{-1}^{x_i} ℓ_l(t) dt of the Lagrange basis ℓ_l at the nodes. With S the
// running integral of a function sampled at the nodes, F(x_i) − F(−1) ≈ Σ_l S[i][l] f(x_l),
// is exact for polynomials of degree < n (used to get Beta CDFs at every node cheaply).

export interface GaussLegendreRule {
  readonly n: number;
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
  /** Row-major n × n integration matrix. */
  readonly integration: Float64Array;
}

function legendreNodes(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    // Newton iteration on P_n from Tricomi's initial guess (Numerical Recipes `gauleg`).
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) < 1e-16) break;
    }
    nodes[i] = -z;
    nodes[n - 1 - i] = z;
    weights[i] = 2 / ((1 - z * z) * pp * pp);
    weights[n - 1 - i] = weights[i];
  }
  return { nodes, weights };
}

function buildRule(n: number): GaussLegendreRule {
  const { nodes, weights } = legendreNodes(n);
  const integration = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const half = (nodes[i] + 1) / 2;
    for (let q = 0; q < n; q++) {
      const y = half * nodes[q] + (nodes[i] - 1) / 2; // node q mapped into [-1, x_i]
      const wq = half * weights[q];
      for (let l = 0; l < n; l++) {
        let basis = 1;
        for (let m = 0; m < n; m++) {
          if (m !== l) basis *= (y - nodes[m]) / (nodes[l] - nodes[m]);
        }
        integration[i * n + l] += wq * basis;
      }
    }
  }
  return { n, nodes, weights, integration };
}

const cache = new Map<number, GaussLegendreRule>();

/**
 * The n-point Gauss–Legendre rule (exact for polynomials of degree ≤ 2n − 1), memoised.
 *
 * @example
 * const { nodes, weights } = gaussLegendre(8);
 * weights.reduce((s, w) => s + w, 0); // 2
 */
export function gaussLegendre(n: number): GaussLegendreRule {
  let rule = cache.get(n);
  if (!rule) {
    rule = buildRule(n);
    cache.set(n, rule);
  }
  return rule;
}
