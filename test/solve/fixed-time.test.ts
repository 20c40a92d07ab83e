// Fixed-duration most likely paths (src/solve/fixed-time.ts) and the midpoint
// discretisation under them (src/solve/action.ts): the exact gradient and
// block-tridiagonal Hessian against finite differences of the action, the
// closed-form 1D Ornstein–Uhlenbeck path with its O(h²) convergence, the
// drift–diffusion model's straight line (paper Eq. 19), and Newton against L-BFGS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileModel } from '../../src/compile/model-kernels.ts';
import { buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { Rng } from '../../src/random/rng.ts';
import { ActionWorkspace, type PathGrid, action, actionGradient, actionHessian } from '../../src/solve/action.ts';
import { solveFixedTime } from '../../src/solve/fixed-time.ts';

const ROOT = join(import.meta.dirname, '../..');
const yamlSpec = (file: string): object => parse(readFileSync(join(ROOT, file), 'utf8')) as object;

function kernelsOf(spec: object) {
  return compileModel(buildLagrangian(buildModel(spec)));
}

const maxAbs = (a: ArrayLike<number>): number => {
  let r = 0;
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(a[i]));
  return r;
};

describe('midpoint action: gradient and Hessian against finite differences', () => {
  const models: [string, object, readonly number[], readonly number[], number][] = [
    // name, spec, from, to, t0
    ['attractor3', yamlSpec('examples/attractor3.yaml'), [0.8, -0.4], [-0.4, 0.8], 0],
    ['fullconst2d (full constant D)', yamlSpec('test/fixtures/cas/models/fullconst2d.yaml'), [0.6, -0.3], [-0.5, 0.4], 0],
    ['ring (time-dependent f and D)', yamlSpec('test/fixtures/cas/models/ring.yaml'), [1.5, 0.4], [-0.3, 1.7], 0.3],
    ['ou1d', yamlSpec('test/fixtures/cas/models/ou1d.yaml'), [1], [-0.4], 0],
  ];

  /** A wiggly path with random interior nodes around the straight line. */
  function randomPath(n: number, from: readonly number[], to: readonly number[], m: number, T: number, t0: number, seed: number): PathGrid {
    const rng = new Rng(seed);
    const x = new Float64Array((m + 1) * n);
    for (let k = 0; k <= m; k++) {
      for (let i = 0; i < n; i++) {
        const line = from[i] + (k / m) * (to[i] - from[i]);
        x[k * n + i] = k === 0 || k === m ? line : line + 0.15 * rng.between(-1, 1) + 0.2 * Math.sin((Math.PI * k) / m);
      }
    }
    return { n, m, t0, h: T / m, x };
  }

  it.each(models)('%s: ∂S/∂x matches central differences of S', (_name, spec, from, to, t0) => {
    const kernels = kernelsOf(spec);
    const n = kernels.n;
    for (const [m, T] of [[7, 2], [12, 5]] as const) {
      const path = randomPath(n, from, to, m, T, t0, 11 + m);
      const ws = new ActionWorkspace(n);
      const g = new Float64Array((m - 1) * n);
      actionGradient(kernels, path, ws, g);
      // Fourth-order central differences (Richardson on two step sizes).
      const fd = new Float64Array(g.length);
      for (let a = 0; a < g.length; a++) {
        const idx = n + a;
        const x0 = path.x[idx];
        const at = (d: number): number => {
          path.x[idx] = x0 + d;
          const s = action(kernels, path, ws);
          path.x[idx] = x0;
          return s;
        };
        const eps = 1e-4;
        const d1 = (at(eps) - at(-eps)) / (2 * eps);
        const d2 = (at(2 * eps) - at(-2 * eps)) / (4 * eps);
        fd[a] = (4 * d1 - d2) / 3;
      }
      const scale = maxAbs(g);
      expect(scale).toBeGreaterThan(0);
      for (let a = 0; a < g.length; a++) expect(Math.abs(g[a] - fd[a]), `component ${a}`).toBeLessThan(1e-6 * scale);
    }
  });

  it.each(models)('%s: Hessian blocks match central differences of ∂S/∂x; outside the band it is zero', (_name, spec, from, to, t0) => {
    const kernels = kernelsOf(spec);
    const n = kernels.n;
    const nn = n * n;
    const m = 9;
    const T = 3;
    const path = randomPath(n, from, to, m, T, t0, 5);
    const ws = new ActionWorkspace(n);
    const blocks = m - 1;
    const dim = blocks * n;
    const diag = new Float64Array(blocks * nn);
    const upper = new Float64Array((blocks - 1) * nn);
    actionHessian(kernels, path, ws, diag, upper);
    // Dense Hessian by differencing the gradient, column by column.
    const H = new Float64Array(dim * dim);
    const gp = new Float64Array(dim);
    const gm = new Float64Array(dim);
    const gp2 = new Float64Array(dim);
    const gm2 = new Float64Array(dim);
    for (let c = 0; c < dim; c++) {
      const idx = n + c;
      const x0 = path.x[idx];
      const eps = 1e-4;
      path.x[idx] = x0 + eps;
      actionGradient(kernels, path, ws, gp);
      path.x[idx] = x0 - eps;
      actionGradient(kernels, path, ws, gm);
      path.x[idx] = x0 + 2 * eps;
      actionGradient(kernels, path, ws, gp2);
      path.x[idx] = x0 - 2 * eps;
      actionGradient(kernels, path, ws, gm2);
      path.x[idx] = x0;
      for (let r = 0; r < dim; r++) {
        const d1 = (gp[r] - gm[r]) / (2 * eps);
        const d2 = (gp2[r] - gm2[r]) / (4 * eps);
        H[r * dim + c] = (4 * d1 - d2) / 3;
      }
    }
    const scale = maxAbs(H);
    expect(scale).toBeGreaterThan(0);
    const block = (bi: number, bj: number, r: number, c: number): number => {
      if (bi === bj) return diag[bi * nn + r * n + c];
      if (bj === bi + 1) return upper[bi * nn + r * n + c];
      if (bi === bj + 1) return upper[bj * nn + c * n + r];
      return 0;
    };
    let worst = 0;
    for (let bi = 0; bi < blocks; bi++) {
      for (let bj = 0; bj < blocks; bj++) {
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < n; c++) {
            const fd = H[(bi * n + r) * dim + bj * n + c];
            worst = Math.max(worst, Math.abs(block(bi, bj, r, c) - fd));
          }
        }
      }
    }
    expect(worst / scale).toBeLessThan(1e-6);
    // The off-diagonal blocks are not trivially zero (the test can see them).
    expect(maxAbs(upper)).toBeGreaterThan(1e-3 * scale);
  });
});

describe('fixed time: 1D Ornstein–Uhlenbeck closed form', () => {
  const k = 1.2;
  const D = 0.4;
  const kernels = kernelsOf({ name: 'ou1d', state: ['x'], params: { k, D }, drift: ['-k*x'], diffusion: 'D' });
  const [x0, x1, T] = [1, -0.5, 3];
  const exact = (t: number): number => (x0 * Math.sinh(k * (T - t)) + x1 * Math.sinh(k * t)) / Math.sinh(k * T);

  it('the solved path converges to (x₀ sinh k(T−t) + x₁ sinh kt)/sinh kT at second order', () => {
    const errors: number[] = [];
    for (const m of [50, 100, 200, 400]) {
      const r = solveFixedTime(kernels, [x0], [x1], T, { nodes: m });
      expect(r.converged).toBe(true);
      expect(r.gradientNorm).toBeLessThan(1e-9);
      expect(r.t).toHaveLength(m + 1);
      expect(r.t[0]).toBe(0);
      expect(r.t[m]).toBeCloseTo(T, 12);
      expect(r.x[0][0]).toBe(x0);
      expect(r.x[m][0]).toBe(x1);
      errors.push(Math.max(...r.t.map((t, j) => Math.abs(r.x[j][0] - exact(t)))));
    }
    const orders = errors.slice(1).map((e, i) => Math.log2(errors[i] / e));
    for (const p of orders) expect(p, `errors ${errors.join(', ')}`).toBeGreaterThan(1.8);
    for (const p of orders) expect(p, `errors ${errors.join(', ')}`).toBeLessThan(2.2);
    expect(errors[3]).toBeLessThan(1e-4);
  });

  it('the discrete action approaches S = ∫(ẋ + kx)²/4D dt of the exact path', () => {
    // S = ∫ (ẋ + kx)²/(4D) dt; on the solution ẋ² − k²x² = 4DE is constant. Direct quadrature of the exact path:
    const steps = 20000;
    let S = 0;
    for (let j = 0; j < steps; j++) {
      const t = ((j + 0.5) / steps) * T;
      const xd = (k * (-x0 * Math.cosh(k * (T - t)) + x1 * Math.cosh(k * t))) / Math.sinh(k * T);
      S += ((xd + k * exact(t)) ** 2 / (4 * D)) * (T / steps);
    }
    const r = solveFixedTime(kernels, [x0], [x1], T, { nodes: 400 });
    expect(Math.abs(r.action - S) / S).toBeLessThan(1e-4);
  });

  it('is linear, so Newton converges in one step', () => {
    const r = solveFixedTime(kernels, [x0], [x1], T, { nodes: 200 });
    expect(r.iterations).toBeLessThanOrEqual(2);
    expect(r.method).toBe('newton');
  });
});

describe('fixed time: drift–diffusion model (paper Eq. 19)', () => {
  const v = 0.5;
  const sigma = 0.8;
  const kernels = kernelsOf({ name: 'ddm', state: ['x'], params: { v, sigma }, drift: ['v'], noise: 'sigma' });

  it.each([
    [-0.2, 1, 2.5, 100],
    [1, -1, 4, 1000],
    [0.3, 0.3, 1, 10],
  ])('from %f to %f in T = %f (M = %i): a straight line to 1e-10 with constant momentum (ẋ − v)/σ²', (from, to, T, m) => {
    const r = solveFixedTime(kernels, [from], [to], T, { nodes: m });
    expect(r.converged).toBe(true);
    const err = Math.max(...r.t.map((t, j) => Math.abs(r.x[j][0] - (from + ((to - from) * t) / T))));
    expect(err).toBeLessThan(1e-10);
    const pExact = ((to - from) / T - v) / sigma ** 2;
    const h = T / m;
    for (let j = 0; j < m; j++) {
      const p = ((r.x[j + 1][0] - r.x[j][0]) / h - v) / sigma ** 2;
      expect(Math.abs(p - pExact)).toBeLessThan(1e-8);
    }
    // S = T (Δx/T − v)²/(2σ²).
    const S = (T * ((to - from) / T - v) ** 2) / (2 * sigma ** 2);
    expect(Math.abs(r.action - S)).toBeLessThan(1e-10 * Math.max(1, S));
  });

  it('starting from a bent initial guess (waypoint) still reaches the straight line', () => {
    const r = solveFixedTime(kernels, [-1], [1], 2, { nodes: 200, waypoints: [[3]] });
    expect(r.converged).toBe(true);
    const err = Math.max(...r.t.map((t, j) => Math.abs(r.x[j][0] - (-1 + t))));
    expect(err).toBeLessThan(1e-10);
  });
});

describe('fixed time: Newton against L-BFGS', () => {
  const kernels = kernelsOf({ name: 'ou1d', state: ['x'], params: { k: 1.2, D: 0.4 }, drift: ['-k*x'], diffusion: 'D' });

  it('reach the same minimum (M = 100, 1D OU); L-BFGS needs over 10× as many iterations', () => {
    // Tolerance 1e-8: at 1e-9 L-BFGS's Armijo test on S (≈ 0.42) is below rounding (see the next test).
    const tolerance = 1e-8;
    const newton = solveFixedTime(kernels, [1], [-0.5], 3, { nodes: 100, tolerance });
    const lbfgs = solveFixedTime(kernels, [1], [-0.5], 3, { nodes: 100, method: 'lbfgs', maxIterations: 20000, tolerance });
    expect(newton.converged).toBe(true);
    expect(lbfgs.converged).toBe(true);
    expect(lbfgs.method).toBe('lbfgs');
    expect(newton.method).toBe('newton');
    expect(lbfgs.gradientNorm).toBeLessThan(tolerance);
    const dx = Math.max(...newton.x.map((p, j) => Math.abs(p[0] - lbfgs.x[j][0])));
    // |δx| ≲ |g| / λ_min(Hessian), λ_min ~ h (π²/T² + k²)/(2D) ≈ 0.1.
    expect(dx).toBeLessThan(1e-6);
    expect(Math.abs(newton.action - lbfgs.action)).toBeLessThan(1e-12);
    expect(newton.iterations).toBeGreaterThan(0);
    expect(lbfgs.iterations / newton.iterations).toBeGreaterThan(10);
  });

  it('at the default tolerance (1e-9) L-BFGS converges, or stops once it makes no progress instead of spending its whole budget', () => {
    const newton = solveFixedTime(kernels, [1], [-0.5], 3, { nodes: 100 });
    const lbfgs = solveFixedTime(kernels, [1], [-0.5], 3, { nodes: 100, method: 'lbfgs', maxIterations: 20000 });
    expect(newton.converged).toBe(true);
    expect(newton.gradientNorm).toBeLessThan(1e-9);
    // The same minimum either way.
    const dx = Math.max(...newton.x.map((p, j) => Math.abs(p[0] - lbfgs.x[j][0])));
    expect(dx).toBeLessThan(1e-6);
    // It gets to |g| ≈ 2e-9 in about 330 iterations; past that point no step passes Armijo.
    expect(lbfgs.converged || lbfgs.iterations < 2000, `L-BFGS: ${lbfgs.iterations} iterations, |g| = ${lbfgs.gradientNorm}`).toBe(true);
  });

  it('L-BFGS with a small budget stops unconverged and says so', () => {
    const r = solveFixedTime(kernels, [1], [-0.5], 3, { nodes: 100, method: 'lbfgs', maxIterations: 5 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBeLessThanOrEqual(5);
    expect(r.gradientNorm).toBeGreaterThan(1e-9);
  });
});

describe('fixed time: Newton on the 3-attractor network (paper Eq. 20)', () => {
  const kernels = kernelsOf(yamlSpec('examples/attractor3.yaml'));
  // Cases found by scanning T = 1..12 at M = 500, 1000, 2000 (about 1 in 25 fail like
  // this): Newton's iterate reaches |g| ≈ 1e-8, where the predicted decrease of S
  // (≈ 13) is below its rounding, so the Armijo test rejects the full Newton step.
  it.each([
    [1000, 8],
    [4000, 8],
    [1000, 3],
    [500, 7],
    [2000, 6],
  ])('M = %i, T = %f: converges to |∂S/∂x| < 1e-9 by Newton alone, in few iterations', (m, T) => {
    const r = solveFixedTime(kernels, [0.8, -0.4], [-0.4, 0.8], T, { nodes: m, maxIterations: 30 });
    expect(r.converged, `${r.method}, ${r.iterations} iterations, |g| = ${r.gradientNorm}`).toBe(true);
    expect(r.method).toBe('newton');
    expect(r.gradientNorm).toBeLessThan(1e-9);
    expect(r.iterations).toBeLessThan(30);
  }, 60_000);
});

describe('fixed time: argument checks', () => {
  const kernels = kernelsOf({ name: 'ou1d', state: ['x'], params: { k: 1, D: 0.5 }, drift: ['-k*x'], diffusion: 'D' });
  it('rejects T ≤ 0, non-finite T, fewer than 2 intervals, and an initial path of the wrong length', () => {
    expect(() => solveFixedTime(kernels, [0], [1], 0)).toThrow(RangeError);
    expect(() => solveFixedTime(kernels, [0], [1], -1)).toThrow(/positive/);
    expect(() => solveFixedTime(kernels, [0], [1], Infinity)).toThrow(RangeError);
    expect(() => solveFixedTime(kernels, [0], [1], 1, { nodes: 1 })).toThrow(/integer >= 2/);
    expect(() => solveFixedTime(kernels, [0], [1], 1, { nodes: 2.5 })).toThrow(RangeError);
    expect(() => solveFixedTime(kernels, [0], [1], 1, { nodes: 4, initial: [[0], [1]] })).toThrow(/5 points/);
  });

  it('honours t0 and a full initial path', () => {
    const m = 20;
    const initial = Array.from({ length: m + 1 }, (_, j) => [Math.sin((Math.PI * j) / m) + j / m]);
    const r = solveFixedTime(kernels, [0], [1], 2, { nodes: m, t0: 5, initial });
    expect(r.t[0]).toBe(5);
    expect(r.t[m]).toBeCloseTo(7, 12);
    expect(r.converged).toBe(true);
    const plain = solveFixedTime(kernels, [0], [1], 2, { nodes: m });
    // Time independent: the same path whatever t0.
    expect(Math.max(...r.x.map((p, j) => Math.abs(p[0] - plain.x[j][0])))).toBeLessThan(1e-10);
  });
});

describe('chord steps', () => {
  it('reuse the factors of a recent Hessian while steps shrink the residual tenfold: fewer Hessians than iterations, the same path', () => {
    const W = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => 0.4 * Math.sin(3 * i + j + 1)));
    const kernels = kernelsOf({ name: 'net6', state: { x: 6 }, params: { W, D: 0.1 }, drift: '-x + W*tanh(x)', diffusion: 'D' });
    let hessians = 0;
    const counted = { ...kernels, lagrangianHessian: { ...kernels.lagrangianHessian, run: (v: Float64Array, out: Float64Array) => {
      hessians++;
      kernels.lagrangianHessian.run(v, out);
    } } };
    const m = 400;
    const from = [0, 0, 0, 0, 0, 0];
    const to = [0.5, -0.5, 0.5, -0.5, 0.5, -0.5];
    const r = solveFixedTime(counted, from, to, 5, { nodes: m });
    expect(r.converged).toBe(true);
    expect(r.stationary).toBe('minimum');
    // Each Hessian evaluation is m interval kernels; one more for the certificate.
    const newtonHessians = hessians / m - 1;
    expect(newtonHessians).toBeLessThan(r.iterations);
    // The same stationary path as a Newton iteration converged much further.
    const tight = solveFixedTime(kernels, from, to, 5, { nodes: m, tolerance: 1e-13 });
    expect(Math.abs(r.action - tight.action)).toBeLessThan(1e-12 * Math.abs(tight.action));
  });
});
