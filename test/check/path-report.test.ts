// solveAndCheck (src/check/path-report.ts): solve a most likely path and check
// every conserved charge along it. The 2D Ornstein–Uhlenbeck process conserves
// E (Eq. 12) and L_xy (Eq. 16); the drift–diffusion model conserves its momentum
// (Eq. 19); the probability-flow ring model conserves L_xy although it depends
// on time. Discrete fixed-T paths (polish: false) use the discrete Legendre momenta of the midpoint
// action; by default paths are polished by shooting and the charges use its exact momenta.
import { describe, expect, it } from 'vitest';
import { refinementTooLarge, solveAndCheck, type PathCheck as PathReport, type PathCheckRequest as PathRequest } from '../../src/check/path-report.ts';
import { type LagrangianResult, buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { loadModelFile } from '../../src/model/file.ts';
import { type Derivation, derive } from '../../src/noether/derive.ts';
import { builtinRules } from '../../src/symmetry/rules.ts';

const RULES = builtinRules();
const cache = new Map<string, { lagr: LagrangianResult; derivation: Derivation }>();
function model(file: string): { lagr: LagrangianResult; derivation: Derivation } {
  let m = cache.get(file);
  if (!m) {
    const lagr = buildLagrangian(loadModelFile(file));
    m = { lagr, derivation: derive(lagr, RULES) };
    cache.set(file, m);
  }
  return m;
}
function check(file: string, request: PathRequest): PathReport {
  const { lagr, derivation } = model(file);
  return solveAndCheck(lagr, derivation, request);
}
const quantity = (r: PathReport, symbol: string) => {
  const q = r.quantities.filter((x) => x.symbol === symbol);
  expect(q, `${symbol} among ${r.quantities.map((x) => x.symbol).join(', ')}`).toHaveLength(1);
  return q[0];
};
const spread = (v: readonly number[]): number => Math.max(...v) - Math.min(...v);

describe('solveAndCheck: 2D Ornstein–Uhlenbeck (paper Fig. 1b)', () => {
  const from = [0.8, -0.4];
  const to = [-0.4, 0.8];
  const k = 1;
  const T = 8;

  it('T = 8, M = 1000, not polished: converged, |∂S/∂x| < 1e-9, E and L_xy constant to 1e-6 relative, the discovered charges at O(h²)', () => {
    const r = check('examples/ou2d.yaml', { from, to, T, nodes: 1000, polish: false });
    expect(r.polished).toBe(false);
    expect(r.polishNote).toBe('off');
    expect(r.refinementNote).toBe('');
    expect(r.quantities.every((q) => q.drifts.length === 3)).toBe(true);
    expect(r.converged).toBe(true);
    expect(r.gradientNorm).toBeLessThan(1e-9);
    expect(r.method).toBe('newton');
    expect(r.T).toBe(T);
    expect(r.t).toHaveLength(1001);
    expect(r.x).toHaveLength(1001);
    expect(r.x[0]).toEqual(from);
    expect(r.x[1000]).toEqual(to);
    // The rules' charges E and L_xy, then the six that discovery adds (time-dependent, checked below).
    expect(r.quantities.filter((q) => q.rule !== 'discovered').map((q) => q.symbol)).toEqual(['E', 'L_xy']);
    expect(r.quantities.filter((q) => q.rule === 'discovered').map((q) => q.symbol)).toEqual(['J_3', 'J_4', 'J_5', 'J_6', 'J_7', 'J_8']);
    for (const symbol of ['E', 'L_xy']) {
      const q = quantity(r, symbol);
      expect(q.values).toHaveLength(1001);
      expect(q.status).toBe('exact');
      expect(q.relativeDrift, symbol).toBeLessThan(1e-6);
      // Also by the plain measure (max − min)/max|J| (the report's drift is scaled by
      // the largest of |J| and the sizes of the terms J is made of, so it is no larger).
      const plain = spread(q.values) / Math.max(...q.values.map(Math.abs));
      expect(plain, symbol).toBeLessThan(1e-6);
      expect(q.relativeDrift).toBeLessThanOrEqual(plain * (1 + 1e-12));
      expect(q.drifts).toHaveLength(3);
      expect(q.drifts[0]).toBe(q.relativeDrift);
      expect(q.passed).toBe(true);
    }
    // The charges have their closed-form values: each coordinate is the 1D OU path
    // (x₀ sinh k(T−t) + x₁ sinh kt)/sinh kT, and with D = 1/2, E = (|ẋ|² − k²|x|²)/2,
    // L_xy = x ẏ − y ẋ, both constant on it.
    const exactX = (i: number, t: number) => (from[i] * Math.sinh(k * (T - t)) + to[i] * Math.sinh(k * t)) / Math.sinh(k * T);
    const exactV = (i: number, t: number) => (k * (-from[i] * Math.cosh(k * (T - t)) + to[i] * Math.cosh(k * t))) / Math.sinh(k * T);
    const E = (exactV(0, 0) ** 2 + exactV(1, 0) ** 2 - k * k * (from[0] ** 2 + from[1] ** 2)) / 2;
    const L = from[0] * exactV(1, 0) - from[1] * exactV(0, 0);
    expect(Math.abs(quantity(r, 'E').values[500] - E) / Math.abs(E)).toBeLessThan(1e-4);
    expect(Math.abs(quantity(r, 'L_xy').values[500] - L) / Math.abs(L)).toBeLessThan(1e-4);
    expect(Math.abs(r.E - E) / Math.abs(E)).toBeLessThan(1e-4);
    const err = Math.max(...r.t.map((t, j) => Math.hypot(r.x[j][0] - exactX(0, t), r.x[j][1] - exactX(1, t))));
    expect(err).toBeLessThan(1e-5);

    // The discovered charges depend on t explicitly: the midpoint action conserves them only at
    // O(h²), observed order 2 (drifts falling 4× per halving of h). The pass rule is the tolerance
    // alone: J_7 and J_8, above 1e-6 at M = 1000, fail it although they converge.
    for (const q of r.quantities.filter((c) => c.rule === 'discovered')) {
      expect(q.values, q.symbol).toHaveLength(1001);
      expect(q.drifts, q.symbol).toHaveLength(3);
      expect(q.drifts[1], q.symbol).toBeLessThan(q.drifts[0]);
      expect(q.drifts[2], q.symbol).toBeLessThan(q.drifts[1]);
      expect(q.order, q.symbol).not.toBeNull();
      expect(Math.abs((q.order as number) - 2), q.symbol).toBeLessThan(0.2);
      expect(q.passed, q.symbol).toBe(q.relativeDrift <= 1e-6);
    }
    expect(quantity(r, 'J_7').passed).toBe(false);
    expect(r.passed).toBe(false);
    // Their closed-form values: with k = 1 each coordinate is A eᵗ + B e⁻ᵗ and 2D = 1, so
    // ξ = (e⁻ᵗ, 0) gives (ẋ + x)e⁻ᵗ = 2A_x, ξ = (eᵗ, 0) gives (ẋ − x)eᵗ = −2B_x, and
    // τ = e^{∓2t} (ξ = ∓x e^{∓2t}) gives −2|A|² and −2|B|².
    const A = [0, 1].map((i) => (to[i] - from[i] * Math.exp(-k * T)) / (2 * Math.sinh(k * T)));
    const B = [0, 1].map((i) => (from[i] * Math.exp(k * T) - to[i]) / (2 * Math.sinh(k * T)));
    const generators = new Map(model('examples/ou2d.yaml').derivation.symmetries.flatMap((s) => (s.charge ? [[s.charge.symbol, s.instance.description] as const] : [])));
    const closedForm: Array<[string, string, number]> = [
      ['J_3', 'dilation with a time profile: τ = exp(2*t), ξ = (x*exp(2*t), y*exp(2*t))', -2 * (B[0] ** 2 + B[1] ** 2)],
      ['J_4', 'dilation with a time profile: τ = exp(-2*t), ξ = (-x*exp(-2*t), -y*exp(-2*t))', -2 * (A[0] ** 2 + A[1] ** 2)],
      ['J_5', 'translation with a time profile: ξ = (exp(t), 0)', -2 * B[0]],
      ['J_6', 'translation with a time profile: ξ = (0, exp(t))', -2 * B[1]],
      ['J_7', 'translation with a time profile: ξ = (exp(-t), 0)', 2 * A[0]],
      ['J_8', 'translation with a time profile: ξ = (0, exp(-t))', 2 * A[1]],
    ];
    for (const [symbol, generator, exact] of closedForm) {
      expect(generators.get(symbol)).toBe(generator);
      expect(Math.abs(quantity(r, symbol).values[500] - exact) / Math.abs(exact), symbol).toBeLessThan(1e-4);
    }
  });

  it('by default the path is polished by shooting: every charge and the action S to 1e-9 of their closed forms', () => {
    const r = check('examples/ou2d.yaml', { from, to, T, nodes: 1000 });
    expect(r.converged).toBe(true);
    expect(r.polished).toBe(true);
    expect(r.polishNote).toBe('');
    expect(r.refinementNote).toBe('not needed: the path was polished by shooting');
    expect(r.method).toBe('newton + shooting');
    expect(r.gradientNorm).toBeLessThan(1e-10); // the end-point miss
    expect(r.stationary).toBe('minimum');
    // S = k/(2D) |x₁ − e^{−kT} x₀|² / (1 − e^{−2kT}) for isotropic OU (k = 1, D = 1/2).
    const S = [0, 1].reduce((sum, i) => sum + (to[i] - Math.exp(-k * T) * from[i]) ** 2, 0) / (1 - Math.exp(-2 * k * T));
    expect(Math.abs(r.action - S) / S).toBeLessThan(1e-9);
    const A = [0, 1].map((i) => (to[i] - from[i] * Math.exp(-k * T)) / (2 * Math.sinh(k * T)));
    const B = [0, 1].map((i) => (from[i] * Math.exp(k * T) - to[i]) / (2 * Math.sinh(k * T)));
    const v0 = [0, 1].map((i) => (k * (-from[i] * Math.cosh(k * T) + to[i])) / Math.sinh(k * T)); // ẋ(0) of the exact path
    const closedForm: Record<string, number> = {
      E: (v0[0] ** 2 + v0[1] ** 2 - k * k * (from[0] ** 2 + from[1] ** 2)) / 2,
      L_xy: from[0] * v0[1] - from[1] * v0[0],
      J_3: -2 * (B[0] ** 2 + B[1] ** 2),
      J_4: -2 * (A[0] ** 2 + A[1] ** 2),
      J_5: -2 * B[0],
      J_6: -2 * B[1],
      J_7: 2 * A[0],
      J_8: 2 * A[1],
    };
    expect(r.quantities.map((q) => q.symbol).sort()).toEqual(Object.keys(closedForm).sort());
    for (const q of r.quantities) {
      expect(q.relativeDrift, q.symbol).toBeLessThan(1e-9);
      expect(q.drifts, q.symbol).toHaveLength(1); // nothing to refine
      const exact = closedForm[q.symbol];
      for (const v of [q.values[0], q.values[q.values.length >> 1], q.values[q.values.length - 1]]) {
        expect(Math.abs(v - exact), q.symbol).toBeLessThan(1e-9 * Math.max(1, Math.abs(exact)));
      }
    }
    expect(r.passed).toBe(true);
  });

  it('refine: false skips the 2M and 4M solves', () => {
    const r = check('examples/ou2d.yaml', { from, to, T, nodes: 200, refine: false, polish: false });
    for (const q of r.quantities) {
      expect(q.drifts).toEqual([q.relativeDrift]);
      expect(q.order).toBeNull();
    }
  });

  it('fixed energy E = 0.5: converged, E exactly the given value, L_xy constant to 1e-6', () => {
    const r = check('examples/ou2d.yaml', { from, to, E: 0.5, nodes: 1000, polish: false });
    expect(r.converged).toBe(true);
    expect(r.gradientNorm).toBeLessThan(1e-9);
    expect(r.E).toBe(0.5);
    expect(r.T).toBeGreaterThan(0);
    expect(r.t[1000] - r.t[0]).toBeCloseTo(r.T, 12);
    expect(r.method).toMatch(/geometric/);
    expect(quantity(r, 'E').relativeDrift).toBeLessThan(1e-9);
    expect(Math.abs(quantity(r, 'E').values[10] - 0.5)).toBeLessThan(1e-9);
    expect(quantity(r, 'L_xy').relativeDrift).toBeLessThan(1e-6);
    expect(r.passed).toBe(true);
    // The action S = ∫p dx − E T* equals the fixed-T action at T = T*.
    const fixedT = check('examples/ou2d.yaml', { from, to, T: r.T, nodes: 1000, refine: false, polish: false });
    expect(Math.abs(fixedT.action - r.action) / r.action).toBeLessThan(1e-5);
    expect(Math.abs(fixedT.E - 0.5) / 0.5).toBeLessThan(1e-4);
  });

  it('fixed energy E = 0.5, polished by shooting on (p₀, T): the same action and energy as the polished fixed-T path at T = T*, to 1e-9', () => {
    const r = check('examples/ou2d.yaml', { from, to, E: 0.5, nodes: 1000 });
    expect(r.polished).toBe(true);
    expect(r.method).toBe('newton (geometric action) + shooting');
    for (const q of r.quantities) expect(q.relativeDrift, q.symbol).toBeLessThan(1e-9);
    expect(r.t[0]).toBe(0);
    expect(r.t[r.t.length - 1]).toBeCloseTo(r.T, 12);
    const fixedT = check('examples/ou2d.yaml', { from, to, T: r.T, nodes: 1000 });
    expect(fixedT.polished).toBe(true);
    expect(Math.abs(fixedT.action - r.action) / r.action).toBeLessThan(1e-9);
    expect(Math.abs(fixedT.E - 0.5) / 0.5).toBeLessThan(1e-9);
  });

  it('exactly one of T and E', () => {
    expect(() => check('examples/ou2d.yaml', { from, to })).toThrow(/exactly one of T/);
    expect(() => check('examples/ou2d.yaml', { from, to, T: 1, E: 1 })).toThrow(/exactly one of T/);
  });
});

describe('solveAndCheck: drift–diffusion model (paper Eq. 19)', () => {
  it('the momentum p_x = (ẋ − v)/σ² is constant and equals (Δx/T − v)/σ²', () => {
    // examples/ddm.yaml: v = 0.5, σ = 1.
    const [x0, x1, T] = [0.6, -1, 2];
    const r = check('examples/ddm.yaml', { from: [x0], to: [x1], T, nodes: 1000 });
    expect(r.converged).toBe(true);
    const p = quantity(r, 'p_x');
    const pExact = (x1 - x0) / T - 0.5;
    for (const v of p.values) expect(Math.abs(v - pExact)).toBeLessThan(1e-10);
    expect(p.relativeDrift).toBeLessThan(1e-10);
    expect(p.passed).toBe(true);
    // The straight line of Eq. 19.
    expect(Math.max(...r.t.map((t, j) => Math.abs(r.x[j][0] - (x0 + ((x1 - x0) * t) / T))))).toBeLessThan(1e-10);
    expect(r.passed).toBe(true);
    // Every charge found (E, p_x and the quasi-symmetries) is conserved.
    for (const q of r.quantities) expect(q.relativeDrift, q.symbol).toBeLessThan(1e-9);
  });
});

describe('solveAndCheck: time-dependent probability-flow ring (paper Sec. 5.3)', () => {
  it('t0 = 0.2, T = 1: L_xy = (x ẏ − ẋ y)/2t conserved to 1e-6; no energy charge', () => {
    const r = check('test/fixtures/cas/models/ring.yaml', { from: [2, 0], to: [0, 2], t0: 0.2, T: 1, nodes: 1000 });
    expect(r.converged).toBe(true);
    expect(r.polished).toBe(true);
    expect(r.gradientNorm).toBeLessThan(1e-9);
    expect(r.t[0]).toBe(0.2);
    expect(r.t[r.t.length - 1]).toBeCloseTo(1.2, 12);
    expect(r.quantities.map((q) => q.symbol)).toEqual(['L_xy']);
    const L = quantity(r, 'L_xy');
    expect(L.relativeDrift).toBeLessThan(1e-9);
    expect(Math.abs(L.values[0])).toBeGreaterThan(0.1);
    expect(r.passed).toBe(true);
  }, 30_000);
});

describe('solveAndCheck: 3-attractor network at fixed T', () => {
  it('E is conserved at O(h²) only (the midpoint action has no discrete time-translation symmetry); the order is measured as 2', () => {
    const r = check('examples/attractor3.yaml', { from: [0.8, -0.4], to: [-0.4, 0.8], T: 8, nodes: 500, polish: false });
    expect(r.converged).toBe(true);
    const E = quantity(r, 'E');
    expect(E.drifts).toHaveLength(3);
    expect(E.drifts[1]).toBeLessThan(E.drifts[0]);
    expect(E.drifts[2]).toBeLessThan(E.drifts[1]);
    expect(E.order).not.toBeNull();
    expect(Math.abs((E.order as number) - 2)).toBeLessThan(0.2);
    // By the plain measure the drift at M = 500 is well above 1e-6 (O(h²)): it vanishes under
    // refinement, but the pass rule is the tolerance alone, so it fails.
    expect(spread(E.values) / Math.max(...E.values.map(Math.abs))).toBeGreaterThan(1e-5);
    expect(E.passed).toBe(false);
  }, 30_000);

  it('by default (polished, M = 1000): E constant to 1e-9, and S within 1e-9 of the Richardson-extrapolated discrete actions at M = 4000, 8000', () => {
    const ends = { from: [0.8, -0.4], to: [-0.4, 0.8], T: 8 };
    const r = check('examples/attractor3.yaml', ends);
    expect(r.polished).toBe(true);
    expect(quantity(r, 'E').relativeDrift).toBeLessThan(1e-9);
    expect(r.passed).toBe(true);
    // The midpoint action is O(h²) with an even error expansion: (4 S(2M) − S(M))/3 is O(h⁴).
    const [s1, s2] = [4000, 8000].map((nodes) => check('examples/attractor3.yaml', { ...ends, nodes, polish: false, refine: false }).action);
    const reference = (4 * s2 - s1) / 3;
    expect(Math.abs(r.action - reference) / reference).toBeLessThan(1e-9);
    expect(Math.abs(s2 - reference) / reference).toBeGreaterThan(1e-8); // the discrete action alone is not that accurate
  }, 60_000);
});

describe('refinementTooLarge', () => {
  it('refines up to 4M·N² = 2²⁶ Hessian entries (N = 64 and 128 at M = 1000) and says why not past that (N = 256: 3.9 GB)', () => {
    expect(refinementTooLarge(1000, 64)).toBe('');
    expect(refinementTooLarge(1000, 128)).toBe('');
    expect(refinementTooLarge(1000, 256)).toBe("not done: at 2000 and 4000 intervals of 256 state variables the action's Hessian would take 3.9 GB");
    expect(refinementTooLarge(64000, 2)).toBe('');
  });
});
