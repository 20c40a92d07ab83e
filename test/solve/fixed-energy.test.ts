// Fixed-energy most likely paths (src/solve/fixed-energy.ts): in 1D the transit
// time is the paper's Eq. 13, t* = ∫ dx / √(f² + 4DE), checked against an
// independent adaptive quadrature; in 2D (the 3-attractor network, paper Eq. 20)
// the fixed-E path and the fixed-T path with T = T*(E) are the same curve with
// the same timing, its mean energy is E, and T* decreases with E.
import { describe, expect, it } from 'vitest';
import { type ModelKernels, compileLagrangianKernels, compileModel } from '../../src/compile/model-kernels.ts';
import { num } from '../../src/expr/expr.ts';
import { Rational } from '../../src/expr/rational.ts';
import { type LagrangianResult, buildLagrangian, geometricLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import { solveFixedEnergy } from '../../src/solve/fixed-energy.ts';
import { solveFixedTime } from '../../src/solve/fixed-time.ts';

function setup(lagr: LagrangianResult) {
  const kernels = compileModel(lagr);
  const geometric = (E: number) => compileLagrangianKernels(geometricLagrangian(lagr, num(Rational.fromNumber(E))), lagr);
  return { kernels, geometric };
}

/** Adaptive Simpson quadrature (Lyness' criterion with Richardson correction), written here. */
function adaptiveSimpson(F: (x: number) => number, a: number, b: number, tol: number): number {
  const simpson = (fa: number, fm: number, fb: number, w: number): number => (w / 6) * (fa + 4 * fm + fb);
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = 0.5 * (a + b);
    const lm = 0.5 * (a + m);
    const rm = 0.5 * (m + b);
    const flm = F(lm);
    const frm = F(rm);
    const left = simpson(fa, flm, fm, m - a);
    const right = simpson(fm, frm, fb, b - m);
    const delta = left + right - whole;
    if (depth <= 0 || Math.abs(delta) <= 15 * tol) return left + right + delta / 15;
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1);
  };
  const fa = F(a);
  const fb = F(b);
  const fm = F(0.5 * (a + b));
  return rec(a, b, fa, fm, fb, simpson(fa, fm, fb, b - a), tol, 50);
}

/** Eq. 13: t* = ∫ dx / √(f(x)² + 4 D E) between the two states (in either order). */
function transitTime(f: (x: number) => number, D: number, E: number, x0: number, x1: number): number {
  const [a, b] = x0 < x1 ? [x0, x1] : [x1, x0];
  return adaptiveSimpson((x) => 1 / Math.sqrt(f(x) ** 2 + 4 * D * E), a, b, 1e-14);
}

/** ∫ p dx along the 1D fixed-energy path, p = (ẋ − f)/2D with ẋ = ±√(f² + 4DE) in the direction of travel. */
function abbreviatedAction(f: (x: number) => number, D: number, E: number, x0: number, x1: number): number {
  const dir = Math.sign(x1 - x0);
  const [a, b] = x0 < x1 ? [x0, x1] : [x1, x0];
  return adaptiveSimpson((x) => (Math.sqrt(f(x) ** 2 + 4 * D * E) - dir * f(x)) / (2 * D), a, b, 1e-14);
}

describe('the test quadrature', () => {
  it('integrates known functions to 1e-12', () => {
    expect(Math.abs(adaptiveSimpson(Math.exp, 0, 1, 1e-14) - (Math.E - 1))).toBeLessThan(1e-12);
    // ∫ dx/√(x² + c²) = asinh(b/c) − asinh(a/c): Eq. 13 for f = −x, 4DE = c².
    const c = 0.3;
    expect(Math.abs(transitTime((x) => -x, 0.25, c * c, -1, 2) - (Math.asinh(2 / c) - Math.asinh(-1 / c)))).toBeLessThan(1e-12);
  });
});

describe('fixed energy in 1D: the transit time is Eq. 13', () => {
  const cases: { name: string; spec: object; f: (x: number) => number; D: number; ends: [number, number][] }[] = [
    {
      name: 'Ornstein–Uhlenbeck f = −kx',
      spec: { name: 'ou1d', state: ['x'], params: { k: 1.2, D: 0.4 }, drift: ['-k*x'], diffusion: 'D' },
      f: (x) => -1.2 * x,
      D: 0.4,
      ends: [
        [0.2, 1.5],
        [1, -0.5],
      ],
    },
    {
      name: 'double well f = x − x³',
      spec: { name: 'well', state: ['x'], params: { D: 0.3 }, drift: ['x - x^3'], diffusion: 'D' },
      f: (x) => x - x ** 3,
      D: 0.3,
      ends: [
        [-1, 1],
        [0.9, -1.2],
      ],
    },
  ];

  for (const c of cases) {
    describe(c.name, () => {
      const { kernels, geometric } = setup(buildLagrangian(buildModel(c.spec)));
      for (const [x0, x1] of c.ends) {
        it(`from ${x0} to ${x1}: T*(E) for E = 0.05, 0.5, 2 to 1e-6 relative at M = 1000, decreasing in E`, () => {
          const times: number[] = [];
          for (const E of [0.05, 0.5, 2]) {
            const r = solveFixedEnergy(kernels, geometric(E), [x0], [x1], E, { nodes: 1000 });
            expect(r.converged).toBe(true);
            expect(r.E).toBe(E);
            expect(r.t).toHaveLength(1001);
            expect(r.t[0]).toBe(0);
            expect(r.x[0][0]).toBe(x0);
            expect(r.x[1000][0]).toBe(x1);
            // Times increase along the path.
            for (let j = 0; j < 1000; j++) expect(r.t[j + 1]).toBeGreaterThan(r.t[j]);
            const exact = transitTime(c.f, c.D, E, x0, x1);
            expect(Math.abs(r.T - exact) / exact, `E = ${E}: T* = ${r.T}, Eq. 13 gives ${exact}`).toBeLessThan(1e-6);
            expect(r.t[1000] - r.t[0]).toBeCloseTo(r.T, 12);
            // S = ∫ p dx − E T.
            const W = abbreviatedAction(c.f, c.D, E, x0, x1);
            expect(Math.abs(r.geometricAction - W) / Math.abs(W)).toBeLessThan(1e-6);
            expect(Math.abs(r.action - (r.geometricAction - E * r.T))).toBeLessThan(1e-12 * Math.max(1, Math.abs(r.action)));
            times.push(r.T);
          }
          expect(times[1]).toBeLessThan(times[0]);
          expect(times[2]).toBeLessThan(times[1]);
        });
      }

      it('the timing along the path: t(x) is the partial integral of Eq. 13', () => {
        const [x0, x1] = c.ends[0];
        const E = 0.5;
        const r = solveFixedEnergy(kernels, geometric(E), [x0], [x1], E, { nodes: 1000 });
        for (const j of [100, 500, 900]) {
          const exact = transitTime(c.f, c.D, E, x0, r.x[j][0]);
          expect(Math.abs(r.t[j] - exact) / r.T).toBeLessThan(1e-6);
        }
      });

      it('the midpoint-rule error in T* is O(h²)', () => {
        // Not ends[0] of the double well: f(±1) = 0 makes (1/√(f² + 4DE))' vanish at both ends,
        // which cancels the h² term of the midpoint rule (the error is then O(h⁴)).
        const [x0, x1] = c.ends[1];
        const E = 0.05;
        const exact = transitTime(c.f, c.D, E, x0, x1);
        const errors = [100, 200, 400].map((m) => Math.abs(solveFixedEnergy(kernels, geometric(E), [x0], [x1], E, { nodes: m }).T - exact));
        const orders = errors.slice(1).map((e, i) => Math.log2(errors[i] / e));
        for (const p of orders) expect(p, `errors ${errors.join(', ')}`).toBeGreaterThan(1.8);
        for (const p of orders) expect(p, `errors ${errors.join(', ')}`).toBeLessThan(2.2);
      });
    });
  }

  it('rejects an energy below what the path needs (f² + 4DE < 0 on it), a non-finite E and M < 2', () => {
    const spec = { name: 'ou1d', state: ['x'], params: { k: 1.2, D: 0.4 }, drift: ['-k*x'], diffusion: 'D' };
    const { kernels, geometric } = setup(buildLagrangian(buildModel(spec)));
    // Crossing x = 0, where f = 0: any E < 0 is forbidden there.
    expect(() => solveFixedEnergy(kernels, geometric(-0.1), [1], [-0.5], -0.1, { nodes: 100 })).toThrow(/below what the path needs/);
    expect(() => solveFixedEnergy(kernels, geometric(0.5), [1], [-0.5], Number.NaN)).toThrow(RangeError);
    expect(() => solveFixedEnergy(kernels, geometric(0.5), [1], [-0.5], 0.5, { nodes: 1 })).toThrow(/integer >= 2/);
    // A negative E is fine away from the fixed point: f² = 1.44x² > 0.4 at x ≥ 0.6.
    const E = -0.1;
    const r = solveFixedEnergy(kernels, geometric(E), [0.6], [1.5], E, { nodes: 1000 });
    const exact = transitTime((x) => -1.2 * x, 0.4, E, 0.6, 1.5);
    expect(Math.abs(r.T - exact) / exact).toBeLessThan(1e-6);
  });
});

// ---------------------------------------------------------------------------

interface Sampled {
  readonly t: readonly number[];
  readonly x: readonly (readonly number[])[];
}

/** Position and time at arc-length fractions u (linear interpolation between nodes). */
function byArcLength(path: Sampled, us: readonly number[]): { x: number[][]; t: number[] } {
  const cum = [0];
  for (let j = 1; j < path.x.length; j++) cum.push(cum[j - 1] + Math.hypot(...path.x[j].map((v, i) => v - path.x[j - 1][i])));
  const total = cum[cum.length - 1];
  const xs: number[][] = [];
  const ts: number[] = [];
  let seg = 0;
  for (const u of us) {
    const target = u * total;
    while (seg < cum.length - 2 && cum[seg + 1] < target) seg++;
    const len = cum[seg + 1] - cum[seg];
    const f = len > 0 ? Math.min(1, Math.max(0, (target - cum[seg]) / len)) : 0;
    xs.push(path.x[seg].map((v, i) => (1 - f) * v + f * path.x[seg + 1][i]));
    ts.push((1 - f) * path.t[seg] + f * path.t[seg + 1]);
  }
  return { x: xs, t: ts };
}

/** Mean over the intervals of E = ¼(ẋᵀD⁻¹ẋ − fᵀD⁻¹f) at the midpoints (isotropic constant D here). */
function energies(kernels: ModelKernels, path: Sampled): number[] {
  const n = kernels.n;
  const input = new Float64Array(n + 1);
  const f = new Float64Array(n);
  const D = new Float64Array(n * n);
  const out: number[] = [];
  for (let j = 0; j + 1 < path.x.length; j++) {
    const h = path.t[j + 1] - path.t[j];
    for (let i = 0; i < n; i++) input[i] = 0.5 * (path.x[j][i] + path.x[j + 1][i]);
    input[n] = 0.5 * (path.t[j] + path.t[j + 1]);
    kernels.drift.run(input, f);
    kernels.diffusion.run(input, D);
    let v2 = 0;
    let f2 = 0;
    for (let i = 0; i < n; i++) {
      v2 += ((path.x[j + 1][i] - path.x[j][i]) / h) ** 2;
      f2 += f[i] ** 2;
    }
    out.push((v2 - f2) / (4 * D[0]));
  }
  return out;
}

describe('fixed energy and fixed time agree: 3-attractor network (paper Eq. 20, Fig. 1c)', () => {
  const lagr = buildLagrangian(loadModelFile('examples/attractor3.yaml'));
  const { kernels, geometric } = setup(lagr);
  const from = [0.8, -0.4];
  const to = [-0.4, 0.8];
  const transit = new Map<number, number>();

  it.each([0.5, 0.05, 5])(
    'E = %f: the fixed-T path with T = T* is the fixed-E curve with the same timing, and its mean energy is E',
    (E) => {
      const fe = solveFixedEnergy(kernels, geometric(E), from, to, E, { nodes: 1000 });
      expect(fe.converged).toBe(true);
      expect(fe.gradientNorm).toBeLessThan(1e-9);
      expect(fe.T).toBeGreaterThan(0);
      transit.set(E, fe.T);
      const ft = solveFixedTime(kernels, from, to, fe.T, { nodes: 1000, maxIterations: 50 });
      const us = Array.from({ length: 201 }, (_, i) => i / 200);
      const a = byArcLength(fe, us);
      const b = byArcLength(ft, us);
      const dx = Math.max(...us.map((_, i) => Math.hypot(a.x[i][0] - b.x[i][0], a.x[i][1] - b.x[i][1])));
      expect(dx, `max distance between the curves at E = ${E}`).toBeLessThan(1e-3);
      const dt = Math.max(...us.map((_, i) => Math.abs(a.t[i] - b.t[i])));
      expect(dt / fe.T, `timing along the curves at E = ${E}`).toBeLessThan(1e-3);
      const e = energies(kernels, ft);
      const mean = e.reduce((s, v) => s + v, 0) / e.length;
      expect(Math.abs(mean - E) / E, `mean energy of the fixed-T path: ${mean}`).toBeLessThan(1e-3);
      // S(T*) of the fixed-T problem and the fixed-E action S = ∫p dx − E T* agree.
      expect(Math.abs(ft.action - fe.action) / fe.action).toBeLessThan(1e-4);
      // The fixed-T solve converged by Newton.
      expect(ft.converged, `fixed-T solve at T = ${fe.T}: ${ft.method}, ${ft.iterations} iterations, |g| = ${ft.gradientNorm}`).toBe(true);
      expect(ft.method).toBe('newton');
    },
    120_000,
  );

  it('transit time decreases with energy (E = 0.05, 0.5, 5)', () => {
    const Es = [0.05, 0.5, 5];
    const Ts = Es.map((E) => transit.get(E) ?? solveFixedEnergy(kernels, geometric(E), from, to, E, { nodes: 1000 }).T);
    expect(Ts[1]).toBeLessThan(Ts[0]);
    expect(Ts[2]).toBeLessThan(Ts[1]);
  }, 60_000);

  it('at low energy the path goes through the undecided attractor; at high energy it is direct', () => {
    // Fig. 1c: the low-E path passes near the intermediate fixed point (both rates low, ≈ (0.0, 0.0) region),
    // the high-E path stays closer to the straight line between the two choices.
    const distanceFromChord = (E: number): number => {
      const r = solveFixedEnergy(kernels, geometric(E), from, to, E, { nodes: 400 });
      // The chord is x + y = 0.4.
      return Math.max(...r.x.map((p) => Math.abs(p[0] + p[1] - 0.4) / Math.SQRT2));
    };
    expect(distanceFromChord(0.05)).toBeGreaterThan(distanceFromChord(5));
  }, 60_000);
});
