// Solve a most likely path and check every conserved charge along it: the
// whole of `noether solve` as a library call returning plain data.

import { type ChargeForm, type ModelKernels, compileCharges, compileHamiltonianHessian, compileLagrangianKernels, compileModel, structuredChargeKernel, withParameters } from '../compile/model-kernels.ts';
import { compileKernel } from '../compile/compile.ts';
import { diff } from '../expr/diff.ts';
import { type Expr, ZERO, num, substitute } from '../expr/expr.ts';
import { tidy } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import { type LagrangianResult, geometricLagrangian } from '../lagrangian/lagrangian.ts';
import type { Charge } from '../noether/charge.ts';
import type { Derivation, SymmetryResult } from '../noether/derive.ts';
import { solveFixedEnergy } from '../solve/fixed-energy.ts';
import { solveFixedTime } from '../solve/fixed-time.ts';
import { type ShootResult, momentumAt, shoot, shootAtEnergy, shootMultiple } from '../solve/shoot.ts';
import {
  type ChargeTrace,
  type SampledPath,
  chargesAtMidpoints,
  chargesAtPoints,
  chargesOnFixedTimePath,
  observedOrder,
  velocityFromMomentum,
} from './conservation.ts';

export interface PathCheckRequest {
  readonly from: readonly number[];
  readonly to: readonly number[];
  /** Exactly one of T (fixed duration) and E (fixed energy). */
  readonly T?: number;
  readonly E?: number;
  /** Start time (default 0): for time-dependent models such as reverse diffusion, which is singular at t = 0. */
  readonly t0?: number;
  /** Intervals M (default 1000). */
  readonly nodes?: number;
  readonly method?: 'newton' | 'lbfgs';
  /** Polish the discrete path by shooting on Hamilton's equations (default true). */
  readonly polish?: boolean;
  /** Largest relative drift allowed for a conserved charge (default 1e-6): the whole pass rule. */
  readonly driftTolerance?: number;
  /** For a path left discrete (not polished), also solve at 2M and 4M to measure convergence orders (default true). */
  readonly refine?: boolean;
}

export interface ChargeTrend {
  readonly name: string;
  readonly symbol: string;
  readonly rule: string;
  readonly status: 'exact' | 'quasi';
  readonly values: number[];
  readonly relativeDrift: number;
  /** Relative drift at M, 2M, 4M. */
  readonly drifts: number[];
  readonly order: number | null;
  /** The charge is identically 0 along this path (to 1e-11 of the path's largest value): trivially conserved. */
  readonly zeroOnPath: boolean;
  readonly passed: boolean;
}

export interface PathCheck {
  readonly t: number[];
  readonly x: number[][];
  readonly action: number;
  readonly T: number;
  /** The energy: given (fixed-E) or its mean along the path (fixed-T). */
  readonly E: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly method: string;
  /** max |∂S/∂x| of the discrete action at the solution (the discrete Euler–Lagrange residual). */
  readonly gradientNorm: number;
  /** The second-order certificate of a converged fixed-duration path (see PathSolution). */
  readonly stationary?: 'minimum' | 'saddle' | 'degenerate';
  readonly morseIndex?: number;
  readonly quantities: ChargeTrend[];
  /**
   * At E = 0 with a fixed point at an end, the true duration is infinite: T is then the
   * time spent outside balls of radius `within` around those ends.
   */
  readonly infiniteDuration: { readonly within: number; readonly ends: ReadonlyArray<'from' | 'to'> } | null;
  /** Charges whose values overflow double precision along the path: not checked, and said so. */
  readonly unchecked: { readonly name: string; readonly symbol: string; readonly reason: string }[];
  /** Whether the path was polished by shooting (then t, x are the integrator's steps and S = ∫ L dt along them). */
  readonly polished: boolean;
  /** Why a path was not polished ('' when it was; 'off' when not asked for). */
  readonly polishNote: string;
  /** Why the charges were not also checked at 2M and 4M intervals ('' when they were; 'off' when not asked for). */
  readonly refinementNote: string;
  /** Converged and every charge within tolerance. */
  readonly passed: boolean;
}

/** A conserved symmetry's charge by its generator; a K without a closed form is 0 here, as in the charge kernels. */
export function chargeForm(s: SymmetryResult): ChargeForm {
  return {
    dt: s.instance.generator.dt,
    dx: s.instance.generator.dx,
    K: (s.verdict.status === 'quasi' && s.verdict.gauge?.K) || ZERO,
    sign: s.instance.charge.sign,
  };
}

export function solveAndCheck(lagr: LagrangianResult, derivation: Derivation, request: PathCheckRequest): PathCheck {
  const m = request.nodes ?? 1000;
  const tol = request.driftTolerance ?? 1e-6;
  const kernels = compileModel(lagr);
  const conserved = derivation.symmetries.filter((s) => s.charge && s.verdict.status !== 'broken');
  // A K without a closed form is 0 in the kernels and added after, from its line integral.
  const withoutK = (e: Expr, c: Charge): Expr => (c.gauge ? substitute(e, new Map([[c.gauge.symbol, ZERO]])) : e);
  // One kernel for every conserved charge, the energy appended (reported for fixed-T paths), then
  // the parts of each charge (pᵢξᵢ, τpᵢẋᵢ, τL, K), whose size scales its drift.
  // On a network, from its structured L and p rather than the charges' expanded formulas.
  const chargeKernel =
    structuredChargeKernel(conserved.map(chargeForm), lagr) ??
    compileCharges(
      [
        ...conserved.map((s) => withoutK((s.charge as Charge).expr, s.charge as Charge)),
        lagr.energy,
        ...conserved.flatMap((s) => (s.charge as Charge).parts.map((p) => withoutK(p, s.charge as Charge))),
      ],
      lagr,
    );
  const gauges = conserved.map((s) => (s.charge?.gauge ? gaugeIntegral(s.charge as Charge, lagr) : undefined));
  const count = conserved.length;
  // Where each charge's parts start among the kernel's outputs.
  const partOffsets: Array<{ start: number; length: number }> = [];
  let next = count + 1;
  for (const s of conserved) {
    const length = s.charge?.parts.length ?? 0;
    partOffsets.push({ start: next, length });
    next += length;
  }
  const fixedEnergy = request.E !== undefined;
  if (fixedEnergy === (request.T !== undefined)) throw new RangeError('give exactly one of T (fixed duration) and E (fixed energy)');

  const geometric = fixedEnergy ? compileLagrangianKernels(geometricLagrangian(lagr, num(Rational.fromNumber(request.E as number))), lagr) : undefined;
  /** The discrete path at M intervals; `atNodes` false when its charges are evaluated at interval midpoints. */
  const discreteAt = (nodes: number, coarse?: Solved): Solved => {
    if (geometric) {
      const r = solveFixedEnergy(kernels, geometric, request.from, request.to, request.E as number, { nodes, t0: request.t0 ?? 0 });
      return { path: r, main: { ...r, method: 'newton (geometric action)' }, traces: once(() => chargesAtMidpoints(chargeKernel, r)), atNodes: false };
    }
    const r = solveFixedTime(kernels, request.from, request.to, request.T as number, {
      nodes,
      t0: request.t0 ?? 0,
      ...(request.method === 'lbfgs' ? { method: 'lbfgs' as const, maxIterations: 20000 } : {}),
      // A refinement starts from the coarser solution (the polyline through its nodes), a few Newton steps from its own.
      ...(coarse ? { waypoints: coarse.path.x.slice(1, -1) } : {}),
    });
    return { path: r, main: { ...r, E: NaN }, traces: once(() => chargesOnFixedTimePath(kernels, chargeKernel, r)), atNodes: true };
  };

  const withGauges = (r: Solved): Solved => {
    const points = r.atNodes ? r.path.x.map((x, k) => ({ x, t: r.path.t[k] })) : r.path.x.slice(1).map((b, j) => ({ x: b.map((bi, i) => 0.5 * (bi + r.path.x[j][i])), t: 0.5 * (r.path.t[j] + r.path.t[j + 1]) }));
    gauges.forEach((g, c) => {
      if (!g) return;
      const K = points.map((p) => g.value(p.x, p.t, points[0]));
      const traces = r.traces();
      traces[c].values.forEach((_, k) => (traces[c].values[k] += g.sign * K[k]));
      // The K part of the charge's parts (held as 0 in the kernel) is K itself.
      const part = partOffsets[c].start + g.part;
      traces[part].values.forEach((_, k) => (traces[part].values[k] = K[k]));
    });
    return r;
  };
  // A long fixed-T path starts from the solution on a grid COARSENING times coarser: from
  // there Newton needs a few steps at full size, where it would need ten or more from a
  // straight line. The iterations reported are both solves'.
  const fromCoarse = (): Solved => {
    const coarse = discreteAt(Math.ceil(m / COARSENING));
    if (!coarse.main.converged) return discreteAt(m);
    const fine = discreteAt(m, coarse);
    const method = coarse.main.method === fine.main.method ? fine.main.method : `${coarse.main.method}, then ${fine.main.method}`;
    return { ...fine, main: { ...fine.main, iterations: coarse.main.iterations + fine.main.iterations, method } };
  };
  const discrete = fixedEnergy || request.method === 'lbfgs' || m < COARSE_START_MIN ? discreteAt(m) : fromCoarse();
  // At E = 0 a path into (or out of) a fixed point takes infinite time: T is then the time spent
  // outside balls of radius `within` around those ends, and there is nothing to shoot.
  const fixedEnds = fixedEnergy && request.E === 0 ? fixedPointEnds(kernels, request) : [];
  const within = 0.01 * Math.hypot(...request.to.map((v, i) => v - request.from[i]));
  const infinite = fixedEnds.length > 0 && discrete.main.converged;
  const polished = request.polish === false || !discrete.main.converged || infinite ? undefined : polishByShooting(kernels, lagr, discrete, chargeKernel, request);
  const base = withGauges(polished?.result ?? discrete);
  const polishNote =
    request.polish === false
      ? 'off'
      : !discrete.main.converged
        ? 'not tried, as the discrete path did not converge'
        : infinite
          ? 'nothing to shoot, as at E = 0 the path takes infinite time to reach (or leave) the fixed point'
          : (polished?.note ?? '');
  // Refinement measures the discretisation's convergence; a polished path has no discretisation left.
  const refinementNote = request.refine === false ? 'off' : polished?.result ? 'not needed: the path was polished by shooting' : refinementTooLarge(m, kernels.n);
  const twice = refinementNote === '' ? discreteAt(2 * m, discrete) : undefined;
  const refinements = twice ? [withGauges(twice), withGauges(discreteAt(4 * m, twice))] : [];
  const finite = (c: number): boolean =>
    [c, ...Array.from({ length: partOffsets[c].length }, (_, j) => partOffsets[c].start + j)].every((k) => base.traces()[k].values.every(Number.isFinite));
  const unchecked = conserved
    .map((s, c) => ({ s, c }))
    .filter(({ c }) => !finite(c))
    .map(({ s }) => ({
      name: s.charge?.name ?? '',
      symbol: s.charge?.symbol ?? '',
      reason: 'its terms exceed double precision along this path (e.g. a factor e^{kt} at large t)',
    }));
  // A charge that vanishes identically on this path (L_xy on a radial path) has only rounding
  // noise to divide its spread by: it is conserved trivially, whatever that noise.
  let reference = Math.abs(base.main.action);
  conserved.forEach((_, c) => {
    if (finite(c)) for (const v of base.traces()[c].values) reference = Math.max(reference, Math.abs(v));
  });
  const quantities = conserved.flatMap((s, c): ChargeTrend[] => {
    if (!finite(c)) return [];
    const zeroOnPath = base.traces()[c].values.every((v) => Math.abs(v) <= ZERO_ON_PATH * reference);
    const drifts = [base, ...refinements].map((r) => scaledDrift(r.traces(), c, partOffsets[c]));
    const relative = drifts[0];
    return [{
      name: s.charge?.name ?? '',
      symbol: s.charge?.symbol ?? '',
      rule: s.instance.rule,
      status: s.verdict.status as 'exact' | 'quasi',
      values: base.traces()[c].values,
      relativeDrift: relative,
      drifts,
      order: observedOrder(drifts),
      zeroOnPath,
      // The whole pass rule: the tolerance the request states (a charge identically 0 holds trivially).
      passed: relative <= tol || zeroOnPath,
    }];
  });
  const energies = base.traces()[count].values;
  const E = fixedEnergy ? (request.E as number) : energies.reduce((a, b) => a + b, 0) / energies.length;
  return {
    unchecked,
    polished: polished?.result !== undefined,
    polishNote,
    refinementNote,
    t: [...base.path.t],
    x: base.path.x.map((p) => [...p]),
    action: base.main.action,
    T: infinite ? timeOutside(base.path, fixedEnds, within) : base.main.T,
    infiniteDuration: infinite ? { within, ends: fixedEnds } : null,
    E,
    converged: base.main.converged,
    iterations: base.main.iterations,
    method: base.main.method,
    gradientNorm: base.main.gradientNorm,
    ...(base.main.stationary ? { stationary: base.main.stationary, morseIndex: base.main.morseIndex } : {}),
    quantities,
    // A saddle of the action is not a most likely path, however well it conserves the charges.
    passed: base.main.converged && base.main.stationary !== 'saddle' && quantities.every((q) => q.passed),
  };
}

/**
 * K(x, t) of a charge whose gauge term has no closed form, from ∇K = b, ∂ₜK = c0:
 * the line integral from a base point (the path's first point; K is defined up to
 * a constant, which a drift does not see) by 20-point Gauss–Legendre quadrature.
 * `sign`: how K enters the charge (its coefficient); `part`: its index among the parts.
 */
function gaugeIntegral(charge: Charge, lagr: LagrangianResult): { sign: number; part: number; value(x: readonly number[], t: number, from: { x: readonly number[]; t: number }): number } {
  const g = charge.gauge as NonNullable<Charge['gauge']>;
  const n = lagr.model.state.length;
  const kernel = compileKernel([...g.b, g.c0].map((e) => withParameters(e, lagr)), [...lagr.model.state, 't']);
  const coefficient = tidy(diff(charge.expr, g.symbol));
  const sign = coefficient.kind === 'num' ? coefficient.value.toNumber() : NaN;
  const part = charge.parts.findIndex((p) => p.kind === 'sym' && p.name === g.symbol);
  const input = new Float64Array(n + 1);
  const out = new Float64Array(n + 1);
  return {
    sign,
    part,
    value(x, t, from) {
      let sum = 0;
      for (let q = 0; q < GAUSS_NODES.length; q++) {
        const s = GAUSS_NODES[q];
        for (let i = 0; i < n; i++) input[i] = from.x[i] + s * (x[i] - from.x[i]);
        input[n] = from.t + s * (t - from.t);
        kernel.run(input, out);
        let f = out[n] * (t - from.t);
        for (let i = 0; i < n; i++) f += out[i] * (x[i] - from.x[i]);
        sum += GAUSS_WEIGHTS[q] * f;
      }
      return sum;
    },
  };
}

/** Gauss–Legendre nodes and weights on [0, 1] (20 points: exact for polynomials of degree 39). */
const [GAUSS_NODES, GAUSS_WEIGHTS] = gaussLegendre(20);

function gaussLegendre(count: number): [number[], number[]] {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= count; i++) {
    // Newton on the Legendre polynomial P_count from Chebyshev-like starts.
    let z = Math.cos((Math.PI * (i - 0.25)) / (count + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= count; k++) [p0, p1] = [p1, ((2 * k - 1) * z * p1 - (k - 1) * p0) / k];
      dp = (count * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    nodes.push(0.5 * (1 - z));
    weights.push(1 / ((1 - z * z) * dp * dp));
  }
  return [nodes, weights];
}

/**
 * (max − min) of charge c over the largest of |J| and the sum of its parts' sizes
 * along the path: relative to the terms that make J up, so a charge that is 0 on
 * a path is not divided by rounding noise.
 */
function scaledDrift(traces: readonly ChargeTrace[], c: number, parts: { start: number; length: number }): number {
  const values = traces[c].values;
  const partValues = traces.slice(parts.start, parts.start + parts.length).map((t) => t.values);
  let scale = 0;
  values.forEach((v, k) => {
    let sum = 0;
    for (const part of partValues) sum += Math.abs(part[k]);
    scale = Math.max(scale, Math.abs(v), sum);
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return scale === 0 ? 0 : (hi - lo) / scale;
}

interface MainResult {
  readonly stationary?: 'minimum' | 'saddle' | 'degenerate';
  readonly morseIndex?: number;
  readonly action: number;
  readonly T: number;
  readonly E: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly method: string;
  readonly gradientNorm: number;
}

/** The ends of the request that are fixed points of the drift (|f| at rounding level there). */
function fixedPointEnds(kernels: ModelKernels, request: PathCheckRequest): Array<'from' | 'to'> {
  const f = new Float64Array(kernels.n);
  return (['from', 'to'] as const).filter((end) => {
    const x = request[end];
    kernels.drift.run(Float64Array.from([...x, request.t0 ?? 0]), f);
    let size = 0;
    for (const v of f) size = Math.max(size, Math.abs(v));
    return size <= 1e-12 * Math.max(1, ...x.map(Math.abs));
  });
}

/** Time the path spends outside the balls of radius r around its fixed-point ends (crossings interpolated linearly). */
function timeOutside(path: SampledPath, ends: ReadonlyArray<'from' | 'to'>, r: number): number {
  const { t, x } = path;
  const last = x.length - 1;
  const distance = (k: number, centre: readonly number[]): number => Math.hypot(...x[k].map((v, i) => v - centre[i]));
  const crossing = (centre: readonly number[], forward: boolean): number => {
    for (let j = 1; j <= last; j++) {
      const [a, b] = forward ? [j - 1, j] : [last - j + 1, last - j];
      const [da, db] = [distance(a, centre), distance(b, centre)];
      if ((da - r) * (db - r) <= 0 && da !== db) return t[a] + ((r - da) / (db - da)) * (t[b] - t[a]);
    }
    return forward ? t[last] : t[0];
  };
  const start = ends.includes('from') ? crossing(x[0], true) : t[0];
  const end = ends.includes('to') ? crossing(x[last], false) : t[last];
  return end - start;
}

/** The refinement is skipped past this many Hessian entries on its finest grid (4M·N², 16 bytes each with the factors: 1 GB). */
const MAX_REFINED_HESSIAN_ENTRIES = 2 ** 26;

/**
 * Why the charges of a discrete path of M intervals and N state variables are not also
 * checked at 2M and 4M intervals ('' when they can be): the 4M grid's Hessian, 4M blocks
 * of N×N, takes gigabytes and minutes past MAX_REFINED_HESSIAN_ENTRIES (N = 256 at M = 1000).
 */
export function refinementTooLarge(m: number, n: number): string {
  const entries = 4 * m * n * n;
  if (entries <= MAX_REFINED_HESSIAN_ENTRIES) return '';
  return `not done: at ${2 * m} and ${4 * m} intervals of ${n} state variables the action's Hessian would take ${((entries * 16) / 2 ** 30).toFixed(1)} GB`;
}
/** Fixed-T paths of at least this many intervals start from a solution on a grid COARSENING times coarser. */
const COARSE_START_MIN = 800;
const COARSENING = 8;

/** Charges below this fraction of the path's largest value (|S|, any charge) are identically 0 on it. */
const ZERO_ON_PATH = 1e-11;

/** Newton iterations single shooting gets before multiple shooting takes over. */
const SINGLE_SHOOTING_ITERATIONS = 10;

/**
 * Multiple shooting aims at about MULTIPLE_SHOOTING_UNKNOWNS unknowns, 2N per segment
 * (100 segments on a 2D path; its band solve costs O(K·N³)), and takes never fewer
 * than MIN_SEGMENTS segments: each segment's transition matrix (8N³ flops per right-hand side of
 * the variational equations) restarts the integrator, so a network gets few, but two
 * leave each transition matrix too large for Newton to contract (256 units, W's
 * spectral radius 4.8, T = 5: two segments fail after 7 minutes; four converge in 6
 * iterations, 42 s).
 */
const MULTIPLE_SHOOTING_UNKNOWNS = 400;
const MIN_SEGMENTS = 4;

/**
 * Fixed-T shooting from the discrete path: single shooting first; where that
 * fails (the flow is too unstable over T, e.g. into a hyperbolic fixed point),
 * multiple shooting with cuts at K evenly spaced nodes of the discrete path.
 */
function shootFixedTime(
  kernels: ModelKernels,
  discrete: Solved,
  request: PathCheckRequest,
  p0: number[],
  options: { t0: number; hessian: ReturnType<typeof compileHamiltonianHessian> },
): ShootResult & { T: number } {
  const T = request.T as number;
  // From the discrete path's momentum Newton converges in a few steps when single
  // shooting can work at all; past that, multiple shooting is the better bet.
  const single = shoot(kernels, [...request.from], [...request.to], T, { ...options, p0, maxIterations: SINGLE_SHOOTING_ITERATIONS, failedPath: false, rescue: false });
  if (single.converged) return { ...single, T };
  const { t, x } = discrete.path;
  const m = t.length - 1;
  const n = kernels.n;
  const K = Math.min(m, Math.max(MIN_SEGMENTS, Math.floor((MULTIPLE_SHOOTING_UNKNOWNS / n + 1) / 2)));
  const cuts = Array.from({ length: K + 1 }, (_, k) => Math.round((k * m) / K));
  // The discrete Legendre momentum at a cut node: the mean of its two intervals' momenta.
  const intervalMomentum = (j: number): Float64Array => {
    const h = t[j + 1] - t[j];
    return momentumAt(kernels, x[j].map((a, i) => 0.5 * (a + x[j + 1][i])), x[j].map((a, i) => (x[j + 1][i] - a) / h), 0.5 * (t[j] + t[j + 1]));
  };
  const p = cuts.slice(0, K).map((j) => {
    if (j === 0) return p0;
    const [before, after] = [intervalMomentum(j - 1), intervalMomentum(j)];
    return Array.from(before, (v, i) => 0.5 * (v + after[i]));
  });
  const multiple = shootMultiple(kernels, [...request.from], [...request.to], { t: cuts.map((j) => t[j]), x: cuts.map((j) => x[j]), p }, { hessian: options.hessian });
  return { ...multiple, T };
}

/**
 * A path with its charge traces, evaluated on first use (a discrete path that
 * shooting then polishes never needs them); `atNodes` false when the traces are
 * at interval midpoints.
 */
interface Solved {
  readonly path: SampledPath;
  readonly main: MainResult;
  readonly traces: () => ChargeTrace[];
  readonly atNodes: boolean;
}

function once<T>(compute: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= compute());
}

/** Shot and discrete actions further apart than this (relative) mean the shot found another stationary path. */
const POLISH_ACTION_AGREEMENT = 1e-2;

/**
 * Shooting from the discretised path: its initial momentum (from the first
 * interval), and for fixed E its transit time, start Newton on Hamilton's
 * equations, which then hit the end point to integrator accuracy. The action is
 * ∫ L dt along the shot path and the charges use its exact momenta. The result is
 * kept only when the shot converged to the same path (the actions agree); `note`
 * says why not otherwise.
 */
function polishByShooting(
  kernels: ModelKernels,
  lagr: LagrangianResult,
  discrete: Solved,
  chargeKernel: ReturnType<typeof compileCharges>,
  request: PathCheckRequest,
): { result?: Solved; note: string } {
  const { t, x } = discrete.path;
  const h = t[1] - t[0];
  const mid = x[0].map((a, i) => 0.5 * (a + x[1][i]));
  const v = x[0].map((a, i) => (x[1][i] - a) / h);
  const p0 = Array.from(momentumAt(kernels, mid, v, t[0] + h / 2));
  const options = { t0: request.t0 ?? 0, hessian: compileHamiltonianHessian(lagr) };
  const r =
    request.E !== undefined
      ? shootAtEnergy(kernels, [...request.from], [...request.to], request.E, { p0, T: discrete.main.T }, options)
      : shootFixedTime(kernels, discrete, request, p0, options);
  if (!r.converged) return { note: 'shooting did not reach the end point; the path is the discrete one' };
  if (!(Math.abs(r.action - discrete.main.action) <= POLISH_ACTION_AGREEMENT * Math.abs(discrete.main.action) + 1e-12)) {
    return { note: `shooting reached another stationary path (S = ${r.action.toPrecision(6)}); the path is the discrete one` };
  }
  const points = r.x.map((xk, k) => ({ x: xk, t: r.t[k], xdot: velocityFromMomentum(kernels, xk, r.p[k], r.t[k]) }));
  return {
    note: '',
    result: {
      path: { t: r.t, x: r.x },
      main: {
        ...discrete.main,
        action: r.action,
        T: r.T,
        converged: true,
        iterations: discrete.main.iterations + r.iterations,
        method: `${discrete.main.method} + shooting`,
        gradientNorm: r.residual,
      },
      traces: once(() => chargesAtPoints(chargeKernel, points)),
      atNodes: true,
    },
  };
}
