// Symmetry discovery: solve the determining equations (determining.ts) for
// the whole algebra of (quasi-)symmetries instead of testing a list. The
// t-equations are solved exactly when their coefficients are constant
// (linear-ode.ts); every basis generator is then checked by the detector like
// any other, so a generator is reported only with its proof.

import { diff } from '../expr/diff.ts';
import { type Expr, substitute } from '../expr/expr.ts';
import { ExpansionTooLarge, tidy } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { type DeterminingSystem, determiningSystem, jetName } from './determining.ts';
import { type JetEquation, solveLinearOde } from './linear-ode.ts';
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

export function discover(lagr: LagrangianResult): Discovery {
  let system: ReturnType<typeof determiningSystem>;
  try {
    system = determiningSystem(lagr);
  } catch (err) {
    if (!(err instanceof ExpansionTooLarge)) throw err;
    return { dimension: null, basis: [], searched: SEARCHED, complete: false, note: 'the determining equations were too large to expand symbolically; the rules were tested' };
  }
  if ('unsupported' in system) {
    return { dimension: null, basis: [], searched: 'none', complete: false, note: `discovery needs a diffusion matrix that does not depend on the state (${system.unsupported}); the rules were tested` };
  }
  const equations = constantCoefficients(system);
  if (!equations) {
    return { dimension: null, basis: [], searched: SEARCHED, complete: false, note: 'the determining equations have coefficients that depend on t; only constant coefficients are solved so far' };
  }
  const solution = solveLinearOde(equations, system.unknowns.length);
  if (!Number.isFinite(solution.dimension)) {
    return { dimension: null, basis: [], searched: SEARCHED, complete: false, note: solution.reason ?? 'the solution space is not finite-dimensional' };
  }
  const basis = solution.basis.map((theta) => generatorOf(system, theta));
  const notes = [
    ...(solution.closedForm ? [] : [solution.reason ?? 'some solutions are not in closed form']),
    ...(system.independent ? [] : ['the functions of x used to split the equations may be linearly dependent: some symmetries may be missing']),
  ];
  return {
    dimension: solution.dimension,
    basis,
    searched: SEARCHED,
    complete: solution.closedForm && system.independent,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
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
