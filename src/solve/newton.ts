// Damped Newton for discretised actions (fixed-duration and fixed-energy paths).

import type { LagrangianKernels } from '../compile/model-kernels.ts';
import { type ActionWorkspace, type PathGrid, action, actionGradient, actionHessian, stepDownAlong } from './action.ts';
import { BlockTridiagonal } from './blocktri.ts';
import { lowestEigenvector } from './inertia.ts';

export interface NewtonOptions {
  /** Stop when the residual (default max |∂S/∂x|) is below this. */
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Called after each accepted step (the fixed-energy solver redistributes its nodes here). */
  readonly afterStep?: (path: PathGrid) => void;
  /** The convergence measure from the gradient (the fixed-energy solver drops its tangential part). */
  readonly residual?: (g: Float64Array, path: PathGrid) => number;
  /**
   * Restricts the Newton system to allowed moves: given the Hessian blocks and
   * the right-hand side (a copy of the gradient), rewrite them in place (the
   * fixed-energy solver projects onto moves across the curve).
   */
  readonly restrict?: (diag: Float64Array, upper: Float64Array, rhs: Float64Array, path: PathGrid) => void;
  /** Where the Hessian has negative eigenvalues, step along the lowest eigenvector before a shifted Newton step. */
  readonly negativeCurvature?: boolean;
  /** The Hessian's blocks and their factorisation, shared by the solves on one grid (allocated here when absent). */
  readonly buffers?: HessianBuffers;
  /**
   * After INDEFINITE_RUN consecutive shifted steps on an indefinite Hessian, step down its
   * lowest eigenvector (default true; fixed-T paths only). False keeps a symmetric start on its axis.
   */
  readonly escapeIndefinite?: boolean;
  /** `buffers` already hold the Hessian at the starting path. */
  readonly startHessian?: boolean;
}

/** Storage for the action's Hessian on a grid of m intervals: (m − 1) diagonal blocks and their factors, m − 2 upper blocks. */
export interface HessianBuffers {
  readonly diag: Float64Array;
  readonly upper: Float64Array;
  readonly solver: BlockTridiagonal;
}

export function hessianBuffers(m: number, n: number): HessianBuffers {
  return { diag: new Float64Array((m - 1) * n * n), upper: new Float64Array(Math.max(m - 2, 0) * n * n), solver: new BlockTridiagonal(m - 1, n) };
}

/**
 * Damped Newton on the discretised action over the interior nodes of `path`
 * (updated in place): exact block-tridiagonal Hessian, Levenberg–Marquardt shift
 * when it is not positive definite or the step does not descend, Armijo search;
 * with `negativeCurvature`, a line search along the lowest eigenvector first
 * wherever the Hessian is indefinite.
 */
export function newton(
  kernels: LagrangianKernels,
  path: PathGrid,
  ws: ActionWorkspace,
  g: Float64Array,
  options: NewtonOptions,
): { iterations: number; converged: boolean } {
  const tol = options.tolerance;
  const maxIt = options.maxIterations;
  const residual = options.residual ?? ((grad: Float64Array) => maxAbs(grad));
  const { n, m } = path;
  const blocks = m - 1;
  const { diag, upper, solver } = options.buffers ?? hessianBuffers(m, n);
  const step = new Float64Array(blocks * n);
  const rhs = new Float64Array(blocks * n);
  const trial = new Float64Array(path.x.length);
  const saved = path.x.slice();
  let mu = 0;
  let s = action(kernels, path, ws);
  // Chord steps and the escape along the lowest eigenvector are for fixed-T paths.
  const plainFixedTime = options.restrict === undefined && options.afterStep === undefined && options.negativeCurvature !== true;
  let factorsFresh = false; // the solver holds the unshifted factors of a recent Hessian
  let previous = Infinity;
  // Consecutive steps that needed a shift. On an indefinite Hessian the shifted steps converge
  // only linearly, and towards a saddle when the start is symmetric (Maier–Stein from its axis:
  // 139 steps to the on-axis saddle path): after INDEFINITE_RUN of them, a step down the lowest
  // eigenvector (Maier–Stein: 15 steps in all to the minimum).
  let shiftedRun = 0;
  for (let it = 0; it < maxIt; it++) {
    actionGradient(kernels, path, ws, g);
    const r = residual(g, path);
    if (r <= tol) return { iterations: it, converged: true };
    const contracted = r <= previous / CHORD_CONTRACTION;
    previous = r;
    // Chord steps: while full unshifted steps shrink the residual CHORD_CONTRACTION-fold, the
    // factors of the last Hessian serve the next step too (a 64-unit network's Hessian and its
    // factorisation cost 0.8 s at M = 1000; a gradient 0.04 s).
    if (plainFixedTime && factorsFresh && contracted) {
      const chord = chordStep(kernels, path, ws, g, solver, step, s);
      if (chord !== undefined) {
        s = chord;
        continue;
      }
    }
    factorsFresh = false;
    if (it > 0 || !options.startHessian) actionHessian(kernels, path, ws, diag, upper);
    rhs.set(g);
    options.restrict?.(diag, upper, rhs, path);
    const scale = diagonalScale(diag, n);
    // Negative curvature (a straight-line start far from the minimum, long T): step down the
    // lowest eigenvector first, which the shifted Newton step would barely move along.
    // `factoredUnshifted`: the solver holds H's own factors, which the first attempt at μ = 0 reuses.
    let factoredUnshifted = options.negativeCurvature === true && solver.factor(diag, upper, 0);
    if (plainFixedTime && options.escapeIndefinite !== false && shiftedRun >= INDEFINITE_RUN) {
      shiftedRun = 0;
      factoredUnshifted = solver.factor(diag, upper, 0);
      const lowest = factoredUnshifted ? undefined : lowestEigenvector(diag, upper, blocks, n, solver);
      if (lowest && lowest.value < 0 && stepDownAlong(kernels, path, ws, lowest.vector)) {
        s = action(kernels, path, ws);
        continue;
      }
    }
    if (options.negativeCurvature && !factoredUnshifted) {
      const lowest = lowestEigenvector(diag, upper, blocks, n, solver);
      if (lowest && lowest.value < 0 && stepDownAlong(kernels, path, ws, lowest.vector, 'best')) {
        s = action(kernels, path, ws);
        continue;
      }
    }
    let accepted = false;
    for (let attempt = 0; attempt < 40 && !accepted; attempt++) {
      const factored = (factoredUnshifted && mu === 0) || solver.factor(diag, upper, mu);
      factoredUnshifted = false;
      if (!factored) {
        mu = mu === 0 ? 1e-10 * scale : mu * 10;
        continue;
      }
      for (let i = 0; i < step.length; i++) step[i] = -rhs[i];
      solver.solve(step);
      let slope = 0;
      for (let i = 0; i < step.length; i++) slope += g[i] * step[i];
      if (!(slope < 0)) {
        mu = mu === 0 ? 1e-10 * scale : mu * 10;
        continue;
      }
      // Armijo backtracking on the action. Near the minimum the predicted decrease falls
      // below the rounding of S; a full Newton step is then taken if S does not rise
      // beyond rounding (the gradient, not S, measures progress there).
      saved.set(path.x);
      const rounding = 1e-12 * Math.max(Math.abs(s), 1);
      const belowRounding = -slope <= rounding;
      for (let alpha = 1; alpha > 1e-10; alpha *= 0.5) {
        trial.set(saved);
        for (let i = 0; i < step.length; i++) trial[n + i] += alpha * step[i];
        path.x.set(trial);
        const sTrial = action(kernels, path, ws);
        const acceptable = belowRounding ? sTrial <= s + rounding : sTrial <= s + 1e-4 * alpha * slope;
        if (Number.isFinite(sTrial) && acceptable) {
          s = sTrial;
          accepted = true;
          factorsFresh = mu === 0 && alpha === 1;
          shiftedRun = mu > 0 ? shiftedRun + 1 : 0;
          break;
        }
      }
      if (!accepted) {
        path.x.set(saved);
        if (belowRounding) return { iterations: it, converged: residual(g, path) <= tol };
        mu = mu === 0 ? 1e-10 * scale : mu * 10;
      }
    }
    if (!accepted) return { iterations: it, converged: false };
    if (options.afterStep) {
      options.afterStep(path);
      s = action(kernels, path, ws);
    }
    mu = mu < 1e-12 * scale ? 0 : mu / 10;
  }
  actionGradient(kernels, path, ws, g);
  return { iterations: maxIt, converged: residual(g, path) <= tol };
}

/** After this many consecutive shifted steps on an indefinite Hessian, one step along its lowest eigenvector. */
const INDEFINITE_RUN = 5;

/** A chord step is tried when the last step shrank the residual at least this many times. */
const CHORD_CONTRACTION = 10;

/**
 * The full step −H₀⁻¹g with the factors of an earlier Hessian H₀: the new action
 * if it does not rise beyond rounding (path moved), else undefined (path unchanged).
 */
function chordStep(kernels: LagrangianKernels, path: PathGrid, ws: ActionWorkspace, g: Float64Array, solver: BlockTridiagonal, step: Float64Array, s: number): number | undefined {
  const n = path.n;
  for (let i = 0; i < step.length; i++) step[i] = -g[i];
  solver.solve(step);
  const saved = path.x.slice(n, path.x.length - n);
  for (let i = 0; i < step.length; i++) path.x[n + i] += step[i];
  const sTrial = action(kernels, path, ws);
  if (Number.isFinite(sTrial) && sTrial <= s + 1e-12 * Math.max(Math.abs(s), 1)) return sTrial;
  path.x.set(saved, n);
  return undefined;
}

export function maxAbs(a: Float64Array): number {
  let r = 0;
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(a[i]));
  return r;
}

function diagonalScale(diag: Float64Array, n: number): number {
  let r = 0;
  const nn = n * n;
  for (let b = 0; b < diag.length / nn; b++) for (let i = 0; i < n; i++) r = Math.max(r, Math.abs(diag[b * nn + i * n + i]));
  return r || 1;
}
