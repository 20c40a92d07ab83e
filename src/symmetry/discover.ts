// Symmetry discovery: solve the determining equations (determining.ts) for
// the whole algebra of (quasi-)symmetries instead of testing a list. The
// t-equations are solved exactly when their coefficients are constant
// (linear-ode.ts); every basis generator is then checked by the detector like
// any other, so a generator is reported only with its proof.

import { diff } from '../expr/diff.ts';
import { type Expr, add, call, dependsOn, mul, num, sub, substitute, sym } from '../expr/expr.ts';
import { integrate } from '../expr/integrate.ts';
import { ExpansionTooLarge, expand, isZeroSymbolic, tidy } from '../expr/normal.ts';
import { toText } from '../expr/print.ts';
import { Rational } from '../expr/rational.ts';
import { type LagrangianResult, buildLagrangian } from '../lagrangian/lagrangian.ts';
import { type DeterminingSystem, MAX_DEGREE, determiningSystem, jetName } from './determining.ts';
import { type JetEquation, solveLinearOde } from './linear-ode.ts';
import { type NetworkForm, networkForm, networkSymmetries } from './network.ts';
import type { Generator } from './rules.ts';

export interface Discovery {
  /** Dimension of the symmetry algebra found by solving (null when it is not finite or not known). */
  readonly dimension: number | null;
  /** A basis of it, in closed form (may be shorter than dimension when closedForm is false). */
  readonly basis: readonly Generator[];
  /** The class of generators searched, in words. */
  readonly searched: string;
  /** The answer is the whole algebra of that class. */
  readonly complete: boolean;
  /** Why not complete, when not. */
  readonly note?: string;
}

/** For a state-independent D every such generator has ξ = (½τ′ + ½τ ∂ₜD D⁻¹ + DS(t)) x + a(t), S skew (determining.ts). */
const SEARCHED = 'point symmetries τ(t) ∂t + ξ(x, t)·∂x';

/** `network`: the model's network form when the caller has it already (networkForm). */
export function discover(lagr: LagrangianResult, network: NetworkForm | undefined = networkForm(lagr)): Discovery {
  const shift = forcedLinear(lagr);
  if (shift) {
    // x = y + x_p(t) turns ẋ = Bx + c(t) into ẏ = By: a symmetry τ ∂t + η(y, t)·∂y there is
    // τ ∂t + (η(x − x_p, t) + τ ẋ_p)·∂x here (and the detector checks it on this Lagrangian).
    const found = discover(shift.autonomous);
    const xp = shift.particular;
    const back = new Map(lagr.model.state.map((x, i) => [x, sub(sym(x), xp[i])]));
    return {
      ...found,
      searched: `${found.searched}, through x = y + x_p(t) with x_p = (${xp.map(toText).join(', ')}) a particular solution of ẋ = f`,
      basis: found.basis.map((g) => ({
        dt: g.dt,
        dx: g.dx.map((eta, i) => tidy(add(substitute(eta, back), mul(g.dt, diff(xp[i], 't'))))),
      })),
    };
  }
  const { model } = lagr;
  if (model.diffusion.dependsOnTime || model.drift.some((f) => dependsOn(f, ['t']))) {
    // Its determining equations have coefficients that depend on t (a forced linear drift was handled above).
    return { dimension: null, basis: [], searched: SEARCHED, complete: false, note: 'the model depends on t other than through a forcing of a linear drift: the determining equations have coefficients that depend on t, which are not solved yet; the rules were tested' };
  }
  if (network) return networkDiscovery(lagr, network);
  let system: ReturnType<typeof determiningSystem>;
  try {
    system = determiningSystem(lagr);
  } catch (err) {
    if (!(err instanceof ExpansionTooLarge)) throw err;
    return { dimension: null, basis: [], searched: SEARCHED, complete: false, note: 'the determining equations were too large to expand symbolically; the rules were tested' };
  }
  const searched = system.polynomial ? `point symmetries τ(t) ∂t + ξ(x, t)·∂x with ξ polynomial in x of degree ≤ ${MAX_DEGREE} (D depends on the state)` : SEARCHED;
  const equations = constantCoefficients(system);
  if (!equations) {
    return { dimension: null, basis: [], searched, complete: false, note: 'the determining equations have coefficients that depend on t; only constant coefficients are solved so far' };
  }
  const solution = solveLinearOde(equations, system.unknowns.length);
  if (!Number.isFinite(solution.dimension)) {
    return { dimension: null, basis: [], searched, complete: false, note: solution.reason ?? 'the solution space is not finite-dimensional' };
  }
  const basis = solution.basis.map((theta) => generatorOf(system, theta));
  const notes = [
    ...(solution.closedForm ? [] : [solution.reason ?? 'some solutions are not in closed form']),
    ...(system.independent ? [] : ['the functions of x used to split the equations may be linearly dependent: some symmetries may be missing']),
  ];
  return {
    dimension: solution.dimension,
    basis,
    searched,
    complete: solution.closedForm && system.independent,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

function networkDiscovery(lagr: LagrangianResult, form: NetworkForm): Discovery {
  const { basis, freeUnits } = networkSymmetries(lagr, form);
  const names = freeUnits.map((j) => lagr.model.state[j]);
  return {
    dimension: basis.length,
    basis,
    searched: `exact symmetries τ ∂t + (Ωx + a)·∂x with constant τ, Ω, a of the network drift f = −Ax + ${form.kind === 'radial' ? `R(|x|²) Wx + b, R = ${form.nonlinearity}` : `W ${form.nonlinearity} + b`} (${lagr.model.state.length} units, constant ${form.kind === 'radial' ? 'isotropic' : 'diagonal'} D), by linear algebra on A, W, b`,
    complete: true,
    ...(names.length > 0 ? { note: `${names.join(', ')} feed${names.length === 1 ? 's' : ''} nothing back through W: symmetries of ${names.length === 1 ? 'it' : 'them'} with a time profile (as of an Ornstein–Uhlenbeck unit) are outside the class searched` } : {}),
  };
}

/**
 * A drift f = Bx + c(t) with B constant and triangular, c depending on t, and D
 * constant: the autonomous model ẏ = By and a particular solution x_p of
 * ẋ = Bx + c(t) in closed form (x_p,i = e^{bᵢᵢt} ∫ e^{−bᵢᵢt} (cᵢ + Σⱼ bᵢⱼ x_p,j) dt, the
 * components in the order the triangle allows), or undefined.
 */
function forcedLinear(lagr: LagrangianResult): { autonomous: LagrangianResult; particular: Expr[] } | undefined {
  const { model } = lagr;
  const d = model.diffusion;
  if (d.dependsOnState || d.dependsOnTime) return undefined;
  const values = new Map(model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  const x = model.state;
  const f = model.drift.map((e) => substitute(e, values));
  // Row by row, stopping at the first entry that is not constant (a nonlinear drift, e.g. any network).
  const B: Expr[][] = [];
  for (const fi of f) {
    const row = x.map((xj) => tidy(diff(fi, xj)));
    if (row.some((b) => dependsOn(b, [...x, 't']))) return undefined;
    B.push(row);
  }
  // Triangular B: each component is forced by c and by the components solved before it.
  const n = x.length;
  const zeroBelow = B.every((row, i) => row.every((b, j) => j >= i || isZeroSymbolic(b)));
  const zeroAbove = B.every((row, i) => row.every((b, j) => j <= i || isZeroSymbolic(b)));
  if (!zeroBelow && !zeroAbove) return undefined;
  const c = f.map((fi, i) => tidy(sub(fi, add(...x.map((xj, j) => mul(B[i][j], sym(xj)))))));
  if (c.some((ci) => dependsOn(ci, x)) || !c.some((ci) => dependsOn(ci, ['t']))) return undefined;
  const particular: Expr[] = new Array(n);
  const order = zeroAbove ? [...x.keys()] : [...x.keys()].reverse();
  for (const i of order) {
    const b = B[i][i];
    const forcing = add(c[i], ...order.filter((j) => j !== i && particular[j] !== undefined).map((j) => mul(B[i][j], particular[j])));
    const growth = call('exp', mul(b, sym('t')));
    const integral = integrate(expand(mul(call('exp', mul(num(-1), b, sym('t'))), forcing)), 't');
    if (integral === undefined) return undefined;
    particular[i] = tidy(mul(growth, integral));
  }
  const drift = x.map((_, i) => add(...x.map((xj, j) => mul(B[i][j], sym(xj)))));
  const autonomous = buildLagrangian(Object.freeze({ ...model, drift }), lagr.action);
  return { autonomous, particular };
}

/** The equations with rational coefficients, or undefined when a coefficient depends on t (or is irrational). */
function constantCoefficients(system: DeterminingSystem): JetEquation[] | undefined {
  const out: JetEquation[] = [];
  for (const eq of system.equations) {
    const terms = [];
    for (const t of eq) {
      const c = tidy(t.c);
      if (c.kind !== 'num') return undefined;
      terms.push({ j: t.j, k: t.k, c: c.value as Rational });
    }
    out.push(terms);
  }
  return out;
}

/** τ and ξ with every jet θ_j^(k) replaced by the k-th derivative of θ_j(t). */
function generatorOf(system: DeterminingSystem, theta: readonly Expr[]): Generator {
  const values = new Map<string, Expr>();
  theta.forEach((f, j) => {
    let d = f;
    // The generator holds τ and τ′ at most.
    for (let k = 0; k <= 2; k++) {
      values.set(jetName(j, k), d);
      d = diff(d, 't');
    }
  });
  const fill = (e: Expr): Expr => tidy(substitute(e, values));
  return { dt: fill(system.generator.dt), dx: system.generator.dx.map(fill) };
}
