// Symmetry discovery (issue 11): the dimension of the algebra solved for
// against the known algebras (free diffusion: the Schrödinger algebra of
// dimension (n² + 3n + 6)/2; linear drifts: the same dimension; nonlinear
// drifts: time and rotation, or time only), every generator known in closed
// form lying in the span of the basis found, every basis generator a
// (quasi-)symmetry by finite differences of L, and every charge conserved on
// shell, differentiated by mathjs (an evaluator independent of the one that
// derived it).
import { derivative, evaluate as mathEvaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { compileScalar } from '../../src/expr/evaluate.ts';
import { num, substitute } from '../../src/expr/expr.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { toText } from '../../src/expr/print.ts';
import { type LagrangianResult, equationsOfMotion } from '../../src/lagrangian/lagrangian.ts';
import type { ModelSpec } from '../../src/model/types.ts';
import { modelScope } from '../../src/model/build.ts';
import { derive } from '../../src/noether/derive.ts';
import { detect } from '../../src/symmetry/detect.ts';
import { determiningSystem } from '../../src/symmetry/determining.ts';
import { type Generator, builtinRules, claimedGenerator } from '../../src/symmetry/rules.ts';
import { type Bracket, algebraName } from '../../src/symmetry/algebra.ts';
import { Rational } from '../../src/expr/rational.ts';
import { Rng } from '../../src/random/rng.ts';
import { lagrangianFor } from './support.ts';

const MODELS: Record<string, { spec: ModelSpec; dimension: number; known: Array<{ dt?: string; dx: string[] }> }> = {
  free1d: {
    spec: { name: 'free1d', state: ['x'], params: { D: 0.4 }, drift: ['0'], diffusion: 'D' },
    dimension: 5,
    known: [{ dt: '1', dx: ['0'] }, { dx: ['1'] }, { dx: ['t'] }, { dt: '2*t', dx: ['x'] }, { dt: 't^2', dx: ['t*x'] }],
  },
  free2d: {
    spec: { name: 'free2d', state: ['x', 'y'], params: { D: 0.4 }, drift: ['0', '0'], diffusion: 'D' },
    dimension: 8,
    known: [{ dt: '1', dx: ['0', '0'] }, { dx: ['1', '0'] }, { dx: ['0', 't'] }, { dx: ['-y', 'x'] }, { dt: '2*t', dx: ['x', 'y'] }, { dt: 't^2', dx: ['t*x', 't*y'] }],
  },
  // A forced linear drift with a coupled (triangular) B: solved through a particular solution
  // of ẋ = Bx + c(t) found component by component; time translation survives only shifted.
  forcedCoupled: {
    spec: { name: 'forced-coupled', state: ['x', 'y'], params: { k: 1, c: 0.5, A: 0.3, w: 1 }, drift: ['-k*x + c*y + A*sin(w*t)', '-2*k*y'], diffusion: 0.5 },
    dimension: 5,
    known: [{ dx: ['exp(-t)', '0'] }, { dx: ['exp(-2*t)', '-2*exp(-2*t)'] }],
  },
  ou1d: {
    spec: { name: 'ou1d', state: ['x'], params: { k: 1.2, D: 0.4 }, drift: ['-k*x'], diffusion: 'D' },
    dimension: 5,
    known: [{ dt: '1', dx: ['0'] }, { dx: ['exp(-k*t)'] }, { dx: ['exp(k*t)'] }, { dt: 'exp(2*k*t)', dx: ['k*x*exp(2*k*t)'] }, { dt: 'exp(-2*k*t)', dx: ['-k*x*exp(-2*k*t)'] }],
  },
  ou2d: {
    spec: { name: 'ou2d', state: ['x', 'y'], params: { k: 1, D: 0.5 }, drift: ['-k*x', '-k*y'], diffusion: 'D' },
    dimension: 8,
    known: [{ dt: '1', dx: ['0', '0'] }, { dx: ['-y', 'x'] }, { dx: ['exp(-k*t)', '0'] }, { dx: ['0', 'exp(k*t)'] }, { dt: 'exp(2*k*t)', dx: ['k*x*exp(2*k*t)', 'k*y*exp(2*k*t)'] }],
  },
  anisotropic: {
    // D = [[2, 1], [1, 3]], f = −kx: the rotation of the D⁻¹ metric, ξ = D S x, is exact; the Euclidean one is not.
    spec: { name: 'anisotropic', state: ['x', 'y'], params: { k: 1 }, drift: ['-k*x', '-k*y'], diffusion: [[2, 1], [1, 3]] },
    dimension: 8,
    known: [{ dt: '1', dx: ['0', '0'] }, { dx: ['2*y - x', 'y - 3*x'] }, { dx: ['exp(-k*t)', '0'] }],
  },
  central: {
    spec: { name: 'central', state: ['x', 'y'], params: { D: 0.5 }, drift: ['x - x*(x^2 + y^2)', 'y - y*(x^2 + y^2)'], diffusion: 'D' },
    dimension: 2,
    known: [{ dt: '1', dx: ['0', '0'] }, { dx: ['-y', 'x'] }],
  },
  forcedOu: {
    // Time translation is broken by the forcing; x = y + x_p(t) maps it to the OU process.
    spec: { name: 'forced', state: ['x'], params: { k: 1, A: 0.5, w: 2, D: 0.4 }, drift: ['-k*x + A*sin(w*t)'], diffusion: 'D' },
    dimension: 5,
    known: [{ dx: ['exp(-k*t)'] }, { dx: ['exp(k*t)'] }],
  },
  nongradient: {
    // The 3-attractor network of paper Eq. 20 (A ≠ I: not a gradient): time translation only.
    spec: { name: 'attractor3', state: ['x', 'y'], params: { A: 0.8, I: 0.4, c: 0.5, n: 0.1, s: 0.1 }, drift: ['A/2*(tanh((x-c)/n)+1) - I/2*(tanh((y-c)/n)+1) - x', 'A/2*(tanh((y-c)/n)+1) - I/2*(tanh((x-c)/n)+1) - y'], diffusion: 's^2' },
    dimension: 1,
    known: [{ dt: '1', dx: ['0', '0'] }],
  },
};

/** Values of a generator's components at seeded points, parameters at the model's values. */
function values(g: Generator, lagr: LagrangianResult, points: number[][]): number[] {
  const names = [...lagr.model.state, 't', ...lagr.model.params.map((p) => p.name)];
  const index = new Map(names.map((s, i) => [s, i]));
  const fns = [g.dt, ...g.dx].map((e) => compileScalar(e, (s) => index.get(s)));
  return points.flatMap((p) => fns.map((f) => f(p)));
}

/** Numerical rank (Gram–Schmidt with a relative threshold). */
function rank(vectors: number[][]): number {
  const basis: number[][] = [];
  for (const v0 of vectors) {
    const v = [...v0];
    for (const b of basis) {
      const d = v.reduce((s, x, i) => s + x * b[i], 0);
      for (let i = 0; i < v.length; i++) v[i] -= d * b[i];
    }
    const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    const n0 = Math.sqrt(v0.reduce((s, x) => s + x * x, 0));
    if (n > 1e-7 * n0) basis.push(v.map((x) => x / n));
  }
  return basis.length;
}

describe.each(Object.entries(MODELS))('%s', (_name, { spec, dimension, known }) => {
  const lagr = lagrangianFor(spec);
  const d = derive(lagr, builtinRules());
  const basis = (d.algebra?.basis ?? []).map((i) => d.symmetries[i]);

  it(`the algebra has dimension ${dimension}, complete, and the basis is that many exact or quasi symmetries`, () => {
    expect(d.algebra?.dimension).toBe(dimension);
    expect(d.algebra?.complete).toBe(true);
    expect(basis).toHaveLength(dimension);
    for (const s of basis) expect(['exact', 'quasi']).toContain(s.verdict.status);
  });

  it('every generator known in closed form is a symmetry and lies in the span of the basis', () => {
    const rng = new Rng(7);
    const points = Array.from({ length: 5 }, () => [...lagr.model.state.map(() => rng.between(-1, 1)), rng.between(0.1, 1.5), ...lagr.model.params.map((p) => p.value)]);
    const rows = basis.map((s) => values(s.instance.generator, lagr, points));
    expect(rank(rows)).toBe(dimension);
    for (const g of known) {
      const claim = claimedGenerator(g, lagr.model);
      expect(['exact', 'quasi'], `${JSON.stringify(g)}`).toContain(detect(lagr, claim.generator).status);
      expect(rank([...rows, values(claim.generator, lagr, points)]), `${JSON.stringify(g)} is not in the span`).toBe(dimension);
    }
  });

  it('every charge of the basis is conserved on shell: dJ/dt = 0 along the Euler–Lagrange flow (mathjs derivatives)', () => {
    const state = lagr.model.state;
    const params = Object.fromEntries(lagr.model.params.map((p) => [p.name, p.value]));
    const acc = equationsOfMotion(lagr).accelerations.map(toText);
    const rng = new Rng(11);
    for (const s of basis.filter((q) => q.charge)) {
      const J = toText(s.charge?.expr as never);
      const dJ = (v: string): string => derivative(J, v, { simplify: false }).toString();
      const parts = { t: dJ('t'), x: state.map(dJ), v: state.map((x) => dJ(`${x}_dot`)) };
      for (let k = 0; k < 4; k++) {
        const pt: Record<string, number> = { ...params, t: rng.between(0.1, 1.5) };
        for (const x of state) [pt[x], pt[`${x}_dot`]] = [rng.between(-1, 1), rng.between(-1, 1)];
        const num = (e: string): number => mathEvaluate(e, { ...pt }) as number;
        const terms = [num(parts.t), ...state.flatMap((x, i) => [num(parts.x[i]) * pt[`${x}_dot`], num(parts.v[i]) * num(acc[i])])];
        const scale = terms.reduce((a, b) => a + Math.abs(b), 0);
        const total = terms.reduce((a, b) => a + b, 0);
        expect(Math.abs(total), `d${s.charge?.symbol}/dt for ${s.instance.description}`).toBeLessThanOrEqual(1e-9 * (1 + scale));
      }
    }
  });
});

describe('the determining equations (the reduction of δL = DₜK)', () => {
  it('have τ, the rotations of the D⁻¹ metric and the translations as unknowns', () => {
    const sys = determiningSystem(lagrangianFor(MODELS.anisotropic.spec));
    expect(sys.unknowns.map((u) => u.name)).toEqual(['τ', 's_xy', 'a_x', 'a_y']);
    // ξ = ½τ′x + DSx + a with D = [[2, 1], [1, 3]]: with s_xy = 1 and the rest 0, ξ = (2y − x, y − 3x).
    const only = new Map(['_u0_0', '_u0_1', '_u1_0', '_u2_0', '_u3_0'].map((n) => [n, num(n === '_u1_0' ? 1 : 0)]));
    const xi = sys.generator.dx.map((e) => toText(substitute(e, only)));
    expect(xi).toEqual(['2*y - x', 'y - 3*x']);
    expect(sys.independent).toBe(true);
  });

  it('a state-dependent D: ξ searched among polynomials of degree ≤ 2 — dx = s(1 + x²) dW has ξ = 1 + x² (exact) and t(1 + x²) (quasi)', () => {
    const lagr = lagrangianFor({ name: 'multiplicative', state: ['x'], params: { s: 0.5 }, drift: ['0'], noise: 's*(1 + x^2)' });
    const d = derive(lagr, builtinRules());
    expect(d.algebra).toMatchObject({ dimension: 3, complete: true });
    expect(d.algebra?.searched).toMatch(/polynomial in x of degree ≤ 2/);
    const found = (d.algebra?.basis ?? []).map((i) => d.symmetries[i]);
    const text = found.map((s) => `${toText(s.instance.generator.dt)} | ${toText(s.instance.generator.dx[0])} | ${s.verdict.status}`);
    expect(text).toContain('1 | 0 | exact');
    expect(text).toContain('0 | x^2 + 1 | exact');
    expect(text.some((t) => /^0 \| t\*x\^2 \+ t \| quasi$|^0 \| t \+ t\*x\^2 \| quasi$/.test(t))).toBe(true);
    // A state-dependent D with a radial drift keeps its rotation, and nothing else polynomial.
    const radial = derive(lagrangianFor({ name: 'radial', state: ['x', 'y'], params: { s: 0.5 }, drift: ['-x', '-y'], noise: 's*sqrt(1 + x^2 + y^2)' }), builtinRules());
    expect(radial.algebra).toMatchObject({ dimension: 2, complete: true, name: 'abelian (ℝ^2)' });
  });

  it('a forced OU (ẋ = −kx + A sin ωt): five generators through a particular solution, each with its charge and K in closed form', () => {
    const lagr = lagrangianFor({ name: 'forced', state: ['x'], params: { k: 1, A: 0.5, w: 2, D: 0.4 }, drift: ['-k*x + A*sin(w*t)'], diffusion: 'D' });
    const d = derive(lagr, builtinRules());
    expect(d.algebra).toMatchObject({ dimension: 5, complete: true });
    expect(d.algebra?.searched).toMatch(/particular solution/);
    const basis = (d.algebra?.basis ?? []).map((i) => d.symmetries[i]);
    // Time translation is broken, yet every basis generator has its charge (K found in closed form).
    expect(d.symmetries.find((s) => s.instance.rule === 'time')?.verdict.status).toBe('broken');
    for (const s of basis) {
      expect(['exact', 'quasi']).toContain(s.verdict.status);
      expect(s.charge, s.instance.description).toBeDefined();
    }
    // The generator the issue names: ξ = e^{−kt} (exact) is in the algebra.
    expect(detect(lagr, claimedGenerator({ dx: ['exp(-k*t)'] }, lagr.model).generator).status).toBe('exact');
    expect(basis.some((s) => toText(s.instance.generator.dt) === '0' && toText(s.instance.generator.dx[0]) === 'exp(-t)')).toBe(true);
  });

  it('a rotating anisotropic trap f = −R(ωt) K R(ωt)ᵀ x: time and rotation are each broken, their combination ∂t + ω(x∂y − y∂x) is exact, and its charge is conserved on shell', () => {
    const c = 'cos(w*t)';
    const sn = 'sin(w*t)';
    const lagr = lagrangianFor({
      name: 'rotating-trap',
      state: ['x', 'y'],
      params: { a: 1, b: 2, w: 0.5, D: 0.5 },
      drift: [`-(a*${c}^2 + b*${sn}^2)*x - (a - b)*${c}*${sn}*y`, `-(a - b)*${c}*${sn}*x - (a*${sn}^2 + b*${c}^2)*y`],
      diffusion: 'D',
    });
    const d = derive(lagr, builtinRules());
    for (const rule of ['time', 'rotation']) expect(d.symmetries.find((s) => s.instance.rule === rule)?.verdict.status).toBe('broken');
    expect(d.algebra?.complete).toBe(false);
    expect(d.algebra?.note).toMatch(/1 symmetry found as combinations of the rules' broken generators/);
    const combined = d.symmetries.filter((s) => s.instance.description.startsWith('combination:'));
    expect(combined).toHaveLength(1);
    const [s] = combined;
    expect(s.instance.description).toBe('combination: time translation + 1/2 × rotation in the (x, y) plane');
    expect(s.verdict).toMatchObject({ status: 'exact', evidence: 'symbolic' });
    expect([toText(s.instance.generator.dt), ...s.instance.generator.dx.map(toText)]).toEqual(['1', '-y/2', 'x/2']);
    // dJ/dt = 0 on shell (mathjs derivatives along the Euler–Lagrange flow).
    const J = toText(s.charge?.expr as never);
    const acc = equationsOfMotion(lagr).accelerations.map(toText);
    const rng = new Rng(5);
    for (let k = 0; k < 4; k++) {
      const pt: Record<string, number> = { a: 1, b: 2, w: 0.5, D: 0.5, t: rng.between(0, 3) };
      for (const v of ['x', 'y', 'x_dot', 'y_dot']) pt[v] = rng.between(-1, 1);
      const at = (e: string): number => mathEvaluate(derivative(J, e, { simplify: false }).toString(), { ...pt }) as number;
      const terms = [at('t'), at('x') * pt.x_dot, at('y') * pt.y_dot, at('x_dot') * (mathEvaluate(acc[0], { ...pt }) as number), at('y_dot') * (mathEvaluate(acc[1], { ...pt }) as number)];
      expect(Math.abs(terms.reduce((p, q) => p + q, 0))).toBeLessThanOrEqual(1e-9 * (1 + terms.reduce((p, q) => p + Math.abs(q), 0)));
    }
  });

  it('the discovered generators are written in model syntax that reads back', () => {
    const lagr = lagrangianFor(MODELS.ou1d.spec);
    const d = derive(lagr, builtinRules());
    const scope = modelScope(lagr.model.state, lagr.model.params);
    for (const s of d.symmetries.filter((q) => q.instance.rule === 'discovered')) {
      for (const e of [s.instance.generator.dt, ...s.instance.generator.dx]) expect(parseExpression(toText(e), scope).key).toBe(e.key);
    }
  });
});

describe('names of reductive algebras (networks: time shifts and rotations)', () => {
  const r = (n: number) => Rational.of(n);
  /** Brackets from structure constants [e_a, e_b] = Σ c e_t. */
  const table = (entries: Array<[number, number, Array<[number, number]>]>): Bracket[] =>
    entries.map(([a, b, terms]) => ({ a, b, result: terms.map(([index, c]) => ({ index, coefficient: r(c) })) }));
  // so(3) ≅ su(2): [L1, L2] = L3 and cyclic.
  const so3: Array<[number, number, Array<[number, number]>]> = [[0, 1, [[2, 1]]], [1, 2, [[0, 1]]], [0, 2, [[1, -1]]]];
  it('su(2), u(2) = ℝ ⊕ su(2), time ⊕ u(2), su(2) ⊕ su(2), and not a non-reductive algebra', () => {
    expect(algebraName(3, table(so3), 4)).toBe('su(2)');
    expect(algebraName(4, table(so3), 4)).toBe('ℝ ⊕ su(2) (u(2))');
    expect(algebraName(5, table(so3), 4)).toBe('ℝ^2 ⊕ su(2) (ℝ ⊕ u(2))');
    const twice = [...so3, ...so3.map(([a, b, t]): [number, number, Array<[number, number]>] => [a + 3, b + 3, t.map(([i, c]) => [i + 3, c])])];
    expect(algebraName(6, table(twice), 4)).toBe('su(2) ⊕ su(2)');
    // [E, J3] = J2 (geometric Brownian motion's time, ξ = x, ξ = t x): solvable, not named.
    expect(algebraName(3, table([[0, 2, [[1, 1]]]]), 1)).toBeNull();
  });

  it('a radial network of 4 units with W = R(θ) ⊕ R(θ): the commutant of W in so(4) is u(2), found as combinations of rotations', () => {
    // W = R ⊕ R commutes with the rotations of each plane and with the two 4×4 skew matrices
    // that swap the blocks (ξ = (−x₃, −x₄, x₁, x₂), (−x₄, x₃, −x₂, x₁)): dimension 4, plus time.
    const lagr = lagrangianFor({
      name: 'radial4',
      state: { x: 4 },
      params: { W: [[0.8, -0.6, 0, 0], [0.6, 0.8, 0, 0], [0, 0, 0.8, -0.6], [0, 0, 0.6, 0.8]], D: 0.05 },
      drift: '-x + tanh(norm(x))*(W*x)/norm(x)',
      diffusion: 'D',
    });
    const d = derive(lagr, builtinRules());
    expect(d.algebra?.basis).toHaveLength(5);
    expect(d.algebra?.name).toBe('ℝ^2 ⊕ su(2) (ℝ ⊕ u(2)), spanned by the generators found');
    const generators = (d.algebra?.basis ?? []).map((i) => d.symmetries[i].instance.generator.dx.map(toText).join(', '));
    expect(generators).toEqual(expect.arrayContaining(['-x_2, x_1, 0, 0', '0, 0, -x_4, x_3', '-x_3, -x_4, x_1, x_2', '-x_4, x_3, -x_2, x_1']));
  }, 60_000);
});

describe('the brackets of the basis and the name of the algebra', () => {
  const bracketsOf = (spec: ModelSpec): { name: string | null; table: Map<string, string> } => {
    const d = derive(lagrangianFor(spec), builtinRules());
    const a = d.algebra;
    if (!a) throw new Error('no algebra');
    const label = (i: number): string => d.symmetries[a.basis[i]].charge?.symbol ?? '?';
    const table = new Map<string, string>();
    for (const b of a.brackets) {
      expect(b.result, `[${label(b.a)}, ${label(b.b)}]`).not.toBeNull();
      table.set(`${label(b.a)},${label(b.b)}`, (b.result ?? []).map((t) => `${t.coefficient} ${label(t.index)}`).join(' + '));
    }
    return { name: a.name, table };
  };

  it('free diffusion in 2D: the Schrödinger algebra, with [∂t, t∂x] = ∂x and [∂t, 2t∂t + x·∂x] = 2∂t', () => {
    const { name, table } = bracketsOf(MODELS.free2d.spec);
    expect(name).toMatch(/^Schrödinger algebra sch\(2\)/);
    expect(table.get('E,B_x')).toBe('1 p_x');
    expect(table.get('E,S')).toBe('2 E');
    expect(table.get('p_x,B_x')).toBe(''); // commute as vector fields (their charges do not: K)
    expect(table.get('L_xy,B_x')).toBe('-1 B_y');
  });

  it('the 2D OU: the same algebra (a linear drift is free diffusion in other coordinates)', () => {
    expect(bracketsOf(MODELS.ou2d.spec).name).toMatch(/^Schrödinger algebra sch\(2\)/);
  });

  it('a central nonlinear drift: time and rotation commute (abelian)', () => {
    expect(bracketsOf(MODELS.central.spec).name).toBe('abelian (ℝ^2)');
  });
});

describe('names of discovered generators', () => {
  const descriptions = (spec: ModelSpec): string[] =>
    derive(lagrangianFor(spec), builtinRules()).symmetries.filter((s) => s.instance.rule === 'discovered').map((s) => s.instance.description);
  it('the rotation of the D⁻¹ metric, the special conformal generator, translations and dilations with a time profile', () => {
    expect(descriptions(MODELS.anisotropic.spec)).toContain('rotation in the D⁻¹ metric: ξ = (2*y - x, y - 3*x)');
    expect(descriptions(MODELS.free1d.spec)).toContain('special conformal: τ = t^2/2, ξ = (t*x/2)');
    const ou = descriptions(MODELS.ou1d.spec);
    expect(ou.filter((d) => d.startsWith('translation with a time profile: ξ = (exp('))).toHaveLength(2);
    expect(ou.filter((d) => d.startsWith('dilation with a time profile: τ = exp('))).toHaveLength(2);
  });
});
