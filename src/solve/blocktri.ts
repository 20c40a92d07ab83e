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
        // W = L_{j−1}⁻¹ U_{j−1} by rows (forward substitution on whole rows), then subtract WᵀW.
        const w = this.w;
        const lo = (j - 1) * nn;
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < n; c++) w[r * n + c] = upper[lo + r * n + c];
          for (let q = 0; q < r; q++) {
            const l = chol[lo + r * n + q];
            if (l === 0) continue;
            for (let c = 0; c < n; c++) w[r * n + c] -= l * w[q * n + c];
          }
          const d = chol[lo + r * n + r];
          for (let c = 0; c < n; c++) w[r * n + c] /= d;
        }
        // WᵀW row by row of W, one triangle (it is symmetric), subtracted from both.
        const g = this.gram;
        g.fill(0);
        for (let q = 0; q < n; q++) {
          for (let r = 0; r < n; r++) {
            const wr = w[q * n + r];
            if (wr === 0) continue;
            for (let c = r; c < n; c++) g[r * n + c] += wr * w[q * n + c];
          }
        }
        for (let r = 0; r < n; r++) {
          for (let c = r; c < n; c++) {
            tmp[r * n + c] -= g[r * n + c];
            if (c !== r) tmp[c * n + r] -= g[r * n + c];
          }
        }
      }
      if (!cholesky(tmp, n, chol, j * nn)) return false;
    }
    return true;
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
