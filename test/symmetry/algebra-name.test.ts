// The symmetry algebra's brackets and name (issue 13): brackets of linear generators
// (constant τ, ξ = Ωx) computed exactly from their matrices, checked against the
// symbolic bracket and the sampled-and-verified structure constants; names of compact
// reductive algebras from their simple ideals, on the networks' u(N/2) and on matrix
// algebras whose dimension and rank coincide (so(7) and sp(3); su(5) and g2 ⊕ so(5));
// and no name where the algebra is not compact reductive or the basis is not closed.
import { describe, expect, it } from 'vitest';
import { type Expr, add, mul, num, sub, sym } from '../../src/expr/expr.ts';
import { isZeroSymbolic } from '../../src/expr/normal.ts';
import { Rational } from '../../src/expr/rational.ts';
import { buildModel } from '../../src/model/build.ts';
import type { Model, ModelSpec } from '../../src/model/types.ts';
import { type Derivation, derive } from '../../src/noether/derive.ts';
import { type Bracket, algebraName, bracket, linearBrackets, structureConstants } from '../../src/symmetry/algebra.ts';
import { type Generator, builtinRules, instantiate } from '../../src/symmetry/rules.ts';
import { lagrangianFor } from './support.ts';

type Entries = Array<[number, number, number]>;

/** An n×n matrix from its non-zero entries (i, j, value). */
function matrix(n: number, entries: Entries): Rational[][] {
  const m = Array.from({ length: n }, () => Array.from({ length: n }, () => Rational.ZERO));
  for (const [i, j, v] of entries) m[i][j] = m[i][j].add(Rational.fromNumber(v));
  return m;
}

/** The generator τ ∂t + (Ωx)·∂x over the state x1 … xn. */
function linear(omega: Rational[][], tau = 0): Generator {
  return {
    dt: num(tau),
    dx: omega.map((row) => add(...row.flatMap((w, j): Expr[] => (w.isZero() ? [] : [mul(num(w), sym(`x${j + 1}`))])))),
  };
}

/** A model with state x1 … xn (the drift does not matter to the brackets). */
function stateModel(n: number): Model {
  const state = Array.from({ length: n }, (_, i) => `x${i + 1}`);
  return buildModel({ name: `state${n}`, state, params: {}, drift: state.map(() => '0'), diffusion: 1 });
}

/** Brackets of linear generators given by matrices, and the algebra's name. */
function nameOf(n: number, omegas: Rational[][][], tau = 0): string | null {
  const basis = [...(tau ? [linear(matrix(n, []), tau)] : []), ...omegas.map((o) => linear(o))];
  const brackets = linearBrackets(basis, stateModel(n));
  if (!brackets) throw new Error('not linear');
  return algebraName(basis.length, brackets, n);
}

/** E_ij − E_ji: the rotation in the (i, j) plane. */
const rotation = (n: number, i: number, j: number): Rational[][] => matrix(n, [[i, j, -1], [j, i, 1]]);
const rotations = (n: number, offset = 0, size = n): Rational[][][] =>
  Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => [i, j])).flat().filter(([i, j]) => i < j).map(([i, j]) => rotation(n, offset + i, offset + j));

/** su(m) on ℂ^m = ℝ^2m (z_k = x_2k + i x_2k+1): the real 2m×2m matrices of i(E_kk − E_k+1,k+1), E_kl − E_lk, i(E_kl + E_lk). */
function su(m: number, withCentre = false): Rational[][][] {
  const n = 2 * m;
  // The real matrix of (a + ib)E_kl.
  const unit = (k: number, l: number, a: number, b: number): Entries => [[2 * k, 2 * l, a], [2 * k + 1, 2 * l + 1, a], [2 * k, 2 * l + 1, -b], [2 * k + 1, 2 * l, b]];
  const out: Rational[][][] = [];
  if (withCentre) out.push(matrix(n, Array.from({ length: m }, (_, k) => unit(k, k, 0, 1)).flat()));
  for (let k = 0; k + 1 < m; k++) out.push(matrix(n, [...unit(k, k, 0, 1), ...unit(k + 1, k + 1, 0, -1)]));
  for (let k = 0; k < m; k++) {
    for (let l = k + 1; l < m; l++) {
      out.push(matrix(n, [...unit(k, l, 1, 0), ...unit(l, k, -1, 0)]));
      out.push(matrix(n, [...unit(k, l, 0, 1), ...unit(l, k, 0, 1)]));
    }
  }
  return out;
}

/** sp(r): quaternionic r×r matrices A with A* = −A acting on ℍ^r = ℝ^4r by left multiplication. */
function sp(r: number): Rational[][][] {
  // Left multiplication by the unit e_q on ℍ = ℝ⁴ (1, i, j, k): column c is e_q·e_c.
  const table = [
    [[0, 1], [1, 1], [2, 1], [3, 1]],
    [[1, 1], [0, -1], [3, 1], [2, -1]],
    [[2, 1], [3, -1], [0, -1], [1, 1]],
    [[3, 1], [2, 1], [1, -1], [0, -1]],
  ]; // table[q][c] = [index, sign] of e_q e_c
  const left = (q: number): Entries => table[q].map(([row, sign], c) => [row, c, sign]);
  const block = (s: number, t: number, entries: Entries, transpose = false, sign = 1): Entries =>
    entries.map(([i, j, v]) => (transpose ? [4 * s + j, 4 * t + i, sign * v] : [4 * s + i, 4 * t + j, sign * v]));
  const out: Rational[][][] = [];
  for (let s = 0; s < r; s++) for (let q = 1; q < 4; q++) out.push(matrix(4 * r, block(s, s, left(q))));
  for (let s = 0; s < r; s++) {
    for (let t = s + 1; t < r; t++) {
      // A_st = e_q, A_ts = −conj(e_q): the real blocks L and −Lᵀ.
      for (let q = 0; q < 4; q++) out.push(matrix(4 * r, [...block(s, t, left(q)), ...block(t, s, left(q), true, -1)]));
    }
  }
  return out;
}

/** g2 ⊂ so(7): the rotations that keep the octonions' 3-form φ = e123 + e145 + e167 + e246 − e257 − e347 − e356, by exact elimination. */
function g2(n = 7, offset = 0): Rational[][][] {
  const phi = new Map<string, number>();
  for (const [i, j, k, s] of [[0, 1, 2, 1], [0, 3, 4, 1], [0, 5, 6, 1], [1, 3, 5, 1], [1, 4, 6, -1], [2, 3, 6, -1], [2, 4, 5, -1]]) {
    // Alternating: every permutation with its sign.
    for (const [p, sign] of [[[i, j, k], 1], [[j, k, i], 1], [[k, i, j], 1], [[j, i, k], -1], [[i, k, j], -1], [[k, j, i], -1]] as Array<[number[], number]>) phi.set(p.join(), s * sign);
  }
  const form = (i: number, j: number, k: number): number => phi.get([i, j, k].join()) ?? 0;
  const planes = rotations(7);
  // (Ω·φ)_ijk = φ(Ωe_i, e_j, e_k) + φ(e_i, Ωe_j, e_k) + φ(e_i, e_j, Ωe_k), linear in the 21 rotation coefficients.
  const rows: Rational[][] = [];
  for (let i = 0; i < 7; i++) {
    for (let j = i + 1; j < 7; j++) {
      for (let k = j + 1; k < 7; k++) {
        rows.push(planes.map((O) => {
          let s = 0;
          for (let l = 0; l < 7; l++) s += O[l][i].toNumber() * form(l, j, k) + O[l][j].toNumber() * form(i, l, k) + O[l][k].toNumber() * form(i, j, l);
          return Rational.of(s);
        }));
      }
    }
  }
  return nullSpace(rows).map((c) => {
    const entries: Entries = [];
    planes.forEach((O, p) => O.forEach((row, i) => row.forEach((w, j) => (w.isZero() || c[p].isZero() ? undefined : entries.push([offset + i, offset + j, w.mul(c[p]).toNumber()])))));
    return matrix(n, entries);
  });
}

/** A basis of the null space of the rows, exactly. */
function nullSpace(rows: Rational[][]): Rational[][] {
  const m = rows.map((r) => [...r]);
  const cols = m[0].length;
  const pivots: number[] = [];
  for (let c = 0, r = 0; c < cols && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && !row[c].isZero());
    if (p < 0) continue;
    [m[r], m[p]] = [m[p], m[r]];
    const inv = Rational.ONE.div(m[r][c]);
    m[r] = m[r].map((x) => x.mul(inv));
    for (let i = 0; i < m.length; i++) if (i !== r && !m[i][c].isZero()) m[i] = m[i].map((x, j) => x.sub(m[i][c].mul(m[r][j])));
    pivots.push(c);
    r++;
  }
  const free = Array.from({ length: cols }, (_, c) => c).filter((c) => !pivots.includes(c));
  return free.map((f) => {
    const v = Array.from({ length: cols }, (_, c) => (c === f ? Rational.ONE : Rational.ZERO));
    pivots.forEach((c, r) => (v[c] = m[r][f].neg()));
    return v;
  });
}

/** Moves a block of matrices to start at row and column `offset` of an n×n matrix. */
const shifted = (n: number, offset: number, omegas: Rational[][][]): Rational[][][] =>
  omegas.map((o) => matrix(n, o.flatMap((row, i) => row.flatMap((w, j): Entries => (w.isZero() ? [] : [[offset + i, offset + j, w.toNumber()]])))));

/** The brackets as comparable text: "a,b: c·index …". */
const text = (brackets: readonly Bracket[]): string[] => brackets.map((b) => `${b.a},${b.b}: ${b.result === null ? '?' : b.result.map((t) => `${t.coefficient}·${t.index}`).join(' ')}`);

describe('exact brackets of linear generators', () => {
  it('follow the sign of bracket(): [y∂x, x∂y] = −(x∂x − y∂y) in sl(2, ℝ), and agree with it on so(3)', () => {
    const model = stateModel(2);
    const [e, f, h] = [matrix(2, [[0, 1, 1]]), matrix(2, [[1, 0, 1]]), matrix(2, [[0, 0, 1], [1, 1, -1]])].map((o) => linear(o));
    const brackets = linearBrackets([e, f, h], model);
    expect(text(brackets ?? [])).toEqual(['0,1: -1·2', '0,2: 2·0', '1,2: -2·1']);
    const so3 = rotations(3).map((o) => linear(o));
    for (const [basis, state] of [[[e, f, h], model.state], [so3, stateModel(3).state]] as const) {
      for (const b of linearBrackets(basis, stateModel(state.length)) ?? []) {
        const symbolic = bracket(basis[b.a], basis[b.b], state);
        const combination = (pick: (g: Generator) => Expr): Expr => add(...(b.result ?? []).map((t) => mul(num(t.coefficient), pick(basis[t.index]))));
        expect(isZeroSymbolic(sub(symbolic.dt, combination((g) => g.dt)))).toBe(true);
        state.forEach((_, i) => expect(isZeroSymbolic(sub(symbolic.dx[i], combination((g) => g.dx[i])))).toBe(true));
      }
    }
  });

  it('agree with the sampled and verified structure constants: so(3) of a 3D isotropic OU, time ⊕ so(4), and a radial network u(2)', () => {
    const ou3 = lagrangianFor({ name: 'ou3', state: { x: 3 }, params: { k: 1, D: 0.5 }, drift: '-k*x', diffusion: 'D' });
    const rule = builtinRules().rules.find((r) => r.name === 'rotation');
    if (!rule) throw new Error('no rotation rule');
    const so3 = instantiate(rule, ou3.model).instances.map((i) => i.generator);
    expect(so3).toHaveLength(3);
    const cases: Array<[readonly Generator[], Model]> = [[so3, ou3.model]];
    for (const spec of [ISOTROPIC4, RADIAL[4]]) {
      const d = derivation(spec);
      cases.push([(d.algebra?.basis ?? []).map((i) => d.symmetries[i].instance.generator), d.lagrangian.model]);
    }
    expect(cases.map(([basis]) => basis.length)).toEqual([3, 7, 5]);
    for (const [basis, model] of cases) {
      const exact = linearBrackets(basis, model);
      expect(exact).toBeDefined();
      expect(text(exact ?? []).filter((t) => !t.endsWith(': ')).length).toBeGreaterThan(0);
      expect(text(exact ?? [])).toEqual(text(structureConstants(basis, model)));
    }
  });

  it('are not taken for generators that are not linear (a translation, τ or ξ depending on t, a quadratic ξ, a symbol without value)', () => {
    const model = stateModel(2);
    const turn = linear(rotation(2, 0, 1));
    const others: Generator[] = [
      { dt: num(0), dx: [num(1), num(0)] },
      { dt: sym('t'), dx: [num(0), num(0)] },
      { dt: num(0), dx: [mul(sym('t'), sym('x1')), num(0)] },
      { dt: num(0), dx: [mul(sym('x1'), sym('x2')), num(0)] },
      { dt: num(0), dx: [mul(sym('k'), sym('x1')), num(0)] },
    ];
    for (const g of others) expect(linearBrackets([turn, g], model)).toBeUndefined();
    expect(linearBrackets([turn], model)).toEqual([]);
  });

  it('are null outside the span of a basis that is not closed, and the algebra is then not named', () => {
    const [l12, l23] = [rotation(3, 0, 1), rotation(3, 1, 2)];
    const brackets = linearBrackets([linear(l12), linear(l23)], stateModel(3)) ?? [];
    expect(brackets).toEqual([{ a: 0, b: 1, result: null }]);
    expect(algebraName(2, brackets, 3)).toBeNull();
  });
});

/** The radial networks of bench/networks.mjs: W = 1.5 I + 0.5 J, rotations in the planes (x1, x2), (x3, x4), … */
const RADIAL: Record<number, ModelSpec> = Object.fromEntries([4, 6, 10].map((n) => [n, {
  name: `radial${n}`,
  state: { x: n },
  params: { W: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1.5 : i >> 1 === j >> 1 ? (i % 2 === 0 ? -0.5 : 0.5) : 0))), D: 0.05 },
  drift: '-x + tanh(norm(x))*(W*x)/norm(x)',
  diffusion: 'D',
}]));
const ISOTROPIC4: ModelSpec = { name: 'iso4', state: { x: 4 }, params: { D: 0.5 }, drift: '-x*norm(x)^2', diffusion: 'D' };

const derivations = new Map<string, Derivation>();
function derivation(spec: ModelSpec): Derivation {
  let d = derivations.get(spec.name);
  if (!d) {
    d = derive(lagrangianFor(spec), builtinRules());
    derivations.set(spec.name, d);
  }
  return d;
}

describe('names of the algebras of networks', () => {
  it('radial networks N = 4, 6, 10: time ⊕ u(N/2), every bracket known', () => {
    const expected: Array<[number, number, string]> = [
      // N = 4: the determining equations are not solved; the rules and their combinations span time ⊕ u(2).
      [4, 5, 'ℝ^2 ⊕ su(2) (ℝ ⊕ u(2)), spanned by the generators found'],
      [6, 10, 'ℝ^2 ⊕ su(3) (ℝ ⊕ u(3))'],
      [10, 26, 'ℝ^2 ⊕ su(5) (ℝ ⊕ u(5))'],
    ];
    for (const [n, dimension, name] of expected) {
      const a = derivation(RADIAL[n]).algebra;
      expect(a?.basis).toHaveLength(dimension);
      expect(a?.brackets).toHaveLength((dimension * (dimension - 1)) / 2);
      expect(a?.brackets.every((b) => b.result !== null)).toBe(true);
      expect(a?.name).toBe(name);
      expect(a?.note ?? '').not.toMatch(/brackets/);
    }
  }, 120_000);

  // Its cost (tens of milliseconds) is recorded in bench/RESULTS.md, not timed here.
  it('time ⊕ u(8) of the radial network N = 16 (65 generators, 2080 brackets) is named', () => {
    expect(nameOf(16, su(8, true), 1)).toBe('ℝ^2 ⊕ su(8) (ℝ ⊕ u(8))');
  });

  it('two different rotation–scaling blocks and a third: time and one rotation per plane, abelian', () => {
    const W = [[1.5, -0.5, 0, 0, 0, 0], [0.5, 1.5, 0, 0, 0, 0], [0, 0, 0.8, -0.6, 0, 0], [0, 0, 0.6, 0.8, 0, 0], [0, 0, 0, 0, 1, -1], [0, 0, 0, 0, 1, 1]];
    const a = derivation({ ...RADIAL[6], name: 'blocks6', params: { W, D: 0.05 } }).algebra;
    expect(a?.dimension).toBe(4);
    expect(a?.name).toBe('abelian (ℝ^4)');
    // The same as matrices: so(2) ⊕ so(2) ⊕ so(2).
    expect(nameOf(6, [rotation(6, 0, 1), rotation(6, 2, 3), rotation(6, 4, 5)])).toBe('abelian (ℝ^3)');
  });

  it('a 4D isotropic drift: time ⊕ so(4) = ℝ ⊕ su(2) ⊕ su(2); in 3D time ⊕ so(3) = u(2)', () => {
    expect(derivation(ISOTROPIC4).algebra?.name).toBe('ℝ ⊕ su(2) ⊕ su(2)');
    expect(derivation({ ...ISOTROPIC4, name: 'iso3', state: { x: 3 } }).algebra?.name).toBe('ℝ ⊕ su(2) (u(2))');
  });
});

describe('names of compact simple ideals', () => {
  it('so(n), su(m) and sp(r), with their isomorphisms so(3) ≅ su(2) ≅ sp(1), so(5) ≅ sp(2), so(6) ≅ su(4)', () => {
    expect(nameOf(3, rotations(3))).toBe('su(2)');
    expect(nameOf(4, sp(1))).toBe('su(2)');
    expect(nameOf(5, rotations(5))).toBe('so(5)');
    expect(nameOf(8, sp(2))).toBe('so(5)');
    expect(nameOf(6, rotations(6))).toBe('su(4)');
    expect(nameOf(8, su(4))).toBe('su(4)');
    expect(nameOf(8, rotations(8))).toBe('so(8)');
    expect(nameOf(6, su(3, true))).toBe('ℝ ⊕ su(3) (u(3))');
  });

  it('dimension and rank agree but the algebras differ: so(7) and sp(3) (21, 3), su(5) and g2 ⊕ so(5) (24, 4)', () => {
    expect(sp(3)).toHaveLength(21);
    expect(nameOf(7, rotations(7))).toBe('so(7)');
    expect(nameOf(12, sp(3))).toBe('sp(3)');
    const exceptional = g2();
    expect(exceptional).toHaveLength(14);
    expect(nameOf(7, exceptional)).toBe('g2');
    expect(nameOf(10, su(5))).toBe('su(5)');
    expect(nameOf(12, [...g2(12), ...rotations(12, 7, 5)])).toBe('g2 ⊕ so(5)');
  });

  it('a centre and several ideals: time ⊕ u(3) ⊕ so(4) ⊕ so(3), the factors largest first', () => {
    const u3 = shifted(13, 0, su(3, true));
    const so4 = shifted(13, 6, rotations(4));
    const so3 = shifted(13, 10, rotations(3));
    expect(nameOf(13, [...so3, ...so4, ...u3], 1)).toBe('ℝ^2 ⊕ su(3) ⊕ su(2) ⊕ su(2) ⊕ su(2)');
  });
});

describe('names withheld', () => {
  const r = (n: number) => Rational.of(n);
  const table = (entries: Array<[number, number, Array<[number, number]>]>): Bracket[] =>
    entries.map(([a, b, terms]) => ({ a, b, result: terms.map(([index, c]) => ({ index, coefficient: r(c) })) }));

  it('sl(2, ℝ) and ℝ ⊕ sl(2, ℝ) are not compact: not su(2) nor u(2), though of the same dimensions', () => {
    // [h, e] = 2e, [h, f] = −2f, [e, f] = h.
    const sl2 = table([[0, 1, [[1, 2]]], [0, 2, [[2, -2]]], [1, 2, [[0, 1]]]]);
    expect(algebraName(3, sl2, 2)).toBeNull();
    expect(algebraName(4, sl2, 2)).toBeNull();
    // The same from matrices, with the exact brackets.
    expect(nameOf(2, [matrix(2, [[0, 1, 1]]), matrix(2, [[1, 0, 1]]), matrix(2, [[0, 0, 1], [1, 1, -1]])])).toBeNull();
  });

  it('the Euclidean algebra so(3) ⋉ ℝ³ is perfect and centreless, like su(2) ⊕ su(2), but not reductive', () => {
    // L_i = 0, 1, 2; P_i = 3, 4, 5: [L_i, L_j] = ε_ijk L_k, [L_i, P_j] = ε_ijk P_k, [P_i, P_j] = 0.
    const e3 = table([
      [0, 1, [[2, 1]]], [1, 2, [[0, 1]]], [0, 2, [[1, -1]]],
      [0, 4, [[5, 1]]], [0, 5, [[4, -1]]], [1, 3, [[5, -1]]], [1, 5, [[3, 1]]], [2, 3, [[4, 1]]], [2, 4, [[3, -1]]],
    ]);
    expect(algebraName(6, e3, 3)).toBeNull();
  });

  it('a solvable algebra: dilations and translations of the plane, gl(1) ⋉ ℝ²', () => {
    // [D, P1] = −P1, [D, P2] = −P2.
    expect(algebraName(3, table([[0, 1, [[1, -1]]], [0, 2, [[2, -1]]]]), 2)).toBeNull();
  });
});
