// The data behind the paper's figures (Figs. 1b, 1c, 2), computed by the
// toolkit itself: most likely paths at several energies or end points, the
// charges along them, and the fixed points. Plain data; rendering is in render.ts.

import { type ModelKernels, compileCharges, compileLagrangianKernels, compileModel } from '../compile/model-kernels.ts';
import { mul, num, sub, sym } from '../expr/expr.ts';
import { Rational } from '../expr/rational.ts';
import { type LagrangianResult, buildLagrangian, geometricLagrangian } from '../lagrangian/lagrangian.ts';
import type { Model } from '../model/types.ts';
import { solveFixedEnergy } from '../solve/fixed-energy.ts';
import { solveFixedTime } from '../solve/fixed-time.ts';
import { type FixedPoint, findFixedPoints } from '../solve/fixed-points.ts';
import { integrate } from '../solve/rk45.ts';
import { besselI0e } from '../expr/special.ts';
import { compareWithMostLikely } from '../simulate/most-likely.ts';
import { simulate } from '../simulate/simulate.ts';
import { chargesAtMidpoints, chargesOnFixedTimePath } from '../check/conservation.ts';

export interface PathCurve {
  /** What distinguishes this curve (its energy, end angle, …). */
  readonly label: string;
  readonly value: number;
  readonly t: number[];
  readonly x: number[][];
  readonly T: number;
  readonly E: number;
  /** The conserved quantity that labels the curve, e.g. angular momentum (if any). */
  readonly charge?: number;
  /** Smallest distance of the path to `reference` (e.g. the attractor or undecided state). */
  readonly closestApproach?: number;
  readonly converged: boolean;
}

export interface TransitionFigure {
  readonly model: string;
  readonly from: number[];
  readonly to: number[];
  readonly fixedPoints: FixedPoint[];
  /** The point closest approaches are measured to. */
  readonly reference: number[];
  readonly curves: PathCurve[];
}

function distanceToPoint(path: readonly (readonly number[])[], p: readonly number[]): number {
  let best = Infinity;
  for (const x of path) best = Math.min(best, Math.hypot(...x.map((xi, i) => xi - p[i])));
  return best;
}

/**
 * Transitions between two states at several energies (Figs. 1b, 1c): fixed-energy
 * paths, with the transit time T* and each path's closest approach to `reference`.
 */
export function energyTransitions(
  model: Model,
  from: number[],
  to: number[],
  energies: readonly number[],
  reference: number[],
  box: { lo: number[]; hi: number[] },
  nodes = 400,
): TransitionFigure {
  const lagr = buildLagrangian(model);
  const kernels = compileModel(lagr);
  const charges = angularMomentum(lagr);
  const curves = energies.map((E): PathCurve => {
    const geometric = compileLagrangianKernels(geometricLagrangian(lagr, num(Rational.fromNumber(E))), lagr);
    const r = solveFixedEnergy(kernels, geometric, from, to, E, { nodes });
    const L = charges ? mean(chargesAtMidpoints(charges, r)[0].values) : undefined;
    return {
      label: `E = ${E}`,
      value: E,
      t: r.t,
      x: r.x,
      T: r.T,
      E,
      ...(L !== undefined ? { charge: L } : {}),
      closestApproach: distanceToPoint(r.x, reference),
      converged: r.converged,
    };
  });
  return { model: model.name, from, to, fixedPoints: findFixedPoints(kernels, box), reference, curves };
}

export interface RingFigure {
  readonly model: string;
  readonly start: number[];
  readonly T: number;
  readonly t0: number;
  /** The probability-flow ODE path from the start (deterministic). */
  readonly flow: { t: number[]; x: number[][] };
  /** Most likely reverse-SDE paths to points on the ring at several angles. */
  readonly curves: PathCurve[];
  readonly radius: number;
}

/**
 * Fig. 2: from one start, the probability-flow ODE path (integrated from the
 * PF-ODE model) and the most likely reverse-SDE paths to points on the ring at
 * the given angles, each labelled by its conserved angular momentum.
 */
export function ringTransitions(
  sde: Model,
  pfOde: Model,
  start: number[],
  angles: readonly number[],
  T: number,
  nodes = 400,
): RingFigure {
  const lagr = buildLagrangian(sde);
  const kernels = compileModel(lagr);
  const t0 = sde.time[0];
  const radius = parameter(sde, 'R');
  const flowKernels = compileModel(buildLagrangian(pfOde));
  const flow = flowPath(flowKernels, start, t0, T);
  const charges = angularMomentum(lagr);
  const curves = angles.map((theta): PathCurve => {
    const end = [radius * Math.cos(theta), radius * Math.sin(theta)];
    const r = solveFixedTime(kernels, start, end, T, { nodes, t0 });
    const L = charges ? mean(chargesOnFixedTimePath(kernels, charges, r)[0].values) : undefined;
    return {
      label: `θ = ${Number(theta.toFixed(3))}`,
      value: theta,
      t: r.t,
      x: r.x,
      T,
      E: NaN,
      ...(L !== undefined ? { charge: L } : {}),
      converged: r.converged,
    };
  });
  return { model: sde.name, start, T, t0, flow, curves, radius };
}

/** x_a p_b − x_b p_a for the first two state variables, when the model has two. */
function angularMomentum(lagr: LagrangianResult): ReturnType<typeof compileCharges> | undefined {
  if (lagr.model.state.length !== 2) return undefined;
  const [x, y] = lagr.model.state;
  const L = sub(mul(sym(x), lagr.momenta[1]), mul(sym(y), lagr.momenta[0]));
  return compileCharges([L], lagr);
}

/** The deterministic flow ẋ = f(x, t) from `start`, recorded at the integrator's steps. */
function flowPath(kernels: ModelKernels, start: number[], t0: number, T: number): { t: number[]; x: number[][] } {
  const n = kernels.n;
  const input = new Float64Array(n + 1);
  const r = integrate(
    (t, y, dydt) => {
      input.set(y, 0);
      input[n] = t;
      kernels.drift.run(input, dydt);
    },
    t0,
    Float64Array.from(start),
    t0 + T,
    { rtol: 1e-10, atol: 1e-12, record: true },
  );
  return { t: r.ts ?? [], x: (r.ys ?? []).map((y) => Array.from(y)) };
}

function parameter(model: Model, name: string): number {
  const p = model.params.find((q) => q.name === name);
  if (!p) throw new Error(`model ${model.name} has no parameter ${name}`);
  return p.value;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The data density of the ring model at diffusion time s (paper Sec. 5.3):
 * p(x) ∝ exp(−(|x|² + R²)/(2v)) I0(R|x|/v), v = s0² + s², on a grid; computed
 * with the scaled Bessel function so it never overflows.
 */
export function ringDensity(R: number, s0: number, s: number, lo: number[], hi: number[], cells = 60): { x: number[]; y: number[]; values: number[][] } {
  const v = s0 * s0 + s * s;
  const x = Array.from({ length: cells }, (_, i) => lo[0] + ((i + 0.5) / cells) * (hi[0] - lo[0]));
  const y = Array.from({ length: cells }, (_, j) => lo[1] + ((j + 0.5) / cells) * (hi[1] - lo[1]));
  const values = x.map((xi) =>
    y.map((yj) => {
      const r = Math.hypot(xi, yj);
      const z = (R * r) / v;
      // exp(−(r² + R²)/(2v)) I0(z) = exp(−(r − R)²/(2v)) I0e(z), as z = Rr/v.
      return Math.exp(-((r - R) ** 2) / (2 * v)) * besselI0e(z);
    }),
  );
  return { x, y, values };
}

export interface ConditionedFigure {
  readonly model: string;
  readonly from: number[];
  readonly to: number[];
  readonly T: number;
  readonly tol: number;
  /** Raw accepted sample paths (thinned), each as times and states. */
  readonly samples: { t: number[]; x: number[][] }[];
  /** The ensemble mean on the output grid, and the most likely path there. */
  readonly t: number[];
  readonly mean: number[][];
  readonly mostLikely: number[][];
  /** max |mean − most likely| over the grid, and the largest standard error of the mean. */
  readonly distance: number;
  readonly maxStandardError: number;
  readonly accepted: number;
  readonly acceptanceRate: number;
}

/**
 * Fig. 1a: sample paths with the same start, end and duration (rejection-
 * conditioned Euler–Maruyama) around the most likely path, and the distance
 * between their mean and it.
 */
export async function conditionedPaths(
  model: Model,
  from: number[],
  to: number[],
  T: number,
  options: { paths: number; tol: number; dt: number; seed?: number; keep?: number },
): Promise<ConditionedFigure> {
  const keep = options.keep ?? 60;
  const kept: { t: number[]; x: number[][] }[] = [];
  const n = model.state.length;
  const result = await simulate(model, {
    from,
    T,
    dt: options.dt,
    paths: options.paths,
    seed: options.seed ?? 1,
    workers: 1,
    condition: { to, tol: options.tol },
    stride: Math.max(1, Math.round(T / options.dt / 100)),
    onPaths: (batch) => {
      const K = batch.t.length;
      batch.indices.forEach((_, p) => {
        if (kept.length >= keep) return;
        kept.push({ t: [...batch.t], x: Array.from({ length: K }, (_, k) => Array.from(batch.values.subarray((p * K + k) * n, (p * K + k) * n + n))) });
      });
    },
  });
  const comparison = compareWithMostLikely(buildLagrangian(model), result);
  return {
    model: model.name,
    from,
    to,
    T,
    tol: options.tol,
    samples: kept,
    t: result.t,
    mean: result.mean,
    mostLikely: comparison.path,
    distance: comparison.distance,
    maxStandardError: comparison.maxStandardError,
    accepted: result.paths,
    acceptanceRate: result.acceptanceRate ?? 1,
  };
}

/**
 * A long-run density for heat maps: paths started at each of `starts` (e.g. the
 * stable states, so every basin is shown even when noise rarely crosses between
 * them), binned after a burn-in; normalised counts on a grid.
 */
export async function longRunDensity(
  model: Model,
  starts: readonly (readonly number[])[],
  lo: number[],
  hi: number[],
  options: { paths?: number; T?: number; dt?: number; bins?: number } = {},
): Promise<{ x: number[]; y: number[]; values: number[][] }> {
  const bins = options.bins ?? 50;
  const total = new Float64Array(bins * bins);
  for (const [i, start] of starts.entries()) {
    const r = await simulate(model, {
      from: [...start],
      T: options.T ?? 20,
      dt: options.dt ?? 0.01,
      paths: options.paths ?? 200,
      seed: 1 + i,
      workers: 1,
      samples: 2,
      histogram: { dims: [0, 1], bins: [bins, bins], ranges: [[lo[0], hi[0]], [lo[1], hi[1]]], burnIn: (options.T ?? 20) / 4 },
    });
    r.histogram?.counts.forEach((c, k) => (total[k] += c));
  }
  const max = Math.max(...total) || 1;
  const centre = (d: number, b: number): number => lo[d] + ((b + 0.5) / bins) * (hi[d] - lo[d]);
  return {
    x: Array.from({ length: bins }, (_, b) => centre(0, b)),
    y: Array.from({ length: bins }, (_, b) => centre(1, b)),
    values: Array.from({ length: bins }, (_, i) => Array.from({ length: bins }, (_, j) => total[i * bins + j] / max)),
  };
}
