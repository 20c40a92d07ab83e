// Noether charges (src/noether/charge.ts, derive.ts) against the paper's
// formulas written by hand (Eqs. 10, 12, 14, 16, 19), compared as functions at
// seeded points, and checked to be conserved along solutions of the
// Euler–Lagrange equations.
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/expr/expr.ts';
import { toText } from '../../src/expr/print.ts';
import type { LagrangianResult } from '../../src/lagrangian/lagrangian.ts';
import { type Derivation, checkInstance, derive } from '../../src/noether/derive.ts';
import { builtinRules, claimedGenerator, mergeRules } from '../../src/symmetry/rules.ts';
import { loadRuleDir } from '../../src/symmetry/rule-files.ts';
import {
  type ModelName,
  type Point,
  at,
  besselRatioI1I0,
  close,
  lagrangianOf,
  rateAlongSolutions,
  samples,
} from '../symmetry/support.ts';

const BUILTIN = builtinRules();

const derivations = new Map<ModelName, Derivation>();
function derivationOf(name: ModelName): Derivation {
  let d = derivations.get(name);
  if (!d) {
    d = derive(lagrangianOf(name), BUILTIN);
    derivations.set(name, d);
  }
  return d;
}
/** The charge with this symbol (there must be exactly one). */
function charge(name: ModelName, symbol: string): Expr {
  const found = derivationOf(name).symmetries.filter((s) => s.charge?.symbol === symbol);
  expect(found, `${symbol} in ${name}`).toHaveLength(1);
  return found[0].charge!.expr;
}
function chargeSymbols(name: ModelName): string[] {
  return derivationOf(name).symmetries.flatMap((s) => (s.charge ? [s.charge.symbol] : []));
}
/** The charges of the rules' instances only (what discovery adds, rule 'discovered', left out). */
function ruleChargeSymbols(name: ModelName): string[] {
  return derivationOf(name).symmetries.flatMap((s) => (s.charge && s.instance.rule !== 'discovered' ? [s.charge.symbol] : []));
}
/** The generators discovery added (after every rule instance). */
function discovered(name: ModelName): Derivation['symmetries'] {
  return derivationOf(name).symmetries.filter((s) => s.instance.rule === 'discovered');
}

/** e equals hand(point) at seeded points (1e-10 relative). */
function agrees(lagr: LagrangianResult, e: Expr, hand: (p: Point) => number, seed: number): void {
  for (const p of samples(lagr.model, 10, seed)) {
    const ours = at(e, lagr.model, p);
    const theirs = hand(p);
    expect(close(ours, theirs, 1e-10), `${ours} vs ${theirs} at ${JSON.stringify(p)}`).toBe(true);
  }
}
/** e equals hand up to an additive constant (differences between seeded points). */
function agreesUpToConstant(lagr: LagrangianResult, e: Expr, hand: (p: Point) => number, seed: number): void {
  const pts = samples(lagr.model, 10, seed);
  const e0 = at(e, lagr.model, pts[0]);
  const h0 = hand(pts[0]);
  for (const p of pts.slice(1)) expect(close(at(e, lagr.model, p) - e0, hand(p) - h0, 1e-10), JSON.stringify(p)).toBe(true);
}
/** dJ/dt ≈ 0 along Euler–Lagrange solutions at seeded points. */
function conserved(lagr: LagrangianResult, J: Expr, seed: number): void {
  for (const p of samples(lagr.model, 8, seed)) {
    const rate = rateAlongSolutions(lagr, J, p);
    expect(Math.abs(rate), `dJ/dt = ${rate} at ${JSON.stringify(p)}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(at(J, lagr.model, p))));
  }
}

describe('paper charges', () => {
  it('DDM: p = (ẋ − v)/σ² (Eq. 19) and E = (ẋ² − v²)/(2σ²) are the charges, and are conserved', () => {
    const lagr = lagrangianOf('ddm');
    const [v, s] = [0.3, 0.8];
    const p = charge('ddm', 'p_x');
    agrees(lagr, p, (q) => (q.x_dot - v) / s ** 2, 1);
    const E = charge('ddm', 'E');
    agrees(lagr, E, (q) => (q.x_dot ** 2 - v ** 2) / (4 * (s ** 2 / 2)), 2);
    conserved(lagr, p, 3);
    conserved(lagr, E, 4);
  });

  it('2D OU: E (Eq. 12) and L_xy = x p_y − y p_x (Eq. 16), conserved; no momentum', () => {
    const lagr = lagrangianOf('ou2d');
    const [k, D] = [1.0, 0.5];
    // The rules give E and L_xy only; discovery adds six time-dependent charges J_3 … J_8 (generators
    // with e^{±2t}, e^{±t} at k = 1; an 8-dimensional algebra, as for free diffusion), checked in the next test.
    expect(ruleChargeSymbols('ou2d')).toEqual(['E', 'L_xy']);
    expect(chargeSymbols('ou2d')).toEqual(['E', 'L_xy', 'J_3', 'J_4', 'J_5', 'J_6', 'J_7', 'J_8']);
    const E = charge('ou2d', 'E');
    agrees(lagr, E, (q) => (q.x_dot ** 2 + q.y_dot ** 2 - (k * q.x) ** 2 - (k * q.y) ** 2) / (4 * D), 5);
    const L = charge('ou2d', 'L_xy');
    const px = (q: Point): number => (q.x_dot + k * q.x) / (2 * D);
    const py = (q: Point): number => (q.y_dot + k * q.y) / (2 * D);
    agrees(lagr, L, (q) => q.x * py(q) - q.y * px(q), 6);
    conserved(lagr, E, 7);
    conserved(lagr, L, 8);
  });

  it('2D OU: the charges discovery adds (J_3 … J_8) are conserved; ξ = (e^{−t}, 0) gives p_x e^{−t}', () => {
    const lagr = lagrangianOf('ou2d');
    const [k, D] = [1.0, 0.5];
    const found = discovered('ou2d');
    expect(found).toHaveLength(6);
    for (const [i, s] of found.entries()) {
      expect(['exact', 'quasi'], s.instance.description).toContain(s.verdict.status);
      expect(s.charge?.symbol).toBe(`J_${i + 3}`);
      // Time-dependent (e^{±t}, e^{±2t}), and yet constant along every solution.
      conserved(lagr, s.charge!.expr, 40 + i);
    }
    // An exact symmetry with τ = 0 has J = p·ξ: for ξ = (e^{−t}, 0), J = e^{−t}(ẋ + kx)/(2D).
    const down = found.filter((s) => s.instance.description === 'translation with a time profile: ξ = (exp(-t), 0)');
    expect(down).toHaveLength(1);
    expect(down[0].verdict.status).toBe('exact');
    agrees(lagr, down[0].charge!.expr, (q) => (Math.exp(-q.t) * (q.x_dot + k * q.x)) / (2 * D), 46);
  });

  it('the conservation check has teeth: p_x of 2D OU (translation is broken) is not conserved', () => {
    const lagr = lagrangianOf('ou2d');
    const notConserved = lagr.momenta[0];
    const rates = samples(lagr.model, 8, 9).map((p) => Math.abs(rateAlongSolutions(lagr, notConserved, p)));
    expect(Math.max(...rates)).toBeGreaterThan(0.1);
  });

  it('3-attractor model: E is the only charge and equals Eq. 10 by hand', () => {
    const lagr = lagrangianOf('attractor3');
    expect(chargeSymbols('attractor3')).toEqual(['E']);
    const P = { mu0: 0, A: 0.8, I: 0.4, c: 0.5, n: 0.1, tau: 1, sigma: 0.1 };
    const h = (z: number): number => Math.tanh((z - P.c) / P.n) + 1;
    const f = (q: Point): [number, number] => [
      (P.mu0 + (P.A / 2) * h(q.x) - (P.I / 2) * h(q.y) - q.x) / P.tau,
      (P.mu0 + (P.A / 2) * h(q.y) - (P.I / 2) * h(q.x) - q.y) / P.tau,
    ];
    const Dinv = P.tau / P.sigma ** 2;
    const E = charge('attractor3', 'E');
    agrees(lagr, E, (q) => {
      const [fx, fy] = f(q);
      return 0.25 * Dinv * (q.x_dot ** 2 + q.y_dot ** 2) - 0.25 * Dinv * (fx ** 2 + fy ** 2);
    }, 10);
    conserved(lagr, E, 11);
  });

  it('ring reverse-diffusion model: L_xy is the only charge (no E), equals x p_y − y p_x, conserved', () => {
    const lagr = lagrangianOf('ring');
    expect(chargeSymbols('ring')).toEqual(['L_xy']);
    const time = derivationOf('ring').symmetries.find((s) => s.instance.rule === 'time');
    expect(time?.verdict.status).toBe('broken');
    expect(time?.charge).toBeUndefined();
    const [R, s0] = [2, 0.5];
    const f = (q: Point): [number, number] => {
      const v = s0 ** 2 + q.t ** 2;
      const r = Math.hypot(q.x, q.y);
      const g = -1 / v + (R / v) * besselRatioI1I0((R * r) / v) / r; // score = g·x
      return [-q.t * g * q.x, -q.t * g * q.y];
    };
    const L = charge('ring', 'L_xy');
    agrees(lagr, L, (q) => {
      const [fx, fy] = f(q);
      const D = q.t;
      return (q.x * (q.y_dot - fy) - q.y * (q.x_dot - fx)) / (2 * D);
    }, 12);
    conserved(lagr, L, 13);
  });

  it('full constant D: E equals Eq. 10 with the matrix inverse (nonlinear drift)', () => {
    const lagr = lagrangianOf('fullconst2d');
    expect(chargeSymbols('fullconst2d')).toEqual(['E']);
    const [a, b, c, k] = [1.0, 0.3, 0.8, 0.5];
    const det = a * c - b * b;
    const Di = [
      [c / det, -b / det],
      [-b / det, a / det],
    ];
    const quad = (u: number[]): number => u[0] * (Di[0][0] * u[0] + Di[0][1] * u[1]) + u[1] * (Di[1][0] * u[0] + Di[1][1] * u[1]);
    const E = charge('fullconst2d', 'E');
    agrees(lagr, E, (q) => quad([q.x_dot, q.y_dot]) / 4 - quad([-k * q.x + q.y, -k * q.y - q.x ** 3]) / 4, 14);
    conserved(lagr, E, 15);
  });

  it('full constant D, constant drift: p_i = ½ Σ_j D⁻¹_ij (ẋ_j − f_j) (Eq. 14), conserved', () => {
    const lagr = lagrangianOf('fullflat');
    const [a, b, c, v, w] = [1.0, 0.3, 0.8, 0.2, -0.4];
    const det = a * c - b * b;
    const Di = [
      [c / det, -b / det],
      [-b / det, a / det],
    ];
    const u = (q: Point): number[] => [q.x_dot - v, q.y_dot - w];
    const px = charge('fullflat', 'p_x');
    const py = charge('fullflat', 'p_y');
    agrees(lagr, px, (q) => 0.5 * (Di[0][0] * u(q)[0] + Di[0][1] * u(q)[1]), 16);
    agrees(lagr, py, (q) => 0.5 * (Di[1][0] * u(q)[0] + Di[1][1] * u(q)[1]), 17);
    conserved(lagr, px, 18);
    conserved(lagr, py, 19);
  });
});

describe('quasi-symmetry charges J = p·ξ − τE − K', () => {
  it('boost of constant drift in 1D: J = (t ẋ − x)/(2D) up to a constant, conserved', () => {
    const lagr = lagrangianOf('drift1d');
    const J = charge('drift1d', 'B_x');
    const D = 0.4;
    agreesUpToConstant(lagr, J, (q) => (q.t * q.x_dot - q.x) / (2 * D), 20);
    conserved(lagr, J, 21);
  });

  it('free diffusion: boost charge (t ẋ − x)/(2D) and scaling charge x p − 2tE = ẋ(x − t ẋ)/(2D), conserved', () => {
    const lagr = lagrangianOf('free1d');
    const D = 0.4;
    const B = charge('free1d', 'B_x');
    agreesUpToConstant(lagr, B, (q) => (q.t * q.x_dot - q.x) / (2 * D), 22);
    conserved(lagr, B, 23);
    const S = charge('free1d', 'S');
    // Scaling is exact (K = 0): the charge is determined exactly.
    agrees(lagr, S, (q) => (q.x_dot * (q.x - q.t * q.x_dot)) / (2 * D), 24);
    conserved(lagr, S, 25);
  });

  it('DDM and free diffusion: discovery adds the special conformal quasi-symmetry τ = t²/2, ξ = tx/2 with J = (2txẋ − t²ẋ² − x²)/(8D) up to a constant, conserved', () => {
    // ddm: D = σ²/2 with σ = 0.8 (the drift v drops out of J); free1d: D = 0.4.
    for (const [name, D, seed] of [['ddm', 0.8 ** 2 / 2, 50], ['free1d', 0.4, 52]] as const) {
      const lagr = lagrangianOf(name);
      // Time, translation, boost and scaling from the rules, and this one: the 5-dimensional algebra of free diffusion.
      expect(derivationOf(name).algebra, name).toMatchObject({ dimension: 5, complete: true, basis: [0, 1, 2, 3, 4] });
      const found = discovered(name);
      expect(found, name).toHaveLength(1);
      const [s] = found;
      expect(s.verdict.status, name).toBe('quasi');
      expect([toText(s.instance.generator.dt), ...s.instance.generator.dx.map(toText)], name).toEqual(['t^2/2', 't*x/2']);
      expect(s.charge?.symbol, name).toBe('J_5');
      agreesUpToConstant(lagr, s.charge!.expr, (q) => (2 * q.t * q.x * q.x_dot - q.t ** 2 * q.x_dot ** 2 - q.x ** 2) / (8 * D), seed);
      conserved(lagr, s.charge!.expr, seed + 1);
    }
  });

  it('claimed ξ = exp(k t) on 1D OU: J = e^{kt}(ẋ − k x)/(2D) up to a constant, conserved', () => {
    const lagr = lagrangianOf('ou1d');
    const res = checkInstance(lagr, claimedGenerator({ dx: ['exp(k*t)'] }, lagr.model));
    expect(res.verdict.status).toBe('quasi');
    expect(res.charge).toBeDefined();
    const J = res.charge!.expr;
    const [k, D] = [1.2, 0.4];
    agreesUpToConstant(lagr, J, (q) => (Math.exp(k * q.t) * (q.x_dot - k * q.x)) / (2 * D), 26);
    conserved(lagr, J, 27);
  });

  it('a broken symmetry has no charge', () => {
    const rnn = derive(lagrangianOf('rnn'), BUILTIN);
    const rot = rnn.symmetries.find((s) => s.instance.rule === 'rotation');
    expect(rot?.verdict.status).toBe('broken');
    expect(rot?.charge).toBeUndefined();
    expect(rnn.symmetries.filter((s) => s.charge).map((s) => s.charge!.symbol)).toEqual(['E']);
  });
});

describe('derive', () => {
  it('orders results time, translation, rotation, boost, scaling (files load alphabetically: boost first), then the discovered generators', () => {
    expect(BUILTIN.rules[0].name).toBe('boost');
    const d = derivationOf('ou2d');
    const order = d.symmetries.map((s) => s.instance.rule);
    expect(order.slice(0, 7)).toEqual(['time', 'translation', 'translation', 'rotation', 'boost', 'boost', 'scaling']);
    // Then what solving for the algebra adds beyond the rules' span: six generators for ou2d (dimension 8 = E, L_xy and these).
    expect(order.slice(7)).toEqual(Array(6).fill('discovered'));
    expect(d.algebra).toMatchObject({ dimension: 8, complete: true });
    expect(d.algebra!.basis).toEqual([0, 3, 7, 8, 9, 10, 11, 12]);
    expect(d.symmetries.filter((s) => s.instance.rule === 'translation').map((s) => s.instance.params)).toEqual([{ axis: 'x' }, { axis: 'y' }]);
    expect(d.rules).toHaveLength(5);
  });

  it('user rules come after the built-ins, by name', () => {
    const merged = mergeRules(BUILTIN, loadRuleDir('test/fixtures/rules'));
    const d = derive(lagrangianOf('ou2d'), merged);
    const order = d.symmetries.map((s) => s.instance.rule);
    expect(order.slice(0, 7)).toEqual(['time', 'translation', 'translation', 'rotation', 'boost', 'boost', 'scaling']);
    // The user rule is the last rule instance; only the discovered generators come after it.
    expect(order.slice(7, 8)).toEqual(['hyperbolic']);
    expect(order.slice(8)).toEqual(Array(6).fill('discovered'));
  });
});
