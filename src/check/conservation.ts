// Checks along solved paths: the value of each conserved charge at every node,
// its relative drift, its observed order of convergence under refinement, and
// the Euler–Lagrange residual.
//
// On a fixed-duration path the momenta are the discrete Legendre transform of
// the midpoint action, pₖ = ∂L_d(xₖ₋₁, xₖ)/∂xₖ: by the discrete Noether theorem
// the charges of symmetries of the discrete action are then conserved to solver
// tolerance, not only to O(h²). Velocities follow from ẋ = f + 2Dp.

import type { CompiledKernel } from '../compile/compile.ts';
import type { ModelKernels } from '../compile/model-kernels.ts';

export interface SampledPath {
  readonly t: readonly number[];
  readonly x: readonly (readonly number[])[];
}

export interface ChargeTrace {
  readonly values: number[];
  /** (max − min) / max |value|. */
  readonly relativeDrift: number;
}

/** Charge values at the nodes of a uniform fixed-duration path, with discrete Legendre momenta. */
export function chargesOnFixedTimePath(
  model: ModelKernels,
  charges: CompiledKernel,
  path: SampledPath,
): ChargeTrace[] {
  const n = model.n;
  const m = path.x.length - 1;
  const h = path.t[1] - path.t[0];
  const input = new Float64Array(2 * n + 1);
  const grad = new Float64Array(2 * n);
  const momenta: number[][] = [];
  // p⁺ₖ (from interval k−1) for k ≥ 1 and p⁻₀ (from interval 0) at the start.
  for (let k = 0; k < m; k++) {
    const a = path.x[k];
    const b = path.x[k + 1];
    for (let i = 0; i < n; i++) {
      input[i] = 0.5 * (a[i] + b[i]);
      input[n + i] = (b[i] - a[i]) / h;
    }
    input[2 * n] = path.t[0] + (k + 0.5) * h;
    model.lagrangianGradient.run(input, grad);
    if (k === 0) momenta.push(Array.from({ length: n }, (_, i) => grad[n + i] - 0.5 * h * grad[i]));
    momenta.push(Array.from({ length: n }, (_, i) => grad[n + i] + 0.5 * h * grad[i]));
  }
  const points = path.x.map((x, k) => ({ x, t: path.t[k], xdot: velocityFromMomentum(model, x, momenta[k], path.t[k]) }));
  return chargesAtPoints(charges, points);
}

/** Charge values at the interval midpoints of a path with arbitrary node times (fixed-energy paths). */
export function chargesAtMidpoints(charges: CompiledKernel, path: SampledPath): ChargeTrace[] {
  const points = path.x.slice(1).map((b, j) => {
    const a = path.x[j];
    const dt = path.t[j + 1] - path.t[j];
    return {
      x: a.map((ai, i) => 0.5 * (ai + b[i])),
      xdot: a.map((ai, i) => (b[i] - ai) / dt),
      t: 0.5 * (path.t[j] + path.t[j + 1]),
    };
  });
  return chargesAtPoints(charges, points);
}

/** Charge values at given points (x, ẋ, t). */
export function chargesAtPoints(charges: CompiledKernel, points: ReadonlyArray<{ x: readonly number[]; xdot: readonly number[]; t: number }>): ChargeTrace[] {
  const n = points[0]?.x.length ?? 0;
  const input = new Float64Array(2 * n + 1);
  const out = new Float64Array(charges.outputs);
  const values: number[][] = Array.from({ length: charges.outputs }, () => []);
  for (const p of points) {
    input.set(p.x, 0);
    input.set(p.xdot, n);
    input[2 * n] = p.t;
    charges.run(input, out);
    out.forEach((v, c) => values[c].push(v));
  }
  return values.map((v) => ({ values: v, relativeDrift: relativeDrift(v) }));
}

export function relativeDrift(values: readonly number[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  let big = 0;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    big = Math.max(big, Math.abs(v));
  }
  return big === 0 ? 0 : (hi - lo) / big;
}

/**
 * Observed order from drifts at M, 2M, 4M: log₂ of the last ratio. Null when
 * refining does not reduce the drift — it is then at rounding level (the charge
 * is conserved to solver precision) and an order means nothing.
 */
export function observedOrder(drifts: readonly number[]): number | null {
  if (drifts.length < 2) return null;
  const [a, b] = drifts.slice(-2);
  if (!(a > 0) || !(b > 0) || a < 1.5 * b) return null;
  return Math.log2(a / b);
}

/** ẋ = f(x, t) + 2 D(x, t) p. */
export function velocityFromMomentum(model: ModelKernels, x: readonly number[], p: readonly number[], t: number): number[] {
  const n = model.n;
  const input = Float64Array.from([...x, t]);
  const f = new Float64Array(n);
  const D = new Float64Array(n * n);
  model.drift.run(input, f);
  model.diffusion.run(input, D);
  return Array.from({ length: n }, (_, i) => {
    let s = f[i];
    for (let j = 0; j < n; j++) s += 2 * D[i * n + j] * p[j];
    return s;
  });
}
