// Vose's alias method ("A linear algorithm for generating random numbers with a given
// distribution", IEEE TSE 1991): O(K) to build, O(1) per draw, one uniform per draw.

/** A prepared discrete distribution for O(1) sampling. */
export interface AliasTable {
  /** Probability of keeping column i (otherwise take alias[i]). */
  readonly cutoff: Float64Array;
  readonly alias: Int32Array;
}

/**
 * Builds the alias table of a probability vector (normalised here; zeros stay impossible).
 *
 * @example
 * const table = buildAliasTable([0.5, 0.25, 0.25]);
 */
export function buildAliasTable(probabilities: readonly number[]): AliasTable {
  const k = probabilities.length;
  const cutoff = new Float64Array(k);
  const alias = new Int32Array(k);
  let total = 0;
  for (const p of probabilities) total += p;
  const scaled = probabilities.map((p) => (p * k) / total);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < k; i++) {
    alias[i] = i;
    (scaled[i] < 1 ? small : large).push(i);
  }
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    cutoff[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  // Leftovers are 1 up to rounding.
  for (const i of large) cutoff[i] = 1;
  for (const i of small) cutoff[i] = 1;
  return { cutoff, alias };
}

/**
 * Draws from an alias table with two independent uniforms in [0, 1): one picks the column,
 * the other decides between the column and its alias (two draws keep full 32-bit resolution
 * for the cutoff, so the realised probabilities match the table to ~2⁻³²).
 */
export function sampleAlias(table: AliasTable, columnUniform: number, cutoffUniform: number): number {
  const column = Math.floor(columnUniform * table.cutoff.length);
  return cutoffUniform < table.cutoff[column] ? column : table.alias[column];
}
