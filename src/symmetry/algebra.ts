// The Lie bracket of a basis of symmetry generators: structure constants
// [v_a, v_b] = Σ_c C_ab^c v_c. Linear generators (constant τ, ξ = Ωx with rational
// Ω) are bracketed exactly from their matrices; any other basis by least squares
// at sample points, rounded to rationals and then verified symbolically (a
// constant that does not verify is reported as unknown, never guessed). Then a
// name for the algebra where its brackets make it recognisable.

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { compileScalar } from '../expr/evaluate.ts';
import { type Expr, add, freeSymbols, mul, num, sub, substitute, sym } from '../expr/expr.ts';
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
  const values = parameterValues(model);
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

/** The parameters at their values, as numbers to substitute. */
function parameterValues(model: Model): Map<string, Expr> {
  return new Map(model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
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


// ---------------------------------------------------------------- exact brackets of linear generators

/** A sparse rational vector: index → non-zero entry. */
type SparseVector = Map<number, Rational>;

/**
 * The brackets of a basis of linear generators v_A = τ ∂t + (Ax)·∂x (τ and A rational, the
 * parameters at their values), exact and without sampling: [v_A, v_B] = (BA − AB)x, as `bracket`
 * gives (v_A(Bx) = BAx; τ is constant, so no ∂t term), expressed in the basis by exact
 * elimination. Undefined when some generator is not of that form.
 */
export function linearBrackets(basis: readonly Generator[], model: Model): Bracket[] | undefined {
  const n = model.state.length;
  const values = parameterValues(model);
  const fields: SparseVector[] = [];
  for (const g of basis) {
    const field = linearField(g, model.state, values);
    if (!field) return undefined;
    fields.push(field);
  }
  const echelon = new Echelon();
  if (!fields.every((f, index) => echelon.add(f, index))) return undefined;
  const matrices = fields.map((f) => rowsOf(f, n));
  const out: Bracket[] = [];
  for (let a = 0; a < basis.length; a++) {
    for (let b = a + 1; b < basis.length; b++) {
      const commutator = product(matrices[b], matrices[a], n);
      axpy(commutator, Rational.MINUS_ONE, product(matrices[a], matrices[b], n));
      // Outside the span only when the basis is not closed (a span of generators found, not the algebra).
      out.push({ a, b, result: echelon.express(commutator) ?? null });
    }
  }
  return out;
}

/**
 * τ and Ω of g = τ ∂t + (Ωx)·∂x as one sparse vector (index 0: τ; 1 + i·n + j: Ω_ij), or
 * undefined when τ is not a number or ξ is not Ωx with numeric Ω.
 */
function linearField(g: Generator, state: readonly string[], values: ReadonlyMap<string, Expr>): SparseVector | undefined {
  const tau = substitute(g.dt, values);
  if (tau.kind !== 'num') return undefined;
  const out: SparseVector = new Map();
  if (!tau.value.isZero()) out.set(0, tau.value);
  const n = state.length;
  const position = new Map(state.map((x, j) => [x, j]));
  for (let i = 0; i < n; i++) {
    const xi = substitute(g.dx[i], values);
    const terms: Expr[] = [];
    for (const name of freeSymbols(xi)) {
      const j = position.get(name);
      if (j === undefined) return undefined;
      const w = diff(xi, name);
      if (w.kind !== 'num') return undefined;
      if (w.value.isZero()) continue;
      out.set(1 + i * n + j, w.value);
      terms.push(mul(w, sym(name)));
    }
    // Constant derivatives leave ξ_i − Σ_j Ω_ij x_j constant: it must vanish (no translation part).
    const linear = add(...terms);
    if (linear.key !== xi.key && !isZeroSymbolic(sub(xi, linear))) return undefined;
  }
  return out;
}

/** Row i of Ω as its non-zero entries (column, value). */
function rowsOf(field: SparseVector, n: number): Array<Array<[number, Rational]>> {
  const rows = Array.from({ length: n }, (): Array<[number, Rational]> => []);
  for (const [index, value] of field) if (index > 0) rows[Math.floor((index - 1) / n)].push([(index - 1) % n, value]);
  return rows;
}

/** PQ as a sparse vector indexed like `linearField` (its τ entry is 0). */
function product(P: ReadonlyArray<ReadonlyArray<[number, Rational]>>, Q: ReadonlyArray<ReadonlyArray<[number, Rational]>>, n: number): SparseVector {
  const out: SparseVector = new Map();
  P.forEach((row, i) => {
    for (const [k, p] of row) for (const [j, q] of Q[k]) accumulate(out, 1 + i * n + j, p.mul(q));
  });
  return out;
}

/** y += a·x. */
function axpy(y: SparseVector, a: Rational, x: SparseVector): void {
  for (const [k, v] of x) accumulate(y, k, a.mul(v));
}

/** y_k += value, dropping the entry if it cancels. */
function accumulate(y: SparseVector, k: number, value: Rational): void {
  const sum = (y.get(k) ?? Rational.ZERO).add(value);
  if (sum.isZero()) y.delete(k);
  else y.set(k, sum);
}

/** Reduced row echelon form of independent sparse vectors, each row kept also as a combination of them. */
class Echelon {
  private readonly rows: Array<{ readonly pivot: number; readonly vector: SparseVector; readonly combination: SparseVector }> = [];

  /** Adds vector number `index`; false if it depends on those added. */
  add(v: SparseVector, index: number): boolean {
    const vector = new Map(v);
    const combination: SparseVector = new Map([[index, Rational.ONE]]);
    for (const r of this.rows) {
      const c = vector.get(r.pivot);
      if (c === undefined) continue;
      axpy(vector, c.neg(), r.vector);
      axpy(combination, c.neg(), r.combination);
    }
    const first = vector.entries().next();
    if (first.done) return false;
    const [pivot, entry] = first.value;
    const inverse = Rational.ONE.div(entry);
    for (const m of [vector, combination]) for (const [k, x] of m) m.set(k, x.mul(inverse));
    for (const r of this.rows) {
      const c = r.vector.get(pivot);
      if (c === undefined) continue;
      axpy(r.vector, c.neg(), vector);
      axpy(r.combination, c.neg(), combination);
    }
    this.rows.push({ pivot, vector, combination });
    return true;
  }

  /** The coefficients of v in the vectors added (ascending index), or undefined if v is outside their span. */
  express(v: SparseVector): Array<{ index: number; coefficient: Rational }> | undefined {
    const residual = new Map(v);
    const coefficients: SparseVector = new Map();
    // Every row vanishes at the other rows' pivots, so v's entry at a pivot is that row's coefficient.
    for (const r of this.rows) {
      const c = v.get(r.pivot);
      if (c === undefined) continue;
      axpy(residual, c.neg(), r.vector);
      axpy(coefficients, c, r.combination);
    }
    if (residual.size > 0) return undefined;
    return [...coefficients].map(([index, coefficient]) => ({ index, coefficient })).sort((x, y) => x.index - y.index);
  }
}

// ---------------------------------------------------------------- names

/**
 * A name for the algebra where its brackets make it recognisable: abelian; the centreless
 * Schrödinger algebra (sl(2) ⊕ so(n)) ⋉ (ℝⁿ ⊗ ℝ²) of free diffusion, recognised by its
 * dimension (n² + 3n + 6)/2, that of its derived algebra (all of it, but for so(2) when
 * n = 2) and its indefinite Killing form (sl(2, ℝ) is not compact); or a compact reductive
 * algebra, as every algebra of rotations and time shifts is (`compactName`).
 */
export function algebraName(dimension: number, brackets: readonly Bracket[], n: number): string | null {
  if (brackets.some((b) => b.result === null)) return null;
  if (brackets.every((b) => b.result?.length === 0)) return dimension === 1 ? 'one-dimensional (ℝ)' : `abelian (ℝ^${dimension})`;
  const adjoint = adjointOf(dimension, brackets);
  const killing = killingForm(adjoint);
  if (killing.values.some((v) => v > TINY * killing.scale)) {
    // so(n) is abelian for n = 2 (outside the derived algebra) and perfect for n ≥ 3.
    const schrodinger = dimension === (n * n + 3 * n + 6) / 2 && rankOf(brackets.map((b) => coefficientsOf(b, dimension))) === dimension - (n === 2 ? 1 : 0);
    return schrodinger ? `Schrödinger algebra sch(${n}) (centreless: the point symmetries of free diffusion)` : null;
  }
  return compactName(adjoint, killing);
}

// The naming below is numerical, in double precision on small rational structure constants,
// and every decision passes a gap test; where one fails no name is given. Eigenvalues count as
// zero below TINY and as non-zero above CLEAR, relative to the largest (rounding leaves ~1e-14).
// A badly conditioned basis loses digits on the way to a Killing-orthonormal one: the ad
// matrices there must be antisymmetric to ACCURATE (their rounding error δ), so that
// eigenvectors of eigenvalues CLEAR apart are accurate to δ/CLEAR ≤ 1e-7, and quantities built
// from them count as zero below NOISE; vectors count as independent of others beyond INDEPENDENT.
const TINY = 1e-10;
const CLEAR = 1e-5;
const ACCURATE = 1e-12;
const NOISE = 1e-5;
const INDEPENDENT = 1e-3;

/** Structure constants by left factor: adjoint[a] lists [e_a, e_b] = value·e_c as (b, c, value). */
type Adjoint = ReadonlyArray<ReadonlyArray<{ readonly b: number; readonly c: number; readonly value: number }>>;

function adjointOf(dimension: number, brackets: readonly Bracket[]): Adjoint {
  const out = Array.from({ length: dimension }, (): Array<{ b: number; c: number; value: number }> => []);
  for (const br of brackets) {
    for (const t of br.result ?? []) {
      const value = t.coefficient.toNumber();
      out[br.a].push({ b: br.b, c: t.index, value });
      out[br.b].push({ b: br.a, c: t.index, value: -value });
    }
  }
  return out;
}

/** ad_x = Σ_a x_a ad_{e_a} as a matrix (column b: [x, e_b]). */
function adjointMatrix(adjoint: Adjoint, x: readonly number[]): Matrix {
  const m = Matrix.zeros(adjoint.length, adjoint.length);
  adjoint.forEach((entries, a) => {
    if (x[a] !== 0) for (const { b, c, value } of entries) m.set(c, b, m.get(c, b) + x[a] * value);
  });
  return m;
}

/** The Killing form B as the spectrum of D B D, D_aa = |B_aa|^(−1/2) (1 where B_aa = 0), so that a badly scaled basis does not blur it; the signs are B's (Sylvester). */
interface Killing {
  readonly scaling: readonly number[];
  readonly values: readonly number[];
  /** Orthonormal eigenvectors of D B D, as columns. */
  readonly vectors: Matrix;
  /** The largest |eigenvalue|. */
  readonly scale: number;
}

function killingForm(adjoint: Adjoint): Killing {
  const d = adjoint.length;
  const B = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  // tr(ad_a ad_b) = Σ (ad_a)_ck (ad_b)_kc: every ad_a's entries keyed by (column k, row c) meet their partners by lookup.
  const byEntry = new Map<number, Array<[number, number]>>();
  adjoint.forEach((entries, a) => {
    for (const { b, c, value } of entries) {
      const key = b * d + c;
      const list = byEntry.get(key);
      if (list) list.push([a, value]);
      else byEntry.set(key, [[a, value]]);
    }
  });
  for (const [key, list] of byEntry) {
    const partner = byEntry.get((key % d) * d + Math.floor(key / d)) ?? [];
    for (const [a, v] of list) for (const [b, w] of partner) B[a][b] += v * w;
  }
  const scaling = B.map((row, a) => (row[a] === 0 ? 1 : 1 / Math.sqrt(Math.abs(row[a]))));
  const eig = new EigenvalueDecomposition(new Matrix(B.map((row, a) => row.map((x, b) => x * scaling[a] * scaling[b]))), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  return { scaling, values, vectors: eig.eigenvectorMatrix, scale: Math.max(0, ...values.map(Math.abs)) };
}

/**
 * ℝ^z ⊕ the simple ideals of a compact reductive algebra g (ℝ ⊕ su(m) also as u(m)), or null.
 * g is compact reductive exactly when its Killing form B is negative semidefinite with the
 * centre z as its kernel: B is then the (negative definite) Killing form of g/z, so g/z is
 * compact semisimple, and the central extension g of it splits (Whitehead): g = z ⊕ [g, g].
 */
function compactName(adjoint: Adjoint, killing: Killing): string | null {
  const { scaling, values, vectors, scale } = killing;
  if (scale === 0) return null;
  const kernel = values.flatMap((v, k) => (Math.abs(v) <= TINY * scale ? [k] : []));
  const negative = values.flatMap((v, k) => (v <= -CLEAR * scale ? [k] : []));
  if (kernel.length + negative.length !== values.length) return null;
  let largest = 0;
  for (const entries of adjoint) for (const e of entries) largest = Math.max(largest, Math.abs(e.value));
  for (const k of kernel) {
    const z = vectors.getColumn(k).map((u, a) => u * scaling[a]);
    // Not central: g has an ideal on which B vanishes, a radical, and is not reductive.
    if (adjointMatrix(adjoint, z).abs().max() > NOISE * largest * z.reduce((s, x) => s + Math.abs(x), 0)) return null;
  }
  const ideals = simpleIdeals(new Semisimple(adjoint, killing, negative));
  if (!ideals) return null;
  const semisimple = ideals.map((i) => i.name).join(' ⊕ ');
  const centre = kernel.length;
  const real = (k: number): string => (k === 1 ? 'ℝ' : `ℝ^${k}`);
  const name = centre === 0 ? semisimple : `${real(centre)} ⊕ ${semisimple}`;
  const su = ideals.length === 1 ? /^su\((\d+)\)$/.exec(ideals[0].name) : null;
  return su && centre >= 1 ? `${name} (${centre === 1 ? '' : `${real(centre - 1)} ⊕ `}u(${su[1]}))` : name;
}

/** s ≅ g/z in a basis f_k orthonormal for −B, in which every ad_X is antisymmetric. */
class Semisimple {
  readonly size: number;
  /** f_k in the basis of g, as columns: D ũ_k / √(−λ_k) for the eigenpairs (λ_k, ũ_k) of D B D. */
  private readonly up: Matrix;
  /** Coordinates modulo the centre: y_k = −B(f_k, x) = √(−λ_k) (ũ_k / D)·x. */
  private readonly down: Matrix;

  constructor(
    private readonly adjoint: Adjoint,
    killing: Killing,
    negative: readonly number[],
  ) {
    const d = adjoint.length;
    this.size = negative.length;
    this.up = Matrix.zeros(d, this.size);
    this.down = Matrix.zeros(this.size, d);
    negative.forEach((k, j) => {
      const root = Math.sqrt(-killing.values[k]);
      for (let a = 0; a < d; a++) {
        const u = killing.vectors.get(a, k);
        this.up.set(a, j, (u * killing.scaling[a]) / root);
        this.down.set(j, a, (u / killing.scaling[a]) * root);
      }
    });
  }

  ad(y: readonly number[]): Matrix {
    return this.down.mmul(adjointMatrix(this.adjoint, this.lift(y))).mmul(this.up);
  }

  bracket(y: readonly number[], w: readonly number[]): number[] {
    const x = this.lift(y);
    const u = this.lift(w);
    const out = new Array<number>(this.adjoint.length).fill(0);
    this.adjoint.forEach((entries, a) => {
      if (x[a] !== 0) for (const { b, c, value } of entries) out[c] += x[a] * u[b] * value;
    });
    return this.down.mmul(Matrix.columnVector(out)).getColumn(0);
  }

  private lift(y: readonly number[]): number[] {
    return this.up.mmul(Matrix.columnVector([...y])).getColumn(0);
  }
}

/** Up to three tries with fresh random elements, for the rare draw that is not generic enough to pass the gap tests. */
function simpleIdeals(s: Semisimple): Array<{ name: string; dimension: number }> | undefined {
  const rng = new Rng(0x5e31);
  for (let attempt = 0; attempt < 3; attempt++) {
    const ideals = simpleIdealsAt(s, rng);
    if (ideals) return ideals;
  }
  return undefined;
}

/**
 * The simple ideals of a compact semisimple s, largest first, from its roots. For a generic
 * X, ad_X² is symmetric negative semidefinite; its kernel is a Cartan subalgebra h (of
 * dimension the rank) and its other eigenspaces are the root planes V_α (eigenvalue −α(X)²,
 * twice). Two planes lie in one simple ideal exactly when a chain of planes joins them with
 * [V_α, V_β] ≠ 0 (α ± β a root), seen in the matrix of ad_Y for a second generic Y. For
 * orthonormal u, v spanning V_α, [u, v] ∈ h is dual to α (−B([u, v], H) = ±α(H)), of length
 * |α| (a multiple of the coroot): those of an ideal's roots span its Cartan subalgebra, and
 * their lengths tell long roots from short, which separates so(2r+1) from sp(r) (and e6 from
 * both) where dimension and rank agree.
 */
function simpleIdealsAt(s: Semisimple, rng: Rng): Array<{ name: string; dimension: number }> | undefined {
  const n = s.size;
  const generic = (): number[] => Array.from({ length: n }, () => rng.between(-1, 1));
  const [X, Y] = [s.ad(generic()), s.ad(generic())];
  if (![X, Y].every((M) => M.clone().add(M.transpose()).norm('frobenius') <= ACCURATE * M.norm('frobenius'))) return undefined;
  const square = X.mmul(X);
  const eig = new EigenvalueDecomposition(square.add(square.transpose()).div(2), { assumeSymmetric: true });
  const sigma = eig.realEigenvalues.map((v) => -v);
  const order = sigma.map((_, k) => k).sort((i, j) => sigma[i] - sigma[j]);
  const top = sigma[order[n - 1]];
  const rank = order.filter((k) => sigma[k] <= TINY * top).length;
  if (!(top > 0) || rank === 0 || (n - rank) % 2 !== 0) return undefined;
  // Each pair of equal eigenvalues stands CLEAR apart from the eigenvalue below it, so it spans one root plane.
  const planes: Array<[number[], number[]]> = [];
  for (let k = rank; k < n; k += 2) {
    const [below, lo, hi] = [sigma[order[k - 1]], sigma[order[k]], sigma[order[k + 1]]];
    if (hi - lo > TINY * top || lo - below < CLEAR * top) return undefined;
    planes.push([eig.eigenvectorMatrix.getColumn(order[k]), eig.eigenvectorMatrix.getColumn(order[k + 1])]);
  }
  // A coupling missed as zero would split an ideal; the ranks below would then not add up.
  const yScale = Y.norm('frobenius');
  const images = planes.map((plane) => plane.map((u) => Y.mmul(Matrix.columnVector(u)).getColumn(0)));
  const parent = planes.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  planes.forEach((plane, i) => {
    images.forEach((image, j) => {
      if (i !== j && plane.some((u) => image.some((w) => Math.abs(dot(u, w)) > NOISE * yScale))) parent[root(i)] = root(j);
    });
  });
  const coroots = planes.map(([u, v]) => s.bracket(u, v));
  const groups = new Map<number, number[]>();
  planes.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  const ideals: Array<{ name: string; dimension: number }> = [];
  let ranks = 0;
  for (const members of groups.values()) {
    const idealRank = spanDimension(members.map((i) => coroots[i]));
    if (idealRank === undefined) return undefined;
    const lengths = members.map((i) => dot(coroots[i], coroots[i]));
    const longest = Math.max(...lengths);
    // Squared length ratios of the roots to the longest: 1, and 2 or 3 for the short ones.
    const ratios = lengths.map((l) => longest / l);
    const ratio = Math.round(Math.max(...ratios));
    if (!ratios.every((q) => Math.abs(q - Math.round(q)) <= NOISE * q && (Math.round(q) === 1 || Math.round(q) === ratio))) return undefined;
    const name = simpleName(idealRank, members.length, ratios.filter((q) => Math.round(q) > 1).length, ratio);
    if (name === undefined) return undefined;
    ideals.push({ name, dimension: idealRank + 2 * members.length });
    ranks += idealRank;
  }
  if (ranks !== rank) return undefined;
  return ideals.sort((p, q) => q.dimension - p.dimension || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
}

/** The dimension of the span, by Gram–Schmidt pivoting on the largest remainder; undefined when a remainder is neither clearly zero nor clearly not. */
function spanDimension(vectors: readonly number[][]): number | undefined {
  const rest = vectors.map((v) => [...v]);
  const lengths = vectors.map((v) => Math.sqrt(dot(v, v)));
  for (let dimension = 0; ; dimension++) {
    const remainders = rest.map((v, i) => Math.sqrt(dot(v, v)) / lengths[i]);
    const best = remainders.indexOf(Math.max(...remainders));
    if (remainders[best] <= NOISE) return dimension;
    if (remainders[best] < INDEPENDENT) return undefined;
    const q = rest[best].map((x) => x / (remainders[best] * lengths[best]));
    for (const v of rest) {
      const c = dot(v, q);
      for (let i = 0; i < v.length; i++) v[i] -= c * q[i];
    }
  }
}

/**
 * The compact simple algebra with this rank, number of positive roots, number of short ones
 * and squared length ratio of long to short roots (1 when all have one length), or undefined.
 * Isomorphic ones get one name: su(2) ≅ so(3) ≅ sp(1), so(5) ≅ sp(2), su(4) ≅ so(6).
 */
function simpleName(rank: number, roots: number, short: number, ratio: number): string | undefined {
  const r = rank;
  if (ratio === 1) {
    if (roots === (r * (r + 1)) / 2) return `su(${r + 1})`;
    if (r >= 4 && roots === r * (r - 1)) return `so(${2 * r})`;
    return [{ r: 6, roots: 36, name: 'e6' }, { r: 7, roots: 63, name: 'e7' }, { r: 8, roots: 120, name: 'e8' }].find((e) => e.r === r && e.roots === roots)?.name;
  }
  if (ratio === 2 && roots === r * r) {
    if (short === r) return `so(${2 * r + 1})`;
    if (short === r * (r - 1)) return `sp(${r})`;
  }
  if (ratio === 2 && r === 4 && roots === 24 && short === 12) return 'f4';
  if (ratio === 3 && r === 2 && roots === 6 && short === 3) return 'g2';
  return undefined;
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
