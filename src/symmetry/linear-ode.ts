// Linear ODE systems with constant (rational) coefficients for unknown functions
// θ_0(t) … θ_{U−1}(t): the t-part of the symmetry determining equations.
//
// Method: prolong every equation (differentiate it, which shifts every jet
// θ_j^(k) to θ_j^(k+s)) up to an order R, row-reduce exactly with the jets
// ranked by order (highest first), and read off the parametric jets Z — those
// no equation determines. When Z is closed under d/dt, the solutions are
// Z(t) = exp(Mt) Z(0) with Z' = M Z, so the solution space has dimension |Z|,
// and θ_j = E_j · Z. exp(Mt) is written in closed form from the eigenvalues
// of M: rational ones (e^{λt} times polynomials from the nilpotent part), and
// pairs with rational sum and product (e^{αt} cos/sin(βt) or cosh/sinh(βt),
// β = √q). Eigenvalues are located numerically and then verified exactly
// (a singular rational matrix), so nothing is guessed.

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { type Expr, ONE, add, call, mul, num, pow, sym } from '../expr/expr.ts';
import { Rational } from '../expr/rational.ts';

/** c · θ_j^(k). */
export interface JetTerm {
  readonly j: number;
  readonly k: number;
  readonly c: Rational;
}

/** Σ c θ_j^(k) = 0. */
export type JetEquation = readonly JetTerm[];

export interface OdeSolution {
  /** Dimension of the solution space (Infinity when a free function remains). */
  readonly dimension: number;
  /** A basis of the solutions found in closed form: θ_j(t) for each unknown j. */
  readonly basis: Expr[][];
  /** Every solution is in the span of `basis`. */
  readonly closedForm: boolean;
  /** Why not, when not. */
  readonly reason?: string;
}

const T = sym('t');

export function solveLinearOde(equations: readonly JetEquation[], unknowns: number): OdeSolution {
  const eqs = equations.filter((e) => e.some((term) => !term.c.isZero()));
  if (eqs.length === 0) return { dimension: Infinity, basis: [], closedForm: false, reason: 'no equation restricts the unknowns: a free function of t remains' };
  const m = Math.max(0, ...eqs.map(order));
  // Prolong a little at a time: most systems close within a few orders, and every solution is
  // checked by the caller anyway. The dimension must agree at two successive orders.
  const last = Math.max(2 * m + 2 * unknowns + 4, 8);
  let previous: FirstOrder | undefined;
  const reduction = new Reduction(eqs);
  for (let R = m + 2; R <= last + 24; R += R < last ? 2 : 6) {
    const reduced = reduction.prolongTo(R);
    const system = firstOrder(reduced, unknowns, R - m - 1);
    if (system === 'infinite') return { dimension: Infinity, basis: [], closedForm: false, reason: 'a free function of t remains (the equations do not determine every unknown)' };
    if (system && previous && system.Z.length === previous.Z.length) return solveFirstOrder(system, unknowns);
    previous = system;
  }
  return { dimension: NaN, basis: [], closedForm: false, reason: 'the prolonged system did not close' };
}

function order(e: JetEquation): number {
  let k = 0;
  for (const t of e) if (!t.c.isZero()) k = Math.max(k, t.k);
  return k;
}

// ------------------------------------------------------------------ row reduction

interface Reduced {
  /** Pivot jet "j:k" → its row (jet + Σ c·other = 0, the other jets ranked lower and not pivots). */
  readonly rows: Map<string, Map<string, Rational>>;
}

const key = (j: number, k: number): string => `${j}:${k}`;
const unkey = (s: string): [number, number] => s.split(':').map(Number) as [number, number];
/** Rank: higher order first, then lower index. */
const rank = (s: string): number => {
  const [j, k] = unkey(s);
  return -k * 1e6 + j;
};

/**
 * The prolonged equations in reduced row echelon form, built up order by order:
 * prolongTo(R) adds the derivatives each equation has up to order R. The reduced
 * form of a row space for a fixed ranking of the jets is unique, so adding rows
 * to the form for a lower R gives the form a fresh reduction would.
 */
class Reduction {
  private readonly rows = new Map<string, Map<string, Rational>>();
  /** How many derivatives of each equation (0th included) are in already. */
  private readonly added: number[];

  constructor(private readonly eqs: readonly JetEquation[]) {
    this.added = eqs.map(() => 0);
  }

  prolongTo(R: number): Reduced {
    this.eqs.forEach((e, i) => {
      const m = order(e);
      for (let s = this.added[i]; s + m <= R; s++) {
        const row = new Map<string, Rational>();
        for (const t of e) if (!t.c.isZero()) row.set(key(t.j, t.k + s), (row.get(key(t.j, t.k + s)) ?? Rational.ZERO).add(t.c));
        this.insert(row);
        this.added[i] = s + 1;
      }
    });
    return { rows: this.rows };
  }

  /** Incremental elimination: reduce the row by the pivots, make its lead a pivot, remove it from the others. */
  private insert(raw: Map<string, Rational>): void {
    const row = eliminate(raw, this.rows);
    if (row.size === 0) return;
    const lead = [...row.keys()].sort((a, b) => rank(a) - rank(b))[0];
    const c = row.get(lead) as Rational;
    const normal = new Map<string, Rational>();
    for (const [k, v] of row) normal.set(k, v.div(c));
    for (const other of this.rows.values()) subtractMultiple(other, lead, normal);
    this.rows.set(lead, normal);
  }
}

function eliminate(raw: Map<string, Rational>, rows: Map<string, Map<string, Rational>>): Map<string, Rational> {
  const row = new Map([...raw].filter(([, v]) => !v.isZero()));
  for (const [pivot, pr] of rows) subtractMultiple(row, pivot, pr);
  return row;
}

/** row −= row[pivot] · source (source has 1 at pivot), dropping zeros. */
function subtractMultiple(row: Map<string, Rational>, pivot: string, source: ReadonlyMap<string, Rational>): void {
  const f = row.get(pivot);
  if (!f) return;
  for (const [k, v] of source) {
    const next = (row.get(k) ?? Rational.ZERO).sub(f.mul(v));
    if (next.isZero()) row.delete(k);
    else row.set(k, next);
  }
}

// ------------------------------------------------------------------ first-order form

interface FirstOrder {
  /** The parametric jets. */
  readonly Z: string[];
  /** Z' = M Z (d × d). */
  readonly M: Rational[][];
  /** θ_j = E[j] · Z. */
  readonly E: Rational[][];
}

function firstOrder(reduced: Reduced, unknowns: number, cutoff: number): FirstOrder | 'infinite' | undefined {
  const { rows } = reduced;
  const Z: string[] = [];
  for (let j = 0; j < unknowns; j++) {
    let free = 0;
    for (let k = 0; k <= cutoff; k++) {
      if (!rows.has(key(j, k))) {
        Z.push(key(j, k));
        free++;
      }
    }
    if (free === cutoff + 1 && cutoff > 2 * unknowns + 4) return 'infinite';
  }
  const index = new Map(Z.map((z, i) => [z, i]));
  const value = (jet: string): Rational[] | undefined => {
    const v = Z.map(() => Rational.ZERO);
    const i = index.get(jet);
    if (i !== undefined) {
      v[i] = Rational.ONE;
      return v;
    }
    const row = rows.get(jet);
    if (!row) return undefined; // parametric beyond the cutoff: not closed yet
    for (const [k, c] of row) {
      if (k === jet) continue;
      const at = index.get(k);
      if (at === undefined) return undefined;
      v[at] = c.neg();
    }
    return v;
  };
  const M: Rational[][] = [];
  for (const z of Z) {
    const [j, k] = unkey(z);
    const next = value(key(j, k + 1));
    if (!next) return undefined;
    M.push(next);
  }
  const E: Rational[][] = [];
  for (let j = 0; j < unknowns; j++) {
    const e = value(key(j, 0));
    if (!e) return undefined;
    E.push(e);
  }
  return { Z, M, E };
}

// ------------------------------------------------------------------ exp(Mt) in closed form

function solveFirstOrder(sys: FirstOrder, unknowns: number): OdeSolution {
  const d = sys.Z.length;
  if (d === 0) return { dimension: 0, basis: [], closedForm: true };
  const M = sys.M;
  const I = identity(d);
  const eig = new EigenvalueDecomposition(new Matrix(M.map((r) => r.map((x) => x.toNumber()))));
  const re = eig.realEigenvalues;
  const im = eig.imaginaryEigenvalues;
  const basis: Expr[][] = [];
  let covered = 0;
  const done: Array<{ re: number; im: number }> = [];
  const seen = (a: number, b: number): boolean => done.some((p) => Math.abs(p.re - a) < 1e-6 * (1 + Math.abs(a)) && Math.abs(Math.abs(p.im) - Math.abs(b)) < 1e-6 * (1 + Math.abs(b)));
  const scaleM = Math.max(1, ...M.flat().map((x) => Math.abs(x.toNumber())));
  for (let i = 0; i < d; i++) {
    if (seen(re[i], im[i])) continue;
    done.push({ re: re[i], im: im[i] });
    const real = Math.abs(im[i]) <= 1e-7 * scaleM;
    const lambda = real ? rationalize(re[i]) : undefined;
    if (lambda && isSingular(sub(M, scale(I, lambda)))) {
      // A rational eigenvalue: its generalised eigenspace and e^{λt} Σ t^k/k! N^k v.
      const N = sub(M, scale(I, lambda));
      const W = generalisedKernel(N, d);
      covered += W.vectors.length;
      for (const v of W.vectors) basis.push(rationalSolution(sys.E, N, W.power, normalised(v), lambda, unknowns));
      continue;
    }
    // A pair with rational mean α and rational q = ((λ − λ')/2)²: (M − αI)² ∓ qI singular, β = √q.
    const pair = real ? realPartner(re, i) : { mean: re[i], q: im[i] * im[i] };
    const alpha = pair ? rationalize(pair.mean) : undefined;
    const q = pair ? rationalize(pair.q) : undefined;
    if (!alpha || !q || q.isZero()) continue;
    const A = sub(M, scale(I, alpha));
    const N2 = real ? sub(mulM(A, A), scale(I, q)) : add2(mulM(A, A), scale(I, q));
    if (!isSingular(N2)) continue;
    const W = generalisedKernel(N2, d);
    if (W.power > 1) continue; // repeated pairs: not written in closed form here
    done.push({ re: real ? 2 * alpha.toNumber() - re[i] : re[i], im: -im[i] });
    covered += W.vectors.length;
    for (const v of W.vectors) basis.push(pairSolution(sys.E, A, v, alpha, q, real ? 'hyperbolic' : 'trigonometric', unknowns));
  }
  const closedForm = covered === d;
  return { dimension: d, basis, closedForm, ...(closedForm ? {} : { reason: 'some exponents are roots of a polynomial of degree above 2 (or repeated complex pairs): not written in closed form' }) };
}

/** A real irrational eigenvalue's partner λ' with a rational mean and a rational ((λ − λ')/2)². */
function realPartner(re: ArrayLike<number>, i: number): { mean: number; q: number } | undefined {
  for (let k = 0; k < re.length; k++) {
    if (k === i) continue;
    const mean = (re[i] + re[k]) / 2;
    const q = ((re[i] - re[k]) / 2) ** 2;
    if (rationalize(mean) && rationalize(q)) return { mean, q };
  }
  return undefined;
}

/** θ_j(t) = e^{λt} Σ_k (E_j · N^k v) t^k / k!. */
function rationalSolution(E: Rational[][], N: Rational[][], power: number, v: Rational[], lambda: Rational, unknowns: number): Expr[] {
  const chain: Rational[][] = [v];
  for (let k = 1; k < power; k++) chain.push(apply(N, chain[k - 1]));
  const exp = lambda.isZero() ? ONE : call('exp', mul(num(lambda), T));
  return Array.from({ length: unknowns }, (_, j) => {
    let factorial = Rational.ONE;
    const terms = chain.map((w, k) => {
      if (k > 0) factorial = factorial.mul(Rational.of(k));
      return mul(num(dot(E[j], w).div(factorial)), pow(T, num(k)));
    });
    return mul(exp, add(...terms));
  });
}

/** θ_j(t) = e^{αt} (C(βt) E_j·v + S(βt) E_j·(M − αI)v / β) with C, S = cos, sin or cosh, sinh. */
function pairSolution(E: Rational[][], A: Rational[][], v: Rational[], alpha: Rational, q: Rational, kind: 'trigonometric' | 'hyperbolic', unknowns: number): Expr[] {
  const beta = pow(num(q), num(Rational.of(1, 2)));
  const Av = apply(A, v);
  const exp = alpha.isZero() ? ONE : call('exp', mul(num(alpha), T));
  const [C, S] = kind === 'trigonometric' ? (['cos', 'sin'] as const) : (['cosh', 'sinh'] as const);
  return Array.from({ length: unknowns }, (_, j) =>
    mul(exp, add(mul(num(dot(E[j], v)), call(C, mul(beta, T))), mul(num(dot(E[j], Av)), pow(beta, num(-1)), call(S, mul(beta, T))))),
  );
}

// ------------------------------------------------------------------ exact linear algebra

function identity(d: number): Rational[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? Rational.ONE : Rational.ZERO)));
}
function scale(A: Rational[][], c: Rational): Rational[][] {
  return A.map((r) => r.map((x) => x.mul(c)));
}
function sub(A: Rational[][], B: Rational[][]): Rational[][] {
  return A.map((r, i) => r.map((x, j) => x.sub(B[i][j])));
}
function add2(A: Rational[][], B: Rational[][]): Rational[][] {
  return A.map((r, i) => r.map((x, j) => x.add(B[i][j])));
}
function mulM(A: Rational[][], B: Rational[][]): Rational[][] {
  return A.map((r) => B[0].map((_, j) => r.reduce((s, x, k) => (x.isZero() ? s : s.add(x.mul(B[k][j]))), Rational.ZERO)));
}
function apply(A: Rational[][], v: Rational[]): Rational[] {
  return A.map((r) => dot(r, v));
}
function dot(a: Rational[], b: Rational[]): Rational {
  let s = Rational.ZERO;
  for (let i = 0; i < a.length; i++) if (!a[i].isZero() && !b[i].isZero()) s = s.add(a[i].mul(b[i]));
  return s;
}

/** v scaled so that its first non-zero entry is 1. */
function normalised(v: Rational[]): Rational[] {
  const lead = v.find((x) => !x.isZero());
  return lead ? v.map((x) => x.div(lead)) : v;
}

/** A basis of the kernel, in reduced echelon form (unit in its free coordinate). */
export function kernel(A: Rational[][]): Rational[][] {
  const rows = A.map((r) => [...r]);
  const n = A[0]?.length ?? 0;
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < n && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && !row[c].isZero());
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p], rows[r]];
    const inv = Rational.ONE.div(rows[r][c]);
    rows[r] = rows[r].map((x) => x.mul(inv));
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i][c].isZero()) continue;
      const f = rows[i][c];
      rows[i] = rows[i].map((x, k) => x.sub(f.mul(rows[r][k])));
    }
    pivots.push(c);
    r++;
  }
  const free = Array.from({ length: n }, (_, c) => c).filter((c) => !pivots.includes(c));
  return free.map((fc) => {
    const v = Array.from({ length: n }, () => Rational.ZERO);
    v[fc] = Rational.ONE;
    pivots.forEach((pc, i) => (v[pc] = rows[i][fc].neg()));
    return v;
  });
}

function isSingular(A: Rational[][]): boolean {
  return kernel(A).length > 0;
}

/** ker(A^p) for the smallest p where the kernel stops growing. */
function generalisedKernel(A: Rational[][], d: number): { power: number; vectors: Rational[][] } {
  let P = A;
  let vectors = kernel(P);
  for (let p = 1; p < d; p++) {
    const next = kernel(mulM(P, A));
    if (next.length === vectors.length) return { power: p, vectors };
    P = mulM(P, A);
    vectors = next;
  }
  return { power: d, vectors };
}

/** The rational with a denominator up to 10⁶ nearest x, if it is within 1e-9 (relative): a candidate, verified exactly by the caller. */
export function rationalize(x: number): Rational | undefined {
  if (!Number.isFinite(x)) return undefined;
  if (Math.abs(x) < 1e-10) return Rational.ZERO;
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let y = x;
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(y);
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (k1 > 1e6) break;
    if (Math.abs(h1 / k1 - x) <= 1e-9 * (1 + Math.abs(x))) return Rational.of(BigInt(h1), BigInt(k1));
    const frac = y - a;
    if (frac < 1e-12) break;
    y = 1 / frac;
  }
  return undefined;
}
