// The block-tridiagonal Cholesky solver (src/solve/blocktri.ts) against a dense
// Gaussian elimination of the same matrix: random symmetric positive definite
// systems of every block size the solvers meet, indefinite matrices (rejected by
// factor()), and the Levenberg–Marquardt shift.
import { describe, expect, it } from 'vitest';
import { BlockTridiagonal, cholesky, invertLower } from '../../src/solve/blocktri.ts';
import { Rng } from '../../src/random/rng.ts';

interface System {
  readonly n: number;
  readonly blocks: number;
  readonly diag: Float64Array;
  readonly upper: Float64Array;
}

/**
 * A = BᵀB + ½I with B block lower bidiagonal (random blocks): symmetric positive
 * definite, block tridiagonal, and not diagonally dominant in general.
 */
function randomSpd(rng: Rng, n: number, blocks: number): System {
  const nn = n * n;
  const Bd = Array.from({ length: blocks }, () => Float64Array.from({ length: nn }, () => rng.between(-1, 1)));
  const Bl = Array.from({ length: blocks }, () => Float64Array.from({ length: nn }, () => rng.between(-1, 1)));
  // Row block j of B: Bl[j] in column j−1, Bd[j] in column j.
  // (BᵀB)_{jj} = Bd[j]ᵀBd[j] + Bl[j+1]ᵀBl[j+1]; (BᵀB)_{j,j+1} = Bd[j]ᵀ·0 + Bl[j+1]ᵀBd[j+1].
  const diag = new Float64Array(blocks * nn);
  const upper = new Float64Array(Math.max(blocks - 1, 0) * nn);
  const tmm = (a: Float64Array, b: Float64Array, out: Float64Array, off: number): void => {
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += a[q * n + r] * b[q * n + c];
      out[off + r * n + c] += s;
    }
  };
  for (let j = 0; j < blocks; j++) {
    tmm(Bd[j], Bd[j], diag, j * nn);
    if (j + 1 < blocks) {
      tmm(Bl[j + 1], Bl[j + 1], diag, j * nn);
      tmm(Bl[j + 1], Bd[j + 1], upper, j * nn);
    }
    for (let i = 0; i < n; i++) diag[j * nn + i * n + i] += 0.5;
  }
  return { n, blocks, diag, upper };
}

/** The full matrix (row-major), plus shift·I. */
function dense(sys: System, shift = 0): Float64Array {
  const { n, blocks, diag, upper } = sys;
  const dim = n * blocks;
  const nn = n * n;
  const A = new Float64Array(dim * dim);
  for (let j = 0; j < blocks; j++) {
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      A[(j * n + r) * dim + j * n + c] = diag[j * nn + r * n + c] + (r === c ? shift : 0);
      if (j + 1 < blocks) {
        const u = upper[j * nn + r * n + c];
        A[(j * n + r) * dim + (j + 1) * n + c] = u;
        A[((j + 1) * n + c) * dim + j * n + r] = u;
      }
    }
  }
  return A;
}

/** Gaussian elimination with partial pivoting (written here, independent of src). */
function gaussSolve(A0: Float64Array, b0: Float64Array): Float64Array {
  const dim = b0.length;
  const A = A0.slice();
  const b = b0.slice();
  for (let c = 0; c < dim; c++) {
    let p = c;
    for (let r = c + 1; r < dim; r++) if (Math.abs(A[r * dim + c]) > Math.abs(A[p * dim + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < dim; k++) {
        const t = A[c * dim + k];
        A[c * dim + k] = A[p * dim + k];
        A[p * dim + k] = t;
      }
      const t = b[c];
      b[c] = b[p];
      b[p] = t;
    }
    for (let r = c + 1; r < dim; r++) {
      const f = A[r * dim + c] / A[c * dim + c];
      for (let k = c; k < dim; k++) A[r * dim + k] -= f * A[c * dim + k];
      b[r] -= f * b[c];
    }
  }
  for (let r = dim - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < dim; k++) s -= A[r * dim + k] * b[k];
    b[r] = s / A[r * dim + r];
  }
  return b;
}

function maxAbs(a: ArrayLike<number>): number {
  let r = 0;
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(a[i]));
  return r;
}
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let r = 0;
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(a[i] - b[i]));
  return r;
}
function matVec(A: Float64Array, x: Float64Array): Float64Array {
  const dim = x.length;
  const y = new Float64Array(dim);
  for (let r = 0; r < dim; r++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += A[r * dim + c] * x[c];
    y[r] = s;
  }
  return y;
}

describe('BlockTridiagonal: random symmetric positive definite systems', () => {
  const rng = new Rng(20240611);
  const sizes: [number, number][] = [];
  // N ≥ 4 runs the four-by-four tiles; N = 5, 9, 13 their remainders as well.
  for (const n of [1, 2, 3, 4, 5, 8, 9, 13]) for (const blocks of [2, 3, 5, 17, 50]) sizes.push([n, blocks]);

  it.each(sizes)('N = %i, %i blocks: agrees with a dense solve to 1e-10', (n, blocks) => {
    for (let trial = 0; trial < 3; trial++) {
      const sys = randomSpd(rng, n, blocks);
      const diagCopy = sys.diag.slice();
      const upperCopy = sys.upper.slice();
      const A = dense(sys);
      const b = Float64Array.from({ length: n * blocks }, () => rng.between(-1, 1));
      const expected = gaussSolve(A, b);
      const solver = new BlockTridiagonal(blocks, n);
      expect(solver.factor(sys.diag, sys.upper)).toBe(true);
      const x = b.slice();
      solver.solve(x);
      expect(maxDiff(x, expected) / maxAbs(expected)).toBeLessThan(1e-10);
      // And the residual of the original system.
      expect(maxDiff(matVec(A, x), b)).toBeLessThan(1e-10 * maxAbs(b) * Math.max(1, maxAbs(A)));
      // factor() works on its own copies.
      expect(Array.from(sys.diag)).toEqual(Array.from(diagCopy));
      expect(Array.from(sys.upper)).toEqual(Array.from(upperCopy));
      // The factorisation is reusable for further right-hand sides.
      const b2 = Float64Array.from({ length: n * blocks }, () => rng.between(-1, 1));
      const x2 = b2.slice();
      solver.solve(x2);
      const expected2 = gaussSolve(A, b2);
      expect(maxDiff(x2, expected2) / maxAbs(expected2)).toBeLessThan(1e-10);
    }
  });

  it('a block diagonal system (zero couplings and sparse blocks, whose zero tiles are skipped) agrees with a dense solve', () => {
    for (const n of [4, 7, 12]) {
      const sys = randomSpd(rng, n, 6);
      // Zero every other coupling block and every entry farther than 2 from a block's diagonal;
      // a large diagonal keeps the matrix positive definite (Gershgorin).
      const far = (a: number): boolean => Math.abs(Math.floor(a / n) - (a % n)) > 2;
      for (let j = 0; j < 6; j++) {
        for (let a = 0; a < n * n; a++) {
          if (j < 5 && (j % 2 === 1 || far(a))) sys.upper[j * n * n + a] = 0;
          if (far(a)) sys.diag[j * n * n + a] = 0;
          else if (a % (n + 1) === 0) sys.diag[j * n * n + a] += 100 * n;
        }
      }
      const b = Float64Array.from({ length: n * 6 }, () => rng.between(-1, 1));
      const solver = new BlockTridiagonal(6, n);
      expect(solver.factor(sys.diag, sys.upper)).toBe(true);
      const x = b.slice();
      solver.solve(x);
      const expected = gaussSolve(dense(sys), b);
      expect(maxDiff(x, expected) / maxAbs(expected)).toBeLessThan(1e-10);
    }
  });

  it('invertLower: L⁻¹L = I and ‖L⁻¹‖_F² for Cholesky factors of N = 1 … 11', () => {
    for (let n = 1; n <= 11; n++) {
      const sys = randomSpd(rng, n, 1);
      const L = new Float64Array(n * n);
      expect(cholesky(sys.diag, n, L, 0)).toBe(true);
      const inverse = new Float64Array(n * n);
      const frobenius = invertLower(L, n, inverse);
      let sum = 0;
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          let p = 0;
          for (let k = 0; k < n; k++) p += inverse[r * n + k] * L[k * n + c];
          expect(Math.abs(p - (r === c ? 1 : 0))).toBeLessThan(1e-12);
          if (c > r) expect(inverse[r * n + c]).toBe(0);
          sum += inverse[r * n + c] ** 2;
        }
      }
      expect(frobenius).toBeCloseTo(sum, 12);
    }
  });

  it('a single block is a plain Cholesky solve', () => {
    const sys = randomSpd(rng, 3, 1);
    const b = Float64Array.from([0.3, -1.2, 0.7]);
    const solver = new BlockTridiagonal(1, 3);
    expect(solver.factor(sys.diag, sys.upper)).toBe(true);
    const x = b.slice();
    solver.solve(x);
    expect(maxDiff(x, gaussSolve(dense(sys), b))).toBeLessThan(1e-12);
  });
});

describe('BlockTridiagonal: indefinite matrices and the shift', () => {
  /** Scalar tridiagonal with 1 on the diagonal and u off it: eigenvalues 1 + 2u cos(kπ/(m+1)). */
  function toeplitz(n: number, blocks: number, u: number): System {
    const nn = n * n;
    const diag = new Float64Array(blocks * nn);
    const upper = new Float64Array((blocks - 1) * nn);
    for (let j = 0; j < blocks; j++) for (let i = 0; i < n; i++) diag[j * nn + i * n + i] = 1;
    for (let j = 0; j < blocks - 1; j++) for (let i = 0; i < n; i++) upper[j * nn + i * n + i] = u;
    return { n, blocks, diag, upper };
  }

  it('factor() returns false when a diagonal block is indefinite', () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 3]) {
      const sys = randomSpd(rng, n, 6);
      // Make the last diagonal entry of block 3 strongly negative.
      sys.diag[3 * n * n + (n - 1) * n + (n - 1)] = -50;
      expect(new BlockTridiagonal(6, n).factor(sys.diag, sys.upper)).toBe(false);
    }
  });

  it('factor() returns false when only a Schur complement is indefinite (every diagonal block positive)', () => {
    // u = 0.9, 10 blocks: λ_min = 1 − 1.8 cos(π/11) < 0 although every block is I.
    for (const n of [1, 2, 4]) {
      const sys = toeplitz(n, 10, 0.9);
      expect(new BlockTridiagonal(10, n).factor(sys.diag, sys.upper)).toBe(false);
      // u = 0.45: λ_min = 1 − 0.9 cos(π/11) > 0.
      const ok = toeplitz(n, 10, 0.45);
      expect(new BlockTridiagonal(10, n).factor(ok.diag, ok.upper)).toBe(true);
    }
  });

  it('factor() returns false for a singular (semidefinite) matrix and for NaN entries', () => {
    const sys = toeplitz(1, 5, 0.5);
    // 1D Laplacian-like with 0.5 off-diagonal and the first pivot zeroed.
    sys.diag[0] = 0;
    expect(new BlockTridiagonal(5, 1).factor(sys.diag, sys.upper)).toBe(false);
    // NaN on a diagonal entry, in the lower triangle of a diagonal block (the half
    // factor() reads: blocks are symmetric), and in an upper block.
    for (const [which, index] of [['diag', 7], ['diag', 6], ['upper', 4]] as const) {
      const nan = toeplitz(2, 4, 0.1);
      nan[which][index] = Number.NaN;
      expect(new BlockTridiagonal(4, 2).factor(nan.diag, nan.upper), `${which}[${index}]`).toBe(false);
    }
  });

  it('the shift adds shift·I: solves (A + μI)x = b, and makes an indefinite matrix definite', () => {
    const rng = new Rng(99);
    for (const n of [1, 2, 3, 4]) {
      const blocks = 12;
      const sys = toeplitz(n, blocks, 0.9);
      // Perturb so that the blocks are not multiples of I.
      for (let a = 0; a < sys.upper.length; a++) sys.upper[a] += 0.05 * rng.between(-1, 1);
      for (let j = 0; j < blocks; j++) {
        for (let r = 0; r < n; r++) for (let c = r; c < n; c++) {
          const v = 0.05 * rng.between(-1, 1);
          sys.diag[j * n * n + r * n + c] += v;
          if (c !== r) sys.diag[j * n * n + c * n + r] += v;
        }
      }
      const solver = new BlockTridiagonal(blocks, n);
      expect(solver.factor(sys.diag, sys.upper)).toBe(false);
      const mu = 1.5;
      expect(solver.factor(sys.diag, sys.upper, mu)).toBe(true);
      const b = Float64Array.from({ length: n * blocks }, () => rng.between(-1, 1));
      const x = b.slice();
      solver.solve(x);
      const expected = gaussSolve(dense(sys, mu), b);
      expect(maxDiff(x, expected) / maxAbs(expected)).toBeLessThan(1e-10);
      // Without the shift the answer is different (the shift is really applied).
      const unshifted = gaussSolve(dense(sys), b);
      expect(maxDiff(x, unshifted)).toBeGreaterThan(1e-3);
    }
  });

  it('a shift on a positive definite matrix changes the solution to (A + μI)⁻¹b', () => {
    const rng = new Rng(3);
    const sys = randomSpd(rng, 2, 20);
    const solver = new BlockTridiagonal(20, 2);
    for (const mu of [0, 1e-3, 0.7, 100]) {
      expect(solver.factor(sys.diag, sys.upper, mu)).toBe(true);
      const b = Float64Array.from({ length: 40 }, () => rng.between(-1, 1));
      const x = b.slice();
      solver.solve(x);
      const expected = gaussSolve(dense(sys, mu), b);
      expect(maxDiff(x, expected) / maxAbs(expected)).toBeLessThan(1e-10);
    }
  });
});
