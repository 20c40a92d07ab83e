// Most likely path at a fixed energy E, duration free: minimise the geometric
// action ∫ p·dx = ∫ ½(√((fᵀD⁻¹f + 4E)(φ'ᵀD⁻¹φ')) − fᵀD⁻¹φ') ds over curves φ
// (the Lagrangian stage's geometricLagrangian), then recover time along the
// curve from dt = |dφ|_{D⁻¹} / √(fᵀD⁻¹f + 4E). In 1D the transit time is the
// paper's Eq. 13.
//
// The functional does not depend on how the curve is parametrised, so the
// Newton iteration keeps the nodes equally spaced in arc length (as in the
// geometric minimum action method) and measures convergence by the gradient
// across the curve only.

import type { LagrangianKernels, ModelKernels } from '../compile/model-kernels.ts';
import { NoetherError } from '../errors.ts';
import { ActionWorkspace, type PathGrid, action, actionGradient, actionHessian, stepDownAlong } from './action.ts';
import { solveDense } from './dense.ts';
import { initialPath } from './fixed-time.ts';
import { type Certificate, certify, confirmSaddle, lowestEigenvector } from './inertia.ts';
import { newton } from './newton.ts';

export interface FixedEnergyOptions {
  readonly nodes?: number;
  readonly waypoints?: readonly (readonly number[])[];
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Time of the first node (default 0); the model must not depend on t. */
  readonly t0?: number;
  /** Step off saddles of the geometric action along their negative directions across the curve (default true). */
  readonly escapeSaddles?: boolean;
}

export interface FixedEnergySolution {
  readonly t: number[];
  readonly x: number[][];
  readonly E: number;
  /** Transit time T* = Σ dt. */
  readonly T: number;
  /** ∫ p·dx along the curve. */
  readonly geometricAction: number;
  /** S = ∫ L dt = ∫ p·dx − E T. */
  readonly action: number;
  readonly iterations: number;
  readonly gradientNorm: number;
  readonly converged: boolean;
  /** The certificate across the curve of a converged path (as PathSolution's at fixed T); undefined when not converged. */
  readonly stationary?: 'minimum' | 'saddle' | 'degenerate';
  readonly morseIndex?: number;
}

export function solveFixedEnergy(
  model: ModelKernels,
  geometric: LagrangianKernels,
  from: readonly number[],
  to: readonly number[],
  E: number,
  options: FixedEnergyOptions = {},
): FixedEnergySolution {
  const n = model.n;
  const m = options.nodes ?? 200;
  if (!Number.isFinite(E)) throw new RangeError(`the energy must be finite; got ${E}`);
  if (!Number.isInteger(m) || m < 2) throw new RangeError(`the number of intervals must be an integer >= 2; got ${m}`);
  const path: PathGrid = { n, m, t0: 0, h: 1 / m, x: initialPath(from, to, m, options) };
  const tol = options.tolerance ?? 1e-9;
  const ws = new ActionWorkspace(n);
  const g = new Float64Array((m - 1) * n);
  const descend = (): { iterations: number; converged: boolean } =>
    newton(geometric, path, ws, g, {
      tolerance: tol,
      maxIterations: options.maxIterations ?? 200,
      afterStep: redistribute,
      residual: normalResidual,
      restrict: acrossCurve,
    });
  const first = descend();
  let iterations = first.iterations;
  // As at fixed T: a curve with negative directions across it is a saddle of the
  // geometric action (Maier–Stein's axis at E = 0); step off it and descend again.
  let certificate = first.converged ? secondOrderAcross(geometric, path, ws) : undefined;
  for (let escapes = 0; certificate?.stationary === 'saddle' && options.escapeSaddles !== false && escapes < MAX_ESCAPES; escapes++) {
    if (!stepOffSaddle(geometric, path, ws)) break;
    redistribute(path);
    const r = descend();
    iterations += r.iterations;
    certificate = r.converged ? secondOrderAcross(geometric, path, ws) : undefined;
  }
  // A saddle left is one no step along its lowest eigenvector could leave (or the escapes ran out).
  if (certificate?.stationary === 'saddle') {
    const { diag, upper } = restrictedHessian(geometric, path, ws);
    certificate = confirmSaddle(certificate, diag, upper, m - 1, n);
  }
  actionGradient(geometric, path, ws, g);
  const gradientNorm = normalResidual(g, path);
  const geometricAction = action(geometric, path, ws);
  const t = transitTimes(model, path, E, options.t0 ?? 0);
  const T = t[m] - t[0];
  if (!Number.isFinite(T)) {
    throw new NoetherError(
      'request',
      `the energy ${E} is below what the path needs: fᵀD⁻¹f + 4E < 0 somewhere along it (a classically forbidden region); raise E`,
    );
  }
  return {
    t,
    x: Array.from({ length: m + 1 }, (_, k) => Array.from(path.x.subarray(k * n, k * n + n))),
    E,
    T,
    geometricAction,
    action: geometricAction - E * T,
    iterations,
    gradientNorm,
    converged: gradientNorm <= tol,
    ...(gradientNorm <= tol ? certificate : {}),
  };
}

const MAX_ESCAPES = 8;

/** The Hessian of the geometric action restricted to moves across the curve (tangent moves get curvature c > 0). */
function restrictedHessian(geometric: LagrangianKernels, path: PathGrid, ws: ActionWorkspace): { diag: Float64Array; upper: Float64Array } {
  const { n, m } = path;
  const diag = new Float64Array((m - 1) * n * n);
  const upper = new Float64Array(Math.max(0, m - 2) * n * n);
  actionHessian(geometric, path, ws, diag, upper);
  acrossCurve(diag, upper, new Float64Array((m - 1) * n), path);
  return { diag, upper };
}

/**
 * The certificate across the curve: P H P + c(I − P) splits into the normal space
 * (P H P there) and the tangent space (c > 0 there), so its negative pivots count
 * the negative directions of the geometric action across the curve.
 */
function secondOrderAcross(geometric: LagrangianKernels, path: PathGrid, ws: ActionWorkspace): Certificate {
  const { n, m } = path;
  if (m < 2) return { stationary: 'minimum', morseIndex: 0 };
  const { diag, upper } = restrictedHessian(geometric, path, ws);
  return certify(diag, upper, m - 1, n);
}

/** Moves the curve along the lowest eigenvector across it until the geometric action falls; false if it never does. */
function stepOffSaddle(geometric: LagrangianKernels, path: PathGrid, ws: ActionWorkspace): boolean {
  const { n, m } = path;
  const { diag, upper } = restrictedHessian(geometric, path, ws);
  const lowest = lowestEigenvector(diag, upper, m - 1, n);
  if (!lowest) return false;
  return stepDownAlong(geometric, path, ws, lowest.vector);
}

/**
 * Moves the interior nodes back to equal Euclidean arc length along the current
 * polyline, once the spacing has drifted by a factor of 2 (redistributing every
 * step would perturb the curve by O(h²) each time and stall convergence).
 */
function redistribute(path: PathGrid): void {
  const { n, m, x } = path;
  const cum = new Float64Array(m + 1);
  let shortest = Infinity;
  let longest = 0;
  for (let k = 1; k <= m; k++) {
    let d = 0;
    for (let i = 0; i < n; i++) d += (x[k * n + i] - x[(k - 1) * n + i]) ** 2;
    cum[k] = cum[k - 1] + Math.sqrt(d);
    shortest = Math.min(shortest, Math.sqrt(d));
    longest = Math.max(longest, Math.sqrt(d));
  }
  const total = cum[m];
  if (!(total > 0) || longest < 2 * shortest) return;
  const old = x.slice();
  let seg = 0;
  for (let k = 1; k < m; k++) {
    const target = (k / m) * total;
    while (seg < m - 1 && cum[seg + 1] < target) seg++;
    const len = cum[seg + 1] - cum[seg];
    const f = len > 0 ? (target - cum[seg]) / len : 0;
    for (let i = 0; i < n; i++) x[k * n + i] = (1 - f) * old[seg * n + i] + f * old[(seg + 1) * n + i];
  }
}

/**
 * Newton restricted to moves across the curve: with Pₖ = I − τₖτₖᵀ at node k,
 * the system becomes (P H P + c(I − P)) δ = −P g. P is block diagonal, so the
 * matrix stays block tridiagonal; the tangential part of δ is 0.
 */
function acrossCurve(diag: Float64Array, upper: Float64Array, rhs: Float64Array, path: PathGrid): void {
  const { n, m, x } = path;
  const nn = n * n;
  const P: Float64Array[] = [];
  for (let k = 1; k < m; k++) {
    const tau = new Float64Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (tau[i] = x[(k + 1) * n + i] - x[(k - 1) * n + i]) ** 2;
    norm = Math.sqrt(norm) || 1;
    const p = new Float64Array(nn);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) p[i * n + j] = (i === j ? 1 : 0) - (tau[i] / norm) * (tau[j] / norm);
    P.push(p);
  }
  let c = 0;
  for (let b = 0; b < m - 1; b++) for (let i = 0; i < n; i++) c = Math.max(c, Math.abs(diag[b * nn + i * n + i]));
  c = c || 1;
  const tmp = new Float64Array(nn);
  const sandwich = (left: Float64Array, block: Float64Array, off: number, right: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) s += left[i * n + a] * block[off + a * n + b] * right[b * n + j];
        tmp[i * n + j] = s;
      }
    }
    block.set(tmp, off);
  };
  for (let b = 0; b < m - 1; b++) {
    sandwich(P[b], diag, b * nn, P[b]);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) diag[b * nn + i * n + j] += c * ((i === j ? 1 : 0) - P[b][i * n + j]);
    if (b < m - 2) sandwich(P[b], upper, b * nn, P[b + 1]);
    const g = rhs.slice(b * n, b * n + n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += P[b][i * n + j] * g[j];
      rhs[b * n + i] = s;
    }
  }
}

/** max over interior nodes of |g − (g·τ)τ|, τ the unit tangent: sliding along the curve costs nothing. */
function normalResidual(g: Float64Array, path: PathGrid): number {
  const { n, m, x } = path;
  let r = 0;
  for (let k = 1; k < m; k++) {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (x[(k + 1) * n + i] - x[(k - 1) * n + i]) ** 2;
    norm = Math.sqrt(norm) || 1;
    let gt = 0;
    for (let i = 0; i < n; i++) gt += g[(k - 1) * n + i] * ((x[(k + 1) * n + i] - x[(k - 1) * n + i]) / norm);
    for (let i = 0; i < n; i++) {
      const tangent = (x[(k + 1) * n + i] - x[(k - 1) * n + i]) / norm;
      r = Math.max(r, Math.abs(g[(k - 1) * n + i] - gt * tangent));
    }
  }
  return r;
}

/** Node times from dt = |Δx|_{D⁻¹} / √(fᵀD⁻¹f + 4E) at each interval's midpoint. */
function transitTimes(model: ModelKernels, path: PathGrid, E: number, t0: number): number[] {
  const { n, m, x } = path;
  const input = new Float64Array(n + 1);
  const f = new Float64Array(n);
  const D = new Float64Array(n * n);
  const delta = new Float64Array(n);
  const t = [t0];
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) {
      input[i] = 0.5 * (x[k * n + i] + x[(k + 1) * n + i]);
      delta[i] = x[(k + 1) * n + i] - x[k * n + i];
    }
    input[n] = t0;
    model.drift.run(input, f);
    model.diffusion.run(input, D);
    // D is positive definite on valid models; a singular one makes T non-finite, reported below.
    const Dinvf = solveDense(D, f, n) ?? new Float64Array(n).fill(NaN);
    const DinvDelta = solveDense(D, delta, n) ?? new Float64Array(n).fill(NaN);
    let W = 0;
    let len2 = 0;
    for (let i = 0; i < n; i++) {
      W += f[i] * Dinvf[i];
      len2 += delta[i] * DinvDelta[i];
    }
    t.push(t[k] + Math.sqrt(len2) / Math.sqrt(W + 4 * E));
  }
  return t;
}
