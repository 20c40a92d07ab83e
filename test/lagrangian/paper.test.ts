// The paper's formulas (Eqs. 8, 10, 12, 14, 15, 19, 20) written out by hand and
// compared with what the toolkit derives, as functions at seeded points.
import { describe, expect, it } from 'vitest';
import { type Expr, add, mul, sub, substitute, sym } from '../../src/expr/expr.ts';
import { diff } from '../../src/expr/diff.ts';
import { evaluate } from '../../src/expr/evaluate.ts';
import { isZeroSymbolic } from '../../src/expr/normal.ts';
import { toText } from '../../src/expr/print.ts';
import { buildLagrangian, equationsOfMotion } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { Rng } from '../../src/random/rng.ts';

const rng = new Rng(2024);
function points(names: string[], count = 8): Array<Map<string, number>> {
  return Array.from({ length: count }, () => new Map(names.map((n) => [n, rng.between(-1.5, 1.5)])));
}
function agree(e: Expr, hand: (v: Map<string, number>) => number, names: string[], params: Record<string, number>): void {
  for (const pt of points(names)) {
    const v = new Map([...pt, ...Object.entries(params)]);
    const ours = evaluate(e, v);
    const theirs = hand(v);
    expect(Math.abs(ours - theirs), `${toText(e)} at ${JSON.stringify([...v])}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(theirs)));
  }
}
const g = (v: Map<string, number>, n: string): number => v.get(n) as number;

describe('paper formulas', () => {
  it('DDM: L = (ẋ − v)²/(2σ²), p = (ẋ − v)/σ² (Eq. 19), E from Eq. 12 with D = σ²/2', () => {
    const params = { v: 0.5, sigma: 0.8 };
    const r = buildLagrangian(buildModel({ name: 'ddm', state: ['x'], params, drift: ['v'], noise: 'sigma' }));
    const eom = equationsOfMotion(r);
    const names = ['x', 'x_dot'];
    agree(r.lagrangian, (v) => (g(v, 'x_dot') - g(v, 'v')) ** 2 / (2 * g(v, 'sigma') ** 2), names, params);
    agree(r.momenta[0], (v) => (g(v, 'x_dot') - g(v, 'v')) / g(v, 'sigma') ** 2, names, params);
    agree(r.energy, (v) => (g(v, 'x_dot') ** 2 - g(v, 'v') ** 2) / (4 * (g(v, 'sigma') ** 2 / 2)), names, params);
    // Constant momentum means a straight line: ẍ = 0.
    expect(toText(eom.accelerations[0])).toBe('0');
  });

  it('1D OU: the Euler–Lagrange equation is ẍ = k² x', () => {
    const r = buildLagrangian(buildModel({ name: 'ou', state: ['x'], params: { k: 1.3, D: 0.2 }, drift: ['-k*x'], diffusion: 'D' }));
    const eom = equationsOfMotion(r);
    expect(isZeroSymbolic(sub(eom.accelerations[0], mul(sym('k'), sym('k'), sym('x'))))).toBe(true);
  });

  it('2D OU: L (Eq. 8), p (Eq. 15), E (Eq. 12) and L12 = x p_y − y p_x (Eq. 16)', () => {
    const params = { k: 1.0, D: 0.5 };
    const r = buildLagrangian(buildModel({ name: 'ou2d', state: ['x', 'y'], params, drift: ['-k*x', '-k*y'], diffusion: 'D' }));
    const names = ['x', 'y', 'x_dot', 'y_dot'];
    const f = (v: Map<string, number>): [number, number] => [-g(v, 'k') * g(v, 'x'), -g(v, 'k') * g(v, 'y')];
    agree(r.lagrangian, (v) => {
      const [fx, fy] = f(v);
      return ((g(v, 'x_dot') - fx) ** 2 + (g(v, 'y_dot') - fy) ** 2) / (4 * g(v, 'D'));
    }, names, params);
    agree(r.momenta[0], (v) => (g(v, 'x_dot') - f(v)[0]) / (2 * g(v, 'D')), names, params);
    agree(r.momenta[1], (v) => (g(v, 'y_dot') - f(v)[1]) / (2 * g(v, 'D')), names, params);
    agree(r.energy, (v) => {
      const [fx, fy] = f(v);
      return (g(v, 'x_dot') ** 2 + g(v, 'y_dot') ** 2 - fx ** 2 - fy ** 2) / (4 * g(v, 'D'));
    }, names, params);
    const L12 = sub(mul(sym('x'), r.momenta[1]), mul(sym('y'), r.momenta[0]));
    agree(L12, (v) => (g(v, 'x') * (g(v, 'y_dot') - f(v)[1]) - g(v, 'y') * (g(v, 'x_dot') - f(v)[0])) / (2 * g(v, 'D')), names, params);
  });

  it('3-attractor model (Eq. 20): L, p (Eq. 14) and E (Eq. 10) with D = σ²/τ', () => {
    const params = { mu0: 0, A: 0.8, I: 0.4, c: 0.5, n: 0.1, tau: 1.3, sigma: 0.1 };
    const r = buildLagrangian(buildModel({
      name: 'attractor3', state: ['x', 'y'], params,
      drift: ['(mu0 + A/2*(tanh((x - c)/n) + 1) - I/2*(tanh((y - c)/n) + 1) - x)/tau', '(mu0 + A/2*(tanh((y - c)/n) + 1) - I/2*(tanh((x - c)/n) + 1) - y)/tau'],
      diffusion: 'sigma^2/tau',
    }));
    const f = (v: Map<string, number>): [number, number] => {
      const P = (k: string): number => g(v, k);
      const h = (z: number): number => Math.tanh((z - P('c')) / P('n')) + 1;
      return [
        (P('mu0') + (P('A') / 2) * h(P('x')) - (P('I') / 2) * h(P('y')) - P('x')) / P('tau'),
        (P('mu0') + (P('A') / 2) * h(P('y')) - (P('I') / 2) * h(P('x')) - P('y')) / P('tau'),
      ];
    };
    const D = (v: Map<string, number>): number => g(v, 'sigma') ** 2 / g(v, 'tau');
    const names = ['x', 'y', 'x_dot', 'y_dot'];
    agree(r.lagrangian, (v) => {
      const [fx, fy] = f(v);
      return ((g(v, 'x_dot') - fx) ** 2 + (g(v, 'y_dot') - fy) ** 2) / (4 * D(v));
    }, names, params);
    agree(r.momenta[1], (v) => (g(v, 'y_dot') - f(v)[1]) / (2 * D(v)), names, params);
    agree(r.energy, (v) => {
      const [fx, fy] = f(v);
      return (g(v, 'x_dot') ** 2 + g(v, 'y_dot') ** 2) / (4 * D(v)) - (fx ** 2 + fy ** 2) / (4 * D(v));
    }, names, params);
  });

  it('full constant D: E = ¼ẋᵀD⁻¹ẋ − ¼fᵀD⁻¹f (Eq. 10) and p = ½D⁻¹(ẋ − f) (Eq. 15)', () => {
    const params = { a: 1.0, b: 0.3, c: 0.8 };
    const r = buildLagrangian(buildModel({
      name: 'full', state: ['x', 'y'], params, drift: ['-x + y', '-y - x^3'], diffusion: [['a', 'b'], ['b', 'c']],
    }));
    const inv = (v: Map<string, number>): number[][] => {
      const [a, b, c] = [g(v, 'a'), g(v, 'b'), g(v, 'c')];
      const det = a * c - b * b;
      return [[c / det, -b / det], [-b / det, a / det]];
    };
    const quad = (M: number[][], u: number[], w: number[]): number => u[0] * (M[0][0] * w[0] + M[0][1] * w[1]) + u[1] * (M[1][0] * w[0] + M[1][1] * w[1]);
    const names = ['x', 'y', 'x_dot', 'y_dot'];
    const fv = (v: Map<string, number>): number[] => [-g(v, 'x') + g(v, 'y'), -g(v, 'y') - g(v, 'x') ** 3];
    const xd = (v: Map<string, number>): number[] => [g(v, 'x_dot'), g(v, 'y_dot')];
    agree(r.energy, (v) => quad(inv(v), xd(v), xd(v)) / 4 - quad(inv(v), fv(v), fv(v)) / 4, names, params);
    agree(r.momenta[0], (v) => {
      const u = [xd(v)[0] - fv(v)[0], xd(v)[1] - fv(v)[1]];
      return (inv(v)[0][0] * u[0] + inv(v)[0][1] * u[1]) / 2;
    }, names, params);
  });

  it('Euler–Lagrange and Hamilton agree for a state- and time-dependent model', () => {
    const model = buildModel({
      name: 'general', state: ['x', 'y'], params: { s: 0.4 },
      drift: ['-x + y*sin(t)', '-y^3 + tanh(x)'], diffusion: ['s*(1 + x^2)', 's*(2 + t^2)'],
    });
    const r = buildLagrangian(model);
    const eom = equationsOfMotion(r);
    // Along a solution, p(x, ẋ, t) obeys ṗ = −∂H/∂x evaluated at p = p(x, ẋ, t):
    // d/dt pᵢ = Σⱼ ∂pᵢ/∂xⱼ ẋⱼ + Σⱼ ∂pᵢ/∂ẋⱼ ẍⱼ + ∂pᵢ/∂t.
    const names = ['x', 'y'];
    const subsP = new Map(names.map((n, i) => [`p_${n}`, r.momenta[i]]));
    names.forEach((_, i) => {
      const p = r.momenta[i];
      const dpdt = add(
        ...names.map((n) => mul(diff(p, n), sym(`${n}_dot`))),
        ...names.map((n, j) => mul(diff(p, `${n}_dot`), eom.accelerations[j])),
        diff(p, 't'),
      );
      const hamilton = substitute(eom.hamilton.pdot[i], subsP);
      agree(sub(dpdt, hamilton), () => 0, [...names, 'x_dot', 'y_dot', 't'], { s: 0.4 });
      // and ẋ = ∂H/∂p at p = p(x, ẋ) gives back ẋ.
      const back = substitute(eom.hamilton.xdot[i], subsP);
      agree(sub(back, sym(`${names[i]}_dot`)), () => 0, [...names, 'x_dot', 'y_dot', 't'], { s: 0.4 });
    });
  });
});

describe('full diffusion tensors beyond two dimensions', () => {
  it('a state-dependent full D in N = 4 is inverted symbolically: p = ½D⁻¹(ẋ − f) and E = p·ẋ − L at a point', () => {
    const model = buildModel({
      name: 'full4',
      state: ['x1', 'x2', 'x3', 'x4'],
      params: { s: 0.5 },
      drift: ['-x1', '-x2 + x1', '-x3*x4', '-x4'],
      noise: [['1', 's*x2', 0, 0], [0, '1', 's*x3', 0], [0, 0, '1', 's*x4'], ['s*x1', 0, 0, '1']],
    });
    expect(model.diffusion.structure).toBe('full');
    const r = buildLagrangian(model);
    const pt = new Map<string, number>([['s', 0.5], ['t', 0]]);
    const xs = [0.3, -0.2, 0.5, 0.1];
    const vs = [0.7, -0.4, 0.2, 0.9];
    model.state.forEach((n, i) => {
      pt.set(n, xs[i]);
      pt.set(`${n}_dot`, vs[i]);
    });
    // D = G Gᵀ/2 and u = ẋ − f by hand; then solve D (2p) = u numerically.
    const s = 0.5;
    const [a, b, c, d] = xs;
    const G = [[1, s * b, 0, 0], [0, 1, s * c, 0], [0, 0, 1, s * d], [s * a, 0, 0, 1]];
    const D = G.map((gi) => G.map((gj) => gi.reduce((acc, g, k) => acc + g * gj[k], 0) / 2));
    const f = [-a, -b + a, -c * d, -d];
    const u = vs.map((v, i) => v - f[i]);
    // Gaussian elimination for y = D⁻¹u.
    const A = D.map((row, i) => [...row, u[i]]);
    for (let col = 0; col < 4; col++) {
      for (let row = col + 1; row < 4; row++) {
        const m = A[row][col] / A[col][col];
        for (let k = col; k < 5; k++) A[row][k] -= m * A[col][k];
      }
    }
    const y = [0, 0, 0, 0];
    for (let row = 3; row >= 0; row--) y[row] = (A[row][4] - A[row].slice(row + 1, 4).reduce((acc, v, k) => acc + v * y[row + 1 + k], 0)) / A[row][row];
    r.momenta.forEach((p, i) => expect(evaluate(p, pt)).toBeCloseTo(y[i] / 2, 10));
    const L = u.reduce((acc, ui, i) => acc + ui * y[i], 0) / 4;
    expect(evaluate(r.lagrangian, pt)).toBeCloseTo(L, 10);
    const E = vs.reduce((acc, v, i) => acc + v * (y[i] / 2), 0) - L;
    expect(evaluate(r.energy, pt)).toBeCloseTo(E, 10);
  });

  it('a constant full D in N = 5 is inverted exactly from the parameter values', () => {
    const m = [
      ['a', 'b', 0, 0, 0],
      ['b', 'a', 'b', 0, 0],
      [0, 'b', 'a', 'b', 0],
      [0, 0, 'b', 'a', 'b'],
      [0, 0, 0, 'b', 'a'],
    ];
    const model = buildModel({ name: 'chain5', state: ['x1', 'x2', 'x3', 'x4', 'x5'], params: { a: 1, b: 0.25 }, drift: ['-x1', '-x2', '-x3', '-x4', '-x5'], diffusion: m });
    const r = buildLagrangian(model);
    const pt = new Map<string, number>([['t', 0], ['a', 1], ['b', 0.25]]);
    model.state.forEach((n, i) => {
      pt.set(n, 0);
      pt.set(`${n}_dot`, i === 2 ? 1 : 0);
    });
    // With x = 0 and ẋ = e₃, L = ¼ (D⁻¹)₃₃; check D·(2p) = ẋ − f = e₃ instead of inverting by hand.
    const p = r.momenta.map((e) => evaluate(e, pt));
    const Dnum: number[][] = m.map((row) => row.map((v) => (v === 'a' ? 1 : v === 'b' ? 0.25 : 0)));
    const back = Dnum.map((row) => row.reduce((acc, v, j) => acc + v * 2 * p[j], 0));
    back.forEach((v, i) => expect(v).toBeCloseTo(i === 2 ? 1 : 0, 12));
  });
});
