// The Onsager–Machlup Lagrangian of a model (paper Eq. 8) and everything that
// follows from it: momenta (Eq. 15), energy (Eq. 10), the Hamiltonian, the
// Euler–Lagrange equations solved for the accelerations, and Hamilton's equations.

import { NoetherError } from '../errors.ts';
import { type Expr, ZERO, add, dependsOn, mul, num, pow, sub, sym } from '../expr/expr.ts';
import { diff } from '../expr/diff.ts';
import { tidy } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import { type Model, accelerationName, momentumName, velocityName } from '../model/types.ts';
import { invertMatrix } from './inverse.ts';

/**
 * `eq8`: the paper's L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) (Freidlin–Wentzell form, the default);
 * `om`: the Onsager–Machlup form L + ½∇·f.
 */
export type ActionKind = 'eq8' | 'om';

export interface LagrangianResult {
  readonly model: Model;
  readonly action: ActionKind;
  /** D⁻¹ (N×N). */
  readonly inverseDiffusion: readonly (readonly Expr[])[];
  /** L(x, ẋ, t). */
  readonly lagrangian: Expr;
  /** pᵢ = ∂L/∂ẋᵢ as functions of (x, ẋ, t). */
  readonly momenta: readonly Expr[];
  /** E = p·ẋ − L as a function of (x, ẋ, t), in the paper's form ¼ẋᵀD⁻¹ẋ − ¼fᵀD⁻¹f (− ½∇·f). */
  readonly energy: Expr;
  /** H(x, p, t) = pᵀDp + p·f (− ½∇·f), over the momentum symbols p_x, p_y, …. */
  readonly hamiltonian: Expr;
  /** Names used in the formulas. */
  readonly symbols: {
    readonly velocities: readonly string[];
    readonly accelerations: readonly string[];
    readonly momenta: readonly string[];
  };
}

/** The equations of motion, computed apart because only some commands need them (they cost most). */
export interface EquationsOfMotion {
  /** ẍᵢ(x, ẋ, t) from the Euler–Lagrange equations. */
  readonly accelerations: readonly Expr[];
  /** Hamilton's equations ẋ = ∂H/∂p, ṗ = −∂H/∂x over (x, p, t). */
  readonly hamilton: { readonly xdot: readonly Expr[]; readonly pdot: readonly Expr[] };
}

export function buildLagrangian(model: Model, action: ActionKind = 'eq8'): LagrangianResult {
  const x = model.state;
  const velocities = x.map(velocityName);
  const xdot = velocities.map(sym);
  const f = model.drift;
  const D = model.diffusion.matrix;
  const Dinv = inverseOf(model);

  const quadratic = (a: readonly Expr[], b: readonly Expr[]): Expr => bilinear(a, Dinv, b);
  const quarter = num(Rational.of(1, 4));
  const half = num(Rational.of(1, 2));
  const u = xdot.map((v, i) => sub(v, f[i]));
  const omTerm = action === 'om' ? mul(half, add(...f.map((fi, i) => diff(fi, x[i])))) : ZERO;

  const lagrangian = add(mul(quarter, quadraticOfSquares(u, Dinv)), omTerm);
  // p = ∂L/∂ẋ = ½D⁻¹(ẋ − f) (D⁻¹ symmetric; the OM term has no ẋ), built directly:
  // differentiating L once per velocity walks all of L's N² terms N times. Tidied
  // for the forms papers print, but on networks, where that costs seconds.
  const momenta = u.map((_, i) => {
    const p = mul(half, add(...u.map((uj, j) => (Dinv[i][j] === ZERO ? ZERO : mul(Dinv[i][j], uj)))));
    return x.length <= TIDY_MOMENTA_MAX_STATE ? tidy(p) : p;
  });

  // E = p·ẋ − L in the paper's form (Eq. 10); the identity is checked in the tests
  // (test/lagrangian) against the definition and against SymPy.
  const energy = sub(sub(mul(quarter, quadratic(xdot, xdot)), mul(quarter, quadratic(f, f))), omTerm);

  const momentumNames = x.map(momentumName);
  const p = momentumNames.map(sym);
  const hamiltonian = sub(add(bilinear(p, D, p), ...p.map((pi, i) => mul(pi, f[i]))), omTerm);

  return Object.freeze({
    model,
    action,
    inverseDiffusion: Dinv,
    lagrangian,
    momenta,
    energy,
    hamiltonian,
    symbols: { velocities, accelerations: x.map(accelerationName), momenta: momentumNames },
  });
}

export function equationsOfMotion(r: LagrangianResult): EquationsOfMotion {
  const { model, lagrangian, momenta, hamiltonian, symbols } = r;
  const x = model.state;
  const D = model.diffusion.matrix;
  const xdot = symbols.velocities.map(sym);
  // Euler–Lagrange: d/dt ∂L/∂ẋ = ∂L/∂x with ∂²L/∂ẋ∂ẋ = ½D⁻¹, so ẍ = 2D (∂L/∂x − (∂p/∂x)ẋ − ∂p/∂t).
  const rhs = x.map((xi, i) => {
    const pi = momenta[i];
    const convective = add(...x.map((xj, j) => mul(diff(pi, xj), xdot[j])));
    return sub(sub(diff(lagrangian, xi), convective), diff(pi, 't'));
  });
  const accelerations = x.map((_, i) => tidy(mul(num(2), add(...rhs.map((r, j) => mul(D[i][j], r))))));

  const hamilton = {
    xdot: symbols.momenta.map((pn) => tidy(diff(hamiltonian, pn))),
    pdot: x.map((xi) => tidy(mul(num(-1), diff(hamiltonian, xi)))),
  };
  return { accelerations, hamilton };
}

/**
 * The geometric (Maupertuis) Lagrangian of the fixed-energy problem,
 * G(φ, φ') = ½(√((fᵀD⁻¹f + 4E)(φ'ᵀD⁻¹φ')) − fᵀD⁻¹φ') = p·φ' on the energy
 * shell: its integral over a curve is the abbreviated action ∫p·dx, and it is
 * homogeneous of degree 1 in φ', so any parametrisation of the curve gives the
 * same value. Written over the velocity symbols (φ' in place of ẋ); time
 * independent models only (E is conserved only then).
 */
export function geometricLagrangian(r: LagrangianResult, energy: Expr): Expr {
  const { model, inverseDiffusion: Dinv, symbols } = r;
  const f = model.drift;
  const v = symbols.velocities.map(sym);
  const quad = (a: readonly Expr[], b: readonly Expr[]): Expr => bilinear(a, Dinv, b);
  const W = quad(f, f);
  const half = num(Rational.of(1, 2));
  return mul(half, sub(pow(mul(add(W, mul(num(4), energy)), quad(v, v)), half), quad(f, v)));
}

/** aᵀ M b = Σᵢⱼ aᵢ Mᵢⱼ bⱼ, skipping the zero entries of M. */
function bilinear(a: readonly Expr[], M: readonly (readonly Expr[])[], b: readonly Expr[]): Expr {
  return add(...a.flatMap((ai, i) => b.flatMap((bj, j) => (M[i][j] === ZERO ? [] : [mul(ai, M[i][j], bj)]))));
}

/** Σᵢⱼ uᵢ D⁻¹ᵢⱼ uⱼ with the symmetric off-diagonal pairs merged (2 uᵢ D⁻¹ᵢⱼ uⱼ for i < j). */
function quadraticOfSquares(u: readonly Expr[], Dinv: readonly (readonly Expr[])[]): Expr {
  const terms: Expr[] = [];
  u.forEach((ui, i) => {
    if (Dinv[i][i] !== ZERO) terms.push(mul(pow(ui, num(2)), Dinv[i][i]));
    for (let j = i + 1; j < u.length; j++) if (Dinv[i][j] !== ZERO) terms.push(mul(num(2), ui, Dinv[i][j], u[j]));
  });
  return add(...terms);
}

/** Largest N whose momenta are brought to a common denominator (tidy); past it they stay ½D⁻¹(ẋ − f). */
const TIDY_MOMENTA_MAX_STATE = 16;

/** Largest N for which a state- or time-dependent full D is inverted symbolically. */
export const MAX_SYMBOLIC_FULL_N = 4;

function inverseOf(model: Model): Expr[][] {
  const { structure, matrix, dependsOnState, dependsOnTime } = model.diffusion;
  const n = matrix.length;
  if (structure !== 'full') {
    return matrix.map((row, i) => row.map((d, j) => (i === j ? pow(d, num(-1)) : ZERO)));
  }
  if (n > MAX_SYMBOLIC_FULL_N && (dependsOnState || dependsOnTime)) {
    throw new NoetherError(
      'diffusion',
      `a full ${n}×${n} D that depends on the state or time is supported up to N = ${MAX_SYMBOLIC_FULL_N}; ` +
        'give a constant D, or a diagonal one',
      { path: model.spec.noise !== undefined ? 'noise' : 'diffusion' },
    );
  }
  if (n > MAX_SYMBOLIC_FULL_N) {
    // Constant and large: invert the numbers exactly.
    const values = new Map(model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
    return invertMatrix(matrix, values);
  }
  return invertMatrix(matrix);
}

/** True if the Lagrangian depends explicitly on t. */
export function isTimeDependent(result: LagrangianResult): boolean {
  return dependsOn(result.lagrangian, ['t']);
}
