// The discretised action of a path with fixed ends, by the midpoint rule:
//   S = Σₖ h L(x̄ₖ, vₖ, t̄ₖ),  x̄ₖ = (xₖ + xₖ₊₁)/2,  vₖ = (xₖ₊₁ − xₖ)/h,  t̄ₖ = t₀ + (k + ½)h.
// It is second-order accurate and a variational integrator: its discrete
// Noether charges are conserved to solver tolerance. Its Hessian in the interior
// nodes is block tridiagonal, which the Newton solver exploits.

import type { LagrangianKernels } from '../compile/model-kernels.ts';

/** A path on a uniform grid: M + 1 nodes of dimension N, stored flat (node k at k·N). */
export interface PathGrid {
  readonly n: number;
  readonly m: number;
  readonly t0: number;
  readonly h: number;
  readonly x: Float64Array;
}

/** Scratch buffers reused across evaluations (no allocation inside the loops). */
export class ActionWorkspace {
  readonly input: Float64Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  readonly value: Float64Array;
  constructor(readonly n: number) {
    this.input = new Float64Array(2 * n + 1);
    this.grad = new Float64Array(2 * n);
    this.hess = new Float64Array(3 * n * n);
    this.value = new Float64Array(1);
  }
}

function loadInterval(path: PathGrid, k: number, ws: ActionWorkspace): void {
  const { n, h, x, t0 } = path;
  const a = k * n;
  const b = a + n;
  for (let i = 0; i < n; i++) {
    ws.input[i] = 0.5 * (x[a + i] + x[b + i]);
    ws.input[n + i] = (x[b + i] - x[a + i]) / h;
  }
  ws.input[2 * n] = t0 + (k + 0.5) * h;
}

export function action(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace): number {
  let s = 0;
  for (let k = 0; k < path.m; k++) {
    loadInterval(path, k, ws);
    kernels.lagrangian.run(ws.input, ws.value);
    s += path.h * ws.value[0];
  }
  return s;
}

/**
 * Gradient of S with respect to the interior nodes 1..M−1, written to g
 * (length (M−1)·N; node j at (j−1)·N).
 */
export function actionGradient(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace, g: Float64Array): void {
  const { n, m, h } = path;
  g.fill(0);
  for (let k = 0; k < m; k++) {
    loadInterval(path, k, ws);
    kernels.lagrangianGradient.run(ws.input, ws.grad);
    // ∂/∂xₖ: h(½ L_x − L_v/h); ∂/∂xₖ₊₁: h(½ L_x + L_v/h).
    for (let i = 0; i < n; i++) {
      const lx = ws.grad[i];
      const lv = ws.grad[n + i];
      if (k >= 1) g[(k - 1) * n + i] += 0.5 * h * lx - lv;
      if (k + 1 <= m - 1) g[k * n + i] += 0.5 * h * lx + lv;
    }
  }
}

/**
 * The gradient ∂S/∂x cannot be computed more accurately than about 1e-16 of this:
 * the size of the terms that sum into it (|L_v|, |h L_x / 2|) and of what rounding
 * the nodes (|x|·ε) does to it through the Hessian (its diagonal, of order L_vv/h).
 * T = 1e-4 has momenta of order 1e4; M = 10⁶ intervals a Hessian diagonal of 1e7.
 * `diag`: the Hessian's diagonal blocks at this path (actionHessian).
 */
export function gradientScale(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace, diag: Float64Array): number {
  const { n, m, h } = path;
  let scale = 0;
  for (let k = 0; k < m; k++) {
    loadInterval(path, k, ws);
    kernels.lagrangianGradient.run(ws.input, ws.grad);
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(ws.grad[n + i]), Math.abs(0.5 * h * ws.grad[i]));
  }
  if (m < 2) return scale;
  let hessian = 0;
  for (let j = 0; j < m - 1; j++) for (let i = 0; i < n; i++) hessian = Math.max(hessian, Math.abs(diag[j * n * n + i * n + i]));
  let extent = 0;
  for (let i = 0; i < path.x.length; i++) extent = Math.max(extent, Math.abs(path.x[i]));
  return Math.max(scale, 1e-2 * hessian * extent);
}

/**
 * Block-tridiagonal Hessian of S in the interior nodes: diag[j] (N×N, j = 0..M−2
 * for node j+1) and upper[j] = ∂²S/∂x_{j+1}∂x_{j+2} (N×N, j = 0..M−3). With
 * A = L_xx, B = L_xv, C = L_vv on interval k:
 *   ∂²/∂xₖ²     = h(¼A − (B + Bᵀ)/(2h) + C/h²)
 *   ∂²/∂xₖ₊₁²   = h(¼A + (B + Bᵀ)/(2h) + C/h²)
 *   ∂²/∂xₖ∂xₖ₊₁ = h(¼A + (B − Bᵀ)/(2h) − C/h²)
 */
export function actionHessian(
  kernels: LagrangianKernels,
  path: PathGrid,
  ws: ActionWorkspace,
  diag: Float64Array,
  upper: Float64Array,
): void {
  const { n, m, h } = path;
  const nn = n * n;
  diag.fill(0);
  upper.fill(0);
  const H = ws.hess;
  for (let k = 0; k < m; k++) {
    loadInterval(path, k, ws);
    kernels.lagrangianHessian.run(ws.input, H);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const A = H[i * n + j];
        const B = H[nn + i * n + j];
        const Bt = H[nn + j * n + i];
        const C = H[2 * nn + i * n + j];
        const quarterA = 0.25 * h * A;
        const sym = 0.5 * (B + Bt);
        const anti = 0.5 * (B - Bt);
        const c = C / h;
        if (k >= 1) diag[(k - 1) * nn + i * n + j] += quarterA - sym + c;
        if (k + 1 <= m - 1) diag[k * nn + i * n + j] += quarterA + sym + c;
        if (k >= 1 && k + 1 <= m - 1) upper[(k - 1) * nn + i * n + j] += quarterA + anti - c;
      }
    }
  }
}

/**
 * Moves the interior nodes along ±αv (v over the interior nodes, e.g. the lowest
 * eigenvector of the Hessian) for α in a halving sequence from a tenth of the
 * path's extent: the first α that lowers the action (`first`, enough to leave a
 * saddle), or the one that lowers it most (`best`, a line search along a
 * direction of negative curvature). False (path unchanged) if none lowers it.
 */
export function stepDownAlong(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace, v: Float64Array, pick: 'first' | 'best' = 'first'): boolean {
  const n = path.n;
  let extent = 0;
  for (let i = 0; i < path.x.length; i++) extent = Math.max(extent, Math.abs(path.x[i]));
  let vMax = 0;
  for (let i = 0; i < v.length; i++) vMax = Math.max(vMax, Math.abs(v[i]));
  const saved = path.x.slice();
  let best = { s: action(kernels, path, ws), step: 0 };
  for (let alpha = (0.1 * Math.max(extent, 1)) / vMax; alpha * vMax > 1e-8 * Math.max(extent, 1); alpha *= 0.5) {
    for (const sign of [1, -1]) {
      path.x.set(saved);
      for (let i = 0; i < v.length; i++) path.x[n + i] += sign * alpha * v[i];
      const s = action(kernels, path, ws);
      if (s < best.s) best = { s, step: sign * alpha };
    }
    if (best.step !== 0 && pick === 'first') break;
  }
  path.x.set(saved);
  if (best.step === 0) return false;
  for (let i = 0; i < v.length; i++) path.x[n + i] += best.step * v[i];
  return true;
}
