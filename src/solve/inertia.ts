// The inertia of a symmetric block-tridiagonal matrix (the Hessian of the
// discrete action): by Sylvester's law of inertia, the number of negative
// eigenvalues equals that of the pivots of its block LDLᵀ factorisation,
// S₀ = D₀, Sⱼ = Dⱼ − Uⱼ₋₁ᵀ Sⱼ₋₁⁻¹ Uⱼ₋₁. A stationary path is a strict local
// minimum of the discrete action iff there are none (and no zero pivot); the
// count is its Morse index.

import { BlockTridiagonal, cholesky, invertLower } from './blocktri.ts';
import { symmetricEigen } from './dense.ts';

export interface Inertia {
  /** Negative eigenvalues of the matrix (the Morse index of the stationary path). */
  readonly negative: number;
  /** A pivot eigenvalue was within `tolerance` (relative) of 0: the matrix is (nearly) singular. */
  readonly degenerate: boolean;
}

/**
 * Inertia of the matrix with diagonal blocks `diag` and upper blocks `upper`
 * (row-major n×n blocks, `blocks` of them, as BlockTridiagonal takes them).
 * A positive definite matrix is settled by one block Cholesky factorisation.
 * Otherwise, pivot by pivot: a pivot is first tried by Cholesky: when that succeeds and its smallest
 * eigenvalue is provably away from 0 (λ_min ≥ 1/‖L⁻¹‖_F²), it has no negative
 * eigenvalue and the next pivot follows from W = L⁻¹U as D − WᵀW, all O(n³).
 * Otherwise its eigenvalues are computed (Jacobi), which costs several times more.
 * `whole`: a solver of the matrix's size to factor in (its factors are overwritten).
 */
export function blockInertia(diag: Float64Array, upper: Float64Array, blocks: number, n: number, whole = new BlockTridiagonal(blocks, n), tolerance = 1e-10): Inertia {
  const nn = n * n;
  let negative = 0;
  // The largest diagonal entry sets the scale against which a pivot counts as zero.
  let scale = 0;
  for (let i = 0; i < diag.length; i++) scale = Math.max(scale, Math.abs(diag[i]));
  // Every minimum: the whole matrix factors by the block Cholesky of blocktri.ts (its
  // loops several times faster than the pivot-by-pivot ones below) with every pivot
  // away from 0 by the same test.
  if (whole.factor(diag, upper) && whole.largestPivotInverse() * tolerance * scale < 1) return { negative: 0, degenerate: false };
  const S = new Float64Array(nn);
  const L = new Float64Array(nn);
  const Linv = new Float64Array(nn);
  const Y = new Float64Array(nn);
  const correction = new Float64Array(nn); // U_{j−1}ᵀ S_{j−1}⁻¹ U_{j−1}
  for (let j = 0; j < blocks; j++) {
    for (let a = 0; a < nn; a++) S[a] = diag[j * nn + a] - (j > 0 ? correction[a] : 0);
    // Symmetrise against rounding.
    for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) S[r * n + c] = S[c * n + r] = 0.5 * (S[r * n + c] + S[c * n + r]);
    const last = j + 1 === blocks;
    const U = last ? undefined : upper.subarray(j * nn, (j + 1) * nn);
    if (cholesky(S, n, L, 0) && invertLower(L, n, Linv) * tolerance * scale < 1) {
      // Y = L⁻¹U, correction = YᵀY.
      if (U) {
        multiplyLower(Linv, U, n, Y);
        gram(Y, n, () => 1, correction);
      }
      continue;
    }
    const { values, vectors } = symmetricEigen(S, n);
    for (const v of values) {
      if (Math.abs(v) <= tolerance * scale) return { negative, degenerate: true };
      if (v < 0) negative++;
    }
    if (U) {
      // Y = VᵀU, correction = Yᵀ diag(1/λ) Y.
      for (let k = 0; k < n; k++) {
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let r = 0; r < n; r++) s += vectors[r * n + k] * U[r * n + c];
          Y[k * n + c] = s;
        }
      }
      gram(Y, n, (k) => 1 / values[k], correction);
    }
  }
  return { negative, degenerate: false };
}

export interface Certificate {
  readonly stationary: 'minimum' | 'saddle' | 'degenerate';
  /** Negative directions (for a saddle found before a zero pivot, a lower bound). */
  readonly morseIndex: number;
}

/**
 * The second-order certificate of a stationary path from its Hessian's inertia:
 * a saddle on any negative pivot (negative pivots before a zero one already prove
 * a negative eigenvalue, one of a leading principal submatrix; morseIndex is then
 * a lower bound), degenerate on a zero one, else a minimum.
 */
export function certify(diag: Float64Array, upper: Float64Array, blocks: number, n: number, solver = new BlockTridiagonal(blocks, n)): Certificate {
  const { negative, degenerate } = blockInertia(diag, upper, blocks, n, solver);
  return { stationary: negative > 0 ? 'saddle' : degenerate ? 'degenerate' : 'minimum', morseIndex: negative };
}

/**
 * A saddle that the solver could not leave, checked: it stays a saddle only when
 * its lowest eigenvalue is negative clear of rounding (below −`tolerance` of the
 * largest diagonal entry), else it is degenerate. Negative pivots count negative
 * eigenvalues but do not say how negative: along a long path between fixed points
 * the timing is a soft mode whose eigenvalue can land at −1e-12 of the scale, along
 * which no step lowers the action.
 */
export function confirmSaddle(saddle: Certificate, diag: Float64Array, upper: Float64Array, blocks: number, n: number, solver = new BlockTridiagonal(blocks, n), tolerance = 1e-10): Certificate {
  let scale = 0;
  for (let i = 0; i < diag.length; i++) scale = Math.max(scale, Math.abs(diag[i]));
  const lowest = lowestEigenvector(diag, upper, blocks, n, solver);
  return lowest && lowest.value < -tolerance * scale ? saddle : { stationary: 'degenerate', morseIndex: 0 };
}

/** y = L·u for lower-triangular L (row-major n×n). */
function multiplyLower(l: Float64Array, u: Float64Array, n: number, y: Float64Array): void {
  y.fill(0);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k <= r; k++) {
      const lrk = l[r * n + k];
      if (lrk === 0) continue;
      for (let c = 0; c < n; c++) y[r * n + c] += lrk * u[k * n + c];
    }
  }
}

/** out = Σ_k weight(k) (row k of Y)ᵀ(row k of Y) = Yᵀ diag(weight) Y, symmetric. */
function gram(y: Float64Array, n: number, weight: (k: number) => number, out: Float64Array): void {
  out.fill(0);
  for (let k = 0; k < n; k++) {
    const wk = weight(k);
    for (let r = 0; r < n; r++) {
      const yr = y[k * n + r] * wk;
      if (yr === 0) continue;
      for (let c = r; c < n; c++) out[r * n + c] += yr * y[k * n + c];
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) out[r * n + c] = out[c * n + r];
}

/**
 * A unit eigenvector of the lowest eigenvalue of the block-tridiagonal matrix,
 * when that eigenvalue is negative (the direction out of a saddle); undefined
 * when the matrix is positive definite. The shift μ that just makes H + μI
 * positive definite is bracketed by bisection on the success of its block
 * Cholesky, then inverse iteration with H + μI converges to the eigenvector
 * fast because μ is close to −λ_min. `solver`: one of the matrix's size to factor in.
 */
export function lowestEigenvector(
  diag: Float64Array,
  upper: Float64Array,
  blocks: number,
  n: number,
  solver = new BlockTridiagonal(blocks, n),
): { value: number; vector: Float64Array } | undefined {
  if (solver.factor(diag, upper, 0)) return undefined;
  // Gershgorin: μ = max row sum makes H + μI positive definite.
  let hi = 0;
  for (let i = 0; i < diag.length; i++) hi += Math.abs(diag[i]);
  for (let i = 0; i < upper.length; i++) hi += 2 * Math.abs(upper[i]);
  let lo = 0;
  for (let k = 0; k < 60 && hi - lo > 1e-6 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (solver.factor(diag, upper, mid)) hi = mid;
    else lo = mid;
  }
  // A shift a little past the bracket keeps the factorisation well conditioned.
  const shift = hi + 1e-6 * hi;
  solver.factor(diag, upper, shift);
  const size = blocks * n;
  const v = new Float64Array(size);
  // A start with components along every eigenvector (deterministic, not symmetric).
  for (let i = 0; i < size; i++) v[i] = 1 + ((i * 7919) % 13) / 13;
  normalise(v);
  for (let it = 0; it < 30; it++) {
    solver.solve(v);
    normalise(v);
  }
  return { value: rayleigh(diag, upper, blocks, n, v), vector: v };
}

function normalise(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const r = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= r;
}

/** vᵀHv for the block-tridiagonal H. */
function rayleigh(diag: Float64Array, upper: Float64Array, blocks: number, n: number, v: Float64Array): number {
  const nn = n * n;
  let s = 0;
  for (let j = 0; j < blocks; j++) {
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        s += v[j * n + r] * diag[j * nn + r * n + c] * v[j * n + c];
        if (j + 1 < blocks) s += 2 * v[j * n + r] * upper[j * nn + r * n + c] * v[(j + 1) * n + c];
      }
    }
  }
  return s;
}
