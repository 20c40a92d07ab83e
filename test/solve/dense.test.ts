// Small dense kernels (src/solve/dense.ts) against ml-matrix and their defining identities.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { solveDense, symmetricEigen } from '../../src/solve/dense.ts';
import { Rng } from '../../src/random/rng.ts';

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.between(-2, 2);
  return a;
}

describe('symmetricEigen', () => {
  it('A v = λ v with orthonormal V, and the eigenvalues of ml-matrix, for n = 1 … 12', () => {
    const rng = new Rng(11);
    for (let n = 1; n <= 12; n++) {
      const A = randomSymmetric(n, rng);
      const { values, vectors } = symmetricEigen(A, n);
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < n; i++) {
          let Av = 0;
          for (let j = 0; j < n; j++) Av += A[i * n + j] * vectors[j * n + k];
          expect(Math.abs(Av - values[k] * vectors[i * n + k])).toBeLessThan(1e-12);
        }
        for (let l = 0; l < n; l++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + l];
          expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-13);
        }
      }
      const rows = Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)));
      const reference = [...new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues].sort((a, b) => a - b);
      const ours = [...values].sort((a, b) => a - b);
      for (let k = 0; k < n; k++) expect(Math.abs(ours[k] - reference[k])).toBeLessThan(1e-12);
    }
  });

  it('keeps repeated and zero eigenvalues (a rank-one matrix)', () => {
    const u = [1, 2, 3];
    const A = Float64Array.from({ length: 9 }, (_, k) => u[Math.floor(k / 3)] * u[k % 3]);
    const values = [...symmetricEigen(A, 3).values].sort((a, b) => a - b);
    expect(Math.abs(values[0])).toBeLessThan(1e-14);
    expect(Math.abs(values[1])).toBeLessThan(1e-14);
    expect(values[2]).toBeCloseTo(14, 12);
  });
});

describe('solveDense', () => {
  it('solves a random system and refuses a singular one', () => {
    const rng = new Rng(5);
    const n = 7;
    const A = Float64Array.from({ length: n * n }, () => rng.between(-1, 1));
    const b = Float64Array.from({ length: n }, () => rng.between(-1, 1));
    const x = solveDense(A, b, n);
    expect(x).toBeDefined();
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * (x as Float64Array)[j];
      expect(Math.abs(s - b[i])).toBeLessThan(1e-12);
    }
    expect(solveDense([1, 2, 2, 4], [1, 1], 2)).toBeUndefined();
  });
});
