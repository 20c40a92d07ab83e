// Noether charges J = p·ξ − τE − K of the symmetries the detector accepted,
// in the forms the paper writes them: E as in Eq. 12 (isotropic constant D) or
// Eq. 10, pᵢ as Eq. 14, Lᵢⱼ = xᵢpⱼ − xⱼpᵢ as Eq. 16.

import { type Expr, ZERO, add, mul, num, pow, sub, sym } from '../expr/expr.ts';
import { diff } from '../expr/diff.ts';
import { isZeroSymbolic, tidy } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import type { Verdict } from '../symmetry/detect.ts';
import { type RuleInstance, fillPlaceholders } from '../symmetry/rules.ts';

export interface Charge {
  /** e.g. "angular momentum". */
  readonly name: string;
  /** Plain symbol, e.g. "L_xy". */
  readonly symbol: string;
  /** LaTeX symbol (placeholders filled with LaTeX names by the caller's latexSymbol). */
  readonly latexSymbolTemplate: string;
  /** The axes the placeholders stand for. */
  readonly axes: { readonly a?: string; readonly b?: string };
  /** The charge as a function of (x, ẋ, t). */
  readonly expr: Expr;
  /**
   * The terms pᵢξᵢ, τpᵢẋᵢ, τL and K whose combination J is: their size is the
   * scale against which a drift of J counts (J itself may be 0 along a path).
   */
  readonly parts: readonly Expr[];
  /**
   * When K has no closed form, `expr` and `parts` hold it as the symbol `symbol`,
   * defined by ∇K = b, ∂ₜK = c0 (evaluated as a line integral along paths).
   */
  readonly gauge?: { readonly symbol: string; readonly b: readonly Expr[]; readonly c0: Expr };
}

/** The conserved quantity of an exact or quasi symmetry, or undefined if it is broken or K is unknown. */
export function noetherCharge(lagr: LagrangianResult, instance: RuleInstance, verdict: Verdict): Charge | undefined {
  if (verdict.status !== 'exact' && verdict.status !== 'quasi') return undefined;
  const integrand = verdict.status === 'quasi' && !verdict.gauge?.K ? verdict.gauge?.integrand : undefined;
  // K without a closed form stands in the charge as a symbol no model name takes.
  const gaugeSymbol = integrand ? freeName('K', [...lagr.model.state, ...lagr.model.params.map((p) => p.name)]) : undefined;
  const K = verdict.status === 'quasi' ? (verdict.gauge?.K ?? (gaugeSymbol ? sym(gaugeSymbol) : undefined)) : ZERO;
  if (K === null || K === undefined) return undefined;
  const { dt, dx } = instance.generator;
  const p = lagr.momenta;
  const xdot = lagr.symbols.velocities.map(sym);
  // E = p·ẋ − L, so J = Σ pᵢξᵢ − τ Σ pᵢẋᵢ + τL − K; the terms are kept for the drift's scale
  // (term by term: x p_y − y p_x is 0 on a radial path while each term is not).
  const parts = [...dx.map((xi, i) => mul(p[i], xi)), ...p.map((pi, i) => mul(dt, pi, xdot[i])), mul(dt, lagr.lagrangian), K];
  const J = sub(sub(add(...dx.map((xi, i) => mul(p[i], xi))), mul(dt, lagr.energy)), K);
  const signed = instance.charge.sign === 1 ? J : mul(num(-1), J);
  const axes = 'axis' in instance.params ? { a: instance.params.axis } : 'plane' in instance.params ? { a: instance.params.plane[0], b: instance.params.plane[1] } : {};
  return {
    name: instance.charge.name,
    symbol: fillPlaceholders(instance.charge.symbol, axes),
    latexSymbolTemplate: instance.charge.latex,
    axes,
    expr: readable(signed, lagr),
    parts,
    ...(integrand && gaugeSymbol ? { gauge: { symbol: gaugeSymbol, b: integrand.b, c0: integrand.c0 } } : {}),
  };
}

/** `base`, or base_1, base_2, … : the first not among `taken`. */
function freeName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 1; ; i++) if (!taken.includes(`${base}_${i}`)) return `${base}_${i}`;
}

/** The shortest faithful form; energy in the paper's Eq. 12 form when D = d·I is constant. */
function readable(e: Expr, lagr: LagrangianResult): Expr {
  const eq12 = isotropicEnergy(lagr);
  if (eq12 && isZeroSymbolic(sub(e, eq12))) return eq12;
  if (isZeroSymbolic(sub(e, lagr.energy))) return lagr.energy;
  return tidy(e);
}

/** (‖ẋ‖² − ‖f‖²)/(4d) (− ½∇·f for the OM action): paper Eq. 12, for constant isotropic D = d·I. */
function isotropicEnergy(lagr: LagrangianResult): Expr | undefined {
  const { model } = lagr;
  const { structure, dependsOnState, dependsOnTime, matrix } = model.diffusion;
  if (structure !== 'isotropic' || dependsOnState || dependsOnTime) return undefined;
  const x = model.state;
  const two = num(2);
  const squares = add(...x.map((s) => pow(sym(`${s}_dot`), two)), ...model.drift.map((f) => mul(num(-1), pow(f, two))));
  const quarter = num(Rational.of(1, 4));
  const energy = mul(quarter, pow(matrix[0][0], num(-1)), squares);
  if (lagr.action === 'eq8') return energy;
  const divergence = add(...model.drift.map((f, i) => diff(f, x[i])));
  return sub(energy, mul(num(Rational.of(1, 2)), divergence));
}
