// findFixedPoints: roots of the drift in a box and their linear stability,
// checked against fixed points and Jacobian eigenvalues worked out by hand, and
// (for the paper's 3-attractor model) against an independent count of the roots
// by reduction to one dimension.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ModelKernels, compileModel } from '../../src/compile/model-kernels.ts';
import { buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import type { ModelSpec } from '../../src/model/types.ts';
import { type FixedPoint, findFixedPoints } from '../../src/solve/fixed-points.ts';

const ROOT = join(import.meta.dirname, '../..');

const kernelsOf = (spec: ModelSpec): ModelKernels => compileModel(buildLagrangian(buildModel(spec)));
const kernelsOfFile = (file: string): ModelKernels => compileModel(buildLagrangian(loadModelFile(join(ROOT, file))));

function expectEigenvalues(p: FixedPoint, want: { re: number; im: number }[], tol = 1e-9): void {
  expect(p.eigenvalues).toHaveLength(want.length);
  p.eigenvalues.forEach((e, i) => {
    expect(Math.abs(e.re - want[i].re), `re ${i}: ${e.re} vs ${want[i].re}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i].re)));
    expect(Math.abs(e.im - want[i].im), `im ${i}: ${e.im} vs ${want[i].im}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i].im)));
  });
}

describe('findFixedPoints: linear and polynomial drifts', () => {
  it('finds the single stable point of the 2D Ornstein–Uhlenbeck process at the origin', () => {
    const points = findFixedPoints(kernelsOfFile('examples/ou2d.yaml'), { lo: [-3, -3], hi: [3, 3] });
    expect(points).toHaveLength(1);
    const [p] = points;
    expect(p.stability).toBe('stable');
    expect(Math.hypot(...p.x)).toBeLessThanOrEqual(1e-12);
    expect(p.residual).toBeLessThan(1e-10);
    expectEigenvalues(p, [{ re: -1, im: 0 }, { re: -1, im: 0 }]); // −k, −k with k = 1
  });

  it('finds the double well x − x³: stable ±1, unstable 0, with eigenvalues 1 − 3x² = −2, 1, −2', () => {
    const points = findFixedPoints(kernelsOf({ name: 'well', state: ['x'], drift: ['x - x^3'], diffusion: 0.5 }), { lo: [-2], hi: [2] });
    expect(points.map((p) => p.stability)).toEqual(['stable', 'unstable', 'stable']);
    const want = [-1, 0, 1];
    points.forEach((p, i) => expect(Math.abs(p.x[0] - want[i])).toBeLessThanOrEqual(1e-12));
    expect(points.map((p) => p.eigenvalues.map((e) => e.re))).toEqual([[-2], [1], [-2]].map((r) => r.map((v) => expect.closeTo(v, 12))));
    expect(points.every((p) => p.eigenvalues[0].im === 0)).toBe(true);
  });

  it('calls a zero eigenvalue degenerate (−x³ at 0) and still converges there', () => {
    const points = findFixedPoints(kernelsOf({ name: 'cubic', state: ['x', 'y'], drift: ['-x^3', '-y'], diffusion: 1 }), { lo: [-2, -2], hi: [2, 2] });
    expect(points).toHaveLength(1);
    expect(points[0].stability).toBe('degenerate');
    expect(Math.abs(points[0].x[0])).toBeLessThanOrEqual(1e-6 * 4);
    expect(points[0].eigenvalues[0].re).toBe(-1);
  });

  it('reports complex eigenvalues of spirals: stable −1 ± i, unstable 1 ± i', () => {
    const box = { lo: [-1, -1], hi: [1, 1] };
    const [sink] = findFixedPoints(kernelsOf({ name: 'sink', state: ['x', 'y'], drift: ['-x - y', 'x - y'], diffusion: 1 }), box);
    expect(sink.stability).toBe('stable');
    expectEigenvalues(sink, [{ re: -1, im: -1 }, { re: -1, im: 1 }]);
    const [source] = findFixedPoints(kernelsOf({ name: 'source', state: ['x', 'y'], drift: ['x + y', '-x + y'], diffusion: 1 }), box);
    expect(source.stability).toBe('unstable');
    expectEigenvalues(source, [{ re: 1, im: -1 }, { re: 1, im: 1 }]);
  });

  it('finds the three fixed points of the Lorenz system (3D) with their known eigenvalues', () => {
    const k = kernelsOf({
      name: 'lorenz',
      state: ['x', 'y', 'z'],
      params: { s: 10, r: 28, b: 8 / 3 },
      drift: ['s*(y - x)', 'x*(r - z) - y', 'x*y - b*z'],
      diffusion: 1,
    });
    const points = findFixedPoints(k, { lo: [-20, -20, -5], hi: [20, 20, 40] });
    const q = Math.sqrt((8 / 3) * 27);
    expect(points).toHaveLength(3);
    const want = [[-q, -q, 27], [0, 0, 0], [q, q, 27]];
    points.forEach((p, i) => p.x.forEach((v, j) => expect(Math.abs(v - want[i][j])).toBeLessThanOrEqual(1e-9)));
    expect(points.map((p) => p.stability)).toEqual(['saddle', 'saddle', 'saddle']);
    // At the origin: −b and (−(s+1) ± √((s+1)² + 4s(r−1)))/2.
    const d = Math.sqrt(121 + 40 * 27);
    expectEigenvalues(points[1], [{ re: (-11 - d) / 2, im: 0 }, { re: -8 / 3, im: 0 }, { re: (-11 + d) / 2, im: 0 }]);
    // At C±: one real negative eigenvalue and an unstable complex pair (r = 28 > r_H ≈ 24.74).
    for (const p of [points[0], points[2]]) {
      expect(p.eigenvalues[0].re).toBeLessThan(0);
      expect(p.eigenvalues[0].im).toBe(0);
      expect(p.eigenvalues[1].re).toBeGreaterThan(0);
      expect(p.eigenvalues[1].im).toBe(-p.eigenvalues[2].im);
      // The characteristic polynomial λ³ + (s+b+1)λ² + b(s+r)λ + 2bs(r−1) vanishes at each eigenvalue.
      for (const { re, im } of p.eigenvalues) {
        const [a2, a1, a0] = [10 + 8 / 3 + 1, (8 / 3) * 38, 2 * (8 / 3) * 10 * 27];
        const pr = re ** 3 - 3 * re * im * im + a2 * (re * re - im * im) + a1 * re + a0;
        const pi = 3 * re * re * im - im ** 3 + a2 * 2 * re * im + a1 * im;
        expect(Math.hypot(pr, pi)).toBeLessThanOrEqual(1e-8 * a0);
      }
    }
  });

  it('freezes a time-dependent drift at options.t (default 0)', () => {
    const k = kernelsOf({ name: 'moving', state: ['x'], drift: ['sin(t) - x'], diffusion: 1 });
    const [at0] = findFixedPoints(k, { lo: [-2], hi: [2] });
    expect(at0.x[0]).toBeCloseTo(0, 12);
    const [at1] = findFixedPoints(k, { lo: [-2], hi: [2] }, { t: 1 });
    expect(at1.x[0]).toBeCloseTo(Math.sin(1), 12);
    expect(at1.stability).toBe('stable');
  });

  it('finds nothing for a drift without roots (the drift–diffusion model) or roots outside the box', () => {
    expect(findFixedPoints(kernelsOfFile('examples/ddm.yaml'), { lo: [-3], hi: [3] })).toEqual([]);
    expect(findFixedPoints(kernelsOfFile('examples/ou2d.yaml'), { lo: [0.5, -1], hi: [2, 1] })).toEqual([]);
  });

  it('rejects a box of the wrong dimension or with lo >= hi', () => {
    const k = kernelsOfFile('examples/ou2d.yaml');
    expect(() => findFixedPoints(k, { lo: [-1], hi: [1] })).toThrow(RangeError);
    expect(() => findFixedPoints(k, { lo: [-1, 1], hi: [1, 1] })).toThrow(/lo < hi/);
    expect(() => findFixedPoints(k, { lo: [-1, NaN], hi: [1, 1] })).toThrow(/finite/);
  });
});

// ---------------------------------------------------------------------------
// The paper's multistable attractor network (Eq. 20, Fig. 1c)

describe('findFixedPoints: the 3-attractor model (examples/attractor3.yaml)', () => {
  const model = loadModelFile(join(ROOT, 'examples/attractor3.yaml'));
  const P = Object.fromEntries(model.params.map((p) => [p.name, p.value]));
  const kernels = compileModel(buildLagrangian(model));
  const box = { lo: [-0.5, -0.5], hi: [1.5, 1.5] };
  const points = findFixedPoints(kernels, box);
  const T = (u: number): number => Math.tanh((u - P.c) / P.n);

  it('has the parameters of the paper (mu0 = 0, A = 0.8, I = 0.4, c = 0.5, n = 0.1, tau = 1)', () => {
    expect(P).toMatchObject({ mu0: 0, A: 0.8, I: 0.4, c: 0.5, n: 0.1, tau: 1 });
  });

  it('finds three stable states (two choices and an undecided one) and the two saddles between them', () => {
    expect(points.map((p) => p.stability)).toEqual(['stable', 'saddle', 'stable', 'saddle', 'stable']);
    const want = [
      [-0.398969, 0.797939], // choice y
      [-0.267588, 0.535177], // saddle between choice y and undecided
      [1.8166e-5, 1.8166e-5], // undecided
      [0.535177, -0.267588],
      [0.797939, -0.398969], // choice x
    ];
    points.forEach((p, i) => p.x.forEach((v, j) => expect(Math.abs(v - want[i][j]), `point ${i}`).toBeLessThanOrEqual(1e-6)));
    for (const p of points) expect(p.residual).toBeLessThan(1e-10);
    // The model is symmetric under x ↔ y: so is the set of fixed points.
    points.forEach((p, i) => {
      const mirror = points[points.length - 1 - i];
      expect(Math.abs(p.x[0] - mirror.x[1]) + Math.abs(p.x[1] - mirror.x[0])).toBeLessThanOrEqual(1e-9);
    });
  });

  it('has eigenvalues equal to those of the Jacobian worked out by hand', () => {
    // ∂f/∂x = [[a(x) − 1, −b(y)], [−b(x), a(y) − 1]]/tau with a(u) = A/(2n) sech²((u−c)/n), b(u) = I/(2n) sech²((u−c)/n).
    const sech2 = (u: number): number => 1 / Math.cosh((u - P.c) / P.n) ** 2;
    for (const p of points) {
      const [x, y] = p.x;
      const j11 = ((P.A / (2 * P.n)) * sech2(x) - 1) / P.tau;
      const j12 = (-(P.I / (2 * P.n)) * sech2(y)) / P.tau;
      const j21 = (-(P.I / (2 * P.n)) * sech2(x)) / P.tau;
      const j22 = ((P.A / (2 * P.n)) * sech2(y) - 1) / P.tau;
      const half = (j11 + j22) / 2;
      const disc = half * half - (j11 * j22 - j12 * j21);
      const want =
        disc >= 0
          ? [half - Math.sqrt(disc), half + Math.sqrt(disc)].map((re) => ({ re, im: 0 }))
          : [{ re: half, im: -Math.sqrt(-disc) }, { re: half, im: Math.sqrt(-disc) }];
      expectEigenvalues(p, want, 1e-9);
    }
  });

  it('finds ALL fixed points in the box: an independent count by reduction to one dimension', () => {
    // f_x = 0 reads h(x) = κ(y) with h(x) = x − mu0 − A/2 (T(x) + 1) and κ(y) = −I/2 (T(y) + 1).
    // h is monotone on three branches, split where h'(x) = 1 − A/(2n) sech²((x−c)/n) = 0. On each
    // branch x(y) = h⁻¹(κ(y)) (bisection), and the fixed points on that branch are the roots of
    // G(y) = f_y(x(y), y), found by sign changes on a fine grid of y and bisection.
    const h = (x: number): number => x - P.mu0 - (P.A / 2) * (T(x) + 1);
    const kappa = (y: number): number => -(P.I / 2) * (T(y) + 1);
    const fold = P.n * Math.acosh(Math.sqrt(P.A / (2 * P.n)));
    const branches: [number, number][] = [
      [-10, P.c - fold],
      [P.c - fold, P.c + fold],
      [P.c + fold, 10],
    ];
    const inverse = ([a0, b0]: [number, number], target: number): number => {
      let [a, b] = [a0, b0];
      const up = h(b) > h(a);
      if ((target - h(a)) * (target - h(b)) > 0) return NaN; // not in h's range on this branch
      for (let it = 0; it < 80; it++) {
        const m = (a + b) / 2;
        if (h(m) < target === up) a = m;
        else b = m;
      }
      return (a + b) / 2;
    };
    const G = (branch: [number, number], y: number): number => {
      const x = inverse(branch, kappa(y));
      return P.mu0 + (P.A / 2) * (T(y) + 1) - (P.I / 2) * (T(x) + 1) - y;
    };
    const roots: [number, number][] = [];
    const steps = 20_000;
    for (const branch of branches) {
      let prevY = NaN;
      let prevG = NaN;
      for (let k = 0; k <= steps; k++) {
        const y = box.lo[1] + ((box.hi[1] - box.lo[1]) * k) / steps;
        const g = G(branch, y);
        if (Number.isFinite(g) && Number.isFinite(prevG) && Math.sign(g) !== Math.sign(prevG)) {
          let [a, b] = [prevY, y];
          for (let it = 0; it < 80; it++) {
            const m = (a + b) / 2;
            if (Math.sign(G(branch, m)) === Math.sign(G(branch, a))) a = m;
            else b = m;
          }
          const yr = (a + b) / 2;
          const xr = inverse(branch, kappa(yr));
          if (xr >= box.lo[0] && xr <= box.hi[0]) roots.push([xr, yr]);
        }
        prevY = y;
        prevG = g;
      }
    }
    roots.sort((a, b) => a[0] - b[0]);
    expect(roots).toHaveLength(5);
    expect(points).toHaveLength(roots.length);
    roots.forEach(([x, y], i) => {
      expect(Math.abs(points[i].x[0] - x), `point ${i}`).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(points[i].x[1] - y), `point ${i}`).toBeLessThanOrEqual(1e-9);
    });
  });

  // Saddles draw fewer starts than attractors (about 7% of random starts each here), so
  // the default grid is dense (44 × 44 in 2D); 12 × 12 still finds all five.
  it('finds the same points from other seeds and a coarser grid (12 starts per axis)', () => {
    const key = (ps: FixedPoint[]): string => ps.map((p) => `${p.stability}@${p.x.map((v) => v.toFixed(6)).join(',')}`).join(' ');
    for (const options of [{ seed: 7 }, { startsPerAxis: 12 }, { startsPerAxis: 12, seed: 3 }, { startsPerAxis: 20, seed: 11 }]) {
      expect(key(findFixedPoints(kernels, box, options))).toBe(key(points));
    }
  });

  it('is deterministic and sorted by coordinates', () => {
    expect(findFixedPoints(kernels, box)).toEqual(points);
    for (let i = 1; i < points.length; i++) expect(points[i].x[0]).toBeGreaterThan(points[i - 1].x[0]);
  });
});
