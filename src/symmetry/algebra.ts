// The Lie bracket of a basis of symmetry generators: structure constants
// [v_a, v_b] = Σ_c C_ab^c v_c, found by least squares at sample points,
// rounded to rationals and then verified symbolically (a constant that does
// not verify is reported as unknown, never guessed), and a name for the
// algebra where its dimension and brackets make it recognisable.

import { compileScalar } from '../expr/evaluate.ts';
import { type Expr, add, mul, num, sub, substitute } from '../expr/expr.ts';
import { diff } from '../expr/diff.ts';
import { isZeroSymbolic } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import { samplingInterval } from '../model/domain.ts';
import type { Model } from '../model/types.ts';
import { Rng } from '../random/rng.ts';
import type { Generator } from './rules.ts';

/** [v_a, v_b] in the basis: the non-zero coefficients, or null when they could not be established. */
export interface Bracket {
  readonly a: number;
  readonly b: number;
  readonly result: ReadonlyArray<{ readonly index: number; readonly coefficient: Rational }> | null;
}

/** v(g) = τ ∂ₜg + ξ·∇g. */
function apply(v: Generator, g: Expr, state: readonly string[]): Expr {
  return add(mul(v.dt, diff(g, 't')), ...state.map((x, i) => mul(v.dx[i], diff(g, x))));
}

/** The vector field [v, w]. */
export function bracket(v: Generator, w: Generator, state: readonly string[]): Generator {
  return {
    dt: sub(apply(v, w.dt, state), apply(w, v.dt, state)),
    dx: state.map((_, i) => sub(apply(v, w.dx[i], state), apply(w, v.dx[i], state))),
  };
}

/** The brackets of every pair a < b of the basis. */
export function structureConstants(basis: readonly Generator[], model: Model): Bracket[] {
  const state = model.state;
  const names = [...state, 't', ...model.params.map((p) => p.name)];
  const index = new Map(names.map((s, i) => [s, i]));
  const rng = new Rng(0xb7ac);
  const count = Math.max(4, basis.length + 2);
  const points = Array.from({ length: count }, () => [...state.map((_, i) => rng.between(...samplingInterval(model.domain[i], 1.1))), rng.between(...model.time), ...model.params.map((p) => p.value)]);
  const sample = (g: Generator): number[] => {
    const fns = [g.dt, ...g.dx].map((e) => compileScalar(e, (s) => index.get(s)));
    return points.flatMap((p) => fns.map((f) => f(p)));
  };
  const columns = basis.map(sample);
  const values = new Map(model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  const out: Bracket[] = [];
  for (let a = 0; a < basis.length; a++) {
    for (let b = a + 1; b < basis.length; b++) {
      const c = bracket(basis[a], basis[b], state);
      const coefficients = leastSquares(columns, sample(c));
      const rational = coefficients?.map(rationalize);
      if (!rational || rational.some((r) => r === undefined)) {
        out.push({ a, b, result: null });
        continue;
      }
      const terms = (rational as Rational[]).map((coefficient, index) => ({ index, coefficient })).filter((t) => !t.coefficient.isZero());
      // Verified symbolically, with the parameters at their values (the generators were found there).
      const combination = (pick: (g: Generator) => Expr): Expr => add(...terms.map((t) => mul(num(t.coefficient), pick(basis[t.index]))));
      const exact = [(g: Generator) => g.dt, ...state.map((_, i) => (g: Generator) => g.dx[i])].every((pick) =>
        isZeroSymbolic(substitute(sub(pick(c), combination(pick)), values)),
      );
      out.push({ a, b, result: exact ? terms : null });
    }
  }
  return out;
}

/** Coefficients x minimising |Σ x_k columns_k − target| (normal equations, Gaussian elimination), or undefined if singular. */
function leastSquares(columns: readonly number[][], target: readonly number[]): number[] | undefined {
  const n = columns.length;
  const A = columns.map((ci) => columns.map((cj) => dot(ci, cj)));
  const y = columns.map((ci) => dot(ci, target));
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i][k]) > Math.abs(A[p][k])) p = i;
    if (!(Math.abs(A[p][k]) > 1e-12 * (Math.abs(A[0][0]) + 1))) return undefined;
    [A[k], A[p]] = [A[p], A[k]];
    [y[k], y[p]] = [y[p], y[k]];
    for (let i = k + 1; i < n; i++) {
      const f = A[i][k] / A[k][k];
      for (let j = k; j < n; j++) A[i][j] -= f * A[k][j];
      y[i] -= f * y[k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let s = y[k];
    for (let j = k + 1; j < n; j++) s -= A[k][j] * x[j];
    x[k] = s / A[k][k];
  }
  return x;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The nearest rational with a denominator up to 1000 within 1e-7, else undefined (verified by the caller). */
function rationalize(x: number): Rational | undefined {
  if (Math.abs(x) < 1e-9) return Rational.ZERO;
  for (let q = 1; q <= 1000; q++) {
    const p = Math.round(x * q);
    if (Math.abs(p / q - x) <= 1e-7 * (1 + Math.abs(x))) return Rational.of(BigInt(p), BigInt(q));
  }
  return undefined;
}

/**
 * A name for the algebra where its invariants make it recognisable: abelian;
 * or the centreless Schrödinger algebra (sl(2) ⊕ so(n)) ⋉ (ℝⁿ ⊗ ℝ²) of free
 * diffusion, recognised by its dimension (n² + 3n + 6)/2 and that of its
 * derived algebra (all of it, but for so(2) when n = 2).
 */
export function algebraName(dimension: number, brackets: readonly Bracket[], n: number): string | null {
  if (brackets.some((b) => b.result === null)) return null;
  if (brackets.every((b) => b.result?.length === 0)) return dimension === 1 ? 'one-dimensional (ℝ)' : `abelian (ℝ^${dimension})`;
  const derived = rankOf(brackets.map((b) => coefficientsOf(b, dimension)));
  // so(n) is abelian for n = 2 (outside the derived algebra) and perfect for n ≥ 3.
  if (dimension === (n * n + 3 * n + 6) / 2 && derived === dimension - (n === 2 ? 1 : 0)) {
    return `Schrödinger algebra sch(${n}) (centreless: the point symmetries of free diffusion)`;
  }
  return reductiveName(dimension, brackets, derived);
}

/**
 * Names of reductive algebras (a centre plus a semisimple derived algebra, as every
 * algebra of rotations and time shifts of a network is): ℝ^z ⊕ s with s named when its
 * dimension leaves no doubt among compact semisimple algebras (3: su(2), 6: su(2) ⊕
 * su(2), 8: su(3)); ℝ ⊕ su(2) is u(2). Null when the centre and the derived algebra do
 * not fill the algebra (not reductive) or s is not recognised.
 */
function reductiveName(dimension: number, brackets: readonly Bracket[], derived: number): string | null {
  // The centre: the kernel of v ↦ ([v, e₁], …, [v, e_d]).
  const ad = Array.from({ length: dimension * dimension }, () => new Array<number>(dimension).fill(0));
  for (const b of brackets) {
    for (const t of b.result ?? []) {
      const c = t.coefficient.toNumber();
      // [e_a, e_b] = Σ c e_t: row (b, t) gets +c in column a, row (a, t) gets −c in column b.
      ad[b.b * dimension + t.index][b.a] += c;
      ad[b.a * dimension + t.index][b.b] -= c;
    }
  }
  const centre = dimension - rankOf(ad);
  if (centre + derived !== dimension) return null;
  const semisimple = new Map([[3, 'su(2)'], [6, 'su(2) ⊕ su(2)'], [8, 'su(3)']]).get(derived);
  if (semisimple === undefined) return null;
  const name = centre === 0 ? semisimple : `${centre === 1 ? 'ℝ' : `ℝ^${centre}`} ⊕ ${semisimple}`;
  return derived === 3 && centre >= 1 ? `${name} (${centre === 1 ? 'u(2)' : `${centre === 2 ? 'ℝ' : `ℝ^${centre - 1}`} ⊕ u(2)`})` : name;
}

function coefficientsOf(b: Bracket, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  for (const t of b.result ?? []) v[t.index] = t.coefficient.toNumber();
  return v;
}

/** Rank by Gaussian elimination (the entries are small rationals). */
function rankOf(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let rank = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && rank < m.length; c++) {
    let p = -1;
    for (let i = rank; i < m.length; i++) if (Math.abs(m[i][c]) > 1e-9 && (p < 0 || Math.abs(m[i][c]) > Math.abs(m[p][c]))) p = i;
    if (p < 0) continue;
    [m[rank], m[p]] = [m[p], m[rank]];
    for (let i = 0; i < m.length; i++) {
      if (i === rank) continue;
      const f = m[i][c] / m[rank][c];
      for (let j = c; j < cols; j++) m[i][j] -= f * m[rank][j];
    }
    rank++;
  }
  return rank;
}
