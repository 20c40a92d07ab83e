// Band solves (src/solve/banded.ts) against the dense ones they replace in multiple
// shooting: the same elimination restricted to the band gives the same bits as
// solveDense; the Levenberg–Marquardt step solves its normal equations, checked
// against ml-matrix.
import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.ts';
import { type BandLayout, bandIndex, bandStorage, bandedNormalStep, solveBanded } from '../../src/solve/banded.ts';
import { solveDense } from '../../src/solve/dense.ts';

/** A random band matrix of the layout, as band storage and as the dense row-major matrix. */
function randomBand(layout: BandLayout, rng: Rng, zeroDiagonal = false): { band: Float64Array; dense: Float64Array } {
  const { size: n, lower, upper } = layout;
  const band = bandStorage(layout);
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(0, i - lower); j <= Math.min(n - 1, i + upper); j++) {
      // A zero diagonal forces row exchanges at every step.
      const v = zeroDiagonal && i === j ? 0 : rng.between(-2, 2);
      band[bandIndex(layout, i, j)] = v;
      dense[i * n + j] = v;
    }
  }
  return { band, dense };
}

const layouts: BandLayout[] = [
  { size: 1, lower: 0, upper: 0 },
  { size: 7, lower: 2, upper: 1 },
  { size: 12, lower: 5, upper: 2 }, // multiple shooting with N = 2: 3N − 1 below, N above
  { size: 30, lower: 8, upper: 3 },
  { size: 10, lower: 12, upper: 12 }, // a band wider than the matrix
];

describe('solveBanded', () => {
  it('gives the same bits as solveDense on the dense matrix, with and without row exchanges', () => {
    const rng = new Rng(5);
    for (const layout of layouts) {
      for (const zeroDiagonal of [false, true]) {
        const { band, dense } = randomBand(layout, rng, zeroDiagonal);
        const b = Array.from({ length: layout.size }, () => rng.between(-1, 1));
        const expected = solveDense(dense, b, layout.size);
        if (expected === undefined) continue; // a 1×1 zero
        expect(Array.from(solveBanded(layout, band, b) as Float64Array), JSON.stringify(layout)).toEqual(Array.from(expected));
      }
    }
  });

  it('reports a singular matrix (undefined), as solveDense does', () => {
    const layout = { size: 4, lower: 1, upper: 1 };
    const band = bandStorage(layout);
    // Rows 2 and 3 equal: [.., 1, 1] twice.
    band[bandIndex(layout, 0, 0)] = 1;
    band[bandIndex(layout, 1, 1)] = 1;
    for (const i of [2, 3]) {
      band[bandIndex(layout, i, 2)] = 1;
      band[bandIndex(layout, i, 3)] = 1;
    }
    expect(solveBanded(layout, band, [1, 2, 3, 4])).toBeUndefined();
    expect(solveBanded(layout, bandStorage(layout), [1, 2, 3, 4])).toBeUndefined();
  });
});

describe('bandedNormalStep', () => {
  it('solves (JᵀJ + μ·diag(JᵀJ)) δ = Jᵀr, as ml-matrix does on the dense normal equations', () => {
    const rng = new Rng(9);
    for (const layout of layouts) {
      for (const mu of [0, 1e-6, 1e-2]) {
        const { band, dense } = randomBand(layout, rng);
        const n = layout.size;
        const r = Array.from({ length: n }, () => rng.between(-1, 1));
        const J = new Matrix(Array.from({ length: n }, (_, i) => Array.from(dense.subarray(i * n, (i + 1) * n))));
        const A = J.transpose().mmul(J);
        for (let i = 0; i < n; i++) A.set(i, i, A.get(i, i) * (1 + mu));
        const expected = solve(A, J.transpose().mmul(Matrix.columnVector(r))).getColumn(0);
        const got = bandedNormalStep(layout, band, r, mu) as Float64Array;
        const scale = Math.max(...expected.map(Math.abs));
        expected.forEach((e, i) => expect(Math.abs(got[i] - e), `${JSON.stringify(layout)} μ = ${mu}, entry ${i}`).toBeLessThan(1e-9 * scale));
      }
    }
  });

  it('is undefined where JᵀJ is singular and μ = 0 (a zero column of J)', () => {
    const layout = { size: 3, lower: 1, upper: 1 };
    const band = bandStorage(layout);
    band[bandIndex(layout, 0, 0)] = 1;
    band[bandIndex(layout, 1, 0)] = 2;
    band[bandIndex(layout, 2, 2)] = 3; // column 1 is zero
    expect(bandedNormalStep(layout, band, [1, 1, 1], 0)).toBeUndefined();
  });
});
