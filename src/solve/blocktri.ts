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
  private upper: Float64Array = new Float64Array(0);

  constructor(
    readonly blocks: number,
    readonly n: number,
  ) {
    this.chol = new Float64Array(blocks * n * n);
    this.tmp = new Float64Array(n * n);
    this.col = new Float64Array(n);
    this.w = new Float64Array(n * n);
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
        // W = L_{j−1}⁻¹ U_{j−1}, then S_j −= WᵀW.
        const w = this.w;
        const lo = (j - 1) * nn;
        for (let a = 0; a < nn; a++) w[a] = upper[lo + a];
        solveLowerInPlace(chol, lo, w, n, false);
        subtractGram(w, n, tmp);
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
 * b ← L⁻¹b for the lower-triangular n×n L at l[lo…] and the row-major n×n b, by
 * rows: row r of the result is (b_r − Σ_{q<r} L_rq·x_q)/L_rr. Four rows by four
 * columns at a time, the sums over q < r0 in sixteen registers (eight loads per
 * sixteen multiply–adds; row by row it was one load and store per multiply–add),
 * then the triangle inside the four rows. `lowerRhs`: b is lower triangular (so
 * is the result), and its zero tiles are skipped.
 */
function solveLowerInPlace(l: Float64Array, lo: number, b: Float64Array, n: number, lowerRhs: boolean): void {
  for (let r0 = 0; r0 < n; r0 += 4) {
    const rows = Math.min(4, n - r0);
    const lastColumn = lowerRhs ? Math.min(n, r0 + 4) : n;
    let c0 = 0;
    if (rows === 4) {
      const [l0, l1, l2, l3] = [lo + r0 * n, lo + (r0 + 1) * n, lo + (r0 + 2) * n, lo + (r0 + 3) * n];
      const [b0, b1, b2, b3] = [r0 * n, (r0 + 1) * n, (r0 + 2) * n, (r0 + 3) * n];
      for (; c0 + 4 <= lastColumn; c0 += 4) {
        let s00 = b[b0 + c0], s01 = b[b0 + c0 + 1], s02 = b[b0 + c0 + 2], s03 = b[b0 + c0 + 3];
        let s10 = b[b1 + c0], s11 = b[b1 + c0 + 1], s12 = b[b1 + c0 + 2], s13 = b[b1 + c0 + 3];
        let s20 = b[b2 + c0], s21 = b[b2 + c0 + 1], s22 = b[b2 + c0 + 2], s23 = b[b2 + c0 + 3];
        let s30 = b[b3 + c0], s31 = b[b3 + c0 + 1], s32 = b[b3 + c0 + 2], s33 = b[b3 + c0 + 3];
        // Rows q < c0 of a lower-triangular result are zero in these columns.
        for (let q = lowerRhs ? c0 : 0; q < r0; q++) {
          const a0 = l[l0 + q], a1 = l[l1 + q], a2 = l[l2 + q], a3 = l[l3 + q];
          if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
          const x = q * n + c0;
          const x0 = b[x], x1 = b[x + 1], x2 = b[x + 2], x3 = b[x + 3];
          s00 -= a0 * x0; s01 -= a0 * x1; s02 -= a0 * x2; s03 -= a0 * x3;
          s10 -= a1 * x0; s11 -= a1 * x1; s12 -= a1 * x2; s13 -= a1 * x3;
          s20 -= a2 * x0; s21 -= a2 * x1; s22 -= a2 * x2; s23 -= a2 * x3;
          s30 -= a3 * x0; s31 -= a3 * x1; s32 -= a3 * x2; s33 -= a3 * x3;
        }
        b[b0 + c0] = s00; b[b0 + c0 + 1] = s01; b[b0 + c0 + 2] = s02; b[b0 + c0 + 3] = s03;
        b[b1 + c0] = s10; b[b1 + c0 + 1] = s11; b[b1 + c0 + 2] = s12; b[b1 + c0 + 3] = s13;
        b[b2 + c0] = s20; b[b2 + c0 + 1] = s21; b[b2 + c0 + 2] = s22; b[b2 + c0 + 3] = s23;
        b[b3 + c0] = s30; b[b3 + c0 + 1] = s31; b[b3 + c0 + 2] = s32; b[b3 + c0 + 3] = s33;
      }
    }
    // Columns left over (and every column of a last block of fewer than four rows).
    for (let r = r0; r < r0 + rows; r++) {
      for (let q = 0; q < r0; q++) {
        const a = l[lo + r * n + q];
        if (a === 0) continue;
        for (let c = c0; c < lastColumn; c++) b[r * n + c] -= a * b[q * n + c];
      }
    }
    // The triangle inside the four rows.
    for (let r = r0; r < r0 + rows; r++) {
      for (let q = r0; q < r; q++) {
        const a = l[lo + r * n + q];
        if (a === 0) continue;
        for (let c = 0; c < lastColumn; c++) b[r * n + c] -= a * b[q * n + c];
      }
      const d = l[lo + r * n + r];
      for (let c = 0; c < lastColumn; c++) b[r * n + c] /= d;
    }
  }
}

/**
 * s −= WᵀW for the n×n row-major W: (WᵀW)_rk = Σ_q W_qr·W_qk in four-by-four
 * tiles on and above the diagonal, sixteen sums in registers, each mirrored below.
 * A tile on the diagonal computes both of its triangles, in the same order, so it
 * stays exactly symmetric.
 */
function subtractGram(w: Float64Array, n: number, s: Float64Array): void {
  const tiled = n - (n % 4);
  for (let r0 = 0; r0 < tiled; r0 += 4) {
    for (let k0 = r0; k0 < tiled; k0 += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let q = 0; q < n; q++) {
        const row = q * n;
        const a0 = w[row + r0], a1 = w[row + r0 + 1], a2 = w[row + r0 + 2], a3 = w[row + r0 + 3];
        if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
        const x0 = w[row + k0], x1 = w[row + k0 + 1], x2 = w[row + k0 + 2], x3 = w[row + k0 + 3];
        s00 += a0 * x0; s01 += a0 * x1; s02 += a0 * x2; s03 += a0 * x3;
        s10 += a1 * x0; s11 += a1 * x1; s12 += a1 * x2; s13 += a1 * x3;
        s20 += a2 * x0; s21 += a2 * x1; s22 += a2 * x2; s23 += a2 * x3;
        s30 += a3 * x0; s31 += a3 * x1; s32 += a3 * x2; s33 += a3 * x3;
      }
      const t0 = r0 * n + k0;
      const [t1, t2, t3] = [t0 + n, t0 + 2 * n, t0 + 3 * n];
      s[t0] -= s00; s[t0 + 1] -= s01; s[t0 + 2] -= s02; s[t0 + 3] -= s03;
      s[t1] -= s10; s[t1 + 1] -= s11; s[t1 + 2] -= s12; s[t1 + 3] -= s13;
      s[t2] -= s20; s[t2 + 1] -= s21; s[t2 + 2] -= s22; s[t2 + 3] -= s23;
      s[t3] -= s30; s[t3 + 1] -= s31; s[t3 + 2] -= s32; s[t3 + 3] -= s33;
      if (k0 !== r0) {
        // The mirror tile below the diagonal: s[(k0 + c)·n + r0 + i] −= s_ic.
        const m0 = k0 * n + r0;
        const [m1, m2, m3] = [m0 + n, m0 + 2 * n, m0 + 3 * n];
        s[m0] -= s00; s[m0 + 1] -= s10; s[m0 + 2] -= s20; s[m0 + 3] -= s30;
        s[m1] -= s01; s[m1 + 1] -= s11; s[m1 + 2] -= s21; s[m1 + 3] -= s31;
        s[m2] -= s02; s[m2 + 1] -= s12; s[m2 + 2] -= s22; s[m2 + 3] -= s32;
        s[m3] -= s03; s[m3 + 1] -= s13; s[m3 + 2] -= s23; s[m3 + 3] -= s33;
      }
    }
  }
  // Rows and columns past the last full tile, one sum at a time.
  for (let r = 0; r < n; r++) {
    for (let k = Math.max(r, tiled); k < n; k++) {
      let sum = 0;
      for (let q = 0; q < n; q++) sum += w[q * n + r] * w[q * n + k];
      s[r * n + k] -= sum;
      if (k !== r) s[k * n + r] -= sum;
    }
  }
}

/**
 * Cholesky of the n×n matrix a into out[offset…] (lower triangle, upper zeroed). False if not
 * positive definite. By panels of four columns: the sums over the columns left of a panel in
 * four-by-four tiles (sixteen in registers), then the panel itself column by column. Each
 * entry subtracts its products in column order, as the unblocked algorithm does.
 */
export function cholesky(a: Float64Array, n: number, out: Float64Array, offset: number): boolean {
  for (let j0 = 0; j0 < n; j0 += 4) {
    const cols = Math.min(4, n - j0);
    // out[i, j0…j0+cols) = a[i, ·] − Σ_{k<j0} L_ik·L_jk for the rows i ≥ j0.
    let i0 = j0;
    if (cols === 4) {
      const [c0, c1, c2, c3] = [offset + j0 * n, offset + (j0 + 1) * n, offset + (j0 + 2) * n, offset + (j0 + 3) * n];
      for (; i0 + 4 <= n; i0 += 4) {
        const [r0, r1, r2, r3] = [i0 * n, (i0 + 1) * n, (i0 + 2) * n, (i0 + 3) * n];
        let s00 = a[r0 + j0], s01 = a[r0 + j0 + 1], s02 = a[r0 + j0 + 2], s03 = a[r0 + j0 + 3];
        let s10 = a[r1 + j0], s11 = a[r1 + j0 + 1], s12 = a[r1 + j0 + 2], s13 = a[r1 + j0 + 3];
        let s20 = a[r2 + j0], s21 = a[r2 + j0 + 1], s22 = a[r2 + j0 + 2], s23 = a[r2 + j0 + 3];
        let s30 = a[r3 + j0], s31 = a[r3 + j0 + 1], s32 = a[r3 + j0 + 2], s33 = a[r3 + j0 + 3];
        for (let k = 0; k < j0; k++) {
          const l0 = out[offset + r0 + k], l1 = out[offset + r1 + k], l2 = out[offset + r2 + k], l3 = out[offset + r3 + k];
          const m0 = out[c0 + k], m1 = out[c1 + k], m2 = out[c2 + k], m3 = out[c3 + k];
          s00 -= l0 * m0; s01 -= l0 * m1; s02 -= l0 * m2; s03 -= l0 * m3;
          s10 -= l1 * m0; s11 -= l1 * m1; s12 -= l1 * m2; s13 -= l1 * m3;
          s20 -= l2 * m0; s21 -= l2 * m1; s22 -= l2 * m2; s23 -= l2 * m3;
          s30 -= l3 * m0; s31 -= l3 * m1; s32 -= l3 * m2; s33 -= l3 * m3;
        }
        const [o0, o1, o2, o3] = [offset + r0 + j0, offset + r1 + j0, offset + r2 + j0, offset + r3 + j0];
        out[o0] = s00; out[o0 + 1] = s01; out[o0 + 2] = s02; out[o0 + 3] = s03;
        out[o1] = s10; out[o1 + 1] = s11; out[o1 + 2] = s12; out[o1 + 3] = s13;
        out[o2] = s20; out[o2 + 1] = s21; out[o2 + 2] = s22; out[o2 + 3] = s23;
        out[o3] = s30; out[o3 + 1] = s31; out[o3 + 2] = s32; out[o3 + 3] = s33;
      }
    }
    // Rows left over (and every row of a last panel narrower than four columns).
    for (let i = i0; i < n; i++) {
      for (let c = j0; c < j0 + cols; c++) {
        let s = a[i * n + c];
        for (let k = 0; k < j0; k++) s -= out[offset + i * n + k] * out[offset + c * n + k];
        out[offset + i * n + c] = s;
      }
    }
    // The panel: its columns in order, each finishing its sums over the columns before it in the panel.
    for (let j = j0; j < j0 + cols; j++) {
      let d = out[offset + j * n + j];
      for (let k = j0; k < j; k++) d -= out[offset + j * n + k] ** 2;
      if (!(d > 0)) return false;
      const ljj = Math.sqrt(d);
      out[offset + j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let s = out[offset + i * n + j];
        for (let k = j0; k < j; k++) s -= out[offset + i * n + k] * out[offset + j * n + k];
        out[offset + i * n + j] = s / ljj;
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[offset + i * n + j] = 0;
  return true;
}

/** out = L⁻¹ (lower triangular); returns ‖L⁻¹‖_F², which bounds ‖S⁻¹‖₂ = 1/λ_min(S) for S = LLᵀ. */
export function invertLower(l: Float64Array, n: number, out: Float64Array): number {
  out.fill(0);
  for (let r = 0; r < n; r++) out[r * n + r] = 1;
  solveLowerInPlace(l, 0, out, n, true);
  let frobenius = 0;
  for (let a = 0; a < n * n; a++) frobenius += out[a] * out[a];
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
