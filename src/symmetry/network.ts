// Symmetries of networks by exact linear algebra on their matrices (issue 13,
// item 3). A drift f = −Ax + W φ(x) + b with φ applied elementwise and a
// constant diagonal D is recognised from its components. For a generator
// τ ∂t + (Ωx + a)·∂x with constant τ, Ω, a, L is invariant exactly when D⁻¹Ω
// is skew and the vector fields commute, (−A + W diag φ′(x))(Ωx + a) = Ωf(x)
// for all x. When 1, u, φ(u), φ′(u), u φ′(u) are linearly independent (checked
// for φ), matching the coefficients of x_k, φ′(x_j) x_k, φ′(x_j), φ(x_j) and 1
// turns that into linear equations on the matrices:
//   rows (and, by skewness, columns) of Ω vanish for every unit j whose column
//   of W is non-zero; a_j = 0 there; ΩW = 0; AΩ = ΩA; Aa + Ωb = 0.
// They are necessary and sufficient, so their kernel (exact rational
// elimination over the few units that feed nothing back) is the whole algebra
// of this class. The generic determining equations (determining.ts) cost about
// N⁴ and give up near N = 16; this costs a pass over the matrices.
//
// A radial drift f = −Ax + R(|x|²) Wx + b (R not constant, e.g. tanh(|x|)/|x|)
// with isotropic D: a generator Ωx + a is a symmetry exactly when Ω is skew,
// AΩ = ΩA, WΩ = ΩW and Ωb = 0, and a = 0 (the terms R(|x|²)·(WΩ − ΩW)x and
// R′(|x|²)(xᵀa)Wx are independent of the linear ones): the skew commutant of A
// and W, e.g. u(m) for W = r·(cos θ I + sin θ J) in 2m dimensions.

import { diff } from '../expr/diff.ts';
import { compileScalar } from '../expr/evaluate.ts';
import { type Expr, type FunctionName, ONE, ZERO, add, call, dependsOn, mapBottomUp, mul, num, splitCoefficient, substitute, sym } from '../expr/expr.ts';
import { toText } from '../expr/print.ts';
import { ExpansionTooLarge, expand, tidy } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { samplingInterval } from '../model/domain.ts';
import { Rng } from '../random/rng.ts';
import { kernel } from './linear-ode.ts';
import type { Generator } from './rules.ts';

/** f = −Ax + W φ(x) + b (elementwise) or f = −Ax + R(|x|²) Wx + b (radial), with rational entries, and the diagonal of D⁻¹. */
export interface NetworkForm {
  readonly kind: 'elementwise' | 'radial';
  readonly A: Rational[][];
  readonly W: Rational[][];
  readonly b: Rational[];
  /** φ in words: `tanh(x)` (elementwise) or R(|x|²) as written (radial). */
  readonly nonlinearity: string;
  readonly inverseDiffusion: Rational[];
}

/** Radial networks are solved by exact elimination over the skew matrices up to this size (N = 25). */
const MAX_RADIAL_UNKNOWNS = 300;

/**
 * Networks of at least this many units take this path. Smaller ones keep the
 * generic determining equations, which search a wider class (time-dependent
 * generators) and prove verdicts for all parameter values, at a cost of about
 * N⁴ (7.8 s at N = 8; they cannot be expanded by N = 16).
 */
export const NETWORK_MIN_UNITS = 5;

/** The network form of the model at its parameter values, or undefined when it is smaller than NETWORK_MIN_UNITS or the drift or D does not have the form. */
export function networkForm(lagr: LagrangianResult): NetworkForm | undefined {
  const { model } = lagr;
  const n = model.state.length;
  const d = model.diffusion;
  if (n < NETWORK_MIN_UNITS || d.dependsOnState || d.dependsOnTime || d.structure === 'full') return undefined;
  const values = new Map(model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  const inverseDiffusion: Rational[] = [];
  for (let i = 0; i < n; i++) {
    const m = tidy(substitute(lagr.inverseDiffusion[i][i], values));
    if (m.kind !== 'num') return undefined;
    inverseDiffusion.push(m.value);
  }
  const index = new Map(model.state.map((s, i) => [s, i]));
  const zeros = (): Rational[] => Array.from({ length: n }, () => Rational.ZERO);
  const A = model.state.map(zeros);
  const W = model.state.map(zeros);
  const b = zeros();
  let phi: FunctionName | undefined;
  // The radial factor R, as the product of a term's factors other than its state variable.
  let radial: Expr | undefined;
  const squares = add(...model.state.map((x) => mul(sym(x), sym(x))));
  for (let i = 0; i < n; i++) {
    const terms = expandedTerms(model.drift[i], values);
    if (!terms) return undefined;
    for (const [c, rest] of terms) {
      if (rest.kind === 'num') b[i] = b[i].add(c);
      else if (rest.kind === 'sym' && index.has(rest.name)) A[i][index.get(rest.name) as number] = A[i][index.get(rest.name) as number].sub(c);
      else if (rest.kind === 'call' && rest.arg.kind === 'sym' && index.has(rest.arg.name) && (phi === undefined || phi === rest.fn) && radial === undefined) {
        phi = rest.fn;
        const j = index.get(rest.arg.name) as number;
        W[i][j] = W[i][j].add(c);
      } else if (rest.kind === 'mul' && phi === undefined) {
        const states = rest.factors.filter((g) => g.kind === 'sym' && index.has(g.name));
        if (states.length !== 1 || states[0].kind !== 'sym') return undefined;
        const R = mul(...rest.factors.filter((g) => g !== states[0]));
        if (radial === undefined) {
          // R may depend on the state only through |x|² = Σ x_k².
          if (dependsOn(mapBottomUp(R, (g) => (g.key === squares.key ? sym('|x|²') : g)), [...model.state, 't']) || !dependsOn(R, model.state)) return undefined;
          radial = R;
        } else if (R.key !== radial.key) return undefined;
        const j = index.get(states[0].name) as number;
        W[i][j] = W[i][j].add(c);
      } else return undefined;
    }
  }
  if (radial !== undefined) {
    if (d.structure !== 'isotropic' || (n * (n - 1)) / 2 > MAX_RADIAL_UNKNOWNS) return undefined;
    return { kind: 'radial', A, W, b, nonlinearity: toText(radial), inverseDiffusion };
  }
  if (phi === undefined || !independentOfLinear(phi, lagr)) return undefined;
  return { kind: 'elementwise', A, W, b, nonlinearity: `${phi}(x)`, inverseDiffusion };
}

/** The terms of e at the parameter values, expanded, as (rational coefficient, rest); undefined when too large to expand. */
function expandedTerms(e: Expr, values: ReadonlyMap<string, Expr>): Array<[Rational, Expr]> | undefined {
  let expanded: Expr;
  try {
    expanded = expand(substitute(e, values));
  } catch (err) {
    if (err instanceof ExpansionTooLarge) return undefined;
    throw err;
  }
  return (expanded.kind === 'add' ? expanded.terms : [expanded]).map(splitCoefficient);
}

/**
 * 1, u, φ(u), φ′(u), u φ′(u) linearly independent on every unit's sampling
 * interval: the 16×5 matrix of their values has full numerical rank with a wide
 * margin (a dependent set would be singular to rounding, about 1e-15).
 */
function independentOfLinear(phi: FunctionName, lagr: LagrangianResult): boolean {
  const u = sym('u');
  const slot = (s: string): number | undefined => (s === 'u' ? 0 : undefined);
  const f = compileScalar(call(phi, u), slot);
  const df = compileScalar(diff(call(phi, u), 'u'), slot);
  const rng = new Rng(0x1e7);
  return lagr.model.domain.every((interval) => {
    const [lo, hi] = samplingInterval(interval, 2);
    const columns: number[][] = [[], [], [], [], []];
    for (let k = 0; k < 16; k++) {
      const x = rng.between(lo, hi);
      const row = [1, x, f([x]), df([x]), x * df([x])];
      if (!row.every(Number.isFinite)) return false;
      row.forEach((v, c) => columns[c].push(v));
    }
    return fullColumnRank(columns, 1e-6);
  });
}

/** Modified Gram–Schmidt: every column keeps more than `margin` of its norm after the earlier ones are projected out. */
function fullColumnRank(columns: number[][], margin: number): boolean {
  const basis: number[][] = [];
  for (const column of columns) {
    const size = Math.hypot(...column);
    const w = [...column];
    for (const q of basis) {
      let dot = 0;
      for (let i = 0; i < w.length; i++) dot += w[i] * q[i];
      for (let i = 0; i < w.length; i++) w[i] -= dot * q[i];
    }
    const rest = Math.hypot(...w);
    if (!(rest > margin * size)) return false;
    basis.push(w.map((v) => v / rest));
  }
  return true;
}

export interface NetworkAlgebra {
  /** Time translation first, then a basis of the (Ω, a) solutions. */
  readonly basis: Generator[];
  /** Elementwise networks: the units whose column of W is zero (they feed nothing back), the only ones that can move. */
  readonly freeUnits: number[];
}

/** The kernel of the linear conditions above, as generators (τ = 1 for time translation, else τ = 0, ξ = Ωx + a). */
export function networkSymmetries(lagr: LagrangianResult, form: NetworkForm): NetworkAlgebra {
  const { A, W, b, inverseDiffusion: m } = form;
  const n = b.length;
  const units = [...Array(n).keys()];
  // Elementwise: only units whose column of W is zero can move (rotate or shift). Radial: every unit rotates, none shifts.
  const free = form.kind === 'radial' ? units : units.filter((j) => W.every((row) => row[j].isZero()));
  const shifting = form.kind === 'radial' ? [] : free;
  // Unknowns: Ω_jk for j < k among the free units (Ω_kj = −(m_j/m_k) Ω_jk makes D⁻¹Ω skew), then a_j for shifting j.
  const pairs: Array<[number, number]> = [];
  for (let p = 0; p < free.length; p++) for (let q = p + 1; q < free.length; q++) pairs.push([free[p], free[q]]);
  const unknowns = pairs.length + shifting.length;
  /** Ω_rc as coefficients over the unknowns (absent: 0). */
  const omega = new Map<string, Array<[number, Rational]>>();
  pairs.forEach(([j, k], u) => {
    omega.set(`${j},${k}`, [[u, Rational.ONE]]);
    omega.set(`${k},${j}`, [[u, m[j].div(m[k]).neg()]]);
  });
  const entry = (r: number, c: number): Array<[number, Rational]> => omega.get(`${r},${c}`) ?? [];
  const rows: Rational[][] = [];
  const equation = (terms: Array<[number, Rational]>): void => {
    const row = Array.from({ length: unknowns }, () => Rational.ZERO);
    for (const [u, c] of terms) row[u] = row[u].add(c);
    if (row.some((c) => !c.isZero())) rows.push(row);
  };
  const times = (terms: Array<[number, Rational]>, c: Rational): Array<[number, Rational]> => (c.isZero() ? [] : terms.map(([u, v]) => [u, v.mul(c)]));
  if (unknowns > 0) {
    if (form.kind === 'radial') {
      // WΩ = ΩW.
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < n; k++) equation([...units.flatMap((l) => times(entry(l, k), W[i][l])), ...units.flatMap((l) => times(entry(i, l), W[l][k].neg()))]);
      }
    } else {
      // ΩW = 0 (rows of Ω outside the free units vanish).
      for (const i of free) for (let j = 0; j < n; j++) equation(free.flatMap((k) => times(entry(i, k), W[k][j])));
    }
    // AΩ = ΩA.
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        equation([...free.flatMap((l) => times(entry(l, k), A[i][l])), ...free.flatMap((l) => times(entry(i, l), A[l][k].neg()))]);
      }
    }
    // Aa + Ωb = 0.
    for (let i = 0; i < n; i++) {
      equation([...shifting.map((j, s): [number, Rational] => [pairs.length + s, A[i][j]]), ...free.flatMap((k) => times(entry(i, k), b[k]))]);
    }
  }
  const solutions = unknowns === 0 ? [] : rows.length === 0 ? identityRows(unknowns) : kernel(rows);
  const x = lagr.model.state.map((s) => sym(s));
  const generators = solutions.map((raw): Generator => {
    // Scaled so that the first rotation coefficient (else the first shift) is 1.
    const lead = raw.find((c) => !c.isZero()) ?? Rational.ONE;
    const v = raw.map((c) => c.div(lead));
    const value = (terms: Array<[number, Rational]>): Rational => terms.reduce((s, [u, c]) => s.add(c.mul(v[u])), Rational.ZERO);
    const dx = lagr.model.state.map((_, r) => {
      const shift = shifting.indexOf(r) >= 0 ? v[pairs.length + shifting.indexOf(r)] : Rational.ZERO;
      return tidy(add(num(shift), ...free.map((c) => mul(num(value(entry(r, c))), x[c]))));
    });
    return { dt: ZERO, dx };
  });
  const time: Generator = { dt: ONE, dx: lagr.model.state.map(() => ZERO) };
  return { basis: [time, ...generators], freeUnits: form.kind === 'radial' ? [] : free };
}

function identityRows(size: number): Rational[][] {
  return Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => (i === j ? Rational.ONE : Rational.ZERO)));
}

/**
 * Whether τ ∂t + ξ·∂x is a symmetry, decided by the matrix identities above when
 * τ is constant and ξ = Ωx + a with constant rational Ω, a (at the model's
 * parameter values): true or false is then a proof either way; undefined when
 * the generator is not of that form.
 */
export function affineSymmetry(lagr: LagrangianResult, form: NetworkForm, generator: Generator): boolean | undefined {
  const values = new Map(lagr.model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  const tau = tidy(substitute(generator.dt, values));
  if (tau.kind !== 'num') return undefined;
  const n = form.b.length;
  const index = new Map(lagr.model.state.map((x, i) => [x, i]));
  const omega = form.A.map(() => form.b.map(() => Rational.ZERO));
  const a = form.b.map(() => Rational.ZERO);
  for (let i = 0; i < n; i++) {
    const terms = expandedTerms(generator.dx[i], values);
    if (!terms) return undefined;
    for (const [c, rest] of terms) {
      if (rest.kind === 'num') a[i] = a[i].add(c);
      else if (rest.kind === 'sym' && index.has(rest.name)) omega[i][index.get(rest.name) as number] = c;
      else return undefined;
    }
  }
  const m = form.inverseDiffusion;
  // Ω of a rule instance has a few non-zero entries: every product below runs over them only.
  const entries: Array<[number, number, Rational]> = [];
  omega.forEach((row, i) => row.forEach((v, k) => v.isZero() || entries.push([i, k, v])));
  const feeds = (j: number): boolean => form.W.some((row) => !row[j].isZero());
  for (const [i, k, v] of entries) {
    // D⁻¹Ω skew; elementwise drifts: units feeding W do not rotate.
    if (!m[i].mul(v).add(m[k].mul(omega[k][i])).isZero()) return false;
    if (form.kind === 'elementwise' && feeds(i)) return false;
  }
  for (let i = 0; i < n; i++) {
    if (form.kind === 'radial' ? !a[i].isZero() : feeds(i) && !a[i].isZero()) return false;
  }
  /** P Ω − Ω Q (Q = P for a commutator, Q = 0 for P Ω alone) as a sparse map, to be all zero. */
  const vanishes = (left: Rational[][] | undefined, right: Rational[][] | undefined): boolean => {
    const sum = new Map<number, Rational>();
    const put = (r: number, c: number, x: Rational): void => {
      if (!x.isZero()) sum.set(r * n + c, (sum.get(r * n + c) ?? Rational.ZERO).add(x));
    };
    for (const [r, c, v] of entries) {
      if (left) for (let i = 0; i < n; i++) put(i, c, left[i][r].mul(v));
      if (right) for (let k = 0; k < n; k++) put(r, k, v.mul(right[c][k]).neg());
    }
    return [...sum.values()].every((x) => x.isZero());
  };
  // AΩ = ΩA; radial: WΩ = ΩW; elementwise: ΩW = 0.
  if (!vanishes(form.A, form.A)) return false;
  if (!(form.kind === 'radial' ? vanishes(form.W, form.W) : vanishes(undefined, form.W))) return false;
  // Aa + Ωb = 0.
  for (let i = 0; i < n; i++) {
    let s = Rational.ZERO;
    for (let j = 0; j < n; j++) if (!a[j].isZero()) s = s.add(form.A[i][j].mul(a[j]));
    for (const [r, c, v] of entries) if (r === i) s = s.add(v.mul(form.b[c]));
    if (!s.isZero()) return false;
  }
  return true;
}

/**
 * True when the generator τ ∂t + (a + t c)·∂x (constant τ, a, c with c ≠ 0: a boost)
 * is certainly not a quasi-symmetry of an elementwise network: a unit j it moves
 * feeds another unit i (W_ij ≠ 0). The ẋ-coefficient of δL is then
 * ½D⁻¹(c + Aξ − W(φ′(x) ⊙ ξ)), whose curl has the entry ½ D⁻¹_ii W_ij φ″(x_j) ξ_j(t)
 * against 0 in the transposed place, so it is not a gradient ∇K and δL is no DₜK
 * (φ″ is not constant: φ passed the independence check). Undefined otherwise
 * (the detector decides).
 */
export function boostBreaksNetwork(lagr: LagrangianResult, form: NetworkForm, generator: Generator): true | undefined {
  if (form.kind !== 'elementwise') return undefined;
  const values = new Map(lagr.model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  if (tidy(substitute(generator.dt, values)).kind !== 'num') return undefined;
  const n = form.b.length;
  const moved: number[] = [];
  let boosted = false;
  for (let j = 0; j < n; j++) {
    const terms = expandedTerms(generator.dx[j], values);
    if (!terms) return undefined;
    for (const [c, rest] of terms) {
      if (c.isZero()) continue;
      if (rest.kind === 'sym' && rest.name === 't') boosted = true;
      else if (rest.kind !== 'num') return undefined;
    }
    if (terms.some(([c]) => !c.isZero())) moved.push(j);
  }
  if (!boosted) return undefined;
  return moved.some((j) => form.W.some((row, i) => i !== j && !row[j].isZero())) ? true : undefined;
}

