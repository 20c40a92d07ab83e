// The second-order certificate (issue 12, item 1): the inertia of a symmetric
// block-tridiagonal matrix from its block LDLᵀ pivots equals that of the
// assembled matrix (dense eigenvalues, ml-matrix), and solved paths say
// whether they are a minimum or a saddle of the discrete action (at fixed E:
// of the geometric action across the curve).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/index.ts';
import { Rng } from '../../src/random/rng.ts';
import { compileModel } from '../../src/compile/model-kernels.ts';
import { buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { compileLagrangianKernels } from '../../src/compile/model-kernels.ts';
import { ZERO } from '../../src/expr/expr.ts';
import { geometricLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { solveFixedEnergy } from '../../src/solve/fixed-energy.ts';
import { solveFixedTime } from '../../src/solve/fixed-time.ts';
import { blockInertia, certify, confirmSaddle, lowestEigenvector } from '../../src/solve/inertia.ts';
import { BlockTridiagonal } from '../../src/solve/blocktri.ts';

function randomBlockTridiagonal(blocks: number, n: number, seed: number, shift: number): { diag: Float64Array; upper: Float64Array; dense: number[][] } {
  const rng = new Rng(seed);
  const nn = n * n;
  const diag = new Float64Array(blocks * nn);
  const upper = new Float64Array(Math.max(0, blocks - 1) * nn);
  for (let j = 0; j < blocks; j++) {
    for (let r = 0; r < n; r++) {
      for (let c = r; c < n; c++) {
        const v = rng.between(-1, 1) + (r === c ? shift : 0);
        diag[j * nn + r * n + c] = v;
        diag[j * nn + c * n + r] = v;
      }
    }
  }
  for (let i = 0; i < upper.length; i++) upper[i] = rng.between(-1, 1);
  const size = blocks * n;
  const dense = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let j = 0; j < blocks; j++) {
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        dense[j * n + r][j * n + c] = diag[j * nn + r * n + c];
        if (j + 1 < blocks) {
          dense[j * n + r][(j + 1) * n + c] = upper[j * nn + r * n + c];
          dense[(j + 1) * n + c][j * n + r] = upper[j * nn + r * n + c];
        }
      }
    }
  }
  return { diag, upper, dense };
}

describe('blockInertia', () => {
  it.each([
    [6, 1, 1, 0.5],
    [8, 2, 2, 0.3],
    [10, 3, 3, 1.5],
    [5, 4, 4, 0],
    [12, 2, 5, 3],
    // Larger pivots: positive definite ones go the Cholesky way, the others Jacobi's.
    [30, 12, 9, 8],
    [20, 10, 10, 2.5],
  ])('%i blocks of size %i (seed %i, shift %f): the negative count of the dense eigenvalues', (blocks, n, seed, shift) => {
    const { diag, upper, dense } = randomBlockTridiagonal(blocks, n, seed, shift);
    const eigenvalues = new EigenvalueDecomposition(new Matrix(dense), { assumeSymmetric: true }).realEigenvalues;
    const expected = eigenvalues.filter((v) => v < 0).length;
    expect(eigenvalues.every((v) => Math.abs(v) > 1e-8)).toBe(true);
    expect(blockInertia(diag, upper, blocks, n)).toEqual({ negative: expected, degenerate: false });
  });

  it.each([
    [8, 2, 7, 0.2],
    [10, 3, 8, 0.5],
  ])('lowestEigenvector on %i blocks of %i×%i (seed %i): the dense lowest eigenvalue, and H v = λ v', (blocks, n, seed, shift) => {
    const { diag, upper, dense } = randomBlockTridiagonal(blocks, n, seed, shift);
    const lowest = Math.min(...new EigenvalueDecomposition(new Matrix(dense), { assumeSymmetric: true }).realEigenvalues);
    expect(lowest).toBeLessThan(0);
    const r = lowestEigenvector(diag, upper, blocks, n);
    expect(r).toBeDefined();
    expect(Math.abs((r?.value ?? 0) - lowest)).toBeLessThan(1e-8 * Math.max(1, Math.abs(lowest)));
    const v = Array.from(r?.vector ?? []);
    const hv = dense.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
    for (let i = 0; i < v.length; i++) expect(Math.abs(hv[i] - lowest * v[i])).toBeLessThan(1e-6);
  });

  it('lowestEigenvector of a positive definite matrix is undefined (no way down)', () => {
    const { diag, upper } = randomBlockTridiagonal(6, 2, 9, 6);
    expect(lowestEigenvector(diag, upper, 6, 2)).toBeUndefined();
  });

  it('a singular matrix is degenerate, not a minimum', () => {
    // [[1, 1], [1, 1]] as two 1×1 blocks: eigenvalues 0 and 2.
    expect(blockInertia(Float64Array.from([1, 1]), Float64Array.from([1]), 2, 1).degenerate).toBe(true);
  });

  it('a positive definite matrix with a pivot at rounding level is degenerate too (its Cholesky factor exists)', () => {
    // [[1, 1], [1, 1 + 1e-13]]: the second pivot is 1e-13.
    expect(blockInertia(Float64Array.from([1, 1 + 1e-13]), Float64Array.from([1]), 2, 1)).toEqual({ negative: 0, degenerate: true });
    expect(blockInertia(Float64Array.from([1, 1 + 1e-3]), Float64Array.from([1]), 2, 1)).toEqual({ negative: 0, degenerate: false });
  });

  it('largestPivotInverse is the largest ‖L⁻¹‖_F² over the pivots', () => {
    // Two 2×2 blocks, no coupling: pivots diag(4, 1) and diag(9, 16): L⁻¹ = diag(1/2, 1) and diag(1/3, 1/4).
    const bt = new BlockTridiagonal(2, 2);
    expect(bt.factor(Float64Array.from([4, 0, 0, 1, 9, 0, 0, 16]), new Float64Array(4))).toBe(true);
    expect(bt.largestPivotInverse()).toBeCloseTo(1 / 4 + 1, 14);
  });
});

describe('certify and confirmSaddle', () => {
  // tridiag(−1, 2 − λ₁ − δ, −1) of size N: the discrete Laplacian shifted so that its lowest
  // eigenvalue is exactly −δ (λ₁ = 2 − 2cos(π/(N + 1)), the Laplacian's lowest; the next is
  // 7.3e-4 above it).
  const N = 200;
  const shifted = (delta: number): [Float64Array, Float64Array] => {
    const lambda1 = 2 - 2 * Math.cos(Math.PI / (N + 1));
    return [new Float64Array(N).fill(2 - lambda1 - delta), new Float64Array(N - 1).fill(-1)];
  };

  it('a negative eigenvalue clear of rounding is a saddle, and stays one when checked', () => {
    const [diag, upper] = shifted(1e-4);
    const c = certify(diag, upper, N, 1);
    expect(c).toEqual({ stationary: 'saddle', morseIndex: 1 });
    expect(confirmSaddle(c, diag, upper, N, 1)).toEqual(c);
  });
  it('a negative eigenvalue at the rounding level of the matrix (a soft mode, −1e-13 of its scale) is counted by the pivots, and checked it is degenerate', () => {
    const [diag, upper] = shifted(1e-13);
    const c = certify(diag, upper, N, 1);
    expect(c).toEqual({ stationary: 'saddle', morseIndex: 1 });
    expect(confirmSaddle(c, diag, upper, N, 1)).toEqual({ stationary: 'degenerate', morseIndex: 0 });
  });
  it('a positive definite matrix is a minimum', () => {
    expect(certify(...shifted(-1e-3), N, 1)).toEqual({ stationary: 'minimum', morseIndex: 0 });
  });
});

describe('paths carry their certificate', () => {
  const maierStein = { name: 'maier-stein', state: ['u', 'v'], params: { beta: 10 }, drift: ['u - u^3 - beta*u*v^2', '-(1 + u^2)*v'], diffusion: 1 };

  const maierSteinKernels = () => compileModel(buildLagrangian(buildModel(maierStein)));

  it('Maier–Stein from (−1, 0) to (0, 0) held on the axis (the symmetric start, no escape) is a saddle with negative directions', () => {
    const p = solveFixedTime(maierSteinKernels(), [-1, 0], [0, 0], 2, { nodes: 400, escapeSaddles: false });
    expect(p.converged).toBe(true);
    expect(p.x.every((x) => Math.abs(x[1]) < 1e-12)).toBe(true);
    expect(p.stationary).toBe('saddle');
    expect(p.morseIndex).toBeGreaterThanOrEqual(1);
  });

  // The literature's minimum action for β = 10 is about 0.170 (the on-axis path: 0.25).
  it.each([20, 80])('Maier–Stein at T = %i from the symmetric straight line: Newton alone (no L-BFGS) reaches the certified minimum S ≈ 0.170, polished by multiple shooting', (T) => {
    const p = createAnalyzer(maierStein).path({ from: [-1, 0], to: [0, 0], T, refine: false });
    expect(p.converged).toBe(true);
    expect(p).toMatchObject({ stationary: 'minimum', morseIndex: 0, method: 'newton + shooting', polished: true });
    expect(Math.abs(p.action - 0.17)).toBeLessThan(5e-4);
    // Single shooting cannot follow the flow into the saddle point (0, 0); multiple shooting does,
    // and the shot paths at T = 20 and 80 have the same action to 1e-6 (the transit barely depends on T).
    expect(Math.abs(p.action - 0.1700207)).toBeLessThan(1e-6);
    for (const q of p.quantities) expect(q.passed, q.symbol).toBe(true);
    let offAxis = 0;
    for (const x of p.x) offAxis = Math.max(offAxis, Math.abs(x[1]));
    expect(offAxis).toBeGreaterThan(0.1);
  });

  it('Maier–Stein at M = 8000 starts from its M = 1000 solution: Newton alone', () => {
    const p = createAnalyzer(maierStein).path({ from: [-1, 0], to: [0, 0], T: 20, nodes: 8000, refine: false });
    expect(p).toMatchObject({ converged: true, stationary: 'minimum', morseIndex: 0, method: 'newton + shooting', polished: true });
    expect(Math.abs(p.action - 0.1700207)).toBeLessThan(1e-6);
    expect(p.iterations).toBeLessThan(40);
  }, 120_000);

  // Shifted Newton steps on the axis's indefinite Hessian converge linearly to the on-axis saddle
  // (139 steps at M = 125; at M = 8000 they did not arrive in 200 and L-BFGS took over for 1500).
  it('from the straight line at M = 8000 Newton leaves the axis by its own steps down the lowest eigenvector, and reaches the minimum', () => {
    const straight = solveFixedTime(maierSteinKernels(), [-1, 0], [0, 0], 20, { nodes: 8000 });
    expect(straight).toMatchObject({ converged: true, method: 'newton', stationary: 'minimum', morseIndex: 0 });
    expect(straight.iterations).toBeLessThan(60);
    expect(Math.abs(straight.action - 0.1700207)).toBeLessThan(1e-5);
  }, 120_000);

  it('the steps down the eigenvector cut the solve to the minimum at M = 125 from 146 Newton steps to under 30', () => {
    const p = solveFixedTime(maierSteinKernels(), [-1, 0], [0, 0], 20, { nodes: 125 });
    expect(p).toMatchObject({ converged: true, method: 'newton', stationary: 'minimum' });
    expect(p.iterations).toBeLessThan(30);
  });

  it('the 2D OU path is a minimum', () => {
    const ou = createAnalyzer({ name: 'ou', state: ['x', 'y'], params: { k: 1, D: 0.5 }, drift: ['-k*x', '-k*y'], diffusion: 'D' });
    expect(ou.path({ from: [1, 0], to: [0, 1], T: 2, refine: false })).toMatchObject({ stationary: 'minimum', morseIndex: 0 });
  });

  it('fixed-energy paths carry the certificate across the curve: the 2D OU path at E = 0.5 is a minimum', () => {
    const ou = createAnalyzer({ name: 'ou', state: ['x', 'y'], params: { k: 1, D: 0.5 }, drift: ['-k*x', '-k*y'], diffusion: 'D' });
    expect(ou.path({ from: [1, 0], to: [0, 1], E: 0.5, refine: false })).toMatchObject({ stationary: 'minimum', morseIndex: 0 });
  });

  it('Maier–Stein at E = 0 held on the axis (no escape) is a saddle of the geometric action (S = 0.25); with escape, the minimum S ≈ 0.170', () => {
    const lagr = buildLagrangian(buildModel(maierStein));
    const kernels = compileModel(lagr);
    const geometric = compileLagrangianKernels(geometricLagrangian(lagr, ZERO), lagr);
    const axis = solveFixedEnergy(kernels, geometric, [-1, 0], [0, 0], 0, { nodes: 400, escapeSaddles: false });
    expect(axis.converged).toBe(true);
    expect(axis.x.every((x) => Math.abs(x[1]) < 1e-12)).toBe(true);
    expect(axis).toMatchObject({ stationary: 'saddle' });
    expect(axis.morseIndex).toBeGreaterThanOrEqual(1);
    // On the axis (against f = u − u³ < 0) the geometric action is ∫₋₁⁰ (u³ − u) du = 1/4, the potential barrier.
    expect(Math.abs(axis.geometricAction - 0.25)).toBeLessThan(1e-4);
    const min = solveFixedEnergy(kernels, geometric, [-1, 0], [0, 0], 0, { nodes: 400 });
    expect(min).toMatchObject({ converged: true, stationary: 'minimum', morseIndex: 0 });
    expect(Math.abs(min.geometricAction - 0.17)).toBeLessThan(5e-4);
  });
});
