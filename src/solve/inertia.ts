// The inertia of a symmetric block-tridiagonal matrix (the Hessian of the
// discrete action): by Sylvester's law of inertia, the number of negative
// eigenvalues equals that of the pivots of its block LDLᵀ factorisation,
// S₀ = D₀, Sⱼ = Dⱼ − Uⱼ₋₁ᵀ Sⱼ₋₁⁻¹ Uⱼ₋₁. A stationary path is a strict local
// minimum of the discrete action iff there are none (and no zero pivot); the
// count is its Morse index.

import { BlockTridiagonal } from './blocktri.ts';
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
 */
export function blockInertia(diag: Float64Array, upper: Float64Array, blocks: number, n: number, tolerance = 1e-10): Inertia {
  const nn = n * n;
  let negative = 0;
  let degenerate = false;
  // The largest diagonal entry sets the scale against which a pivot counts as zero.
  let scale = 0;
  for (let i = 0; i < diag.length; i++) scale = Math.max(scale, Math.abs(diag[i]));
  let previousInverse: Float64Array | undefined;
  const S = new Float64Array(nn);
  for (let j = 0; j < blocks; j++) {
    S.set(diag.subarray(j * nn, (j + 1) * nn));
    if (previousInverse) {
      // S −= Uᵀ P U with P = S_{j−1}⁻¹ and U = upper block j − 1.
      const U = upper.subarray((j - 1) * nn, j * nn);
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let a = 0; a < n; a++) {
            const uar = U[a * n + r];
            if (uar === 0) continue;
            for (let b = 0; b < n; b++) s += uar * previousInverse[a * n + b] * U[b * n + c];
          }
          S[r * n + c] -= s;
        }
      }
    }
    // Symmetrise against rounding, then the eigen-decomposition of the pivot.
    for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) S[r * n + c] = S[c * n + r] = 0.5 * (S[r * n + c] + S[c * n + r]);
    const { values, vectors } = symmetricEigen(S, n);
    for (const v of values) {
      if (Math.abs(v) <= tolerance * scale) degenerate = true;
      else if (v < 0) negative++;
    }
    if (degenerate) return { negative, degenerate };
    // S⁻¹ = V diag(1/λ) Vᵀ.
    previousInverse = new Float64Array(nn);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (vectors[r * n + k] * vectors[c * n + k]) / values[k];
        previousInverse[r * n + c] = s;
      }
    }
  }
  return { negative, degenerate };
}

/**
 * A unit eigenvector of the lowest eigenvalue of the block-tridiagonal matrix,
 * when that eigenvalue is negative (the direction out of a saddle); undefined
 * when the matrix is positive definite. The shift μ that just makes H + μI
 * positive definite is bracketed by bisection on the success of its block
 * Cholesky, then inverse iteration with H + μI converges to the eigenvector
 * fast because μ is close to −λ_min.
 */
export function lowestEigenvector(diag: Float64Array, upper: Float64Array, blocks: number, n: number): { value: number; vector: Float64Array } | undefined {
  const solver = new BlockTridiagonal(blocks, n);
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
