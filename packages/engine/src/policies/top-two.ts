/** Russo's recommended leader probability β for top-two Thompson sampling. */
export const TOP_TWO_BETA = 0.5;

/**
 * Exact arm probabilities of top-two Thompson sampling (Russo 2016, "Simple Bayesian
 * algorithms for best arm identification"), given each arm's probability to be best p_k:
 * with probability β play the Thompson leader I ~ p; otherwise resample until the draw's best
 * arm J differs from I and play J. Hence
 *
 *   ψ_k = β p_k + (1 − β) p_k Σ_{i≠k} p_i / (1 − p_i).
 *
 * @example
 * topTwoProbabilities([0.5, 0.5]); // [0.5, 0.5]
 * topTwoProbabilities([0.9, 0.1]); // [0.5, 0.5]: with two arms the challenger is always the other
 */
export function topTwoProbabilities(probBest: readonly number[], beta = TOP_TWO_BETA): number[] {
  const k = probBest.length;
  if (k <= 1) return probBest.map(() => 1);
  let leader = 0;
  for (let i = 1; i < k; i++) if (probBest[i] > probBest[leader]) leader = i;
  // 1 − p_i computed as the sum of the other arms, which keeps its precision when p_i ≈ 1.
  let othersOfLeader = 0;
  for (let i = 0; i < k; i++) if (i !== leader) othersOfLeader += probBest[i];
  if (!(othersOfLeader > 0)) return probBest.map((_, i) => (i === leader ? 1 : 0));
  const ratio = new Array<number>(k);
  for (let i = 0; i < k; i++) {
    const rest = i === leader ? othersOfLeader : othersOfLeader + probBest[leader] - probBest[i];
    ratio[i] = probBest[i] / rest;
  }
  return probBest.map((p, i) => {
    let others = 0; // Σ_{j≠i}, summed directly (K ≤ a few hundred) to avoid cancellation
    for (let j = 0; j < k; j++) if (j !== i) others += ratio[j];
    return beta * p + (1 - beta) * p * others;
  });
}
