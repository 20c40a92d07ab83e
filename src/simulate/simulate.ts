// Ensembles of sample paths of dx = f(x, t) dt + G(x, t) dW: plain, or
// conditioned on ending within ε of a target (rejection), with pointwise mean,
// standard deviation and quantiles on an output grid, statistics of the final
// states and, on request, a histogram of long-run states.
//
// Determinism: path i uses stream i of the seed; chunks of paths are simulated
// anywhere (this thread or worker threads) but their results are combined in
// path order, so a seed gives the same numbers for any number of workers.
// Conditioned runs keep the first `paths` accepted paths in path order.

import { NoetherError } from '../errors.ts';
import type { Model } from '../model/types.ts';
import { type ChunkResult, type CompiledModel, type RunLayout, compileModelForSimulation, generateProgram, instantiate, thinCount } from './codegen.ts';
import { type NoiseStructure, type Scheme, planNoise, strongOrder } from './noise.ts';
import { defaultWorkerCount, startRunner } from './pool.ts';

export const DEFAULT_QUANTILES: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95];
export const DEFAULT_SAMPLES = 101;
export const DEFAULT_SEED = 1;
/** Paths × steps per chunk of work (about 10 ms). */
const CHUNK_STEPS = 1 << 19;
/** Chunks a run is cut into at least (when it has that many paths). */
const MIN_CHUNKS = 16;
/** Doubles per chunk result at most. */
const CHUNK_VALUES = 1 << 21;
/** Values kept for quantiles at most (the first paths in path order). */
const QUANTILE_VALUES = 1 << 23;
/** Default budget of a conditioned run, in simulated path steps. */
const BUDGET_STEPS = 2e9;
const MAX_PATHS = 2 ** 31 - 1;
const MAX_STEPS = 1e9;

export interface ConditionRequest {
  /** Target state x₁ (state order). */
  readonly to: readonly number[];
  /** Accept a path when |x(T) − x₁| ≤ tol (Euclidean norm). */
  readonly tol: number;
  /** At most this many simulated paths (default: 2·10⁹ steps' worth, at least 10× the paths wanted). */
  readonly budget?: number;
  /** Paths of the pilot batch that estimates the acceptance rate (default: 5·10⁷ steps' worth, 1000 to 20000). */
  readonly pilot?: number;
}

export interface HistogramRequest {
  /** State indices to bin: one (1D) or two (2D; default the first two, or the only one). */
  readonly dims?: readonly number[];
  /** Bins per dimension (default 50). */
  readonly bins?: readonly number[];
  /** [lo, hi] per dimension (default: the range of a 64-path pilot after burn-in, widened by 5% each side). */
  readonly ranges?: readonly (readonly [number, number])[];
  /** Time from t0 before states are binned (default T/2). */
  readonly burnIn?: number;
  /** Bin every this many steps (default 1). */
  readonly every?: number;
}

export interface SimulationOptions {
  readonly from: readonly number[];
  readonly T: number;
  /** Largest step; the step used is T / ⌈T/dt⌉. */
  readonly dt: number;
  /** Paths wanted: simulated (plain runs) or accepted (conditioned runs). */
  readonly paths: number;
  readonly t0?: number;
  readonly seed?: number;
  /** Worker threads (default: every core); 1 runs in this thread. */
  readonly workers?: number;
  readonly samples?: number;
  readonly quantiles?: readonly number[];
  readonly condition?: ConditionRequest;
  readonly histogram?: HistogramRequest;
  /** Keep every stride-th state of each accepted path and pass them to onPaths, in path order (the batch is valid during the call only). */
  readonly stride?: number;
  readonly onPaths?: (batch: PathBatch) => void;
  /** Return the output-grid states of every accepted path (result.samples). */
  readonly keepSamples?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Paths per unit of work (default: about 5·10⁵ steps' worth, at most 4096).
   * Statistics do not depend on it; a conditioned run's `simulated` count does
   * (whole chunks are simulated), but never on the number of workers.
   */
  readonly chunkPaths?: number;
  /**
   * Simulate only shard `index` of `count` (1-based) of the paths (plain runs): paths
   * ⌊(index − 1)·P/count⌋ … ⌊index·P/count⌋ − 1, each on its own random stream as in
   * the whole run, their output-grid states kept for mergeShards.
   */
  readonly shard?: { readonly index: number; readonly count: number };
}

export interface PathBatch {
  /** Times of the kept states. */
  readonly t: readonly number[];
  /** Path numbers (stream numbers) of the paths in this batch. */
  readonly indices: readonly number[];
  /** paths × K × N states, path by path. */
  readonly values: Float64Array;
}

export interface NoiseInfo {
  readonly source: 'noise' | 'diagonal-diffusion' | 'cholesky';
  readonly wienerProcesses: number;
  readonly structure: NoiseStructure;
  readonly strongOrder: number;
  readonly weakOrder: number;
}

export interface Quantile {
  readonly level: number;
  /** S × N values. */
  readonly x: number[][];
}

export interface FinalStatistics {
  readonly mean: number[];
  readonly std: number[];
  readonly covariance: number[][];
  readonly min: number[];
  readonly max: number[];
  readonly quantiles: { readonly level: number; readonly x: number[] }[];
}

export interface Histogram {
  readonly dims: number[];
  readonly bins: number[];
  readonly ranges: [number, number][];
  /** Bin edges per dimension (bins + 1 values). */
  readonly edges: number[][];
  /** Counts, row-major (bins[0] × bins[1]; 1D: bins[0]). */
  readonly counts: Float64Array;
  /** States binned inside the ranges, and outside them. */
  readonly total: number;
  readonly outside: number;
}

export interface EnsembleResult {
  readonly state: readonly string[];
  readonly scheme: Scheme;
  readonly noise: NoiseInfo;
  readonly seed: number;
  readonly workers: number;
  readonly from: number[];
  readonly t0: number;
  readonly T: number;
  readonly h: number;
  readonly steps: number;
  /** Paths simulated, paths ending within tol (all paths when not conditioned), paths used, paths that blew up. */
  readonly simulated: number;
  readonly acceptedTotal: number;
  readonly paths: number;
  readonly diverged: number;
  /** Paths that left the model's domain: stopped there and left out. */
  readonly leftDomain: number;
  /** acceptedTotal / simulated for conditioned runs, null otherwise. */
  readonly acceptanceRate: number | null;
  readonly condition: { readonly to: number[]; readonly tol: number } | null;
  /** Output grid: S times, and per time the mean, standard deviation and standard error of the mean (S × N). */
  readonly t: number[];
  readonly mean: number[][];
  readonly std: number[][];
  readonly standardError: number[][];
  readonly quantiles: Quantile[];
  /** Paths the quantiles were computed from (the first ones, when memory would not hold all). */
  readonly quantilePaths: number;
  readonly final: FinalStatistics;
  readonly histogram?: Histogram;
  /**
   * Set when a conditioned run stopped early because the budget could not give
   * the paths asked for: the estimate, and the message to show. The statistics
   * are then of the paths accepted so far.
   */
  readonly hopeless?: HopelessEstimate & { readonly message: string };
  /** A shard's first path number. */
  readonly firstPath?: number;
  /** With keepSamples: paths × S × N, and the path numbers. */
  readonly samples?: Float64Array;
  readonly indices?: Int32Array;
  readonly wallSeconds: number;
}

export interface Simulator {
  readonly model: Model;
  readonly scheme: Scheme;
  readonly compiled: CompiledModel;
  readonly noise: NoiseInfo;
}

/** Compiles a model's coefficients for simulation with `scheme` (default Euler–Maruyama). */
export function compileSimulation(model: Model, scheme: Scheme = 'euler'): Simulator {
  const plan = planNoise(model, scheme);
  const compiled = compileModelForSimulation(model, plan, scheme);
  return {
    model,
    scheme,
    compiled,
    noise: { source: plan.source, wienerProcesses: plan.m, structure: plan.structure, strongOrder: strongOrder(scheme, plan.structure), weakOrder: 1 },
  };
}

/** compileSimulation + runSimulation. */
export async function simulate(model: Model, options: SimulationOptions & { scheme?: Scheme }): Promise<EnsembleResult> {
  return runSimulation(compileSimulation(model, options.scheme), options);
}

/** The number of steps and the step used for (T, dt). */
export function stepsFor(T: number, dt: number): { steps: number; h: number } {
  const steps = Math.max(1, Math.ceil(T / dt - 1e-9));
  return { steps, h: T / steps };
}

/** Step indices of an output grid of at most `samples` points (first 0, last `steps`). */
export function sampleGrid(steps: number, samples: number): number[] {
  const S = Math.min(samples, steps + 1);
  return Array.from({ length: S }, (_, s) => Math.round((s * steps) / (S - 1)));
}

export async function runSimulation(sim: Simulator, options: SimulationOptions): Promise<EnsembleResult> {
  const start = performance.now();
  const n = sim.compiled.n;
  const v = await validate(sim, options);
  const { steps, h } = stepsFor(options.T, options.dt);
  const t0 = options.t0 ?? 0;
  const seed = options.seed ?? DEFAULT_SEED;
  const sampleSteps = sampleGrid(steps, options.samples ?? DEFAULT_SAMPLES);
  const S = sampleSteps.length;
  const stride = options.stride ?? 0;
  const K = thinCount(steps, stride);
  const levels = options.quantiles ?? DEFAULT_QUANTILES;
  const cond = options.condition;
  const shard = options.shard;
  if (shard && cond) throw new RangeError('shards are for plain runs and histograms (no condition)');
  // A shard simulates its own range of path numbers (streams), as the whole run would.
  const firstPath = shard ? Math.floor(((shard.index - 1) * options.paths) / shard.count) : 0;
  const target = shard ? Math.floor((shard.index * options.paths) / shard.count) - firstPath : options.paths;

  const histogram = options.histogram ? await histogramLayout(sim, options, steps, h, t0, seed) : undefined;
  const layout: RunLayout = {
    seed,
    x0: options.from,
    t0,
    h,
    steps,
    sampleSteps,
    stride,
    ...(cond ? { condition: { to: cond.to, tol: cond.tol } } : {}),
    ...(histogram ? { histogram } : {}),
  };
  const source = generateProgram(sim.compiled, layout);
  const budget = cond ? Math.min(MAX_PATHS, cond.budget ?? Math.max(10 * target, Math.floor(BUDGET_STEPS / steps))) : target;
  const pilot = cond ? Math.min(budget, cond.pilot ?? Math.min(20000, Math.max(1000, Math.ceil(5e7 / steps)))) : target;
  const limitPaths = cond ? budget : target;
  // At least MIN_CHUNKS chunks, so that every core gets work even where a step costs
  // microseconds (a network) and CHUNK_STEPS would make one chunk of all the paths.
  // From the request alone, never from the worker count (a conditioned run simulates whole chunks).
  const chunk =
    options.chunkPaths ??
    Math.max(1, Math.min(4096, Math.ceil(CHUNK_STEPS / steps), Math.floor(CHUNK_VALUES / (S * n + K * n)), Math.ceil(limitPaths / MIN_CHUNKS)));
  const chunksWanted = Math.ceil(limitPaths / chunk);
  const workers = Math.max(1, Math.min(v.workers, chunksWanted));

  const acc = new Accumulator(n, S, target, levels, options.keepSamples === true || shard !== undefined);
  const timeGrid = sampleSteps.map((k) => t0 + k * h);
  const thinTimes = stride > 0 ? thinSteps(steps, stride).map((k) => t0 + k * h) : [];
  const hist = histogram ? new Float64Array(histogram.bins.reduce((a, b) => a * b, 1)) : undefined;
  let outside = 0;
  let simulated = 0;
  let acceptedTotal = 0;
  let diverged = 0;
  let leftDomain = 0;
  let pilotPassed = !cond;
  let stopped: (HopelessEstimate & { message: string }) | undefined;

  const runner = await startRunner(source, workers);
  try {
    const window = 2 * runner.workers;
    const inFlight = new Map<number, Promise<ChunkResult>>();
    let nextDispatch = 0;
    const dispatchLimit = (): number => (pilotPassed ? limitPaths : pilot);
    for (let c = 0; ; c++) {
      while (nextDispatch < c + window && nextDispatch * chunk < dispatchLimit()) {
        const first = firstPath + nextDispatch * chunk;
        const p = runner.run(first, Math.min(chunk, firstPath + limitPaths - first));
        p.catch(() => {}); // awaited below; a failure is reported once, there
        inFlight.set(nextDispatch++, p);
      }
      const pending = inFlight.get(c);
      if (!pending) break;
      const r = await pending;
      inFlight.delete(c);
      simulated += r.count;
      diverged += r.diverged;
      leftDomain += r.leftDomain;
      acceptedTotal += r.accepted;
      const use = Math.min(r.accepted, target - acc.count);
      const batchIndices: number[] = [];
      for (let a = 0; a < use; a++) {
        acc.add(r.samples, a * S * n, r.indices[a]);
        batchIndices.push(r.indices[a]);
      }
      if (options.onPaths && r.thin && use > 0) {
        options.onPaths({ t: thinTimes, indices: batchIndices, values: r.thin.subarray(0, use * K * n) });
      }
      if (hist && r.hist) {
        for (let b = 0; b < hist.length; b++) hist[b] += r.hist[b];
        outside += r.outside;
      }
      runner.release(r);
      options.onProgress?.(cond ? acc.count : simulated, target);
      if (cond) {
        if (acc.count >= target) break;
        if (!pilotPassed && simulated >= pilot) {
          const needed = estimateNeeded(simulated, acceptedTotal, target);
          if (needed > budget) {
            stopped = hopeless(cond, steps, simulated, acceptedTotal, needed, budget, target);
            break;
          }
          pilotPassed = true;
        }
        if (simulated >= budget) {
          stopped = hopeless(cond, steps, simulated, acceptedTotal, estimateNeeded(simulated, acceptedTotal, target), budget, target);
          break;
        }
      }
    }
  } finally {
    await runner.close();
  }

  const stats = acc.finish();
  return {
    state: sim.model.state,
    scheme: sim.scheme,
    noise: sim.noise,
    seed,
    workers: runner.workers,
    from: [...options.from],
    t0,
    T: options.T,
    h,
    steps,
    simulated,
    acceptedTotal,
    paths: acc.count,
    diverged,
    leftDomain,
    acceptanceRate: cond ? acceptedTotal / simulated : null,
    condition: cond ? { to: [...cond.to], tol: cond.tol } : null,
    t: timeGrid,
    ...(shard ? { firstPath } : {}),
    ...stats,
    ...(histogram && hist
      ? {
          histogram: {
            dims: [...histogram.dims],
            bins: [...histogram.bins],
            ranges: histogram.ranges.map(([lo, hi]) => [lo, hi] as [number, number]),
            edges: histogram.ranges.map(([lo, hi], a) => Array.from({ length: histogram.bins[a] + 1 }, (_, b) => lo + ((hi - lo) * b) / histogram.bins[a])),
            counts: hist,
            total: hist.reduce((s, c) => s + c, 0),
            outside,
          },
        }
      : {}),
    ...(stopped ? { hopeless: stopped } : {}),
    wallSeconds: (performance.now() - start) / 1000,
  };
}

/** Simulated paths (n/a, or n·s/3 when nothing was accepted: the 95% upper bound 3/s on the rate). */
function estimateNeeded(simulated: number, accepted: number, target: number): number {
  return accepted > 0 ? Math.ceil((simulated * target) / accepted) : Math.ceil((simulated * target) / 3);
}

/** Why a conditioned run stopped early: what was seen, and what the paths asked for would need. */
export interface HopelessEstimate {
  readonly simulated: number;
  readonly accepted: number;
  /** accepted / simulated. */
  readonly rate: number;
  /** Simulated paths the request would need (a lower bound when none was accepted). */
  readonly needed: number;
  readonly budget: number;
}

function hopeless(cond: ConditionRequest, steps: number, simulated: number, accepted: number, needed: number, budget: number, target: number): HopelessEstimate & { message: string } {
  const rate = accepted / Math.max(1, simulated);
  const seen = accepted > 0 ? `${accepted} of ${simulated} simulated paths ended there (${fmtRate(rate)})` : `none of ${simulated} simulated paths ended there (rate below ${fmtRate(3 / simulated)} at 95% confidence)`;
  return {
    message:
      `conditioning on ending within ${cond.tol} of (${cond.to.join(', ')}) is hopeless within the budget: ${seen}; ` +
      `${target} accepted paths would need ${accepted > 0 ? 'about' : 'at least'} ${fmtCount(needed)} simulated paths ` +
      `(${fmtCount(needed * steps)} steps), more than the budget of ${fmtCount(budget)} paths. ` +
      'Widen the tolerance, change T, ask for fewer paths, or raise the budget.',
    simulated,
    accepted,
    rate,
    needed,
    budget,
  };
}

function fmtRate(r: number): string {
  return r >= 0.01 ? `${(100 * r).toPrecision(3)}%` : r.toExponential(2);
}
function fmtCount(x: number): string {
  return x < 1e6 ? String(Math.round(x)) : x.toExponential(2);
}

async function validate(sim: Simulator, o: SimulationOptions): Promise<{ workers: number }> {
  const n = sim.compiled.n;
  const bad = (msg: string, path?: string): never => {
    throw new NoetherError('request', msg, path === undefined ? {} : { path });
  };
  const finite = (x: number): boolean => typeof x === 'number' && Number.isFinite(x);
  if (o.from.length !== n || !o.from.every(finite)) bad(`the start state needs ${n} finite numbers (state: ${sim.model.state.join(', ')})`);
  if (!(finite(o.T) && o.T > 0)) bad(`T must be positive and finite; got ${o.T}`);
  if (!(finite(o.dt) && o.dt > 0)) bad(`dt must be positive and finite; got ${o.dt}`);
  if (o.T / o.dt > MAX_STEPS) bad(`T/dt = ${(o.T / o.dt).toExponential(2)} steps per path; at most ${MAX_STEPS.toExponential(0)}`, 'dt');
  if (!Number.isInteger(o.paths) || o.paths < 1 || o.paths > MAX_PATHS) bad(`paths must be an integer from 1 to ${MAX_PATHS}; got ${o.paths}`);
  if (o.t0 !== undefined && !finite(o.t0)) bad(`t0 must be finite; got ${o.t0}`);
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32)) bad(`the seed must be an integer from 0 to 2^32 − 1; got ${o.seed}`);
  if (o.samples !== undefined && !(Number.isInteger(o.samples) && o.samples >= 2)) bad(`samples must be an integer ≥ 2; got ${o.samples}`);
  if (o.stride !== undefined && !(Number.isInteger(o.stride) && o.stride >= 0)) bad(`stride must be a non-negative integer; got ${o.stride}`);
  for (const q of o.quantiles ?? []) if (!(finite(q) && q >= 0 && q <= 1)) bad(`quantile levels must be in [0, 1]; got ${q}`);
  const cond = o.condition;
  if (cond) {
    if (cond.to.length !== n || !cond.to.every(finite)) bad(`the target state needs ${n} finite numbers`);
    if (!(finite(cond.tol) && cond.tol > 0)) bad(`the tolerance must be positive; got ${cond.tol}`);
    if (cond.budget !== undefined && !(Number.isInteger(cond.budget) && cond.budget >= 1)) bad(`the budget must be a positive integer; got ${cond.budget}`);
    if (cond.pilot !== undefined && !(Number.isInteger(cond.pilot) && cond.pilot >= 1)) bad(`the pilot must be a positive integer; got ${cond.pilot}`);
    if (o.histogram) bad('a histogram of long-run states is for plain runs, not conditioned ones');
  }
  if (o.chunkPaths !== undefined && !(Number.isInteger(o.chunkPaths) && o.chunkPaths >= 1)) bad(`chunkPaths must be a positive integer; got ${o.chunkPaths}`);
  const workers = o.workers ?? (await defaultWorkerCount());
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= 1024)) bad(`workers must be an integer from 1 to 1024; got ${workers}`);
  return { workers };
}

/** Step indices kept at stride k: 0, k, 2k, … and the last step. */
export function thinSteps(steps: number, stride: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < steps; k += stride) out.push(k);
  out.push(steps);
  return out;
}

// ------------------------------------------------------------------ histogram

async function histogramLayout(sim: Simulator, o: SimulationOptions, steps: number, h: number, t0: number, seed: number): Promise<NonNullable<RunLayout['histogram']>> {
  const req = o.histogram as HistogramRequest;
  const n = sim.compiled.n;
  const dims = [...(req.dims ?? (n === 1 ? [0] : [0, 1]))];
  const bad = (msg: string): never => {
    throw new NoetherError('request', msg);
  };
  if (dims.length < 1 || dims.length > 2 || !dims.every((d) => Number.isInteger(d) && d >= 0 && d < n) || new Set(dims).size !== dims.length) {
    bad(`histogram dimensions must be one or two distinct state indices below ${n}; got ${JSON.stringify(dims)}`);
  }
  const bins = [...(req.bins ?? dims.map(() => 50))];
  if (bins.length !== dims.length || !bins.every((b) => Number.isInteger(b) && b >= 1 && b <= 10000)) bad(`histogram bins must be ${dims.length} integer(s) from 1 to 10000; got ${JSON.stringify(bins)}`);
  const burnIn = req.burnIn ?? o.T / 2;
  if (!(Number.isFinite(burnIn) && burnIn >= 0 && burnIn <= o.T)) bad(`the burn-in must be between 0 and T = ${o.T}; got ${burnIn}`);
  const burnSteps = Math.min(steps, Math.round(burnIn / h));
  const every = req.every ?? 1;
  if (!(Number.isInteger(every) && every >= 1)) bad(`histogram 'every' must be a positive integer; got ${every}`);
  let ranges = req.ranges?.map(([lo, hi]) => [lo, hi] as [number, number]);
  if (ranges) {
    if (ranges.length !== dims.length || !ranges.every(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) bad('histogram ranges must be [lo, hi] with lo < hi, one per dimension');
  } else {
    // A pilot: the first 64 paths, sampled on 101 points after the burn-in.
    const pilotPaths = Math.min(64, o.paths);
    const S = Math.min(101, steps - burnSteps + 1);
    const grid = Array.from({ length: S }, (_, s) => (S === 1 ? steps : burnSteps + Math.round((s * (steps - burnSteps)) / (S - 1))));
    const sampleSteps = grid[0] === 0 ? grid : [0, ...grid];
    const program = instantiate(generateProgram(sim.compiled, { seed, x0: o.from, t0, h, steps, sampleSteps, stride: 0 }));
    const r = program.ensemble(0, pilotPaths);
    const Sx = sampleSteps.length;
    ranges = dims.map((d) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let a = 0; a < r.accepted; a++) {
        for (let s = sampleSteps.length - grid.length; s < Sx; s++) {
          const x = r.samples[(a * Sx + s) * n + d];
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
      }
      if (!(lo <= hi)) bad('the pilot paths for the histogram range diverged; give the ranges');
      const pad = Math.max(0.05 * (hi - lo), 1e-9 * (1 + Math.abs(lo) + Math.abs(hi)));
      return [lo - pad, hi + pad] as [number, number];
    });
  }
  return { dims, ranges, bins, burnSteps, every };
}

// ------------------------------------------------------------------ statistics

/** One shard's part of a plain run: its counts and the output-grid states of its paths, in path order. */
export interface ShardPart {
  readonly simulated: number;
  readonly diverged: number;
  readonly leftDomain: number;
  /** Paths used × S × N. */
  readonly samples: Float64Array;
}

/**
 * The statistics of the whole run from its shards, in shard order: every path is
 * added in the order the whole run adds it, so means, variances and quantiles are
 * the same numbers, bit for bit.
 */
export function mergeShards(parts: readonly ShardPart[], n: number, S: number, paths: number, levels: readonly number[]): Pick<EnsembleResult, 'mean' | 'std' | 'standardError' | 'quantiles' | 'quantilePaths' | 'final' | 'simulated' | 'diverged' | 'leftDomain' | 'acceptedTotal' | 'paths'> {
  const acc = new Accumulator(n, S, paths, levels, false);
  let simulated = 0;
  let diverged = 0;
  let leftDomain = 0;
  for (const part of parts) {
    simulated += part.simulated;
    diverged += part.diverged;
    leftDomain += part.leftDomain;
    const used = part.samples.length / (S * n);
    for (let a = 0; a < used; a++) acc.add(part.samples, a * S * n, -1);
  }
  const { samples: _s, indices: _i, ...stats } = acc.finish();
  return { ...stats, simulated, diverged, leftDomain, acceptedTotal: acc.count, paths: acc.count };
}

/** Running statistics over accepted paths, updated in path order (so the result does not depend on the worker count). */
class Accumulator {
  count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly fMean: Float64Array;
  private readonly fCo: Float64Array;
  private readonly fMin: Float64Array;
  private readonly fMax: Float64Array;
  private readonly qStore: Float64Array;
  private readonly qCap: number;
  private readonly finals: Float64Array;
  private readonly fCap: number;
  private readonly kept: Float64Array | undefined;
  private readonly keptIdx: Int32Array | undefined;
  private readonly delta: Float64Array;

  constructor(
    private readonly n: number,
    private readonly S: number,
    target: number,
    private readonly levels: readonly number[],
    keep: boolean,
  ) {
    this.mean = new Float64Array(S * n);
    this.m2 = new Float64Array(S * n);
    this.fMean = new Float64Array(n);
    this.fCo = new Float64Array(n * n);
    this.fMin = new Float64Array(n).fill(Infinity);
    this.fMax = new Float64Array(n).fill(-Infinity);
    this.delta = new Float64Array(n);
    this.qCap = levels.length > 0 ? Math.min(target, Math.floor(QUANTILE_VALUES / (S * n))) : 0;
    this.qStore = new Float64Array(this.qCap * S * n);
    this.fCap = levels.length > 0 ? Math.min(target, Math.floor(QUANTILE_VALUES / n)) : 0;
    this.finals = new Float64Array(this.fCap * n);
    if (keep) {
      this.kept = new Float64Array(target * S * n);
      this.keptIdx = new Int32Array(target);
    }
  }

  /** Adds the path whose S × N output-grid states are buf[off …]. */
  add(buf: Float64Array, off: number, index: number): void {
    const { n, S } = this;
    const E = S * n;
    const k = ++this.count;
    const mean = this.mean;
    const m2 = this.m2;
    for (let e = 0; e < E; e++) {
      const x = buf[off + e];
      const d = x - mean[e];
      const mu = mean[e] + d / k;
      mean[e] = mu;
      m2[e] += d * (x - mu);
    }
    const fin = off + (S - 1) * n;
    const { delta, fMean, fMin, fMax, fCo } = this;
    for (let i = 0; i < n; i++) {
      const x = buf[fin + i];
      delta[i] = x - fMean[i];
      fMean[i] += delta[i] / k;
      if (x < fMin[i]) fMin[i] = x;
      if (x > fMax[i]) fMax[i] = x;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) fCo[i * n + j] += delta[i] * (buf[fin + j] - fMean[j]);
    if (k <= this.qCap) {
      const q = this.qStore;
      const base = (k - 1) * E;
      for (let e = 0; e < E; e++) q[base + e] = buf[off + e];
    }
    if (k <= this.fCap) for (let i = 0; i < n; i++) this.finals[(k - 1) * n + i] = buf[fin + i];
    if (this.kept && this.keptIdx) {
      this.kept.set(buf.subarray(off, off + E), (k - 1) * E);
      this.keptIdx[k - 1] = index;
    }
  }

  finish(): Pick<EnsembleResult, 'mean' | 'std' | 'standardError' | 'quantiles' | 'quantilePaths' | 'final' | 'samples' | 'indices'> {
    const { n, S, count } = this;
    const grid = (f: (e: number) => number): number[][] => Array.from({ length: S }, (_, s) => Array.from({ length: n }, (_, i) => f(s * n + i)));
    const variance = (e: number): number => (count > 1 ? this.m2[e] / (count - 1) : NaN);
    const q = Math.min(count, this.qCap);
    const quantiles: Quantile[] = this.levels.map((level) => ({ level, x: grid(() => NaN) }));
    if (q > 0) {
      // Blocked transpose (path-major → column-major, 32 columns at a time) keeps the reads contiguous.
      const E = S * n;
      const B = Math.min(32, E);
      const block = new Float64Array(B * q);
      for (let e0 = 0; e0 < E; e0 += B) {
        const w = Math.min(B, E - e0);
        for (let a = 0; a < q; a++) {
          const base = a * E + e0;
          for (let c = 0; c < w; c++) block[c * q + a] = this.qStore[base + c];
        }
        for (let c = 0; c < w; c++) {
          const e = e0 + c;
          quantilesOf(block.subarray(c * q, (c + 1) * q), this.levels).forEach((x, l) => {
            quantiles[l].x[Math.floor(e / n)][e % n] = x;
          });
        }
      }
    }
    const fq = Math.min(count, this.fCap);
    const fcol = new Float64Array(fq);
    const finalQuantiles = this.levels.map((level) => ({ level, x: new Array<number>(n).fill(NaN) }));
    if (fq > 0) {
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < fq; a++) fcol[a] = this.finals[a * n + i];
        quantilesOf(fcol, this.levels).forEach((x, l) => {
          finalQuantiles[l].x[i] = x;
        });
      }
    }
    const covariance = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (count > 1 ? this.fCo[i * n + j] / (count - 1) : NaN)));
    const empty = count === 0;
    return {
      mean: grid((e) => (empty ? NaN : this.mean[e])),
      std: grid((e) => Math.sqrt(variance(e))),
      standardError: grid((e) => Math.sqrt(variance(e) / count)),
      quantiles,
      quantilePaths: q,
      final: {
        mean: Array.from(this.fMean, (x) => (empty ? NaN : x)),
        std: covariance.map((row, i) => Math.sqrt(row[i])),
        covariance,
        min: Array.from(this.fMin, (x) => (empty ? NaN : x)),
        max: Array.from(this.fMax, (x) => (empty ? NaN : x)),
        quantiles: finalQuantiles,
      },
      ...(this.kept && this.keptIdx ? { samples: this.kept.subarray(0, count * S * n), indices: this.keptIdx.subarray(0, count) } : {}),
    };
  }
}

/** The level-q quantile of sorted values, linear interpolation between order statistics (type 7). */
export function quantileSorted(sorted: Float64Array | readonly number[], q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const pos = (m - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(m - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The level-q quantiles of `values` (type 7, as quantileSorted), by a multiple
 * selection that partitions only around the order statistics needed: about
 * 3–4 n comparisons for a handful of levels instead of a full sort. Reorders
 * `values`; they must not contain NaN.
 */
export function quantilesOf(values: Float64Array, levels: readonly number[]): number[] {
  const m = values.length;
  if (m === 0) return levels.map(() => NaN);
  const wanted = new Set<number>();
  for (const q of levels) {
    const pos = (m - 1) * q;
    const lo = Math.floor(pos);
    wanted.add(lo);
    wanted.add(Math.min(m - 1, lo + 1));
  }
  const ks = Int32Array.from([...wanted].sort((a, b) => a - b));
  multiSelect(values, 0, m - 1, ks, 0, ks.length);
  return levels.map((q) => {
    const pos = (m - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.min(m - 1, lo + 1);
    return values[lo] + (pos - lo) * (values[hi] - values[lo]);
  });
}

/** Puts the order statistics ks[kLo..kHi) (sorted, within [lo, hi]) of a[lo..hi] in place. */
function multiSelect(a: Float64Array, lo: number, hi: number, ks: Int32Array, kLo: number, kHi: number): void {
  while (kLo < kHi) {
    if (hi - lo < 24) {
      for (let i = lo + 1; i <= hi; i++) {
        const x = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > x) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    // Median of three as the pivot; Hoare partition.
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and lo ≤ j < i ≤ hi; entries strictly between j and i equal the pivot.
    let split = kLo;
    while (split < kHi && ks[split] <= j) split++;
    let right = split;
    while (right < kHi && ks[right] < i) right++;
    if (split - kLo < kHi - right) {
      multiSelect(a, lo, j, ks, kLo, split);
      lo = i;
      kLo = right;
    } else {
      multiSelect(a, i, hi, ks, right, kHi);
      hi = j;
      kHi = split;
    }
  }
}
