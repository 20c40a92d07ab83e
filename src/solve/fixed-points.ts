// Fixed points of the drift, f(x, t) = 0, inside a box, classified by the
// eigenvalues of the drift Jacobian (linear stability of the deterministic
// dynamics ẋ = f): the attractors, saddles and repellers of a model.
//
// Method: damped Newton iteration (Jacobian from the compiled symbolic
// derivative, backtracking line search on |f|²) from a seeded, jittered grid of
// starts covering the box; converged roots inside the box with a small residual
// are merged when closer than a fraction of the box size, then classified.
//
// Time-dependent drift: the drift is frozen at one time t (options.t, default
// 0), so the result is the set of fixed points of the vector field f(·, t) at
// that instant, not of the non-autonomous system.

import { EigenvalueDecomposition } from 'ml-matrix';
import type { ModelKernels } from '../compile/model-kernels.ts';
import { Rng } from '../random/rng.ts';

export type Stability = 'stable' | 'saddle' | 'unstable' | 'degenerate';

export interface FixedPoint {
  /** Coordinates, in the order of the model's state variables. */
  readonly x: number[];
  readonly stability: Stability;
  /** Eigenvalues of ∂f/∂x at x, sorted by real part, then imaginary part. */
  readonly eigenvalues: { re: number; im: number }[];
  /** max |fᵢ(x, t)| at x. */
  readonly residual: number;
}

export interface Box {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

export interface FixedPointOptions {
  /** Time at which a time-dependent drift is frozen (default 0). */
  readonly t?: number;
  /** Upper bound on the number of Newton starts (default 2000). */
  readonly maxStarts?: number;
  /** Starts per axis of the grid (default: the largest k ≥ 2 with kᴺ ≤ maxStarts; random starts when even 2ᴺ is too many). */
  readonly startsPerAxis?: number;
  /** Seed of the jitter of the starts (default 1). */
  readonly seed?: number;
  /** Roots with max |fᵢ| at or above this are dropped (default 1e-10). */
  readonly residualTolerance?: number;
  /** Roots closer than this fraction of the box size (in every coordinate) are one root (default 1e-6). */
  readonly mergeTolerance?: number;
  /** Eigenvalues with |re| below this make a point degenerate (default 1e-9). */
  readonly degenerateTolerance?: number;
  /** Newton iterations per start (default 200). */
  readonly maxIterations?: number;
}

const DEFAULTS = {
  t: 0,
  maxStarts: 2000,
  seed: 1,
  residualTolerance: 1e-10,
  mergeTolerance: 1e-6,
  degenerateTolerance: 1e-9,
  maxIterations: 200,
};

/** Fixed points of the drift inside `box`, sorted by coordinates (lexicographically). */
export function findFixedPoints(kernels: ModelKernels, box: Box, options: FixedPointOptions = {}): FixedPoint[] {
  const n = kernels.n;
  checkBox(box, n);
  const o = { ...DEFAULTS, ...options };
  const width = box.lo.map((lo, i) => box.hi[i] - lo);
  const solver = new NewtonSolver(kernels, o.t, box, width, o.maxIterations);

  const roots: { x: Float64Array; residual: number }[] = [];
  const inside = (x: Float64Array): boolean =>
    x.every((xi, i) => xi >= box.lo[i] - 1e-12 * width[i] && xi <= box.hi[i] + 1e-12 * width[i]);
  for (const start of starts(box, width, o.maxStarts, options.startsPerAxis, o.seed)) {
    const root = solver.solve(start);
    if (!root || root.residual >= o.residualTolerance || !inside(root.x)) continue;
    const twin = roots.find((r) => r.x.every((ri, i) => Math.abs(ri - root.x[i]) <= o.mergeTolerance * width[i]));
    if (!twin) roots.push(root);
    else if (root.residual < twin.residual) {
      twin.x = root.x;
      twin.residual = root.residual;
    }
  }

  const points = roots.map((r) => classify(kernels, r.x, r.residual, o.t, o.degenerateTolerance));
  points.sort((a, b) => {
    for (let i = 0; i < n; i++) if (a.x[i] !== b.x[i]) return a.x[i] - b.x[i];
    return 0;
  });
  return points;
}

function checkBox(box: Box, n: number): void {
  if (box.lo.length !== n || box.hi.length !== n) {
    throw new RangeError(`the box has ${box.lo.length} lower and ${box.hi.length} upper bounds; the model has ${n} state variables`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(box.lo[i]) || !Number.isFinite(box.hi[i]) || !(box.lo[i] < box.hi[i])) {
      throw new RangeError(`box bounds of coordinate ${i} must be finite with lo < hi; got [${box.lo[i]}, ${box.hi[i]}]`);
    }
  }
}

/**
 * Starts: the centres of a k×…×k grid of cells, each moved by a seeded random
 * offset of up to a quarter cell (so no start sits on a symmetry line by
 * accident); random points in the box when even 2ᴺ cells exceed maxStarts.
 */
function* starts(box: Box, width: readonly number[], maxStarts: number, perAxis: number | undefined, seed: number): Generator<Float64Array> {
  const n = width.length;
  const rng = new Rng(seed);
  let k = perAxis ?? Math.floor(Math.pow(maxStarts, 1 / n) + 1e-9);
  while (perAxis === undefined && k > 1 && Math.pow(k, n) > maxStarts) k--;
  if (k < 2 || Math.pow(k, n) > maxStarts) {
    for (let s = 0; s < maxStarts; s++) yield Float64Array.from(width, (w, i) => box.lo[i] + w * rng.uniform());
    return;
  }
  const index = new Array<number>(n).fill(0);
  for (;;) {
    yield Float64Array.from(width, (w, i) => box.lo[i] + (w * (index[i] + 0.5 + 0.5 * (rng.uniform() - 0.5))) / k);
    let i = 0;
    while (i < n && ++index[i] === k) index[i++] = 0;
    if (i === n) return;
  }
}

/** Damped Newton on f(·, t) = 0 with preallocated buffers. */
class NewtonSolver {
  private readonly n: number;
  private readonly input: Float64Array;
  private readonly f: Float64Array;
  private readonly jac: Float64Array;
  private readonly step: Float64Array;
  private readonly trial: Float64Array;
  /** Iterates further than this (in box widths) from the box are abandoned. */
  private readonly reach = 10;

  constructor(
    private readonly kernels: ModelKernels,
    private readonly t: number,
    private readonly box: Box,
    private readonly width: readonly number[],
    private readonly maxIterations: number,
  ) {
    const n = (this.n = kernels.n);
    this.input = new Float64Array(n + 1);
    this.f = new Float64Array(n);
    this.jac = new Float64Array(n * n);
    this.step = new Float64Array(n);
    this.trial = new Float64Array(n);
  }

  /** ½|f(x)|², with f(x) left in this.f; NaN outside the domain. */
  private merit(x: Float64Array): number {
    this.input.set(x);
    this.input[this.n] = this.t;
    this.kernels.drift.run(this.input, this.f);
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.f[i] * this.f[i];
    return 0.5 * s;
  }

  solve(start: Float64Array): { x: Float64Array; residual: number } | undefined {
    const { n } = this;
    const x = Float64Array.from(start);
    let phi = this.merit(x);
    if (!Number.isFinite(phi)) return undefined;
    for (let it = 0; it < this.maxIterations && phi > 0; it++) {
      // Newton direction J·step = −f (J at x; this.f holds f(x)).
      this.input.set(x);
      this.input[n] = this.t;
      this.kernels.driftJacobian.run(this.input, this.jac);
      for (let i = 0; i < n; i++) this.step[i] = -this.f[i];
      if (!solveLinear(this.jac, this.step, n)) {
        // Singular Jacobian: steepest descent on ½|f|², direction −Jᵀf.
        this.kernels.driftJacobian.run(this.input, this.jac);
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let i = 0; i < n; i++) s -= this.jac[i * n + j] * this.f[i];
          this.step[j] = s;
        }
      }
      // Backtracking: halve until |f| decreases.
      let lambda = 1;
      let accepted = false;
      let next = phi;
      for (let h = 0; h < 40; h++) {
        for (let i = 0; i < n; i++) this.trial[i] = x[i] + lambda * this.step[i];
        next = this.merit(this.trial);
        if (next < phi) {
          accepted = true;
          break;
        }
        lambda *= 0.5;
      }
      if (!accepted) break; // no descent left: converged to rounding, or stuck
      let moved = 0;
      for (let i = 0; i < n; i++) {
        moved = Math.max(moved, Math.abs(this.trial[i] - x[i]) / this.width[i]);
        x[i] = this.trial[i];
      }
      phi = next;
      for (let i = 0; i < n; i++) {
        const far = this.reach * this.width[i];
        if (x[i] < this.box.lo[i] - far || x[i] > this.box.hi[i] + far) return undefined;
      }
      if (moved < 1e-16) break;
    }
    this.merit(x);
    let residual = 0;
    for (let i = 0; i < n; i++) residual = Math.max(residual, Math.abs(this.f[i]));
    return Number.isFinite(residual) ? { x, residual } : undefined;
  }
}

/**
 * Solves A·b' = b in place (b becomes the solution) by Gaussian elimination
 * with partial pivoting; A (row-major n×n) is overwritten. False if A is
 * singular or the solution is not finite.
 */
function solveLinear(a: Float64Array, b: Float64Array, n: number): boolean {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (!(scale > 0) || !Number.isFinite(scale)) return false;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    // Only an exact zero pivot counts: a nearly singular J still gives a useful
    // direction (the line search tames its length), which degenerate roots such
    // as x³ = 0 need to converge at all.
    if (a[p * n + c] === 0) return false;
    if (p !== c) {
      for (let j = 0; j < n; j++) [a[c * n + j], a[p * n + j]] = [a[p * n + j], a[c * n + j]];
      [b[c], b[p]] = [b[p], b[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const m = a[r * n + c] / a[c * n + c];
      if (m === 0) continue;
      for (let j = c; j < n; j++) a[r * n + j] -= m * a[c * n + j];
      b[r] -= m * b[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= a[r * n + j] * b[j];
    b[r] = s / a[r * n + r];
  }
  return b.every(Number.isFinite);
}

function classify(kernels: ModelKernels, x: Float64Array, residual: number, t: number, tol: number): FixedPoint {
  const n = kernels.n;
  const input = new Float64Array(n + 1);
  input.set(x);
  input[n] = t;
  const jac = new Float64Array(n * n);
  kernels.driftJacobian.run(input, jac);
  const rows = Array.from({ length: n }, (_, i) => Array.from(jac.subarray(i * n, (i + 1) * n)));
  const evd = new EigenvalueDecomposition(rows);
  const eigenvalues = evd.realEigenvalues
    .map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i] }))
    .sort((a, b) => a.re - b.re || a.im - b.im);
  let stability: Stability;
  if (eigenvalues.some((e) => !(Math.abs(e.re) >= tol))) stability = 'degenerate';
  else if (eigenvalues.every((e) => e.re < 0)) stability = 'stable';
  else if (eigenvalues.every((e) => e.re > 0)) stability = 'unstable';
  else stability = 'saddle';
  return { x: Array.from(x), stability, eigenvalues, residual };
}
