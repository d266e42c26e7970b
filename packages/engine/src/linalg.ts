// Small dense linear algebra on row-major Float64Arrays (d ≤ a few hundred), enough for the
// Laplace approximation of the factorial model.

/**
 * In-place Cholesky factorisation A = L Lᵀ of a symmetric positive-definite d × d matrix;
 * the lower triangle of `a` becomes L (the upper triangle is left untouched).
 * Returns false if the matrix is not positive definite.
 */
export function choleskyInPlace(a: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j];
    for (let k = 0; k < j; k++) diag -= a[j * d + k] * a[j * d + k];
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (b becomes x), L from {@link choleskyInPlace}. */
export function choleskySolveInPlace(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * b[k];
    b[i] = s / l[i * d + i];
  }
  upperSolveInPlace(l, d, b);
}

/** Solves Lᵀ x = b in place: with b ~ N(0, I), x ~ N(0, (L Lᵀ)⁻¹). */
export function upperSolveInPlace(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
    b[i] = s / l[i * d + i];
  }
}

/** Lᵀ as a row-major upper-triangular matrix (contiguous rows for repeated back-substitution). */
export function transposedLower(l: Float64Array, d: number): Float64Array {
  const u = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k <= i; k++) u[k * d + i] = l[i * d + k];
  return u;
}

/** log det(L Lᵀ) = 2 Σ log L_ii. */
export function choleskyLogDet(l: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]);
  return 2 * s;
}
