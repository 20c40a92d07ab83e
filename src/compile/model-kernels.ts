// The numeric kernels of a model, with its parameters substituted: drift,
// diffusion, the Lagrangian with its first and second derivatives, the
// Hamiltonian with its gradient, and any charges. Symbolic derivatives are
// taken once here, compiled once, and called millions of times by the solvers.
// For a large drift with a constant D (every network) the Lagrangian and
// Hamiltonian kernels keep L's structure instead (structured.ts): only the
// drift's terms are compiled, so the cost does not grow with L's expanded size.

import { type Expr, num, substitute } from '../expr/expr.ts';
import { diff } from '../expr/diff.ts';
import { Rational } from '../expr/rational.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { type CompiledKernel, compileKernel } from './compile.ts';
import { type StructuredKernels, atomicDrift, structuredKernels } from './structured.ts';

/**
 * Input layouts (all Float64Array):
 *  - state kernels:      [x_1..x_N, t]
 *  - Lagrangian kernels: [x_1..x_N, ẋ_1..ẋ_N, t]
 *  - Hamiltonian kernels: [x_1..x_N, p_1..p_N, t]
 * Matrices are row-major N×N.
 */
export interface ModelKernels {
  readonly n: number;
  readonly state: readonly string[];
  /** f(x, t): N outputs. */
  readonly drift: CompiledKernel;
  /** ∂fᵢ/∂xⱼ: N×N outputs. */
  readonly driftJacobian: CompiledKernel;
  /** D(x, t): N×N outputs. */
  readonly diffusion: CompiledKernel;
  /** L: 1 output. */
  readonly lagrangian: CompiledKernel;
  /** [∂L/∂x (N), ∂L/∂ẋ (N)]: 2N outputs. */
  readonly lagrangianGradient: CompiledKernel;
  /** [∂²L/∂x∂x (N×N), ∂²L/∂x∂ẋ (N×N, row i = ∂/∂xᵢ, column j = ∂/∂ẋⱼ), ∂²L/∂ẋ∂ẋ (N×N)]: 3N² outputs. */
  readonly lagrangianHessian: CompiledKernel;
  /** H: 1 output. */
  readonly hamiltonian: CompiledKernel;
  /** [∂H/∂x (N), ∂H/∂p (N)]: 2N outputs (Hamilton: ẋ = ∂H/∂p, ṗ = −∂H/∂x). */
  readonly hamiltonianGradient: CompiledKernel;
}

/** Parameters replaced by their exact values, so kernels take only state, velocity/momentum and time. */
export function withParameters(e: Expr, lagr: LagrangianResult): Expr {
  const values = new Map(lagr.model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  return substitute(e, values);
}

export function compileModel(lagr: LagrangianResult): ModelKernels {
  const s = structuredOf(lagr);
  if (!s) return compileSymbolicModel(lagr);
  return {
    n: lagr.model.state.length,
    state: lagr.model.state,
    drift: s.drift,
    driftJacobian: s.driftJacobian,
    diffusion: s.diffusion,
    lagrangian: s.lagrangian,
    lagrangianGradient: s.lagrangianGradient,
    lagrangianHessian: s.lagrangianHessian,
    hamiltonian: s.hamiltonian,
    hamiltonianGradient: s.hamiltonianGradient,
  };
}

/** The kernels from the symbolic derivatives of L and H (any D; the reference the structured ones are tested against). */
export function compileSymbolicModel(lagr: LagrangianResult): ModelKernels {
  const { model, symbols } = lagr;
  const x = model.state;
  const p = symbols.momenta;
  const fix = (e: Expr): Expr => withParameters(e, lagr);
  const stateIn = [...x, 't'];
  const hamIn = [...x, ...p, 't'];

  const f = model.drift.map(fix);
  const H = fix(lagr.hamiltonian);

  return {
    state: x,
    drift: compileKernel(f, stateIn),
    driftJacobian: compileKernel(
      f.flatMap((fi) => x.map((xj) => diff(fi, xj))),
      stateIn,
    ),
    diffusion: compileKernel(model.diffusion.matrix.flat().map(fix), stateIn),
    ...compileSymbolicLagrangianKernels(lagr.lagrangian, lagr),
    hamiltonian: compileKernel([H], hamIn),
    hamiltonianGradient: compileKernel([...x.map((xi) => diff(H, xi)), ...p.map((pi) => diff(H, pi))], hamIn),
  };
}

export type LagrangianKernels = Pick<ModelKernels, 'n' | 'lagrangian' | 'lagrangianGradient' | 'lagrangianHessian'>;

/**
 * L(x, ẋ, t) with its exact first and second derivatives, for any Lagrangian
 * over the model's variables (the action's, or the geometric one of fixed-energy paths).
 */
export function compileLagrangianKernels(lagrangian: Expr, lagr: LagrangianResult): LagrangianKernels {
  const s = lagrangian === lagr.lagrangian ? structuredOf(lagr) : undefined;
  if (!s) return compileSymbolicLagrangianKernels(lagrangian, lagr);
  return { n: lagr.model.state.length, lagrangian: s.lagrangian, lagrangianGradient: s.lagrangianGradient, lagrangianHessian: s.lagrangianHessian };
}

function compileSymbolicLagrangianKernels(lagrangian: Expr, lagr: LagrangianResult): LagrangianKernels {
  const x = lagr.model.state;
  const v = lagr.symbols.velocities;
  const L = withParameters(lagrangian, lagr);
  const gradX = x.map((xi) => diff(L, xi));
  const gradV = v.map((vi) => diff(L, vi));
  const hessXX = x.flatMap((_, i) => x.map((xj) => diff(gradX[i], xj)));
  const hessXV = x.flatMap((_, i) => v.map((vj) => diff(gradX[i], vj)));
  const hessVV = v.flatMap((_, i) => v.map((vj) => diff(gradV[i], vj)));
  const inputs = [...x, ...v, 't'];
  return {
    n: x.length,
    lagrangian: compileKernel([L], inputs),
    lagrangianGradient: compileKernel([...gradX, ...gradV], inputs),
    lagrangianHessian: compileKernel([...hessXX, ...hessXV, ...hessVV], inputs),
  };
}

/** A Noether charge by its generator (τ, ξ) and gauge term K: J = sign·(Σ pᵢξᵢ − τE − K), E = p·ẋ − L. */
export interface ChargeForm {
  readonly dt: Expr;
  readonly dx: readonly Expr[];
  readonly K: Expr;
  readonly sign: number;
}

/**
 * The kernel compileCharges builds for [J₁…J_c, E, the parts of J₁ (pᵢξᵢ…, τpᵢẋᵢ…, τL,
 * K), the parts of J₂, …] (noetherCharge's terms), evaluated from the structured
 * kernels' L and p = ∂L/∂ẋ and compiled τ, ξ, K, not from the charges' expanded
 * formulas (a 64-unit network's energy alone is 220 kB of straight-line code, which
 * V8 never optimises). Undefined without structured kernels (a small or state-dependent model).
 */
export function structuredChargeKernel(forms: readonly ChargeForm[], lagr: LagrangianResult, structured = structuredOf(lagr)): CompiledKernel | undefined {
  if (!structured) return undefined;
  const n = lagr.model.state.length;
  const inputs = [...lagr.model.state, ...lagr.symbols.velocities, 't'];
  // Per charge: τ, ξ₁…ξ_N, K.
  const generators = compileKernel(forms.flatMap((f) => [f.dt, ...f.dx, f.K]).map((e) => withParameters(e, lagr)), inputs);
  const g = new Float64Array(generators.outputs);
  const L = new Float64Array(1);
  const grad = new Float64Array(2 * n);
  const c = forms.length;
  return {
    inputs,
    outputs: c + 1 + c * (2 * n + 2),
    source: `// structured charges: L and p = ∂L/∂ẋ from the structured kernels, with\n${generators.source}`,
    run: (v, out) => {
      structured.lagrangian.run(v, L);
      structured.lagrangianGradient.run(v, grad);
      generators.run(v, g);
      let pv = 0;
      for (let i = 0; i < n; i++) pv += grad[n + i] * v[n + i];
      const E = pv - L[0];
      out[c] = E;
      let o = c + 1;
      for (let k = 0; k < c; k++) {
        const at = k * (n + 2);
        const tau = g[at];
        const K = g[at + n + 1];
        let pxi = 0;
        for (let i = 0; i < n; i++) {
          const part = grad[n + i] * g[at + 1 + i];
          out[o++] = part;
          pxi += part;
        }
        for (let i = 0; i < n; i++) out[o++] = tau * grad[n + i] * v[n + i];
        out[o++] = tau * L[0];
        out[o++] = K;
        out[k] = forms[k].sign * (pxi - tau * E - K);
      }
    },
  };
}

/** Compiles charges J(x, ẋ, t) (parameters substituted) into one kernel with one output per charge. */
export function compileCharges(charges: readonly Expr[], lagr: LagrangianResult): CompiledKernel {
  const x = lagr.model.state;
  return compileKernel(
    charges.map((c) => withParameters(c, lagr)),
    [...x, ...lagr.symbols.velocities, 't'],
  );
}

/**
 * ∇²H over z = (x_1..x_N, p_1..p_N), parameters substituted: a 2N×2N row-major
 * kernel with inputs [x_1..x_N, p_1..p_N, t], for ShootOptions.hessian.
 */
export function compileHamiltonianHessian(lagr: LagrangianResult): CompiledKernel {
  return structuredOf(lagr)?.hamiltonianHessian ?? compileSymbolicHamiltonianHessian(lagr);
}

export function compileSymbolicHamiltonianHessian(lagr: LagrangianResult): CompiledKernel {
  const z = [...lagr.model.state, ...lagr.symbols.momenta];
  const H = withParameters(lagr.hamiltonian, lagr);
  const grad = z.map((zi) => diff(H, zi));
  const entries = grad.flatMap((g) => z.map((zj) => diff(g, zj)));
  return compileKernel(entries, [...z, 't']);
}

const structuredCache = new WeakMap<LagrangianResult, StructuredKernels | null>();

/**
 * Drifts with fewer terms than this (all components together) keep the symbolic
 * kernels: straight-line code is several times faster per call there (0.1–2.4 µs
 * against 0.8–9.5 µs for ∇L and ∇²L of 2- to 8-unit models), while past it the
 * expanded Hessian leaves V8's optimising tier (at 16 dense units: 139 µs against
 * 33 µs) and takes long to build.
 */
export const STRUCTURED_MIN_DRIFT_TERMS = 128;

/**
 * The structured kernels of a large drift (at least STRUCTURED_MIN_DRIFT_TERMS
 * terms) when L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) with D constant (action eq8), built once per
 * Lagrangian; undefined otherwise.
 */
export function structuredOf(lagr: LagrangianResult): StructuredKernels | undefined {
  const known = structuredCache.get(lagr);
  if (known !== undefined) return known ?? undefined;
  const terms = lagr.model.drift.reduce((sum, f) => sum + (f.kind === 'add' ? f.terms.length : 1), 0);
  const built = terms >= STRUCTURED_MIN_DRIFT_TERMS ? (buildStructuredKernels(lagr) ?? null) : null;
  structuredCache.set(lagr, built);
  return built ?? undefined;
}

/** The structured kernels whenever L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) with D constant, whatever the drift's size (tests compare them with the symbolic ones). */
export function buildStructuredKernels(lagr: LagrangianResult): StructuredKernels | undefined {
  const { model } = lagr;
  if (lagr.action !== 'eq8' || model.diffusion.dependsOnState || model.diffusion.dependsOnTime) return undefined;
  const numbers = (m: readonly (readonly Expr[])[]): Float64Array => {
    const k = compileKernel(m.flat().map((e) => withParameters(e, lagr)), []);
    const out = new Float64Array(k.outputs);
    k.run(new Float64Array(0), out);
    return out;
  };
  const drift = atomicDrift(model.drift.map((e) => withParameters(e, lagr)), model.state);
  return structuredKernels(drift, { state: model.state, ...lagr.symbols }, numbers(model.diffusion.matrix), numbers(lagr.inverseDiffusion));
}
