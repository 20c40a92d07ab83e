// The library's front door: a model spec in, reports out. `createAnalyzer`
// builds the model once and answers any number of requests about it (the
// derivation is computed on first use and kept); `analyze` does it all in one
// call. Requests are checked here, so every front-end gives the same message.

import { type PathCheck, solveAndCheck } from '../check/path-report.ts';
import { type ModelKernels, compileModel } from '../compile/model-kernels.ts';
import { type LagrangianResult, buildLagrangian, equationsOfMotion, isTimeDependent } from '../lagrangian/lagrangian.ts';
import { chargeSymbolLatex } from '../latex/charges.ts';
import { NoetherError } from '../errors.ts';
import { buildModel } from '../model/build.ts';
import { formatInterval, inside, samplingInterval } from '../model/domain.ts';
import type { Model, ModelSpec } from '../model/types.ts';
import { type Derivation, checkInstance, derive } from '../noether/derive.ts';
import { compareWithMostLikely } from '../simulate/most-likely.ts';
import { cholesky } from '../simulate/noise.ts';
import { DEFAULT_QUANTILES, DEFAULT_SAMPLES, DEFAULT_SEED, type HistogramRequest, type PathBatch, type SimulationOptions, simulate } from '../simulate/simulate.ts';
import { solveDense } from '../solve/dense.ts';
import { findFixedPoints } from '../solve/fixed-points.ts';
import { type GeneratorSpec, type RuleSet, builtinRules, claimedGenerator } from '../symmetry/rules.ts';
import {
  derivationReport,
  ensembleReport,
  fixedPointReport,
  lagrangianReport,
  modelRef,
  modelSummary,
  pathReport,
  symmetryReport,
  withoutNegativeZeros,
} from './project.ts';
import {
  type AnalysisReport,
  type ActionKind,
  type CheckReport,
  type DerivationReport,
  type DriftFieldReport,
  type EnsembleReport,
  type FixedPointReport,
  type LagrangianReport,
  type ModelSummary,
  type PathReport,
  type PathRequestReport,
  SCHEMA_VERSION,
} from './reports.ts';
import {
  type DriftFieldRequest,
  type EnsembleRequest,
  type FixedPointRequest,
  type PathRequest,
  finiteNumber,
  integerIn,
  interval,
  positiveNumber,
  requestError,
  stateKeys,
  statePoint,
} from './requests.ts';

export interface AnalyzerOptions {
  /** eq8 (default): the paper's L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f); om: adds ½∇·f. */
  readonly action?: ActionKind;
  /** The generator families to test (default: the built-in rules; see builtinRules, parseRules, mergeRules). */
  readonly rules?: RuleSet;
  /** Solve for the whole symmetry algebra, not only test the rules (default true). */
  readonly discover?: boolean;
  /** The file the spec came from, named in error messages. */
  readonly file?: string;
}

/** Called while an ensemble runs. */
export interface SimulationHooks {
  readonly onProgress?: (done: number, total: number) => void;
  /** Every stride-th state of each accepted path, in path order (the batch is valid during the call only). */
  readonly onPaths?: (batch: PathBatch) => void;
  /** Default 1 when onPaths is given. */
  readonly stride?: number;
}

/** One model, built and checked, answering requests with reports. */
export interface Analyzer {
  /** The model as noether understood it. */
  readonly model: ModelSummary;
  /** L, p, E, H, and (when asked, as they cost most) the equations of motion. */
  lagrangian(options?: { readonly equationsOfMotion?: boolean }): LagrangianReport;
  /** The symmetry algebra solved for, and every generator of the rules tested, with verdicts, evidence and charges. */
  derivation(): DerivationReport;
  /** Is this generator a (quasi-)symmetry? Missing entries of dt and dx are 0. */
  check(generator: GeneratorSpec): CheckReport;
  /** A most likely path, with every conserved charge checked along it. */
  path(request: PathRequest): PathReport;
  /** The request as path() reads it, checked (throwing what path() would for it) and with every default filled in; solves nothing. */
  pathRequest(request: PathRequest): PathRequestReport;
  /** Fixed points of the drift in a box, with their stability. */
  fixedPoints(request?: FixedPointRequest): FixedPointReport;
  /** The drift on a grid, for plots. */
  driftField(request: DriftFieldRequest): DriftFieldReport;
  /** An ensemble of sample paths of the SDE. */
  simulate(request: EnsembleRequest, hooks?: SimulationHooks): Promise<EnsembleReport>;
}

/**
 * Builds and checks a model, ready for requests. Throws a NoetherError (kind
 * 'input') naming the field, expression and column of any mistake in the spec.
 *
 * @example
 * const ou = createAnalyzer({ name: 'ou', state: ['x', 'y'], params: { k: 1, D: 0.5 },
 *   drift: ['-k*x', '-k*y'], diffusion: 'D' });
 * const d = ou.derivation();
 * d.algebra?.dimension; // 8: time, rotation, and six time-dependent ones (ξ = e^{±kt}eᵢ, …)
 * d.symmetries.filter((s) => s.rule !== 'discovered' && s.quantity).map((s) => s.quantity?.symbol); // ['E', 'L_xy']
 * const p = ou.path({ from: [1, 0], to: [0, 1], T: 2 });
 * p.quantities.every((q) => q.passed); // true
 */
export function createAnalyzer(spec: ModelSpec, options: AnalyzerOptions = {}): Analyzer {
  const model = buildModel(spec, options.file !== undefined ? { file: options.file } : {});
  const action = options.action ?? 'eq8';
  if (action !== 'eq8' && action !== 'om') throw requestError('action', `expected eq8 or om; got ${String(action)}`);
  const lagr = buildLagrangian(model, action);
  const rules = options.rules ?? builtinRules();
  let derivation: Derivation | undefined;
  let kernels: ModelKernels | undefined;
  const derived = (): Derivation => (derivation ??= derive(lagr, rules, { discover: options.discover !== false }));
  const compiled = (): ModelKernels => (kernels ??= compileModel(lagr));
  const summary = modelSummary(model);
  return {
    model: summary,
    lagrangian: (o = {}) => lagrangianReport(lagr, o.equationsOfMotion ? equationsOfMotion(lagr) : undefined),
    derivation: () => withoutNegativeZeros(derivationReport(derived())),
    check: (generator) => withoutNegativeZeros({
      schemaVersion: SCHEMA_VERSION,
      kind: 'check',
      model: modelRef(model),
      action,
      symmetry: symmetryReport(checkInstance(lagr, claimedGenerator(generator, model)), lagr),
    } satisfies CheckReport),
    path: (request) => withoutNegativeZeros(solvePath(model, lagr, derived(), compiled(), request)),
    pathRequest: (request) => pathRequest(model, lagr, request),
    fixedPoints: (request = {}) => withoutNegativeZeros(fixedPoints(model, compiled(), request)),
    driftField: (request) => withoutNegativeZeros(driftField(model, compiled(), request)),
    simulate: async (request, hooks = {}) => withoutNegativeZeros(await runEnsemble(model, lagr, request, hooks)),
  };
}

export interface AnalyzeOptions extends AnalyzerOptions {
  /** Include the equations of motion in the Lagrangian report (default false). */
  readonly equationsOfMotion?: boolean;
  readonly path?: PathRequest;
  /** Fixed points (true: the default box). */
  readonly fixedPoints?: FixedPointRequest | boolean;
  readonly ensemble?: EnsembleRequest;
}

/**
 * The whole pipeline in one call: model → Lagrangian → symmetries and charges
 * → (optionally) a most likely path with its charge checks, fixed points, an
 * ensemble of sample paths.
 *
 * @example
 * const report = await analyze(
 *   { name: 'ddm', state: ['x'], params: { v: 0.5, D: 0.1 }, drift: 'v', diffusion: 'D' },
 *   { path: { from: [0], to: [1], T: 2 } },
 * );
 * report.derivation.symmetries.find((s) => s.rule === 'translation')?.quantity?.expr; // '(x_dot - v)/(2*D)'
 * report.path?.passed; // true
 */
export async function analyze(spec: ModelSpec, options: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const a = createAnalyzer(spec, options);
  const fp = options.fixedPoints;
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'analysis',
    lagrangian: a.lagrangian({ equationsOfMotion: options.equationsOfMotion === true }),
    derivation: a.derivation(),
    path: options.path ? a.path(options.path) : null,
    fixedPoints: fp ? a.fixedPoints(fp === true ? {} : fp) : null,
    ensemble: options.ensemble ? await a.simulate(options.ensemble) : null,
  };
}

// ------------------------------------------------------------------ paths

const DEFAULT_NODES = 1000;
const DEFAULT_DRIFT_TOLERANCE = 1e-6;

function pathRequest(model: Model, lagr: LagrangianResult, r: PathRequest): PathRequestReport {
  if (typeof r !== 'object' || r === null) throw requestError('', 'expected a path request such as {from, to, T}');
  const from = statePoint(r.from, model, 'from');
  const to = statePoint(r.to, model, 'to');
  if ((r.T === undefined) === (r.E === undefined)) throw requestError('T', 'give exactly one of T (fixed duration) and E (fixed energy)');
  const T = r.T === undefined ? null : positiveNumber(r.T, 'T');
  const E = r.E === undefined ? null : finiteNumber(r.E, 'E');
  const t0 = r.t0 === undefined ? (model.timeGiven ? model.time[0] : 0) : finiteNumber(r.t0, 't0');
  const nodes = r.nodes === undefined ? DEFAULT_NODES : integerIn(r.nodes, 'nodes', 2, 1_000_000);
  const method = r.method ?? 'newton';
  if (method !== 'newton' && method !== 'lbfgs') throw requestError('method', `expected newton or lbfgs; got ${String(method)}`);
  const driftTolerance = r.driftTolerance === undefined ? DEFAULT_DRIFT_TOLERANCE : positiveNumber(r.driftTolerance, 'driftTolerance');
  if (E !== null && method !== 'newton') throw requestError('method', 'the method applies to fixed-duration paths (T) only');
  if (E !== null && isTimeDependent(lagr)) {
    throw requestError('E', 'fixed-energy paths need a time-independent model (the energy is not conserved otherwise); give a duration T instead');
  }
  if (model.timeGiven) {
    const [a, b] = model.time;
    const end = t0 + (T ?? 0);
    const slack = 1e-12 * (Math.abs(a) + Math.abs(b) + 1);
    if (t0 < a - slack || end > b + slack) {
      // Blame t0 when the path starts outside the interval, T when only its end runs past it.
      const field = T !== null && t0 >= a - slack && t0 <= b + slack ? 'T' : 't0';
      throw requestError(field, `the path [${round(t0)}, ${round(end)}] leaves the model's time interval [${a}, ${b}]`);
    }
  }
  return { from, to, T, E, t0, nodes, method, polish: r.polish !== false, driftTolerance, refine: r.refine !== false };
}

function solvePath(model: Model, lagr: LagrangianResult, derivation: Derivation, kernels: ModelKernels, r: PathRequest): PathReport {
  const request = pathRequest(model, lagr, r);
  const end = request.t0 + (request.T ?? 0);
  const n = model.state.length;
  requireInDomain(model, request.from, 'from');
  requireInDomain(model, request.to, 'to');
  for (const [which, x, t] of [['from', request.from, request.t0], ['to', request.to, end]] as const) {
    const where = `(${x.map(round).join(', ')}), t = ${round(t)}`;
    const f = new Float64Array(n);
    kernels.drift.run(Float64Array.from([...x, t]), f);
    if (!f.every(Number.isFinite)) {
      throw requestError(which, `the drift is not finite at ${where}; move the ${which === 'from' ? 'start' : 'end'} point off the singularity`);
    }
    const D = new Float64Array(n * n);
    kernels.diffusion.run(Float64Array.from([...x, t]), D);
    if (!positiveDefinite(D, n)) {
      throw requestError(which === 'from' ? 't0' : which, `D is not finite and positive definite at ${where}, where the path would ${which === 'from' ? 'start' : 'end'}`);
    }
  }
  const check = solveWithin('E', () => solveAndCheck(lagr, derivation, {
    from: request.from,
    to: request.to,
    ...(request.T !== null ? { T: request.T } : { E: request.E as number }),
    t0: request.t0,
    nodes: request.nodes,
    method: request.method,
    polish: request.polish,
    driftTolerance: request.driftTolerance,
    refine: request.refine,
  }));
  requireFinite(check, model);
  const outside = check.x.findIndex((x) => outsideDomain(model, x) >= 0);
  if (outside >= 0) {
    const i = outsideDomain(model, check.x[outside]);
    throw new NoetherError(
      'domain',
      `the most likely path leaves the model's domain: ${model.state[i]} = ${round(check.x[outside][i])} at t = ${round(check.t[outside])}, ` +
        `outside ${model.state[i]} ∈ ${formatInterval(model.domain[i])}`,
      model.file !== undefined ? { file: model.file } : {},
    );
  }
  const latex = new Map(derivation.symmetries.filter((s) => s.charge).map((s) => [`${s.instance.rule}/${s.charge?.symbol}`, chargeSymbolLatex(s)]));
  return pathReport(model, request, check, (rule, symbol) => latex.get(`${rule}/${symbol}`) ?? symbol);
}

/** A path whose action or energy overflows double precision is an error, never a result printing Infinity or NaN. */
function requireFinite(check: PathCheck, model: Model): void {
  const bad = [
    ...(Number.isFinite(check.action) ? [] : [`S = ${check.action}`]),
    ...(Number.isFinite(check.E) ? [] : [`E = ${check.E}`]),
    ...(check.x.every((x) => x.every(Number.isFinite)) ? [] : ['the path itself']),
  ];
  if (bad.length === 0) return;
  throw new NoetherError(
    'limit',
    `the values along the path do not fit double precision (${bad.join('; ')}): the drift or D overflows between the end points; ` +
      'rescale the model (smaller parameters, other units) or choose closer end points',
    model.file !== undefined ? { file: model.file } : {},
  );
}

/** The first state variable of x outside the model's domain, or −1. */
function outsideDomain(model: Model, x: readonly number[]): number {
  return model.domain.findIndex((d, k) => !inside(d, x[k]));
}

/** A state outside the model's domain is an input error naming the request field and the variable. */
function requireInDomain(model: Model, x: readonly number[], field: string): void {
  const i = outsideDomain(model, x);
  if (i < 0) return;
  throw new NoetherError('domain', `${model.state[i]} = ${x[i]} is outside the model's domain ${model.state[i]} ∈ ${formatInterval(model.domain[i])}`, {
    ...(model.file !== undefined ? { file: model.file } : {}),
    path: field,
  });
}

/** Runs a solver; a request error it raises without a field is about `field`. */
function solveWithin<T>(field: string, solve: () => T): T {
  try {
    return solve();
  } catch (err) {
    if (err instanceof NoetherError && err.code === 'request' && err.where.path === undefined) throw err.at({ path: field });
    throw err;
  }
}

/** The row-major n×n matrix is finite and positive definite (its Cholesky factor exists). */
function positiveDefinite(a: Float64Array, n: number): boolean {
  return a.every(Number.isFinite) && cholesky(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)))) !== undefined;
}

// ------------------------------------------------------------------ fixed points

/** Half-width of the default search box for fixed points. */
export const DEFAULT_BOX_HALF_WIDTH = 3;

function fixedPoints(model: Model, kernels: ModelKernels, r: FixedPointRequest): FixedPointReport {
  const box = r.box === undefined ? {} : stateKeys(r.box, model, 'box');
  // The default box is moved inside the domain; roots outside the domain are not fixed points of the model.
  const bounds = model.state.map((s, i) => (box[s] === undefined ? samplingInterval(model.domain[i], DEFAULT_BOX_HALF_WIDTH) : interval(box[s], `box.${s}`)));
  const t = r.t === undefined ? 0 : finiteNumber(r.t, 't');
  const maxStarts = r.maxStarts === undefined ? undefined : integerIn(r.maxStarts, 'maxStarts', 1, 1_000_000);
  const lohi = { lo: bounds.map((b) => b[0]), hi: bounds.map((b) => b[1]) };
  const points = findFixedPoints(kernels, lohi, { t, ...(maxStarts !== undefined ? { maxStarts } : {}) }).filter((p) => outsideDomain(model, p.x) < 0);
  return fixedPointReport(model, lohi, t, points);
}

// ------------------------------------------------------------------ drift field

function driftField(model: Model, kernels: ModelKernels, r: DriftFieldRequest): DriftFieldReport {
  const n = model.state.length;
  const axisIndex = (name: unknown, path: string): number => {
    if (name === 't' && n === 1) return -1;
    const i = model.state.indexOf(name as string);
    if (i < 0) throw requestError(path, `expected a state variable${n === 1 ? ' or t' : ''} (state: ${model.state.join(', ')}); got ${String(name)}`);
    return i;
  };
  if (!Array.isArray(r.axes) || r.axes.length !== 2) throw requestError('axes', 'expected two axis names');
  const [ax, ay] = [axisIndex(r.axes[0], 'axes[0]'), axisIndex(r.axes[1], 'axes[1]')];
  if (ax === ay) throw requestError('axes', 'expected two different axes');
  const xr = interval([r.lo?.[0], r.hi?.[0]], 'lo/hi[0]');
  const yr = interval([r.lo?.[1], r.hi?.[1]], 'lo/hi[1]');
  const nx = integerIn(r.nx, 'nx', 1, 1000);
  const ny = integerIn(r.ny, 'ny', 1, 1000);
  const t = r.t === undefined ? 0 : finiteNumber(r.t, 't');
  const slice = r.slice === undefined ? {} : stateKeys(r.slice, model, 'slice');
  const base = model.state.map((s) => (slice[s] === undefined ? 0 : finiteNumber(slice[s], `slice.${s}`)));
  const xs = Array.from({ length: nx }, (_, i) => xr[0] + ((i + 0.5) / nx) * (xr[1] - xr[0]));
  const ys = Array.from({ length: ny }, (_, j) => yr[0] + ((j + 0.5) / ny) * (yr[1] - yr[0]));
  const input = new Float64Array(n + 1);
  const f = new Float64Array(n);
  const D = new Float64Array(n * n);
  const energies: number[] = [];
  const u: number[][] = [];
  const v: number[][] = [];
  const magnitude: number[][] = [];
  for (const y of ys) {
    const ur: number[] = [];
    const vr: number[] = [];
    const mr: number[] = [];
    for (const x of xs) {
      input.set(base);
      input[n] = t;
      if (ax < 0) input[n] = x;
      else input[ax] = x;
      input[ay] = y;
      kernels.drift.run(input, f);
      ur.push(ax < 0 ? 1 : f[ax]);
      vr.push(f[ay]);
      let m2 = 0;
      for (let c = 0; c < n; c++) m2 += f[c] * f[c];
      mr.push(Math.sqrt(m2));
      kernels.diffusion.run(input, D);
      const w = solveDense(D, f, n);
      if (!w) continue;
      let e = 0;
      for (let c = 0; c < n; c++) e += f[c] * w[c];
      if (Number.isFinite(e)) energies.push(e / 4);
    }
    u.push(ur);
    v.push(vr);
    magnitude.push(mr);
  }
  energies.sort((a, b) => a - b);
  // Non-finite samples (a singular point of f on the grid) become 0 arrows, and are counted: JSON has no NaN.
  let nonFinite = 0;
  for (const row of magnitude) for (const z of row) if (!Number.isFinite(z)) nonFinite++;
  const clean = (rows: number[][]): number[][] => rows.map((row) => row.map((z) => (Number.isFinite(z) ? z : 0)));
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'drift-field',
    model: modelRef(model),
    axes: [ax < 0 ? 't' : model.state[ax], model.state[ay]],
    x: xs,
    y: ys,
    u: clean(u),
    v: clean(v),
    magnitude: clean(magnitude),
    nonFinite,
    energyScale: energies.length > 0 ? energies[Math.floor(energies.length / 2)] : 1,
  };
}

// ------------------------------------------------------------------ ensembles

function shardOf(value: unknown, paths: number): { index: number; count: number } {
  if (typeof value !== 'object' || value === null) throw requestError('shard', 'expected {index, count}, e.g. {index: 3, count: 16}');
  const s = value as { index?: unknown; count?: unknown };
  const count = integerIn(s.count, 'shard.count', 1, paths);
  return { index: integerIn(s.index, 'shard.index', 1, count), count };
}

async function runEnsemble(model: Model, lagr: LagrangianResult, r: EnsembleRequest, hooks: SimulationHooks): Promise<EnsembleReport> {
  if (typeof r !== 'object' || r === null) throw requestError('', 'expected an ensemble request such as {from, T, dt, paths}');
  const from = statePoint(r.from, model, 'from');
  requireInDomain(model, from, 'from');
  const T = positiveNumber(r.T, 'T');
  const dt = positiveNumber(r.dt, 'dt');
  const paths = integerIn(r.paths, 'paths', 1, 2 ** 31 - 1);
  const t0 = r.t0 === undefined ? (model.timeGiven ? model.time[0] : 0) : finiteNumber(r.t0, 't0');
  const scheme = r.scheme ?? 'euler';
  if (scheme !== 'euler' && scheme !== 'milstein') throw requestError('scheme', `expected euler or milstein; got ${String(scheme)}`);
  const seed = r.seed === undefined ? DEFAULT_SEED : integerIn(r.seed, 'seed', 0, 2 ** 32 - 1);
  const samples = r.samples === undefined ? DEFAULT_SAMPLES : integerIn(r.samples, 'samples', 2, 100_000);
  const quantiles = [...(r.quantiles ?? DEFAULT_QUANTILES)];
  quantiles.forEach((q, i) => {
    if (!(typeof q === 'number' && q >= 0 && q <= 1)) throw requestError(`quantiles[${i}]`, `expected a level in [0, 1]; got ${String(q)}`);
  });
  if (model.timeGiven) {
    const [a, b] = model.time;
    const slack = 1e-12 * (Math.abs(a) + Math.abs(b) + 1);
    if (t0 < a - slack || t0 + T > b + slack) {
      throw requestError(t0 < a - slack ? 't0' : 'T', `the run [${round(t0)}, ${round(t0 + T)}] leaves the model's time interval [${a}, ${b}]`);
    }
  }
  const c = r.condition;
  const condition = c === undefined
    ? undefined
    : {
        to: statePoint(c.to, model, 'condition.to'),
        tol: positiveNumber(c.tol, 'condition.tol'),
        ...(c.budget !== undefined ? { budget: integerIn(c.budget, 'condition.budget', 1, 2 ** 31 - 1) } : {}),
      };
  if (condition && r.histogram) throw requestError('histogram', 'a histogram of long-run states is for plain runs, not conditioned ones');
  const shard = r.shard === undefined ? undefined : shardOf(r.shard, paths);
  if (shard && condition) throw requestError('shard', 'shards are for plain runs and histograms (a conditioned run stops at its accepted paths, which shards cannot know)');
  const histogram = r.histogram ? histogramRequest(model, r.histogram, T) : undefined;
  const options: SimulationOptions = {
    from,
    T,
    dt,
    paths,
    t0,
    seed,
    samples,
    quantiles,
    ...(r.workers !== undefined ? { workers: integerIn(r.workers, 'workers', 1, 1024) } : {}),
    ...(condition ? { condition } : {}),
    ...(histogram ? { histogram } : {}),
    ...(shard ? { shard } : {}),
    ...(hooks.onPaths ? { onPaths: hooks.onPaths, stride: hooks.stride ?? 1 } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
  };
  const result = await simulate(model, { ...options, scheme });
  const comparison = condition && r.compare !== false && !result.hopeless && result.paths > 0 ? compareWithMostLikely(lagr, result) : undefined;
  const request = {
    from,
    T,
    dt,
    paths,
    t0,
    scheme,
    seed,
    samples,
    quantiles,
    condition: condition ? { to: condition.to, tol: condition.tol, budget: condition.budget ?? null } : null,
    shard: shard ?? null,
  };
  return ensembleReport(model, request, result, result.hopeless, comparison);
}

function histogramRequest(model: Model, h: NonNullable<EnsembleRequest['histogram']>, T: number): HistogramRequest {
  const s = model.state;
  const dims = (h.dims ?? (s.length === 1 ? [s[0]] : [s[0], s[1]])).map((name, i) => {
    const d = s.indexOf(name);
    if (d < 0) throw requestError(`histogram.dims[${i}]`, `'${name}' is not a state variable (state: ${s.join(', ')})`);
    return d;
  });
  if (dims.length < 1 || dims.length > 2 || new Set(dims).size !== dims.length) {
    throw requestError('histogram.dims', 'expected one or two different state variables');
  }
  const binList = h.bins === undefined ? dims.map(() => 50) : typeof h.bins === 'number' ? dims.map(() => h.bins as number) : [...h.bins];
  if (binList.length !== dims.length) throw requestError('histogram.bins', `expected one bin count or ${dims.length}`);
  const bins = binList.map((b, i) => integerIn(b, `histogram.bins[${i}]`, 1, 10_000));
  const ranges = h.ranges === undefined
    ? undefined
    : (() => {
        const byName = stateKeys(h.ranges, model, 'histogram.ranges');
        for (const k of Object.keys(byName)) {
          if (!dims.some((d) => s[d] === k)) throw requestError('histogram.ranges', `'${k}' is not a histogram dimension (${dims.map((d) => s[d]).join(', ')})`);
        }
        return dims.map((d) => interval(byName[s[d]], `histogram.ranges.${s[d]}`));
      })();
  const burnIn = h.burnIn === undefined ? undefined : finiteNumber(h.burnIn, 'histogram.burnIn');
  if (burnIn !== undefined && !(burnIn >= 0 && burnIn <= T)) throw requestError('histogram.burnIn', `expected a time from 0 to T = ${T}; got ${burnIn}`);
  return { dims, bins, ...(ranges ? { ranges } : {}), ...(burnIn !== undefined ? { burnIn } : {}) };
}

function round(x: number): string {
  return String(Number(x.toPrecision(6)));
}
