// The noise matrix G of dx = f dt + G dW (D = G Gᵀ/2) as the integrators need
// it, and what each scheme achieves for it.
//
// Where G comes from:
//  - the model gives `noise:` → that G (a scalar s means s·I, a list the diagonal);
//  - the model gives a diagonal (or isotropic) D → G = diag(√(2 Dᵢᵢ)), exactly;
//  - the model gives a full D → G = chol(2D), lower triangular, computed
//    numerically: once when D is constant, at every step otherwise.
//
// Milstein's correction ½ Σⱼₖ (Lʲ Gₖ)(ΔWⱼΔWₖ − δⱼₖh), Lʲ = Σₗ Gₗⱼ ∂/∂xₗ, needs
// ∂G/∂x, taken symbolically here. The scheme uses ½ΔWⱼΔWₖ for the iterated Itô
// integral I₍ⱼ,ₖ₎ (no Lévy areas), which is exact when the noise is commutative
// (Lʲ Gₖ = Lᵏ Gⱼ): additive noise, one Wiener process, and diagonal noise whose
// Gᵢᵢ depends on xᵢ only. Strong orders:
//
//   noise                          Euler–Maruyama   Milstein
//   additive (G independent of x)  1.0              1.0 (identical to EM)
//   commutative (incl. diagonal)   0.5              1.0
//   non-commutative                0.5              0.5
//
// Both schemes have weak order 1.0 for smooth coefficients.

import { compileKernel } from '../compile/compile.ts';
import { NoetherError } from '../errors.ts';
import { type Expr, add, dependsOn, mul, num, pow, sub, substitute } from '../expr/expr.ts';
import { diff } from '../expr/diff.ts';
import { isZeroSymbolic } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import type { Model } from '../model/types.ts';

export type Scheme = 'euler' | 'milstein';
export type NoiseStructure = 'additive' | 'diagonal' | 'commutative' | 'non-commutative';

export interface NoisePlan {
  /** Number of Wiener processes (columns of G). */
  readonly m: number;
  /** How G is obtained. */
  readonly source: 'noise' | 'diagonal-diffusion' | 'cholesky';
  /** G (N×M, parameters substituted) when it is known symbolically ('noise', 'diagonal-diffusion', constant 'cholesky'). */
  readonly G?: readonly (readonly Expr[])[];
  /** Constant G as numbers (N×M), when G depends neither on x nor on t. */
  readonly constantG?: readonly (readonly number[])[];
  /** D (N×N, parameters substituted) for 'cholesky' with a non-constant D: G = chol(2D) at every step. */
  readonly D?: readonly (readonly Expr[])[];
  readonly dependsOnState: boolean;
  readonly dependsOnTime: boolean;
  readonly structure: NoiseStructure;
  /** Milstein coefficients C[i][j][k] = (Lʲ Gₖ)ᵢ = Σₗ Gₗⱼ ∂Gᵢₖ/∂xₗ, when G is symbolic and depends on x. */
  readonly milstein?: readonly (readonly (readonly Expr[])[])[];
}

/** What a scheme achieves for a noise structure. */
export function strongOrder(scheme: Scheme, structure: NoiseStructure): number {
  if (structure === 'additive') return 1;
  if (scheme === 'milstein' && structure !== 'non-commutative') return 1;
  return 0.5;
}

export function isZeroExpr(e: Expr): boolean {
  return e.kind === 'num' && e.value.isZero();
}

/** The model's parameters replaced by their exact values (as withParameters in src/compile/model-kernels.ts). */
export function substituteParameters(e: Expr, model: Model): Expr {
  const values = new Map(model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  return substitute(e, values);
}

export function planNoise(model: Model, scheme: Scheme): NoisePlan {
  const n = model.state.length;
  const x = model.state;
  const fix = (e: Expr): Expr => substituteParameters(e, model);
  const G = symbolicNoise(model)?.map((row) => row.map(fix));

  if (!G) {
    // A full D without G: G = chol(2D), numerically.
    const D = model.diffusion.matrix.map((row) => row.map(fix));
    const onState = D.some((row) => row.some((d) => dependsOn(d, x)));
    const onTime = D.some((row) => row.some((d) => dependsOn(d, ['t'])));
    if (onState && scheme === 'milstein') {
      throw new NoetherError(
        'request',
        'the Milstein scheme needs ∂G/∂x, but this model gives a full, state-dependent diffusion matrix D and no noise matrix G ' +
          '(G = chol(2D) is only known numerically); give `noise:` (G with D = G Gᵀ/2) in the model, or use the Euler–Maruyama scheme',
        { path: 'scheme' },
      );
    }
    const structure: NoiseStructure = onState ? 'non-commutative' : 'additive';
    if (!onState && !onTime) {
      const L = cholesky(D.map((row) => row.map((d) => 2 * constantValue(d))));
      if (!L) throw new NoetherError('diffusion', 'D is not positive definite at the parameter values (Cholesky factorisation of 2D failed)');
      return { m: n, source: 'cholesky', constantG: L, dependsOnState: false, dependsOnTime: false, structure };
    }
    return { m: n, source: 'cholesky', D, dependsOnState: onState, dependsOnTime: onTime, structure };
  }

  const m = G[0].length;
  const source = model.spec.noise !== undefined ? 'noise' : 'diagonal-diffusion';
  const onState = G.some((row) => row.some((g) => dependsOn(g, x)));
  const onTime = G.some((row) => row.some((g) => dependsOn(g, ['t'])));
  const base = { m, source, G, dependsOnState: onState, dependsOnTime: onTime } as const;
  if (!onState && !onTime) {
    return { ...base, constantG: G.map((row) => row.map(constantValue)), structure: 'additive' };
  }
  if (!onState) return { ...base, structure: 'additive' };

  // C[i][j][k] = Σₗ G[l][j] ∂G[i][k]/∂x_l
  const dG = G.map((row) => row.map((g) => x.map((xl) => diff(g, xl))));
  const C = G.map((_, i) =>
    Array.from({ length: m }, (_j, j) =>
      Array.from({ length: m }, (_k, k) => {
        const terms: Expr[] = [];
        for (let l = 0; l < n; l++) {
          if (isZeroExpr(G[l][j]) || isZeroExpr(dG[i][k][l])) continue;
          terms.push(mul(G[l][j], dG[i][k][l]));
        }
        return add(...terms);
      }),
    ),
  );
  let commutative = true;
  for (let i = 0; i < n && commutative; i++) {
    for (let j = 0; j < m && commutative; j++) {
      for (let k = j + 1; k < m && commutative; k++) {
        const d = sub(C[i][j][k], C[i][k][j]);
        if (!isZeroExpr(d) && !isZeroSymbolic(d)) commutative = false;
      }
    }
  }
  const diagonal = m === n && G.every((row, i) => row.every((g, j) => i === j || isZeroExpr(g)));
  const structure: NoiseStructure = !commutative ? 'non-commutative' : diagonal ? 'diagonal' : 'commutative';
  return { ...base, structure, milstein: C };
}

/** G as given by the model, or diag(√(2 Dᵢᵢ)) for a diagonal D; undefined for a full D without noise. */
function symbolicNoise(model: Model): Expr[][] | undefined {
  if (model.noise) return model.noise.map((row) => [...row]);
  if (model.diffusion.structure === 'full') return undefined;
  const half = num(Rational.of(1, 2));
  const zero = num(0);
  const D = model.diffusion.matrix;
  return D.map((row, i) => row.map((_, j) => (i === j ? pow(mul(num(2), row[i]), half) : zero)));
}

/** The value of an expression without free symbols, computed by the kernel compiler (so it equals what kernels compute). */
export function constantValue(e: Expr): number {
  const out = new Float64Array(1);
  compileKernel([e], []).run(new Float64Array(0), out);
  if (!Number.isFinite(out[0])) throw new NoetherError('diffusion', `the noise is not finite at the parameter values (${out[0]})`);
  return out[0];
}

/** Lower-triangular L with L Lᵀ = A (row-major rows), or undefined when A is not positive definite. */
export function cholesky(A: readonly (readonly number[])[]): number[][] | undefined {
  const n = A.length;
  const L = A.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i][i] = Math.sqrt(s);
      } else {
        L[i][j] = s / L[j][j];
      }
    }
  }
  return L;
}
