// Symmetric block-tridiagonal solves by block Cholesky (block LDLᵀ with
// Cholesky-factored pivots): O(M·N³) time, O(M·N²) memory. Used for the Newton
// steps of the discretised action, whose Hessian has this structure.

/**
 * Workspace for a system with `blocks` diagonal blocks of size n×n.
 * factor() overwrites its own copies, never the caller's arrays.
 */
export class BlockTridiagonal {
  /** Cholesky factors of the Schur complements, row-major lower triangles. */
  private readonly chol: Float64Array;
  private readonly tmp: Float64Array;
  private readonly col: Float64Array;
  private readonly w: Float64Array;
  private readonly gram: Float64Array;
  private upper: Float64Array = new Float64Array(0);

  constructor(
    readonly blocks: number,
    readonly n: number,
  ) {
    this.chol = new Float64Array(blocks * n * n);
    this.tmp = new Float64Array(n * n);
    this.col = new Float64Array(n);
    this.w = new Float64Array(n * n);
    this.gram = new Float64Array(n * n);
  }

  /**
   * Factors the matrix with diagonal blocks `diag` (+ shift·I) and upper blocks
   * `upper`. Returns false if it is not positive definite (a pivot ≤ 0).
   */
  factor(diag: Float64Array, upper: Float64Array, shift = 0): boolean {
    const { n, blocks, chol, tmp } = this;
    const nn = n * n;
    this.upper = upper;
    for (let j = 0; j < blocks; j++) {
      // S_j = D_j + shift·I − U_{j−1}ᵀ S_{j−1}⁻¹ U_{j−1}.
      for (let a = 0; a < nn; a++) tmp[a] = diag[j * nn + a];
      for (let a = 0; a < n; a++) tmp[a * n + a] += shift;
      if (j > 0) {
        // W = L_{j−1}⁻¹ U_{j−1} by rows (forward substitution on whole rows), then S_j −= WᵀW.
        const w = this.w;
        const lo = (j - 1) * nn;
        for (let r = 0; r < n; r++) {
          const row = r * n;
          for (let c = 0; c < n; c++) w[row + c] = upper[lo + row + c];
          subtractCombination(w, row, chol, lo + row, w, r, n);
          const d = chol[lo + row + r];
          for (let c = 0; c < n; c++) w[row + c] /= d;
        }
        symmetricRankUpdate(w, n, this.gram, tmp);
      }
      if (!cholesky(tmp, n, chol, j * nn)) return false;
    }
    return true;
  }

  /**
   * After a successful factor(): the largest ‖L_j⁻¹‖_F² over the pivots
   * S_j = L_j L_jᵀ, which bounds 1/λ_min(S_j) from above.
   */
  largestPivotInverse(): number {
    const { n, blocks, chol, tmp } = this;
    const nn = n * n;
    let largest = 0;
    for (let j = 0; j < blocks; j++) largest = Math.max(largest, invertLower(chol.subarray(j * nn, (j + 1) * nn), n, tmp));
    return largest;
  }

  /** Solves the factored system for rhs in place (length blocks·n). */
  solve(rhs: Float64Array): void {
    const { n, blocks, chol, col } = this;
    const nn = n * n;
    const upper = this.upper;
    // Forward: L_j y_j = r_j − U_{j−1}ᵀ L_{j−1}⁻ᵀ y_{j−1}; y overwrites rhs.
    for (let j = 0; j < blocks; j++) {
      if (j > 0) {
        // z = L_{j−1}⁻ᵀ y_{j−1} (in col), then r_j −= U_{j−1}ᵀ z.
        for (let r = n - 1; r >= 0; r--) {
          let s = rhs[(j - 1) * n + r];
          for (let q = r + 1; q < n; q++) s -= chol[(j - 1) * nn + q * n + r] * col[q];
          col[r] = s / chol[(j - 1) * nn + r * n + r];
        }
        // Undo the back-substitution into y for the next step: keep z separately.
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let r = 0; r < n; r++) s += upper[(j - 1) * nn + r * n + c] * col[r];
          rhs[j * n + c] -= s;
        }
      }
      forwardSubstitute(chol, j * nn, rhs, j * n, n);
    }
    // Backward: L_jᵀ x_j = y_j − L_j⁻¹ U_j x_{j+1}.
    for (let j = blocks - 1; j >= 0; j--) {
      if (j < blocks - 1) {
        // y_j −= L_j⁻¹ U_j x_{j+1}.
        for (let r = 0; r < n; r++) {
          let s = 0;
          for (let c = 0; c < n; c++) s += upper[j * nn + r * n + c] * rhs[(j + 1) * n + c];
          col[r] = s;
        }
        forwardSubstitute(chol, j * nn, col, 0, n);
        for (let r = 0; r < n; r++) rhs[j * n + r] -= col[r];
      }
      backSubstitute(chol, j * nn, rhs, j * n, n);
    }
  }
}

/**
 * out[o…o+n) −= Σ_{q<count} coef[c0+q]·(row q of the row-major n-column matrix m).
 * Four rows per pass: one load and store of out per four multiply–adds (the loop is
 * bound by memory traffic, not arithmetic).
 */
function subtractCombination(out: Float64Array, o: number, coef: Float64Array, c0: number, m: Float64Array, count: number, n: number): void {
  let q = 0;
  for (; q + 4 <= count; q += 4) {
    const a = coef[c0 + q];
    const b = coef[c0 + q + 1];
    const c = coef[c0 + q + 2];
    const d = coef[c0 + q + 3];
    if (a === 0 && b === 0 && c === 0 && d === 0) continue;
    const ra = q * n;
    const rb = ra + n;
    const rc = rb + n;
    const rd = rc + n;
    for (let k = 0; k < n; k++) out[o + k] -= a * m[ra + k] + b * m[rb + k] + c * m[rc + k] + d * m[rd + k];
  }
  for (; q < count; q++) {
    const a = coef[c0 + q];
    if (a === 0) continue;
    const ra = q * n;
    for (let k = 0; k < n; k++) out[o + k] -= a * m[ra + k];
  }
}

/** s −= WᵀW for the n×n row-major W (g: n×n scratch); the upper triangle is accumulated, four rows of W per pass, and mirrored. */
function symmetricRankUpdate(w: Float64Array, n: number, g: Float64Array, s: Float64Array): void {
  g.fill(0);
  let q = 0;
  for (; q + 4 <= n; q += 4) {
    const ra = q * n;
    const rb = ra + n;
    const rc = rb + n;
    const rd = rc + n;
    for (let r = 0; r < n; r++) {
      const a = w[ra + r];
      const b = w[rb + r];
      const c = w[rc + r];
      const d = w[rd + r];
      if (a === 0 && b === 0 && c === 0 && d === 0) continue;
      const row = r * n;
      for (let k = r; k < n; k++) g[row + k] += a * w[ra + k] + b * w[rb + k] + c * w[rc + k] + d * w[rd + k];
    }
  }
  for (; q < n; q++) {
    const ra = q * n;
    for (let r = 0; r < n; r++) {
      const a = w[ra + r];
      if (a === 0) continue;
      const row = r * n;
      for (let k = r; k < n; k++) g[row + k] += a * w[ra + k];
    }
  }
  for (let r = 0; r < n; r++) {
    for (let c = r; c < n; c++) {
      s[r * n + c] -= g[r * n + c];
      if (c !== r) s[c * n + r] -= g[r * n + c];
    }
  }
}

/** Cholesky of the n×n matrix a into out[offset…] (lower triangle, upper zeroed). False if not positive definite. */
export function cholesky(a: Float64Array, n: number, out: Float64Array, offset: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= out[offset + j * n + k] ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    out[offset + j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= out[offset + i * n + k] * out[offset + j * n + k];
      out[offset + i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) out[offset + j * n + k] = 0;
  }
  return true;
}

/** out = L⁻¹ (lower triangular); returns ‖L⁻¹‖_F², which bounds ‖S⁻¹‖₂ = 1/λ_min(S) for S = LLᵀ. */
export function invertLower(l: Float64Array, n: number, out: Float64Array): number {
  out.fill(0);
  let frobenius = 0;
  for (let c = 0; c < n; c++) {
    for (let r = c; r < n; r++) {
      let s = r === c ? 1 : 0;
      for (let k = c; k < r; k++) s -= l[r * n + k] * out[k * n + c];
      const v = s / l[r * n + r];
      out[r * n + c] = v;
      frobenius += v * v;
    }
  }
  return frobenius;
}

function forwardSubstitute(l: Float64Array, lo: number, b: Float64Array, bo: number, n: number): void {
  for (let r = 0; r < n; r++) {
    let s = b[bo + r];
    for (let q = 0; q < r; q++) s -= l[lo + r * n + q] * b[bo + q];
    b[bo + r] = s / l[lo + r * n + r];
  }
}

function backSubstitute(l: Float64Array, lo: number, b: Float64Array, bo: number, n: number): void {
  for (let r = n - 1; r >= 0; r--) {
    let s = b[bo + r];
    for (let q = r + 1; q < n; q++) s -= l[lo + q * n + r] * b[bo + q];
    b[bo + r] = s / l[lo + r * n + r];
  }
}
