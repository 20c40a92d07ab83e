// Most likely path between two states in a fixed time T: minimise the midpoint
// discretisation of the action (action.ts) by Newton's method with the exact
// block-tridiagonal Hessian, globalised by a Levenberg–Marquardt shift and an
// Armijo line search. L-BFGS is the fallback when Newton stalls. A converged
// path whose Hessian has negative directions is a saddle: the solver steps off
// it along the lowest eigenvector and descends again, so a symmetric start still
// ends at a certified minimum.

import type { LagrangianKernels } from '../compile/model-kernels.ts';
import { ActionWorkspace, type PathGrid, action, actionGradient, actionHessian, gradientScale, stepDownAlong } from './action.ts';
import { type Certificate, certify, confirmSaddle, lowestEigenvector } from './inertia.ts';
import { lbfgs } from './lbfgs.ts';
import { type HessianBuffers, hessianBuffers, maxAbs, newton } from './newton.ts';

export interface FixedTimeOptions {
  /** Number of intervals M (default 200). */
  readonly nodes?: number;
  /** Start time (default 0). */
  readonly t0?: number;
  /** Intermediate points the initial guess passes through (piecewise linear). */
  readonly waypoints?: readonly (readonly number[])[];
  /** Or a full initial path on the grid: M + 1 points. */
  readonly initial?: readonly (readonly number[])[];
  /** Stop when max |∂S/∂x| is below this (default 1e-9), or below 1e-12 of its rounding scale at the start (gradientScale) if that is larger. */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** 'newton' (default) or 'lbfgs' (first-order only, for comparison). */
  readonly method?: 'newton' | 'lbfgs';
  /** Step off saddles of the action along their negative directions (default true). */
  readonly escapeSaddles?: boolean;
}

export interface PathSolution {
  readonly t: number[];
  readonly x: number[][];
  readonly action: number;
  readonly T: number;
  readonly iterations: number;
  readonly gradientNorm: number;
  readonly converged: boolean;
  readonly method: 'newton' | 'lbfgs' | 'newton+lbfgs';
  /**
   * The second-order certificate of a converged path: 'minimum' when the
   * Hessian of the discrete action is positive definite, 'saddle' when it has
   * negative directions (morseIndex of them), 'degenerate' when it is (nearly)
   * singular; undefined when not converged.
   */
  readonly stationary?: 'minimum' | 'saddle' | 'degenerate';
  readonly morseIndex?: number;
}

export function solveFixedTime(
  kernels: LagrangianKernels,
  from: readonly number[],
  to: readonly number[],
  T: number,
  options: FixedTimeOptions = {},
): PathSolution {
  const n = kernels.n;
  const m = options.nodes ?? 200;
  if (!(T > 0) || !Number.isFinite(T)) throw new RangeError(`the duration T must be positive and finite; got ${T}`);
  if (!Number.isInteger(m) || m < 2) throw new RangeError(`the number of intervals must be an integer >= 2; got ${m}`);
  const t0 = options.t0 ?? 0;
  const h = T / m;
  const path: PathGrid = { n, m, t0, h, x: initialPath(from, to, m, options) };
  const maxIt = options.maxIterations ?? 200;
  const ws = new ActionWorkspace(n);
  // One set of Hessian blocks and factors for every Newton solve, certificate and saddle escape on
  // this grid (a 256-unit network's are 0.5 GB each). The Hessian at the start serves the scale
  // and the first descent's first Newton step.
  const buffers = hessianBuffers(m, n);
  let startHessian = true;
  actionHessian(kernels, path, ws, buffers.diag, buffers.upper);
  // Rounding leaves ∂S/∂x at about 1e-13 of gradientScale: a tolerance below that
  // (very short T, momenta of order 1e4; very many nodes) is raised to it.
  const scale = gradientScale(kernels, path, ws, buffers.diag);
  const tol = Math.max(options.tolerance ?? 1e-9, Number.isFinite(scale) ? ROUNDING_FLOOR * scale : 0);
  const interior = (m - 1) * n;
  const g = new Float64Array(interior);

  const descend = (): { iterations: number; converged: boolean; fellBack: boolean } => {
    if (options.method !== 'lbfgs') {
      const begin = path.x.slice();
      const plain = newton(kernels, path, ws, g, { tolerance: tol, maxIterations: maxIt, buffers, startHessian, escapeIndefinite: options.escapeSaddles !== false });
      startHessian = false;
      if (plain.converged) return { iterations: plain.iterations, converged: true, fellBack: false };
      // Far from the minimum in an indefinite region (a straight line over a long T) the shifted
      // steps crawl: start again, moving along directions of negative curvature first.
      const afterPlain = path.x.slice();
      path.x.set(begin);
      const curved = newton(kernels, path, ws, g, { tolerance: tol, maxIterations: maxIt, negativeCurvature: true, buffers });
      const tried = plain.iterations + curved.iterations;
      if (curved.converged) return { iterations: tried, converged: true, fellBack: false };
      path.x.set(afterPlain);
      const f = minimiseByLbfgs(kernels, path, ws, g, tol, 20 * maxIt);
      if (f.converged) return { iterations: tried + f.iterations, converged: true, fellBack: true };
      // L-BFGS stalls short of the tolerance where the Hessian is nearly singular (long T
      // between fixed points, where the timing is a soft mode); Newton finishes from there.
      const p = newton(kernels, path, ws, g, { tolerance: tol, maxIterations: maxIt, buffers, escapeIndefinite: options.escapeSaddles !== false });
      return { iterations: tried + f.iterations + p.iterations, converged: p.converged, fellBack: true };
    }
    return { ...minimiseByLbfgs(kernels, path, ws, g, tol, maxIt), fellBack: false };
  };
  const first = descend();
  let { iterations, fellBack } = first;
  // A stationary path with negative directions is a saddle of the action, not the
  // most likely path: step down along the lowest eigenvector and descend again.
  // A symmetric start (Maier–Stein on its axis) only leaves the saddle this way.
  let certificate = first.converged ? secondOrder(kernels, path, ws, buffers) : undefined;
  for (let escapes = 0; certificate?.stationary === 'saddle' && options.escapeSaddles !== false && escapes < MAX_ESCAPES; escapes++) {
    if (!stepOffSaddle(kernels, path, ws, buffers)) break;
    const r = descend();
    iterations += r.iterations;
    fellBack ||= r.fellBack;
    certificate = r.converged ? secondOrder(kernels, path, ws, buffers) : undefined;
  }
  // A saddle left is one no step along its lowest eigenvector could leave (or the escapes ran
  // out); the buffers hold its Hessian.
  if (certificate?.stationary === 'saddle') certificate = confirmSaddle(certificate, buffers.diag, buffers.upper, m - 1, n, buffers.solver);
  const method: PathSolution['method'] = options.method === 'lbfgs' ? 'lbfgs' : fellBack ? 'newton+lbfgs' : 'newton';
  actionGradient(kernels, path, ws, g);
  const gradientNorm = maxAbs(g);
  return {
    t: Array.from({ length: m + 1 }, (_, k) => t0 + k * h),
    x: Array.from({ length: m + 1 }, (_, k) => Array.from(path.x.subarray(k * n, k * n + n))),
    action: action(kernels, path, ws),
    T,
    iterations,
    gradientNorm,
    converged: gradientNorm <= tol,
    method,
    ...(gradientNorm <= tol ? certificate : {}),
  };
}

const MAX_ESCAPES = 8;
/** The gradient tolerance is at least this fraction of the size of the gradient's terms. */
const ROUNDING_FLOOR = 1e-12;

/** L-BFGS on the interior nodes of `path` (updated in place); `g` is scratch for the final gradient. */
function minimiseByLbfgs(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace, g: Float64Array, tol: number, maxIt: number): { iterations: number; converged: boolean } {
  const n = path.n;
  const r = lbfgs(
    (xs, grad) => {
      path.x.set(xs, n);
      actionGradient(kernels, path, ws, grad);
      return action(kernels, path, ws);
    },
    path.x.slice(n, n + (path.m - 1) * n),
    { tolerance: tol, maxIterations: maxIt },
  );
  path.x.set(r.x, n);
  actionGradient(kernels, path, ws, g);
  return { iterations: r.iterations, converged: maxAbs(g) <= tol };
}

/**
 * Moves a stationary path off a saddle along the lowest eigenvector of the
 * action's Hessian, by the largest step (at most a tenth of the path's extent
 * per node, halving) that lowers the action. False at a minimum.
 */
function stepOffSaddle(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace, { diag, upper, solver }: HessianBuffers): boolean {
  const { n, m } = path;
  actionHessian(kernels, path, ws, diag, upper);
  const lowest = lowestEigenvector(diag, upper, m - 1, n, solver);
  if (!lowest) return false;
  return stepDownAlong(kernels, path, ws, lowest.vector);
}

/** The certificate of a stationary path from the discrete action's Hessian (Sylvester: the pivots of its block LDLᵀ). */
function secondOrder(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace, { diag, upper, solver }: HessianBuffers): Certificate {
  const { n, m } = path;
  if (m < 2) return { stationary: 'minimum', morseIndex: 0 };
  actionHessian(kernels, path, ws, diag, upper);
  return certify(diag, upper, m - 1, n, solver);
}

export function initialPath(from: readonly number[], to: readonly number[], m: number, options: FixedTimeOptions): Float64Array {
  const n = from.length;
  const x = new Float64Array((m + 1) * n);
  if (options.initial) {
    if (options.initial.length !== m + 1) throw new RangeError(`the initial path needs ${m + 1} points; got ${options.initial.length}`);
    options.initial.forEach((p, k) => x.set(p, k * n));
  } else {
    // Piecewise linear through the waypoints, evenly in arc parameter.
    const knots = [from, ...(options.waypoints ?? []), to];
    const segments = knots.length - 1;
    for (let k = 0; k <= m; k++) {
      const u = (k / m) * segments;
      const s = Math.min(Math.floor(u), segments - 1);
      const f = u - s;
      for (let i = 0; i < n; i++) x[k * n + i] = (1 - f) * knots[s][i] + f * knots[s + 1][i];
    }
  }
  x.set(from, 0);
  x.set(to, m * n);
  return x;
}
