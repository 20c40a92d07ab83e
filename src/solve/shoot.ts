// Most likely transition paths by shooting: Newton's method on the initial
// momentum p₀ so that Hamilton's flow ẋ = ∂H/∂p, ṗ = −∂H/∂x started at
// (x(t₀), p(t₀)) = (from, p₀) reaches x(t₀ + T) = to.
//
// The Jacobian ∂x(t₀+T)/∂p₀ comes from the variational equations Φ' = J ∇²H Φ,
// Φ(t₀) = [0; I], integrated alongside the flow; only the flow's own components
// enter the step-size control, so the steps (and x(T)) are exactly those of the
// flow alone. ∇²H is a compiled symbolic kernel when one is given
// (compileHamiltonianHessian), else central differences of the compiled
// gradient. Central differences of the whole flow are available as a check.
// Newton steps are damped by backtracking on the residual norm.
//
// The residual (where the flow ends) is integrated to full accuracy; the Jacobian
// only steers Newton, so its variational equations are integrated at a looser
// tolerance (about 10× fewer steps) and reused while steps keep contracting the
// residual tenfold. With 2N(N+1) components against 2N, the variational equations
// are what shooting costs on large models.

import type { CompiledKernel } from '../compile/compile.ts';
import type { ModelKernels } from '../compile/model-kernels.ts';
import { type BandLayout, bandIndex, bandStorage, bandedNormalStep, solveBanded } from './banded.ts';
import { solveDense } from './dense.ts';
import { IntegrationError, integrate } from './rk45.ts';

export interface ShootOptions {
  /** Initial guess for p(t₀). Default: the momentum of the straight line, ½ D⁻¹(ẋ − f) at (from, t₀) with ẋ = (to − from)/T. */
  p0?: number[];
  /** Start time (default 0); matters only for time-dependent models. */
  t0?: number;
  /** Integrator tolerances (defaults 1e-11 and 1e-13). */
  rtol?: number;
  atol?: number;
  /** Stop when the Euclidean norm |x(t₀+T) − to| < tol (default 1e-10). */
  tol?: number;
  /** Newton iterations at most (default 50). */
  maxIterations?: number;
  /**
   * How ∂x(T)/∂p₀ is computed: 'variational' (default) integrates the variational
   * equations; 'central' differences the flow (2N extra integrations per iteration).
   */
  jacobian?: 'variational' | 'central';
  /** ∇²H over (x, p) from compileHamiltonianHessian; without it the variational equations difference ∇H. */
  hessian?: CompiledKernel;
  /** Step budget per integration (default 100000). */
  maxSteps?: number;
  /** Integrate and return the path of a failed shot too (default true); false returns only its start (a caller about to try another method). */
  failedPath?: boolean;
  /**
   * Where the flow from the guess fails before t₀ + T, pull the guess toward p = 0 until it
   * reaches the end (default true). false for a guess from a solved path (a polish), where
   * such a failure, even at the Jacobian's loose tolerance, means the shot cannot follow it.
   */
  rescue?: boolean;
}

export interface ShootResult {
  /** The (last) initial momentum. */
  p0: number[];
  /** States at the recorded times (t₀, every accepted step, t₀ + T). */
  x: number[][];
  t: number[];
  /** Momenta at the recorded times. */
  p: number[][];
  /** S = ∫ L dt along the recorded path (L = p·∂H/∂p − H, integrated with the flow's own steps). */
  action: number;
  /** Newton updates made. */
  iterations: number;
  /** |x(t₀+T) − to| (Euclidean) of the recorded path. */
  residual: number;
  converged: boolean;
}

export function shoot(kernels: ModelKernels, from: number[], to: number[], T: number, options: ShootOptions = {}): ShootResult {
  const n = kernels.n;
  const t0 = options.t0 ?? 0;
  const rtol = options.rtol ?? 1e-11;
  const atol = options.atol ?? 1e-13;
  const tol = options.tol ?? 1e-10;
  const maxIterations = options.maxIterations ?? 50;
  const maxSteps = options.maxSteps ?? 100000;
  const mode = options.jacobian ?? 'variational';
  if (from.length !== n || to.length !== n) throw new RangeError(`shoot: from and to need ${n} entries; got ${from.length} and ${to.length}`);
  if (![...from, ...to].every(Number.isFinite)) throw new RangeError('shoot: from and to must be finite');
  if (!(Number.isFinite(T) && T > 0)) throw new RangeError(`shoot: T must be positive and finite; got ${T}`);
  if (!Number.isFinite(t0)) throw new RangeError(`shoot: t0 must be finite; got ${t0}`);
  if (options.p0 && (options.p0.length !== n || !options.p0.every(Number.isFinite))) {
    throw new RangeError(`shoot: p0 needs ${n} finite entries`);
  }
  if (options.hessian && (options.hessian.outputs !== 4 * n * n || options.hessian.inputs.length !== 2 * n + 1)) {
    throw new RangeError('shoot: hessian must be a 2N×2N kernel over [x, p, t] (compileHamiltonianHessian)');
  }
  const t1 = t0 + T;
  const flow = hamiltonFlow(kernels, options.hessian);
  const integ = { rtol, atol, maxSteps };

  const start = (p0: Float64Array): Float64Array => {
    const y = new Float64Array(2 * n);
    y.set(from);
    y.set(p0, n);
    return y;
  };
  /**
   * ‖(∂x(t1)/∂p₀)v‖∞ for v = (1, −1, 1, …), a lower bound on ‖∂x(t1)/∂p₀‖∞: Infinity where
   * the tangent overflows, undefined where the flow itself fails.
   */
  const tangentNorm = (p0: Float64Array): number | undefined => {
    const y0 = new Float64Array(4 * n);
    y0.set(from);
    y0.set(p0, n);
    for (let c = 0; c < n; c++) y0[3 * n + c] = c % 2 === 0 ? 1 : -1; // Φ = [0; v]
    let norm = 0;
    const flowed = succeeds(() => {
      const { y } = integrate(flow.tangent, t0, y0, t1, { ...jacobianIntegration(integ), errorComponents: 2 * n });
      for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(y[2 * n + i]));
    });
    // The tangent is not error-controlled: NaN there comes from ∞ − ∞, an overflow.
    return flowed ? (Number.isNaN(norm) ? Infinity : norm) : undefined;
  };
  /** x(t1) − to for a given p0; Infinity norm if the flow fails. */
  const residual = (p0: Float64Array): Residual =>
    guarded(n, (r) => {
      const { y } = integrate(flow.rhs, t0, start(p0), t1, integ);
      for (let i = 0; i < n; i++) r[i] = y[i] - to[i];
    });
  const jacobian = (p0: Float64Array, jac: Float64Array): boolean =>
    succeeds(() => {
      if (mode === 'variational') {
        const y0 = new Float64Array(2 * n + 2 * n * n);
        y0.set(from);
        y0.set(p0, n);
        for (let c = 0; c < n; c++) y0[2 * n + (n + c) * n + c] = 1; // Φ = [0; I]
        const { y } = integrate(flow.variational, t0, y0, t1, { ...jacobianIntegration(integ), errorComponents: 2 * n });
        for (let i = 0; i < n * n; i++) jac[i] = y[2 * n + i];
        return;
      }
      const q = Float64Array.from(p0);
      for (let c = 0; c < n; c++) {
        const d = 1e-6 * (1 + Math.abs(p0[c]));
        q[c] = p0[c] + d;
        const plus = integrate(flow.rhs, t0, start(q), t1, integ).y;
        q[c] = p0[c] - d;
        const minus = integrate(flow.rhs, t0, start(q), t1, integ).y;
        q[c] = p0[c];
        for (let i = 0; i < n; i++) jac[i * n + c] = (plus[i] - minus[i]) / (2 * d);
      }
    });

  let p = options.p0 ? Float64Array.from(options.p0) : straightLineMomentum(kernels, from, to, T, t0);
  const jac = new Float64Array(n * n);
  // Rounding p₀ alone moves x(t₀ + T) by about ‖∂x/∂p₀‖·ε·|p₀|: where that exceeds
  // tol (an exponentially unstable flow over T, e.g. into a saddle point) no
  // Newton iteration can reach the end point, and trying only costs time. One
  // tangent (∂x/∂p₀)v, v of ±1 entries, bounds ‖∂x/∂p₀‖∞ from below at 1/N of the
  // Jacobian's cost: often enough to know without the Jacobian, and tested before
  // the residual, which it then spares. Where the flow fails at the tangent's loose
  // tolerance, a guess to be rescued goes on; one from a solved path is given up.
  const rescue = options.rescue !== false;
  const beyondRounding = (q: Float64Array): boolean => {
    const norm = tangentNorm(q);
    return norm === undefined ? !rescue : roundingResidual(norm, q) >= tol;
  };
  let hopeless = beyondRounding(p);
  let cur: Residual = hopeless ? { r: new Float64Array(n), norm: Infinity } : residual(p);
  // A guess whose flow blows up before t0 + T gives Newton nothing to work with:
  // pull it toward p = 0 (the noise-free flow) until the flow reaches the end.
  if (rescue && !hopeless && !Number.isFinite(cur.norm)) {
    for (let k = 0; k < 40 && !Number.isFinite(cur.norm); k++) {
      p = p.map((pi) => pi / 2);
      cur = residual(p);
    }
    hopeless = Number.isFinite(cur.norm) && cur.norm >= tol && beyondRounding(p);
  }
  const reachable = !hopeless && (cur.norm < tol || (Number.isFinite(cur.norm) && jacobian(p, jac) && roundingResidual(rowSumNorm(jac, n), p) < tol));
  const solved = reachable ? dampedNewton(p, cur, jac, { residual, jacobian }, tol, maxIterations) : { z: p, iterations: 0, converged: false };
  p = solved.z;
  const { iterations, converged } = solved;

  if (!converged && options.failedPath === false) {
    return { p0: Array.from(p), t: [t0], x: [from.slice()], p: [Array.from(p)], action: NaN, iterations, residual: Infinity, converged };
  }
  const path = recordPath(flow, from, to, p, t0, t1, integ);
  return { p0: Array.from(p), ...path, iterations, converged: converged && path.residual < tol };
}

/**
 * Fixed-energy shooting: Newton on (p₀, T) so that H(from, p₀) = E and the flow
 * reaches `to` at t₀ + T. The Jacobian of x(t₀+T) − to is [Φ_x, ẋ(t₀+T)], that
 * of H(from, p₀) − E is [∂H/∂p(from, p₀), 0]. Needs a time-independent model and
 * a starting guess (p₀, T), e.g. from the discrete fixed-energy path.
 */
export function shootAtEnergy(
  kernels: ModelKernels,
  from: number[],
  to: number[],
  E: number,
  guess: { p0: number[]; T: number },
  options: Omit<ShootOptions, 'p0' | 'jacobian'> = {},
): ShootResult & { T: number } {
  const n = kernels.n;
  const t0 = options.t0 ?? 0;
  const tol = options.tol ?? 1e-10;
  const integ = { rtol: options.rtol ?? 1e-11, atol: options.atol ?? 1e-13, maxSteps: options.maxSteps ?? 100000 };
  const flow = hamiltonFlow(kernels, options.hessian);
  const input = new Float64Array(2 * n + 1);
  const grad = new Float64Array(2 * n);
  const H = new Float64Array(1);
  const atStart = (p0: Float64Array): void => {
    input.set(from);
    input.set(p0, n);
    input[2 * n] = t0;
  };
  /** (x(t₀+T) − to, H(from, p₀) − E) for z = (p₀, T). */
  const residual = (z: Float64Array): Residual => {
    const T = z[n];
    if (!(T > 0 && Number.isFinite(T))) return { r: new Float64Array(n + 1), norm: Infinity };
    return guarded(n + 1, (r) => {
      const y0 = new Float64Array(2 * n);
      y0.set(from);
      y0.set(z.subarray(0, n), n);
      const { y } = integrate(flow.rhs, t0, y0, t0 + T, integ);
      for (let i = 0; i < n; i++) r[i] = y[i] - to[i];
      atStart(z.subarray(0, n));
      kernels.hamiltonian.run(input, H);
      r[n] = H[0] - E;
    });
  };
  /** [Φ_x, ẋ(t₀+T); ∂H/∂p(from, p₀), 0]. */
  const jacobian = (z: Float64Array, jac: Float64Array): boolean =>
    succeeds(() => {
      const T = z[n];
      const p0 = z.subarray(0, n);
      const y0 = new Float64Array(2 * n + 2 * n * n);
      y0.set(from);
      y0.set(p0, n);
      for (let c = 0; c < n; c++) y0[2 * n + (n + c) * n + c] = 1;
      const { y } = integrate(flow.variational, t0, y0, t0 + T, { ...jacobianIntegration(integ), errorComponents: 2 * n });
      const m = n + 1;
      // ẋ at the end point: ∂H/∂p there.
      input.set(y.subarray(0, 2 * n));
      input[2 * n] = t0 + T;
      kernels.hamiltonianGradient.run(input, grad);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < n; c++) jac[i * m + c] = y[2 * n + i * n + c];
        jac[i * m + n] = grad[n + i];
      }
      atStart(p0);
      kernels.hamiltonianGradient.run(input, grad);
      for (let c = 0; c < n; c++) jac[n * m + c] = grad[n + c];
      jac[n * m + n] = 0;
    });
  const z = Float64Array.from([...guess.p0, guess.T]);
  const jac = new Float64Array((n + 1) * (n + 1));
  const first = residual(z);
  const solved =
    first.norm < tol || (Number.isFinite(first.norm) && jacobian(z, jac))
      ? dampedNewton(z, first, jac, { residual, jacobian }, tol, options.maxIterations ?? 50)
      : { z, iterations: 0, converged: false };
  const T = solved.z[n];
  const p0 = solved.z.subarray(0, n);
  const path = recordPath(flow, from, to, p0, t0, t0 + T, integ);
  atStart(p0);
  kernels.hamiltonian.run(input, H);
  const energyMiss = Math.abs(H[0] - E);
  return { p0: Array.from(p0), ...path, T, iterations: solved.iterations, converged: solved.converged && path.residual < tol && energyMiss < tol * (1 + Math.abs(E)) };
}

/** ‖J‖∞ · ε · max(|p|, 1) for ‖J‖∞ = jacobianNorm: how far rounding the unknowns alone moves the residual. */
function roundingResidual(jacobianNorm: number, p: ArrayLike<number>): number {
  let size = 1;
  for (let i = 0; i < p.length; i++) size = Math.max(size, Math.abs(p[i]));
  return jacobianNorm * Number.EPSILON * size;
}

/** ‖J‖∞, the largest row sum of |J| (n×n, row-major). */
function rowSumNorm(J: Float64Array, n: number): number {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(J[i * n + j]);
    norm = Math.max(norm, row);
  }
  return norm;
}

/** A residual vector and its Euclidean norm (Infinity when the flow failed). */
export interface Residual {
  readonly r: Float64Array;
  readonly norm: number;
}

export interface ShootingSystem {
  residual(z: Float64Array): Residual;
  /** Writes ∂r/∂z at z into jac (row-major, or as `band` lays it out); false if the flow failed. */
  jacobian(z: Float64Array, jac: Float64Array): boolean;
  /** jac is a band matrix of this layout (default: dense). */
  readonly band?: BandLayout;
}

/** A residual of `size` entries filled by `fill`; a failed integration gives norm Infinity. */
function guarded(size: number, fill: (r: Float64Array) => void): Residual {
  const r = new Float64Array(size);
  try {
    fill(r);
  } catch (err) {
    if (err instanceof IntegrationError) return { r, norm: Infinity };
    throw err;
  }
  let norm = 0;
  for (let i = 0; i < size; i++) norm += r[i] * r[i];
  norm = Math.sqrt(norm);
  return { r, norm: Number.isFinite(norm) ? norm : Infinity };
}

/** Runs `work`; false if an integration inside it failed. */
function succeeds(work: () => void): boolean {
  try {
    work();
    return true;
  } catch (err) {
    if (err instanceof IntegrationError) return false;
    throw err;
  }
}

/** The variational equations' tolerances: never tighter than the flow's, at most 1e-6 relative. */
function jacobianIntegration(integ: { rtol: number; atol: number; maxSteps: number }): { rtol: number; atol: number; maxSteps: number } {
  return { rtol: Math.max(integ.rtol, 1e-6), atol: Math.max(integ.atol, 1e-9), maxSteps: integ.maxSteps };
}

/** A Jacobian is reused while the steps it gives shrink the residual at least this much. */
const JACOBIAN_REUSE_CONTRACTION = 0.1;

/**
 * Damped Newton on a residual r(z), starting from `jac`, the Jacobian at z0. A full
 * step is taken when it lowers the residual norm; otherwise Levenberg–Marquardt
 * steps (JᵀJ + μ·diag(JᵀJ)) δ = Jᵀr with growing μ, which damp nearly singular
 * directions (the soft timing mode of a long transit) instead of the whole step;
 * then halved Newton steps (down to 1/1024). The Jacobian is recomputed only when
 * a step contracted the residual less than tenfold, or failed with a Jacobian
 * from an earlier point (a chord method otherwise: trial points cost one accurate
 * flow each). Stops on a singular Jacobian (e.g. a conjugate point), when no step
 * helps, or after MAX_STALLED_JACOBIANS fresh Jacobians in a row gave steps that
 * shrank the residual less than twofold each.
 */
export function dampedNewton(
  z0: Float64Array,
  first: Residual,
  jac: Float64Array,
  system: ShootingSystem,
  tol: number,
  maxIterations: number,
): { z: Float64Array; iterations: number; converged: boolean } {
  const size = z0.length;
  let z = z0;
  let cur = first;
  let iterations = 0;
  let converged = cur.norm < tol;
  let fresh = true;
  let stalled = 0; // fresh Jacobians in a row whose steps shrank the residual less than STALL_CONTRACTION
  const attempt = (step: Float64Array, lambda: number): { z: Float64Array; r: Float64Array; norm: number } | undefined => {
    const trial = z.map((zi, i) => zi - lambda * step[i]);
    const next = system.residual(trial);
    return next.norm < (1 - 1e-4 * lambda) * cur.norm ? { z: trial, ...next } : undefined;
  };
  const band = system.band;
  const newtonStep = (r: Float64Array): Float64Array | undefined => (band ? solveBanded(band, jac, r) : solveDense(jac, r, size));
  const dampedStep = (r: Float64Array, mu: number): Float64Array | undefined =>
    band ? bandedNormalStep(band, jac, r, mu) : levenbergMarquardtStep(jac, r, size, mu);
  while (!converged && iterations < maxIterations && Number.isFinite(cur.norm)) {
    const step = newtonStep(cur.r);
    let accepted = step ? attempt(step, 1) : undefined;
    if (!accepted && !fresh) {
      if (!system.jacobian(z, jac)) break;
      fresh = true;
      continue;
    }
    for (let k = 0; !accepted && k < LM_DAMPING.length; k++) {
      const lm = dampedStep(cur.r, LM_DAMPING[k]);
      if (lm) accepted = attempt(lm, 1);
    }
    for (let lambda = 0.5; !accepted && step && lambda >= 1 / 1024; lambda /= 2) accepted = attempt(step, lambda);
    if (!accepted) break;
    iterations++;
    const contraction = accepted.norm / cur.norm;
    z = accepted.z;
    cur = accepted;
    converged = cur.norm < tol;
    if (fresh) stalled = contraction > STALL_CONTRACTION ? stalled + 1 : 0;
    // Newton with exact Jacobians converges fast or not at all: an ill-conditioned system (a
    // 256-unit network cut into two segments) would otherwise spend its 50 iterations.
    if (stalled >= MAX_STALLED_JACOBIANS) break;
    fresh = false;
    if (!converged && contraction > JACOBIAN_REUSE_CONTRACTION) {
      if (!system.jacobian(z, jac)) break;
      fresh = true;
    }
  }
  return { z, iterations, converged };
}

/** Shooting gives up after this many fresh Jacobians in a row each gave a step shrinking the residual less than STALL_CONTRACTION. */
const MAX_STALLED_JACOBIANS = 3;
const STALL_CONTRACTION = 0.5;

/** Relative Levenberg–Marquardt damping factors tried in turn when a full Newton step fails. */
const LM_DAMPING = [1e-10, 1e-8, 1e-6, 1e-4, 1e-2];

/** δ solving (JᵀJ + μ·diag(JᵀJ)) δ = Jᵀr for the row-major size×size J. */
function levenbergMarquardtStep(J: Float64Array, r: Float64Array, size: number, mu: number): Float64Array | undefined {
  const A = new Float64Array(size * size);
  const b = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const row = k * size;
    const rk = r[k];
    for (let i = 0; i < size; i++) {
      const jki = J[row + i];
      if (jki === 0) continue;
      b[i] += jki * rk;
      for (let j = i; j < size; j++) A[i * size + j] += jki * J[row + j];
    }
  }
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < i; j++) A[i * size + j] = A[j * size + i];
    A[i * size + i] *= 1 + mu;
  }
  return solveDense(A, b, size);
}

/**
 * The flow from (from, p0) recorded at every accepted step, with S = ∫ L dt riding
 * along as a last component outside the error control (so the steps are those of
 * the flow alone, as in the residual evaluations).
 */
function recordPath(
  flow: Flow,
  from: number[],
  to: number[],
  p0: ArrayLike<number>,
  t0: number,
  t1: number,
  integ: { rtol: number; atol: number; maxSteps: number; h0?: number },
): { t: number[]; x: number[][]; p: number[][]; residual: number; action: number } {
  const n = from.length;
  try {
    const y0 = new Float64Array(2 * n + 1);
    y0.set(from);
    y0.set(p0, n);
    const r = integrate(flow.withAction, t0, y0, t1, { ...integ, record: true, errorComponents: 2 * n });
    const end = r.y.subarray(0, n);
    return {
      t: r.ts!,
      x: r.ys!.map((y) => Array.from(y.subarray(0, n))),
      p: r.ys!.map((y) => Array.from(y.subarray(n, 2 * n))),
      residual: Math.hypot(...Array.from(end, (xi, i) => xi - to[i])),
      action: r.y[2 * n],
    };
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    return { t: [t0], x: [from.slice()], p: [Array.from(p0)], residual: Infinity, action: NaN };
  }
}

/**
 * Multiple shooting for a fixed duration: the interval is cut at the times
 * `guess.t` (t₀ < t₁ < … < t_K = t₀ + T) and Newton solves for the momentum at
 * t₀ and the states and momenta at t₁ … t_{K−1} so that each segment's flow
 * ends where the next begins and the last ends at `to`. Each segment is short,
 * so paths that single shooting cannot follow (into a hyperbolic fixed point,
 * where errors grow like e^{λT}) stay well conditioned. The Jacobian (block
 * bidiagonal: each segment's transition matrix Φₖ and −I) is solved as a band
 * matrix, in O(K·N³). `guess.x`, `guess.p`: states and
 * momenta at the cut times (x at t₀ must be `from`).
 */
export function shootMultiple(
  kernels: ModelKernels,
  from: number[],
  to: number[],
  guess: { t: readonly number[]; x: readonly (readonly number[])[]; p: readonly (readonly number[])[] },
  options: Omit<ShootOptions, 'p0' | 'jacobian' | 't0'> = {},
): ShootResult {
  const n = kernels.n;
  const K = guess.t.length - 1;
  if (K < 1 || guess.x.length !== K + 1 || guess.p.length < K) throw new RangeError('shootMultiple: need K + 1 cut times, states and K momenta');
  const tol = options.tol ?? 1e-10;
  const integ = { rtol: options.rtol ?? 1e-11, atol: options.atol ?? 1e-13, maxSteps: options.maxSteps ?? 100000 };
  const flow = hamiltonFlow(kernels, options.hessian);
  const m = 2 * n;
  const size = n + m * (K - 1);
  /**
   * y_k = (x_k, p_k) from the unknowns (x_0 = from), then Φ(t_k): I (2N×2N), or [0; I]
   * (2N×N) for the first segment, whose x_0 is fixed: only its momentum columns are unknowns.
   */
  const segmentStart = (z: Float64Array, k: number): Float64Array => {
    const cols = k === 0 ? n : m;
    const y = new Float64Array(m + m * cols);
    if (k === 0) {
      y.set(from);
      y.set(z.subarray(0, n), n);
    } else y.set(z.subarray(n + m * (k - 1), n + m * k));
    for (let c = 0; c < cols; c++) y[m + (k === 0 ? n + c : c) * cols + c] = 1;
    return y;
  };
  // A segment is a few steps long, and the step-size controller's start-up from scratch
  // doubles them (Maier–Stein, 100 segments: 8.5 steps each): each accurate integration of a
  // segment starts from the step size the one before ended with.
  const firstSteps = new Float64Array(K);
  const accurate = (k: number): typeof integ & { h0?: number } => (firstSteps[k] > 0 ? { ...integ, h0: firstSteps[k] } : integ);
  /** Each segment's end minus the next segment's start (the last: minus `to`). */
  const gaps = (z: Float64Array): Residual =>
    guarded(size, (r) => {
      for (let k = 0; k < K; k++) {
        const { y, nextStep } = integrate(flow.rhs, guess.t[k], segmentStart(z, k).subarray(0, m), guess.t[k + 1], accurate(k));
        firstSteps[k] = nextStep;
        const last = k === K - 1;
        for (let i = 0; i < (last ? n : m); i++) r[m * k + i] = y[i] - (last ? to[i] : z[n + m * k + i]);
      }
    });
  /**
   * Block bidiagonal: ∂r_k/∂y_k = Φ_k (at k = 0 only its momentum columns), ∂r_k/∂y_{k+1} = −I;
   * row m·k + i meets columns n + m(k − 1) … n + m·k + i: 3N − 1 diagonals below the main one, N above.
   */
  const band: BandLayout = { size, lower: 3 * n - 1, upper: n };
  const gapJacobian = (z: Float64Array, jac: Float64Array): boolean =>
    succeeds(() => {
      jac.fill(0);
      for (let k = 0; k < K; k++) {
        const { y } = integrate(k === 0 ? flow.variational : flow.transition, guess.t[k], segmentStart(z, k), guess.t[k + 1], { ...jacobianIntegration(integ), errorComponents: m });
        const row0 = m * k;
        const last = k === K - 1;
        const cols = k === 0 ? n : m;
        const col0 = k === 0 ? 0 : n + m * (k - 1);
        for (let i = 0; i < (last ? n : m); i++) {
          for (let c = 0; c < cols; c++) jac[bandIndex(band, row0 + i, col0 + c)] = y[m + i * cols + c];
          if (!last) jac[bandIndex(band, row0 + i, n + m * k + i)] = -1;
        }
      }
    });
  const z = new Float64Array(size);
  z.set(guess.p[0].slice(0, n));
  for (let k = 1; k < K; k++) {
    z.set(guess.x[k], n + m * (k - 1));
    z.set(guess.p[k], n + m * (k - 1) + n);
  }
  const jac = bandStorage(band);
  // The 2-norm over K segments' gaps: tol per segment.
  const first = gaps(z);
  const solved =
    first.norm < tol * Math.sqrt(K) || (Number.isFinite(first.norm) && gapJacobian(z, jac))
      ? dampedNewton(z, first, jac, { residual: gaps, jacobian: gapJacobian, band }, tol * Math.sqrt(K), options.maxIterations ?? 50)
      : { z, iterations: 0, converged: false };
  // The recorded path: segment by segment, each cut time once; S summed over the segments.
  const out = { t: [] as number[], x: [] as number[][], p: [] as number[][], action: 0 };
  let residual = 0;
  for (let k = 0; k < K; k++) {
    const y0 = segmentStart(solved.z, k).subarray(0, m);
    const seg = recordPath(flow, Array.from(y0.subarray(0, n)), k === K - 1 ? to : Array.from(solved.z.subarray(n + m * k, n + m * k + n)), y0.subarray(n, m), guess.t[k], guess.t[k + 1], accurate(k));
    for (let j = k === 0 ? 0 : 1; j < seg.t.length; j++) {
      out.t.push(seg.t[j]);
      out.x.push(seg.x[j]);
      out.p.push(seg.p[j]);
    }
    out.action += seg.action;
    residual = Math.max(residual, seg.residual);
  }
  return { p0: Array.from(solved.z.subarray(0, n)), ...out, iterations: solved.iterations, residual, converged: solved.converged && residual < tol };
}

/**
 * p = ½ D⁻¹ (ẋ − f) at (from, t0) with ẋ = (to − from)/T: the momentum of the
 * straight line at its start (p = ∂L/∂ẋ for L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f)).
 */
export function straightLineMomentum(kernels: ModelKernels, from: number[], to: number[], T: number, t0 = 0): Float64Array {
  return momentumAt(kernels, from, from.map((a, i) => (to[i] - a) / T), t0);
}

/** The Legendre transform p = ½ D⁻¹(ẋ − f) at a point (x, ẋ, t). */
export function momentumAt(kernels: ModelKernels, x: readonly number[], xdot: readonly number[], t: number): Float64Array {
  const n = kernels.n;
  const input = Float64Array.from([...x, t]);
  const f = new Float64Array(n);
  const D = new Float64Array(n * n);
  kernels.drift.run(input, f);
  kernels.diffusion.run(input, D);
  const p = solveDense(D, xdot.map((v, i) => 0.5 * (v - f[i])), n);
  if (!p) throw new RangeError(`D is singular at (${x.join(', ')}), t = ${t}`);
  return p;
}

interface Flow {
  /** Hamilton's equations on y = [x, p]. */
  readonly rhs: (t: number, y: Float64Array, dy: Float64Array) => void;
  /** Hamilton's equations on y = [x, p, S] with S' = L = p·∂H/∂p − H. */
  readonly withAction: (t: number, y: Float64Array, dy: Float64Array) => void;
  /** Hamilton's equations plus Φ' = A Φ on y = [x, p, Φ (2N×N row-major)], A = [[H_px, H_pp], [−H_xx, −H_xp]]. */
  readonly variational: (t: number, y: Float64Array, dy: Float64Array) => void;
  /** The same with Φ 2N×2N (the whole state transition matrix, for multiple shooting). */
  readonly transition: (t: number, y: Float64Array, dy: Float64Array) => void;
  /** The same with one column Φ (a tangent). */
  readonly tangent: (t: number, y: Float64Array, dy: Float64Array) => void;
}

function hamiltonFlow(kernels: ModelKernels, hessian: CompiledKernel | undefined): Flow {
  const n = kernels.n;
  const m = 2 * n;
  const input = new Float64Array(m + 1);
  const grad = new Float64Array(m);
  const gPlus = new Float64Array(m);
  const gMinus = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const gradient = kernels.hamiltonianGradient.run;
  const hamiltonian = kernels.hamiltonian.run;
  const energy = new Float64Array(1);

  const load = (t: number, y: Float64Array): void => {
    for (let i = 0; i < m; i++) input[i] = y[i];
    input[m] = t;
  };
  const hamilton = (dy: Float64Array): void => {
    gradient(input, grad);
    for (let i = 0; i < n; i++) {
      dy[i] = grad[n + i];
      dy[n + i] = -grad[i];
    }
  };
  /** hess ← ∇²H at `input` (kept unchanged on return). */
  const hessianAt = (): void => {
    if (hessian) {
      hessian.run(input, hess);
      return;
    }
    for (let j = 0; j < m; j++) {
      const zj = input[j];
      const d = 6e-6 * (1 + Math.abs(zj));
      input[j] = zj + d;
      gradient(input, gPlus);
      input[j] = zj - d;
      gradient(input, gMinus);
      input[j] = zj;
      for (let i = 0; i < m; i++) hess[i * m + j] = (gPlus[i] - gMinus[i]) / (2 * d);
    }
  };

  return {
    rhs(t, y, dy) {
      load(t, y);
      hamilton(dy);
    },
    withAction(t, y, dy) {
      load(t, y);
      hamilton(dy);
      hamiltonian(input, energy);
      let pv = 0;
      for (let i = 0; i < n; i++) pv += y[n + i] * dy[i];
      dy[m] = pv - energy[0];
    },
    variational: (t, y, dy) => variationalWith(t, y, dy, n),
    transition: (t, y, dy) => variationalWith(t, y, dy, m),
    tangent: (t, y, dy) => variationalWith(t, y, dy, 1),
  };

  /** Hamilton's equations plus Φ' = AΦ for a 2N×cols matrix Φ stored row-major after [x, p]. */
  function variationalWith(t: number, y: Float64Array, dy: Float64Array, cols: number): void {
    load(t, y);
    hamilton(dy);
    hessianAt();
    // (AΦ)[r][c] = ±Σ_k H[row][k] Φ[k][c]: rows r < N use +H[N+r][·], rows r ≥ N use −H[r−N][·];
    // the zeros of ∇²H are skipped (a network's ∂²H/∂x² and ∂²H/∂p² are diagonal). Four rows by
    // four columns at a time: sixteen sums in registers, each over k in order.
    const rowOf = (r: number): number => (r < n ? (n + r) * m : (r - n) * m);
    let r = 0;
    for (; r + 3 < m && cols >= 4; r += 4) {
      const [a0, a1, a2, a3] = [rowOf(r), rowOf(r + 1), rowOf(r + 2), rowOf(r + 3)];
      const [g0, g1, g2, g3] = [r < n ? 1 : -1, r + 1 < n ? 1 : -1, r + 2 < n ? 1 : -1, r + 3 < n ? 1 : -1];
      const o0 = m + r * cols;
      const [o1, o2, o3] = [o0 + cols, o0 + 2 * cols, o0 + 3 * cols];
      let c = 0;
      for (; c + 3 < cols; c += 4) {
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let k = 0; k < m; k++) {
          const h0 = hess[a0 + k];
          const h1 = hess[a1 + k];
          const h2 = hess[a2 + k];
          const h3 = hess[a3 + k];
          if (h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0) continue;
          const f = m + k * cols + c;
          const y0 = y[f];
          const y1 = y[f + 1];
          const y2 = y[f + 2];
          const y3 = y[f + 3];
          s00 += h0 * y0; s01 += h0 * y1; s02 += h0 * y2; s03 += h0 * y3;
          s10 += h1 * y0; s11 += h1 * y1; s12 += h1 * y2; s13 += h1 * y3;
          s20 += h2 * y0; s21 += h2 * y1; s22 += h2 * y2; s23 += h2 * y3;
          s30 += h3 * y0; s31 += h3 * y1; s32 += h3 * y2; s33 += h3 * y3;
        }
        dy[o0 + c] = g0 * s00; dy[o0 + c + 1] = g0 * s01; dy[o0 + c + 2] = g0 * s02; dy[o0 + c + 3] = g0 * s03;
        dy[o1 + c] = g1 * s10; dy[o1 + c + 1] = g1 * s11; dy[o1 + c + 2] = g1 * s12; dy[o1 + c + 3] = g1 * s13;
        dy[o2 + c] = g2 * s20; dy[o2 + c + 1] = g2 * s21; dy[o2 + c + 2] = g2 * s22; dy[o2 + c + 3] = g2 * s23;
        dy[o3 + c] = g3 * s30; dy[o3 + c + 1] = g3 * s31; dy[o3 + c + 2] = g3 * s32; dy[o3 + c + 3] = g3 * s33;
      }
      for (; c < cols; c++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = 0; k < m; k++) {
          const yk = y[m + k * cols + c];
          s0 += hess[a0 + k] * yk;
          s1 += hess[a1 + k] * yk;
          s2 += hess[a2 + k] * yk;
          s3 += hess[a3 + k] * yk;
        }
        dy[o0 + c] = g0 * s0;
        dy[o1 + c] = g1 * s1;
        dy[o2 + c] = g2 * s2;
        dy[o3 + c] = g3 * s3;
      }
    }
    // The remaining rows (and a single column, the tangent) one at a time.
    for (; r < m; r++) {
      const row = rowOf(r);
      const sign = r < n ? 1 : -1;
      const out = m + r * cols;
      dy.fill(0, out, out + cols);
      for (let k = 0; k < m; k++) {
        const h = sign * hess[row + k];
        if (h === 0) continue;
        const from = m + k * cols;
        for (let c = 0; c < cols; c++) dy[out + c] += h * y[from + c];
      }
    }
  }
}

