// Band matrices: the Jacobian of multiple shooting is block bidiagonal (each
// segment's transition matrix and −I), nonzero only within a few N of the
// diagonal, so its Newton and Levenberg–Marquardt systems are solved in
// O(size · N²) instead of O(size³): 100 segments of a 2D path are then as cheap
// as 10, and a 256-unit network's four cost a third of the dense solve.

/**
 * A size×size matrix zero outside `lower` diagonals below and `upper` above the main one,
 * stored by rows: entry (i, j) at i·(lower + upper + 1) + j − i + lower.
 */
export interface BandLayout {
  readonly size: number;
  readonly lower: number;
  readonly upper: number;
}

export function bandStorage(layout: BandLayout): Float64Array {
  return new Float64Array(layout.size * (layout.lower + layout.upper + 1));
}

export function bandIndex(layout: BandLayout, i: number, j: number): number {
  return i * (layout.lower + layout.upper + 1) + j - i + layout.lower;
}

/**
 * Solves A y = b for the band matrix A (not modified) by Gaussian elimination with
 * partial pivoting, the same operations as solveDense restricted to the band (so the
 * same result); undefined if a pivot is below 1e-14 of A's largest entry.
 */
export function solveBanded(layout: BandLayout, A: Float64Array, b: ArrayLike<number>): Float64Array | undefined {
  const { size: n, lower: kl, upper: ku } = layout;
  const stored = kl + ku + 1;
  // Row pivoting lets U reach kl + ku diagonals above the main one.
  const width = 2 * kl + ku + 1;
  const a = new Float64Array(n * width);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < stored; d++) {
      const v = A[i * stored + d];
      a[i * width + d] = v;
      scale = Math.max(scale, Math.abs(v));
    }
  }
  if (!(scale > 0) || !Number.isFinite(scale)) return undefined;
  const x = Float64Array.from(b);
  // Entry (i, j) of the working copy.
  const at = (i: number, j: number): number => i * width + j - i + kl;
  for (let k = 0; k < n; k++) {
    const lastRow = Math.min(n - 1, k + kl);
    const lastColumn = Math.min(n - 1, k + kl + ku);
    let piv = k;
    for (let i = k + 1; i <= lastRow; i++) if (Math.abs(a[at(i, k)]) > Math.abs(a[at(piv, k)])) piv = i;
    if (!(Math.abs(a[at(piv, k)]) > 1e-14 * scale)) return undefined;
    if (piv !== k) {
      for (let j = k; j <= lastColumn; j++) {
        const t = a[at(k, j)];
        a[at(k, j)] = a[at(piv, j)];
        a[at(piv, j)] = t;
      }
      const t = x[k];
      x[k] = x[piv];
      x[piv] = t;
    }
    const pivot = a[at(k, k)];
    for (let i = k + 1; i <= lastRow; i++) {
      const f = a[at(i, k)] / pivot;
      if (f === 0) continue;
      a[at(i, k)] = 0;
      for (let j = k + 1; j <= lastColumn; j++) a[at(i, j)] -= f * a[at(k, j)];
      x[i] -= f * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k];
    const lastColumn = Math.min(n - 1, k + kl + ku);
    for (let j = k + 1; j <= lastColumn; j++) s -= a[at(k, j)] * x[j];
    x[k] = s / a[at(k, k)];
  }
  return x;
}

/**
 * The Levenberg–Marquardt step of a band matrix J: δ solving
 * (JᵀJ + μ·diag(JᵀJ)) δ = Jᵀr. JᵀJ has lower + upper diagonals on each side and
 * is factored by Cholesky in band form; undefined where it is not numerically
 * positive definite (J rank deficient and μ too small).
 */
export function bandedNormalStep(layout: BandLayout, J: Float64Array, r: ArrayLike<number>, mu: number): Float64Array | undefined {
  const { size: n, lower: kl, upper: ku } = layout;
  const stored = kl + ku + 1;
  const bw = kl + ku;
  // The lower triangle of A = JᵀJ by rows: entry (i, j), i − bw ≤ j ≤ i, at i·(bw + 1) + j − i + bw.
  const w = bw + 1;
  const A = new Float64Array(n * w);
  const g = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const first = Math.max(0, k - kl);
    const last = Math.min(n - 1, k + ku);
    const row = k * stored - k + kl; // + j: entry (k, j) of J
    const rk = r[k];
    for (let i = first; i <= last; i++) {
      const jki = J[row + i];
      if (jki === 0) continue;
      g[i] += jki * rk;
      for (let j = first; j <= i; j++) A[i * w + j - i + bw] += jki * J[row + j];
    }
  }
  for (let i = 0; i < n; i++) A[i * w + bw] *= 1 + mu;
  // Cholesky A = LLᵀ in place, L in the same band.
  for (let j = 0; j < n; j++) {
    const first = Math.max(0, j - bw);
    let d = A[j * w + bw];
    for (let k = first; k < j; k++) {
      const l = A[j * w + k - j + bw];
      d -= l * l;
    }
    if (!(d > 0) || !Number.isFinite(d)) return undefined;
    const ljj = Math.sqrt(d);
    A[j * w + bw] = ljj;
    const lastRow = Math.min(n - 1, j + bw);
    for (let i = j + 1; i <= lastRow; i++) {
      let s = A[i * w + j - i + bw];
      const from = Math.max(first, i - bw);
      for (let k = from; k < j; k++) s -= A[i * w + k - i + bw] * A[j * w + k - j + bw];
      A[i * w + j - i + bw] = s / ljj;
    }
  }
  // L y = g, then Lᵀ δ = y.
  for (let i = 0; i < n; i++) {
    let s = g[i];
    for (let k = Math.max(0, i - bw); k < i; k++) s -= A[i * w + k - i + bw] * g[k];
    g[i] = s / A[i * w + bw];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = g[i];
    const last = Math.min(n - 1, i + bw);
    for (let k = i + 1; k <= last; k++) s -= A[k * w + i - k + bw] * g[k];
    g[i] = s / A[i * w + bw];
  }
  return g;
}
