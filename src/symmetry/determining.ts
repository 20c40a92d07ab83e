// The determining equations of the symmetries of L = ¼(ẋ−f)ᵀA(ẋ−f), A = D⁻¹,
// for v = τ ∂t + ξ·∂x with δL = DₜK (issue 11, item 1).
//
// Write u = ẋ − f. Then L_ẋ = ½Au, δẋ = Dₜξ − ẋDₜτ, and δL is a polynomial in u:
//   u³:  −¼(∇τ·u)(uᵀAu)                      ⇒ ∇τ = 0: τ = τ(t);
//   u²:  ¼uᵀ(L_ξA + τ∂ₜA − τ′A)u             ⇒ L_ξA + τ∂ₜA = τ′A, with
//        L_ξA = ξ·∇A + A∇ξ + (∇ξ)ᵀA the Lie derivative of the metric A;
//   u¹:  b·u with b = ½A(∂ₜξ − [ξ, f] − τ∂ₜf − τ′f), [ξ, f] = (∇f)ξ − (∇ξ)f;
//   u⁰:  nothing — while DₜK = ∂ₜK + ∇K·f + ∇K·u.
// So δL = DₜK if and only if ∇K = b and ∂ₜK + f·∇K = 0; K exists iff
// ∂ᵢbⱼ = ∂ⱼbᵢ and ∂ₜb + ∇(f·b) = 0 (test/symmetry/determining.test.ts checks this
// reduction against the detector on random generators).
//
// When A depends on the state, ξ is searched among polynomials in x of degree
// ≤ 2 with coefficients functions of t, and the u² equation joins the others.
// When A depends on t only, the u² equation says A∇ξ + (∇ξ)ᵀA = τ′A − τ∂ₜA does
// not depend on x, so ∇ξ does not either: ξ = Mx + a(t) with
//   M = ½τ′I + ½τ(∂ₜD)D⁻¹ + D S,  S skew,
// the last term being the rotations of the metric A (AΩ skew for Ω = DS). The
// unknowns are functions of t: τ, the entries s_ij (i < j) of S, and a. What is
// left (curl-free b, and the t-condition) is linear in them and their
// derivatives, with coefficients functions of (x, t); split by the independent
// functions of x it is a linear ODE system in t (linear-ode.ts).
//
// Unknown j's k-th derivative is the symbol `_uj_k` (no model name starts with _).

import { type Expr, ONE, ZERO, add, dependsOn, freeSymbols, mul, num, splitCoefficient, sub, substitute, sym } from '../expr/expr.ts';
import { compileScalar } from '../expr/evaluate.ts';
import { diff } from '../expr/diff.ts';
import { isZeroSymbolic, together } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { type Interval, samplingInterval } from '../model/domain.ts';
import { velocityName } from '../model/types.ts';
import { Rng } from '../random/rng.ts';

/** An unknown function of t in the generator. */
export interface UnknownFunction {
  /** τ, s_xy (rotation in the D⁻¹ metric of the (x, y) plane) or a_x (translation). */
  readonly name: string;
}

/** Σ c(t) θ_j^(k) = 0, one term per jet. */
export type TimeEquation = ReadonlyArray<{ readonly j: number; readonly k: number; readonly c: Expr }>;

export interface DeterminingSystem {
  readonly unknowns: readonly UnknownFunction[];
  /** τ and ξ in terms of the jets `_uj_k`. */
  readonly generator: { readonly dt: Expr; readonly dx: readonly Expr[] };
  /** The conditions on (x, t) before splitting: each must vanish identically. */
  readonly conditions: readonly Expr[];
  /** The conditions split by functions of x: linear equations in the jets with coefficients in t. */
  readonly equations: readonly TimeEquation[];
  /** The functions of x used to split are linearly independent (checked numerically); if not, solutions may be lost. */
  readonly independent: boolean;
  /** ξ was searched among polynomials of degree ≤ MAX_DEGREE (a state-dependent D), not in general. */
  readonly polynomial: boolean;
}

const JET = /^_u(\d+)_(\d+)$/;
export const jetName = (j: number, k: number): string => `_u${j}_${k}`;
const jet = (j: number, k: number): Expr => sym(jetName(j, k));
function parseJet(name: string): [number, number] | undefined {
  const m = JET.exec(name);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** ∂ₜg with the jets as functions of t: ∂g/∂t + Σ ∂g/∂θ_j^(k) θ_j^(k+1). */
export function timeDerivative(g: Expr): Expr {
  const terms = [diff(g, 't')];
  for (const name of freeSymbols(g)) {
    const p = parseJet(name);
    if (p) terms.push(mul(diff(g, name), jet(p[0], p[1] + 1)));
  }
  return add(...terms);
}

/**
 * The determining system of a model, with the parameters at their values: in
 * general for a D that does not depend on the state, else for ξ polynomial in
 * x of degree ≤ MAX_DEGREE.
 */
export function determiningSystem(lagr: LagrangianResult): DeterminingSystem {
  const { model } = lagr;
  const values = new Map(model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  const fix = (e: Expr): Expr => substitute(e, values);
  const x = model.state;
  const n = x.length;
  const X = x.map(sym);
  const V = x.map((s) => sym(velocityName(s)));
  const D = model.diffusion.matrix.map((row) => row.map(fix));
  const Dinv = lagr.inverseDiffusion.map((row) => row.map(fix));

  const unknowns: UnknownFunction[] = [{ name: 'τ' }];
  const tau = jet(0, 0);
  const tau1 = jet(0, 1);
  const unknown = (name: string): Expr => {
    unknowns.push({ name });
    return jet(unknowns.length - 1, 0);
  };
  const statedependent = model.diffusion.dependsOnState;
  let xi: Expr[];
  if (statedependent) {
    // The u² equation no longer fixes ξ: search ξ polynomial in x of degree ≤ 2 (its own conditions below).
    const monomials = polynomialBasis(x, MAX_DEGREE);
    xi = x.map((s) => add(...monomials.map((m) => mul(unknown(`c_${s}_${m.key}`), m))));
  } else {
    const S: Expr[][] = x.map(() => x.map(() => ZERO));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const u = unknown(`s_${x[i]}${x[j]}`);
        S[i][j] = u;
        S[j][i] = mul(num(-1), u);
      }
    }
    const a = x.map((s) => unknown(`a_${s}`));
    const half = num(Rational.of(1, 2));
    const DtDinv = matMul(D.map((row) => row.map((d) => diff(d, 't'))), Dinv);
    const DS = matMul(D, S);
    xi = x.map((_, i) => add(a[i], ...x.map((_, j) => mul(add(i === j ? mul(half, tau1) : ZERO, mul(half, tau, DtDinv[i][j]), DS[i][j]), X[j]))));
  }

  // δL = τ ∂ₜL + ξ·∇ₓL + (Dₜξ − ẋ τ′)·∇ẋL + L τ′, Dₜ = ∂ₜ (jets included) + ẋ·∇ₓ.
  const L = fix(lagr.lagrangian);
  const Dt = (g: Expr): Expr => add(timeDerivative(g), ...x.map((s, j) => mul(V[j], diff(g, s))));
  const dL = add(
    mul(tau, diff(L, 't')),
    mul(L, tau1),
    ...x.map((s, i) => add(mul(xi[i], diff(L, s)), mul(sub(Dt(xi[i]), mul(V[i], tau1)), diff(L, velocityName(s))))),
  );
  const rest = new Map(x.map((s) => [velocityName(s), ZERO]));
  const c0 = substitute(dL, rest);
  const b = x.map((s) => substitute(diff(dL, velocityName(s)), rest));
  // δL is quadratic in ẋ. Its ẋẋ part vanishes by construction of ξ when D does not depend on the
  // state (it involves A and ξ only, so the check stays small; a failure is a bug, not an outcome);
  // otherwise it is a condition like the others.
  const conditions: Expr[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const quadratic = diff(diff(dL, velocityName(x[i])), velocityName(x[j]));
      if (statedependent) conditions.push(quadratic);
      else if (!isZeroSymbolic(quadratic)) throw new Error('determining equations: the part of δL quadratic in ẋ did not vanish for ξ = Mx + a');
    }
  }
  // K exists iff b is curl-free and ∂ₜb = ∇c₀ (c₀ = ∂ₜK).
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) conditions.push(sub(diff(b[i], x[j]), diff(b[j], x[i])));
    conditions.push(sub(diff(c0, x[i]), timeDerivative(b[i])));
  }
  const { equations, independent } = split(conditions, x, model.time, model.domain);
  return { unknowns, generator: { dt: tau, dx: xi }, conditions, equations, independent, polynomial: statedependent };
}

/** Degree of the polynomial ξ searched when D depends on the state. */
export const MAX_DEGREE = 2;

/** The monomials in x of degree ≤ d (1, x, y, x², x y, y², …). */
function polynomialBasis(x: readonly string[], d: number): Expr[] {
  let out: Expr[] = [ONE];
  let last: Expr[] = [ONE];
  for (let k = 1; k <= d; k++) {
    const next = new Map<string, Expr>();
    for (const m of last) for (const s of x) {
      const p = mul(m, sym(s));
      next.set(p.key, p);
    }
    last = [...next.values()];
    out = [...out, ...last];
  }
  return out;
}

/** Numerators larger than this are not split: discovery says so and the rules stand alone. */
const MAX_SPLIT_TERMS = 3000;

function matMul(A: readonly (readonly Expr[])[], B: readonly (readonly Expr[])[]): Expr[][] {
  return A.map((row) => B[0].map((_, j) => add(...row.map((aik, k) => (aik === ZERO || B[k][j] === ZERO ? ZERO : mul(aik, B[k][j]))))));
}

/**
 * Splits each condition Σ_J c_J(x, t) J = 0 into Σ_J c_Jm(t) J = 0 for each
 * function φ_m(x) in its numerator (over a common denominator): a monomial in
 * the state and the functions of the state.
 */
function split(conditions: readonly Expr[], x: readonly string[], time: readonly [number, number], domain: readonly Interval[]): { equations: TimeEquation[]; independent: boolean } {
  const equations: TimeEquation[] = [];
  let independent = true;
  for (const condition of conditions) {
    const numerator = together(condition, MAX_SPLIT_TERMS).num;
    const groups = new Map<string, { phi: Expr; terms: Map<string, Expr[]> }>();
    for (const term of numerator.kind === 'add' ? numerator.terms : numerator.kind === 'num' && numerator.value.isZero() ? [] : [numerator]) {
      const [c, rest] = splitCoefficient(term);
      const factors = rest === ONE ? [] : rest.kind === 'mul' ? rest.factors : [rest];
      let jetName: string | undefined;
      const xs: Expr[] = [];
      const ts: Expr[] = [num(c)];
      for (const f of factors) {
        if (f.kind === 'sym' && JET.test(f.name)) {
          if (jetName) throw new Error('determining equations: a term with two unknowns');
          jetName = f.name;
        } else if (dependsOn(f, x)) xs.push(f);
        else ts.push(f);
      }
      if (!jetName) throw new Error(`determining equations: a term without an unknown (${term.key})`);
      const phi = mul(...xs);
      const g = groups.get(phi.key) ?? { phi, terms: new Map<string, Expr[]>() };
      groups.set(phi.key, g);
      const list = g.terms.get(jetName) ?? [];
      list.push(mul(...ts));
      g.terms.set(jetName, list);
    }
    for (const g of groups.values()) {
      const eq = [...g.terms].map(([name, cs]) => {
        const [j, k] = parseJet(name) as [number, number];
        return { j, k, c: add(...cs) };
      });
      if (eq.some((t) => !isZeroSymbolic(t.c))) equations.push(eq);
    }
    if (!linearlyIndependent([...groups.values()].map((g) => g.phi), x, time, domain)) independent = false;
  }
  return { equations, independent };
}

/** Numerical rank of the functions at seeded points (state in [−1.5, 1.5] moved inside its domain, t in the model's interval). */
function linearlyIndependent(phis: readonly Expr[], x: readonly string[], time: readonly [number, number], domain: readonly Interval[]): boolean {
  if (phis.length <= 1) return true;
  const names = [...x, 't'];
  const index = new Map(names.map((s, i) => [s, i]));
  const slot = (s: string): number | undefined => index.get(s);
  // Each φ is a product of factors (x, tanh(…), their powers), most of them shared by several:
  // each distinct factor is evaluated once per point.
  const factorIndex = new Map<string, number>();
  const factorFns: Array<(v: ArrayLike<number>) => number> = [];
  const phiFactors = phis.map((p) =>
    (p.kind === 'mul' ? p.factors : [p]).map((f) => {
      let k = factorIndex.get(f.key);
      if (k === undefined) {
        factorIndex.set(f.key, (k = factorFns.length));
        factorFns.push(compileScalar(f, slot));
      }
      return k;
    }),
  );
  // A product that overflows factor by factor (I0(z)·e^{−z} at large z) is evaluated whole, scaled.
  const wholes = new Map<number, (v: ArrayLike<number>) => number>();
  const whole = (j: number): ((v: ArrayLike<number>) => number) => {
    let f = wholes.get(j);
    if (!f) wholes.set(j, (f = compileScalar(phis[j], slot)));
    return f;
  };
  const values = new Float64Array(factorFns.length);
  const rng = new Rng(0xd17e);
  const rows: number[][] = [];
  for (let r = 0; rows.length < 2 * phis.length + 8 && r < 30 * phis.length; r++) {
    const point = names.map((s, i) => (s === 't' ? rng.between(...time) : rng.between(...samplingInterval(domain[i], 1.5))));
    for (let k = 0; k < factorFns.length; k++) values[k] = factorFns[k](point);
    const row = phiFactors.map((ks, j) => {
      let product = 1;
      for (const k of ks) product *= values[k];
      return Number.isFinite(product) ? product : whole(j)(point);
    });
    if (row.every(Number.isFinite)) rows.push(row);
  }
  if (rows.length < phis.length) return false;
  return fullColumnRank(rows);
}

/** Gaussian elimination with row pivoting on the column-scaled matrix: are the columns independent? */
function fullColumnRank(rows: number[][]): boolean {
  const m = rows.length;
  const n = rows[0].length;
  const a = rows.map((r) => Float64Array.from(r));
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let i = 0; i < m; i++) norm = Math.max(norm, Math.abs(a[i][j]));
    if (norm === 0) return false;
    for (let i = 0; i < m; i++) a[i][j] /= norm;
  }
  for (let k = 0; k < n; k++) {
    let bi = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(a[i][k]) > Math.abs(a[bi][k])) bi = i;
    // Exact dependence leaves pivots at rounding level; functions that only look alike on the box
    // (a steep tanh is nearly ±1) leave small but clearly larger ones.
    if (!(Math.abs(a[bi][k]) > 1e-12)) return false;
    [a[k], a[bi]] = [a[bi], a[k]];
    const pivot = a[k];
    for (let i = k + 1; i < m; i++) {
      const row = a[i];
      const f = row[k] / pivot[k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) row[j] -= f * pivot[j];
    }
  }
  return true;
}
