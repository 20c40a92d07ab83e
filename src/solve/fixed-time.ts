// Most likely path between two states in a fixed time T: minimise the midpoint
// discretisation of the action (action.ts) by Newton's method with the exact
// block-tridiagonal Hessian, globalised by a Levenberg–Marquardt shift and an
// Armijo line search. L-BFGS is the fallback when Newton stalls.

import type { LagrangianKernels } from '../compile/model-kernels.ts';
import { ActionWorkspace, type PathGrid, action, actionGradient, actionHessian } from './action.ts';
import { blockInertia } from './inertia.ts';
import { lbfgs } from './lbfgs.ts';
import { maxAbs, newton } from './newton.ts';

export interface FixedTimeOptions {
  /** Number of intervals M (default 200). */
  readonly nodes?: number;
  /** Start time (default 0). */
  readonly t0?: number;
  /** Intermediate points the initial guess passes through (piecewise linear). */
  readonly waypoints?: readonly (readonly number[])[];
  /** Or a full initial path on the grid: M + 1 points. */
  readonly initial?: readonly (readonly number[])[];
  /** Stop when max |∂S/∂x| is below this (default 1e-9). */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** 'newton' (default) or 'lbfgs' (first-order only, for comparison). */
  readonly method?: 'newton' | 'lbfgs';
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
  const tol = options.tolerance ?? 1e-9;
  const maxIt = options.maxIterations ?? 200;
  const ws = new ActionWorkspace(n);
  const interior = (m - 1) * n;
  const g = new Float64Array(interior);

  let iterations = 0;
  let method: PathSolution['method'] = options.method === 'lbfgs' ? 'lbfgs' : 'newton';
  let converged = false;
  if (method === 'newton') {
    const r = newton(kernels, path, ws, g, { tolerance: tol, maxIterations: maxIt });
    iterations = r.iterations;
    converged = r.converged;
    if (!converged) method = 'newton+lbfgs';
  }
  if (!converged) {
    const r = lbfgs(
      (xs, grad) => {
        path.x.set(xs, n);
        actionGradient(kernels, path, ws, grad);
        return action(kernels, path, ws);
      },
      path.x.slice(n, n + interior),
      // Asked for directly, L-BFGS gets the iteration budget; as a fallback, more (it needs thousands).
      { tolerance: tol, maxIterations: options.method === 'lbfgs' ? maxIt : 20 * maxIt },
    );
    path.x.set(r.x, n);
    iterations += r.iterations;
  }
  actionGradient(kernels, path, ws, g);
  const gradientNorm = maxAbs(g);
  const certificate = gradientNorm <= tol ? secondOrder(kernels, path, ws) : undefined;
  return {
    t: Array.from({ length: m + 1 }, (_, k) => t0 + k * h),
    x: Array.from({ length: m + 1 }, (_, k) => Array.from(path.x.subarray(k * n, k * n + n))),
    action: action(kernels, path, ws),
    T,
    iterations,
    gradientNorm,
    converged: gradientNorm <= tol,
    method,
    ...(certificate ?? {}),
  };
}

/** The inertia of the discrete action's Hessian at a stationary path (Sylvester: the pivots of its block LDLᵀ). */
function secondOrder(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace): Pick<PathSolution, 'stationary' | 'morseIndex'> {
  const { n, m } = path;
  if (m < 2) return { stationary: 'minimum', morseIndex: 0 };
  const diag = new Float64Array((m - 1) * n * n);
  const upper = new Float64Array(Math.max(0, m - 2) * n * n);
  actionHessian(kernels, path, ws, diag, upper);
  const { negative, degenerate } = blockInertia(diag, upper, m - 1, n);
  return { stationary: degenerate ? 'degenerate' : negative > 0 ? 'saddle' : 'minimum', morseIndex: negative };
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
