// `noether simulate MODEL --from JSON --T t --dt h --paths n`: seeded ensembles
// of sample paths, optionally conditioned on the end state, summarised as mean
// and quantile paths on an output grid (never the raw paths, except to --csv).

import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NoetherError } from '../../errors.ts';
import { buildLagrangian } from '../../lagrangian/lagrangian.ts';
import { loadModelFile } from '../../model/load.ts';
import type { Model } from '../../model/types.ts';
import { type MostLikelyComparison, compareWithMostLikely } from '../../simulate/most-likely.ts';
import { type EnsembleResult, type HistogramRequest, type PathBatch, DEFAULT_QUANTILES, DEFAULT_SAMPLES, DEFAULT_SEED, compileSimulation, runSimulation } from '../../simulate/simulate.ts';
import { choice, parse, statePoint } from '../args.ts';
import { EXIT, type IO, UsageError } from '../io.ts';

export const help = `Usage: noether simulate MODEL --from JSON --T t --dt h --paths n [options]

Simulates sample paths of dx = f(x, t) dt + G(x, t) dW (D = G Gᵀ/2) from a start
state, seeded: the same seed gives the same numbers for any number of workers.
Prints a summary: the mean, standard deviation and quantile paths on an output
grid and statistics of the final states (never the raw paths; see --csv).

  MODEL              a model file (.yaml, .yml or .json)
  --from JSON        start state, e.g. '{"x": 0.8, "y": -0.4}' (or a list in state order)
  --T t              duration
  --dt h             time step (the step used is T/⌈T/h⌉)
  --paths n          paths to simulate (with --to: accepted paths wanted)
  --t0 t             start time (default 0)
  --scheme NAME      euler (Euler–Maruyama, default) or milstein (strong order 1
                     for commutative noise: additive, scalar, diagonal)
  --seed s           integer seed, 0 to 4294967295 (default ${DEFAULT_SEED})
  --workers w        worker threads (default: every core)
  --samples k        points of the output grid (default ${DEFAULT_SAMPLES})
  --quantiles LIST   quantile levels (default ${DEFAULT_QUANTILES.join(',')})

Conditioned ensembles (rejection):
  --to JSON          keep only paths that end within --tol of this state
  --tol eps          tolerance (Euclidean distance at time T)
  --budget n         at most n simulated paths (default: 2e9 steps' worth, at
                     least 10 × --paths); a pilot batch estimates the acceptance
                     rate and the run stops early, with the estimate, when the
                     budget would not be enough
  --no-compare       skip the comparison with the most likely path (solve)

Stationary densities (plain runs):
  --histogram B      histogram of the states after --burn-in: B bins per
                     dimension, or BX,BY
  --dims NAMES       one or two state variables (default the first two)
  --range JSON       e.g. '{"x": [-1, 1], "y": [-1, 1]}' (default: from a pilot)
  --burn-in t        time before states are binned (default T/2)

Output:
  --json             the summary as JSON (timing in wallSeconds)
  --csv FILE         write the raw paths to FILE (columns path, t, state...),
                     thinned by --stride; the file appears only when complete
  --stride k         keep every k-th step (and the last; default 1)
  --help, -h         this help

A progress bar is drawn on stderr when stderr is a terminal.
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      from: { type: 'string' },
      T: { type: 'string' },
      dt: { type: 'string' },
      paths: { type: 'string' },
      t0: { type: 'string' },
      scheme: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      samples: { type: 'string' },
      quantiles: { type: 'string' },
      to: { type: 'string' },
      tol: { type: 'string' },
      budget: { type: 'string' },
      'no-compare': { type: 'boolean' },
      histogram: { type: 'string' },
      dims: { type: 'string' },
      range: { type: 'string' },
      'burn-in': { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'string' },
      stride: { type: 'string' },
    },
    { min: 1, max: 1, names: 'the model file (noether simulate MODEL --from JSON --T t --dt h --paths n)' },
  );
  const missing = (['from', 'T', 'dt', 'paths'] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')} (noether simulate MODEL --from JSON --T t --dt h --paths n)`);
  const T = number('T', values.T as string, (x) => x > 0, 'a positive number');
  const dt = number('dt', values.dt as string, (x) => x > 0, 'a positive number');
  if (T / dt > 1e9) throw new UsageError(`--T/--dt is ${(T / dt).toExponential(2)} steps per path; at most 1e9`);
  const paths = integer('paths', values.paths as string, 1, 2 ** 31 - 1);
  const t0 = values.t0 === undefined ? 0 : number('t0', values.t0, Number.isFinite, 'a number');
  const scheme = choice('scheme', values.scheme, ['euler', 'milstein'] as const, 'euler');
  const seed = values.seed === undefined ? DEFAULT_SEED : integer('seed', values.seed, 0, 2 ** 32 - 1);
  const workers = values.workers === undefined ? undefined : integer('workers', values.workers, 1, 1024);
  const samples = values.samples === undefined ? DEFAULT_SAMPLES : integer('samples', values.samples, 2, 100000);
  const quantiles = values.quantiles === undefined ? DEFAULT_QUANTILES : levelList(values.quantiles);
  if ((values.to === undefined) !== (values.tol === undefined)) throw new UsageError('give --to and --tol together (keep paths ending within --tol of --to)');
  const tol = values.tol === undefined ? undefined : number('tol', values.tol, (x) => x > 0, 'a positive number');
  if (values.budget !== undefined && values.to === undefined) throw new UsageError('--budget applies to conditioned runs (--to, --tol)');
  const budget = values.budget === undefined ? undefined : integer('budget', values.budget, 1, 2 ** 31 - 1);
  if (values.json && values.csv !== undefined) throw new UsageError('give at most one of --json and --csv');
  if (values.stride !== undefined && values.csv === undefined) throw new UsageError('--stride applies to --csv output');
  const stride = values.stride === undefined ? 1 : integer('stride', values.stride, 1, 1e9);
  if (values.csv !== undefined && values.csv.trim() === '') throw new UsageError('--csv needs a file name');
  const histogramAsked = values.histogram !== undefined;
  for (const k of ['dims', 'range', 'burn-in'] as const) {
    if (values[k] !== undefined && !histogramAsked) throw new UsageError(`--${k} applies to --histogram`);
  }
  if (histogramAsked && values.to !== undefined) throw new UsageError('--histogram is for plain runs; it cannot be combined with --to');

  const model = loadModelFile(positionals[0]);
  const from = statePoint('from', values.from as string, model);
  const to = values.to === undefined ? undefined : statePoint('to', values.to, model);
  const histogram = histogramAsked ? histogramRequest(values.histogram as string, values.dims, values.range, values['burn-in'], model, T) : undefined;
  const sim = compileSimulation(model, scheme);

  const progress = progressBar(io, to !== undefined ? 'accepted paths' : 'paths');
  const csv = values.csv !== undefined ? new CsvWriter(values.csv, model) : undefined;
  // Interrupted: remove the partial file before exiting.
  const interrupted = (signal: NodeJS.Signals): void => {
    csv?.abandon();
    progress?.done();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  if (csv) {
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
  }
  let result: EnsembleResult;
  try {
    result = await runSimulation(sim, {
      from,
      T,
      dt,
      paths,
      t0,
      seed,
      ...(workers !== undefined ? { workers } : {}),
      samples,
      quantiles,
      ...(to !== undefined && tol !== undefined ? { condition: { to, tol, ...(budget !== undefined ? { budget } : {}) } } : {}),
      ...(histogram ? { histogram } : {}),
      ...(csv ? { stride, onPaths: (batch: PathBatch) => csv.write(batch) } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
    });
    csv?.commit();
  } catch (err) {
    csv?.abandon();
    throw err;
  } finally {
    progress?.done();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }

  const comparison = result.condition && values['no-compare'] !== true ? compareWithMostLikely(buildLagrangian(model), result) : undefined;
  if (values.json) io.stdout(`${JSON.stringify(summaryJSON(model, result, dt, paths, comparison))}\n`);
  else io.stdout(text(model, result, paths, comparison, csv?.file));
  return EXIT.ok;
}

// ------------------------------------------------------------------ arguments

function number(name: string, text: string, ok: (x: number) => boolean, what: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new UsageError(`--${name} must be ${what}; got '${text}'`);
  return x;
}

function integer(name: string, text: string, lo: number, hi: number): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isInteger(x) || x < lo || x > hi) throw new UsageError(`--${name} must be an integer from ${lo} to ${hi}; got '${text}'`);
  return x;
}

function levelList(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const levels = parts.map((p) => Number(p));
  if (parts.some((p) => p === '') || !levels.every((q) => Number.isFinite(q) && q >= 0 && q <= 1)) {
    throw new UsageError(`--quantiles must be a comma-separated list of levels in [0, 1], e.g. 0.05,0.5,0.95; got '${text}'`);
  }
  return levels;
}

function parseJSON(option: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${option} is not valid JSON: ${(err as Error).message}`);
  }
}

function histogramRequest(binsText: string, dimsText: string | undefined, rangeText: string | undefined, burnText: string | undefined, model: Model, T: number): HistogramRequest {
  const s = model.state;
  const dims = dimsText === undefined
    ? s.length === 1 ? [0] : [0, 1]
    : dimsText.split(',').map((name) => {
        const i = s.indexOf(name.trim());
        if (i < 0) throw new UsageError(`--dims: '${name.trim()}' is not a state variable (state: ${s.join(', ')})`);
        return i;
      });
  if (dims.length < 1 || dims.length > 2 || new Set(dims).size !== dims.length) throw new UsageError('--dims takes one or two different state variables, e.g. --dims x,y');
  const binParts = binsText.split(',');
  const bins = binParts.map((b) => integer('histogram', b.trim(), 1, 10000));
  if (bins.length === 1 && dims.length === 2) bins.push(bins[0]);
  if (bins.length !== dims.length) throw new UsageError(`--histogram needs one bin count or ${dims.length} (e.g. 50,40)`);
  let ranges: [number, number][] | undefined;
  if (rangeText !== undefined) {
    const raw = parseJSON('range', rangeText);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`--range must be an object such as {"${s[dims[0]]}": [-1, 1]}`);
    const obj = raw as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!dims.map((d) => s[d]).includes(k)) throw new UsageError(`--range: '${k}' is not a histogram dimension (${dims.map((d) => s[d]).join(', ')})`);
    ranges = dims.map((d) => {
      const r = obj[s[d]];
      if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && Number.isFinite(x)) || !(r[0] < r[1])) {
        throw new UsageError(`--range: ${s[d]} needs [lo, hi] with lo < hi; got ${JSON.stringify(r)}`);
      }
      return [r[0], r[1]] as [number, number];
    });
  }
  const burnIn = burnText === undefined ? undefined : number('burn-in', burnText, (x) => x >= 0 && x <= T, `a time from 0 to T = ${T}`);
  return { dims, bins, ...(ranges ? { ranges } : {}), ...(burnIn !== undefined ? { burnIn } : {}) };
}

// ------------------------------------------------------------------ output

/** Writes raw paths to a temporary file next to FILE, renamed to FILE only when the run completes. */
class CsvWriter {
  private readonly temp: string;
  private readonly fd: number;
  private readonly n: number;

  constructor(
    readonly file: string,
    model: Model,
  ) {
    this.n = model.state.length;
    this.temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      this.fd = openSync(this.temp, 'wx');
    } catch (err) {
      throw new NoetherError('file', `cannot write ${file}: ${(err as Error).message}`);
    }
    writeSync(this.fd, `path,t,${model.state.join(',')}\n`);
  }

  write(batch: PathBatch): void {
    const { n } = this;
    const K = batch.t.length;
    const lines: string[] = [];
    batch.indices.forEach((path, a) => {
      for (let k = 0; k < K; k++) {
        let line = `${path},${batch.t[k]}`;
        for (let i = 0; i < n; i++) line += `,${batch.values[(a * K + k) * n + i]}`;
        lines.push(line);
        if (lines.length >= 8192) {
          writeSync(this.fd, `${lines.join('\n')}\n`);
          lines.length = 0;
        }
      }
    });
    if (lines.length > 0) writeSync(this.fd, `${lines.join('\n')}\n`);
  }

  commit(): void {
    closeSync(this.fd);
    renameSync(this.temp, this.file);
  }

  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // already gone
    }
  }
}

interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

/** A progress bar on stderr, only when stderr is a terminal. */
function progressBar(io: IO, what: string): Progress | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const f = Math.min(1, done / total);
      const full = Math.floor(f * width);
      io.stderr(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.floor(100 * f)).padStart(3)}%  ${done}/${total} ${what}`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr('\r\u001b[2K');
    },
  };
}

function byState<T>(model: Model, values: readonly T[]): Record<string, T> {
  return Object.fromEntries(model.state.map((s, i) => [s, values[i]]));
}

/** S × N → {state: S values}. */
function columns(model: Model, grid: readonly (readonly number[])[]): Record<string, number[]> {
  return Object.fromEntries(model.state.map((s, i) => [s, grid.map((row) => row[i])]));
}

function summaryJSON(model: Model, r: EnsembleResult, dt: number, requested: number, cmp: MostLikelyComparison | undefined): Record<string, unknown> {
  const quantiles = Object.fromEntries(r.quantiles.map((q) => [String(q.level), columns(model, q.x)]));
  return {
    model: model.name,
    state: model.state,
    scheme: r.scheme,
    noise: r.noise,
    seed: r.seed,
    workers: r.workers,
    from: byState(model, r.from),
    t0: r.t0,
    T: r.T,
    dt,
    h: r.h,
    steps: r.steps,
    condition: r.condition ? { to: byState(model, r.condition.to), tol: r.condition.tol } : null,
    paths: { requested, simulated: r.simulated, accepted: r.acceptedTotal, used: r.paths, diverged: r.diverged },
    acceptanceRate: r.acceptanceRate,
    grid: {
      t: r.t,
      mean: columns(model, r.mean),
      std: columns(model, r.std),
      standardError: columns(model, r.standardError),
      quantiles,
      quantilePaths: r.quantilePaths,
    },
    final: {
      mean: byState(model, r.final.mean),
      std: byState(model, r.final.std),
      covariance: r.final.covariance,
      min: byState(model, r.final.min),
      max: byState(model, r.final.max),
      quantiles: Object.fromEntries(r.final.quantiles.map((q) => [String(q.level), byState(model, q.x)])),
    },
    ...(cmp
      ? {
          mostLikely: {
            distance: cmp.distance,
            at: cmp.at,
            standardError: cmp.standardError,
            maxStandardError: cmp.maxStandardError,
            action: cmp.action,
            converged: cmp.converged,
            path: columns(model, cmp.path),
          },
        }
      : {}),
    ...(r.histogram
      ? {
          histogram: {
            dims: r.histogram.dims.map((d) => model.state[d]),
            bins: r.histogram.bins,
            ranges: r.histogram.ranges,
            edges: r.histogram.edges,
            counts:
              r.histogram.bins.length === 1
                ? Array.from(r.histogram.counts)
                : Array.from({ length: r.histogram.bins[0] }, (_, a) => Array.from(r.histogram?.counts.subarray(a * r.histogram.bins[1], (a + 1) * r.histogram.bins[1]) ?? [])),
            total: r.histogram.total,
            outside: r.histogram.outside,
          },
        }
      : {}),
    wallSeconds: r.wallSeconds,
  };
}

function text(model: Model, r: EnsembleResult, requested: number, cmp: MostLikelyComparison | undefined, csvFile: string | undefined): string {
  const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
  const vec = (xs: readonly number[]): string => `(${xs.map(fmt).join(', ')})`;
  const schemeName = r.scheme === 'euler' ? 'Euler–Maruyama' : 'Milstein';
  const lines: string[] = [];
  if (r.condition) {
    lines.push(
      `Simulated ${model.name}: ${r.paths} paths from ${vec(r.from)} ending within ${fmt(r.condition.tol)} of ${vec(r.condition.to)} ` +
        `(accepted ${r.acceptedTotal} of ${r.simulated} simulated, rate ${fmtRate(r.acceptanceRate ?? 0)})`,
    );
  } else {
    lines.push(`Simulated ${model.name}: ${r.paths} paths from ${vec(r.from)}${r.paths < requested ? ` (of ${requested})` : ''}`);
  }
  lines.push(`  ${schemeName}, T = ${fmt(r.T)}, step ${fmt(r.h)} (${r.steps} steps), seed ${r.seed}, ${r.workers} worker${r.workers > 1 ? 's' : ''}, ${r.wallSeconds.toFixed(2)} s`);
  const gFrom = { noise: 'G as given by the model', 'diagonal-diffusion': 'G = √(2D), D diagonal', cholesky: 'G = chol(2D)' }[r.noise.source];
  lines.push(`  noise: ${r.noise.structure}, ${gFrom}, ${r.noise.wienerProcesses} Wiener process${r.noise.wienerProcesses > 1 ? 'es' : ''}; strong order ${r.noise.strongOrder}, weak order ${r.noise.weakOrder}`);
  if (r.diverged > 0) lines.push(`  warning: ${r.diverged} paths blew up (NaN or infinite state) and were left out; try a smaller --dt`);
  if (r.paths === 0) {
    lines.push('No paths to summarise.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('');
  lines.push(`Final state at t = ${fmt(r.t0 + r.T)}: mean ${vec(r.final.mean)}, std ${vec(r.final.std)}`);
  lines.push('');
  const S = r.t.length;
  const rows = Math.min(S, 11);
  const picks = Array.from({ length: rows }, (_, k) => Math.round((k * (S - 1)) / Math.max(1, rows - 1)));
  const qs = r.quantiles.filter((q) => q.level === 0.05 || q.level === 0.5 || q.level === 0.95);
  const shown = qs.length > 0 ? qs : r.quantiles.slice(0, 3);
  lines.push(`Mean path${shown.length > 0 ? ` and quantiles (${shown.map((q) => q.level).join(', ')})` : ''}, ${rows} of ${S} grid points:`);
  const header = ['t', ...model.state.flatMap((s) => [`${s} mean`, ...shown.map((q) => `${s} q${q.level}`)])];
  const table = picks.map((s) => [fmt(r.t[s]), ...model.state.flatMap((_, i) => [fmt(r.mean[s][i]), ...shown.map((q) => fmt(q.x[s][i]))])]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  lines.push(`  ${header.map((h, c) => h.padStart(widths[c])).join('  ')}`);
  for (const row of table) lines.push(`  ${row.map((x, c) => x.padStart(widths[c])).join('  ')}`);
  if (cmp) {
    lines.push('');
    lines.push(
      `Most likely path (solve, action ${fmt(cmp.action)}${cmp.converged ? '' : ', NOT converged'}): largest distance from the ensemble mean ${fmt(cmp.distance)} ` +
        `at t = ${fmt(cmp.at)} (standard error of the mean there ${fmt(cmp.standardError)})`,
    );
  }
  if (r.histogram) {
    const hg = r.histogram;
    lines.push('');
    lines.push(
      `Histogram of ${hg.dims.map((d) => model.state[d]).join(', ')}: ${hg.bins.join(' × ')} bins over ` +
        `${hg.ranges.map(([lo, hi], a) => `${model.state[hg.dims[a]]} ∈ [${fmt(lo)}, ${fmt(hi)}]`).join(', ')}; ${hg.total} states binned, ${hg.outside} outside (--json for the counts)`,
    );
  }
  if (csvFile !== undefined) {
    lines.push('');
    lines.push(`Raw paths written to ${csvFile}`);
  }
  return `${lines.join('\n')}\n`;
}

function fmtRate(r: number): string {
  return r >= 0.01 ? `${(100 * r).toPrecision(3)}%` : r.toExponential(2);
}
