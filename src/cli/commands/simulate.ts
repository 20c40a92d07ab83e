// `noether simulate MODEL --from JSON --T t --dt h --paths n`: seeded ensembles
// of sample paths, optionally conditioned on the end state, summarised as mean
// and quantile paths on an output grid (never the raw paths, except to --csv).

import type { StatePoint } from '../../api/requests.ts';
import { DEFAULT_QUANTILES, DEFAULT_SAMPLES, DEFAULT_SEED } from '../../simulate/simulate.ts';
import { formatEnsemble } from '../../format/ensemble.ts';
import { choice, integer, json, numeric, parse, shard, usageError } from '../args.ts';
import { CsvWriter } from '../csv.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';
import { figureFormat, writeAtomically, writeFigure } from '../../plot/files.ts';
import { SampleCollector, ensembleSpec } from '../../plot/ensemble.ts';
import { progressBar } from '../progress.ts';

export const help = `Usage: noether simulate MODEL --from JSON --T t --dt h --paths n [options]

Simulates seeded sample paths of dx = f(x, t) dt + G(x, t) dW (D = G Gᵀ/2): the same
seed gives the same numbers for any number of workers. Prints the mean, standard
deviation and quantile paths on an output grid and final-state statistics (--csv: paths).

  MODEL              a model file (.yaml, .yml or .json)
  --from JSON        start state, e.g. '{"x": 0.8, "y": -0.4}' (or a list in state order)
  --T t              duration
  --dt h             time step (the step used is T/⌈T/h⌉)
  --paths n          paths to simulate (with --to: accepted paths wanted)
  --t0 t             start time (default 0)
  --scheme NAME      euler (Euler–Maruyama, default) or milstein (strong order 1, commutative noise)
  --seed s           integer seed, 0 to 4294967295 (default ${DEFAULT_SEED})
  --workers w        worker threads (default: every core)
  --samples k        points of the output grid (default ${DEFAULT_SAMPLES})
  --quantiles LIST   quantile levels (default ${DEFAULT_QUANTILES.join(',')})

Conditioned ensembles (rejection):
  --to JSON          keep only paths that end within --tol of this state
  --tol eps          tolerance (Euclidean distance at time T)
  --budget n         at most n simulated paths (default 2e9 steps' worth, ≥ 10 × --paths); a
                     pilot batch stops the run early, with its estimate (exit 1), if too few
  --no-compare       skip the comparison with the most likely path (solve)

Stationary densities (plain runs):
  --histogram B      histogram of the states after --burn-in: B bins per dimension, or BX,BY
  --dims NAMES       one or two state variables (default the first two)
  --range JSON       e.g. '{"x": [-1, 1], "y": [-1, 1]}' (default: from a pilot)
  --burn-in t        time before states are binned (default T/2)

Beyond one machine (plain runs and histograms):
  --shard k/K        only shard k of K of the paths, on the whole run's random streams;
                     \`noether merge\` the K reports into the whole run's (examples/cluster/)
  --out FILE         also write the JSON report to FILE

Output:
  --json             the EnsembleReport (schemas/ensemble.schema.json; timing in wallSeconds)
  --csv FILE         the raw paths (path, t, state...), thinned by --stride; written when complete
  --stride k         keep every k-th step (and the last; default 1)
  --plot FILE        also draw 60 sample paths, the mean and (with --to) the most likely
                     path, .svg or .png (x against t in 1D, else the plane of the first two)
  --help, -h         this help

A progress bar is drawn on stderr when stderr is a terminal.
`;

const STRING_OPTIONS = ['from', 'T', 'dt', 'paths', 't0', 'scheme', 'seed', 'workers', 'samples', 'quantiles', 'to', 'tol', 'budget', 'histogram', 'dims', 'range', 'burn-in', 'csv', 'stride', 'shard', 'out', 'plot'] as const;
const OPTIONS = {
  ...(Object.fromEntries(STRING_OPTIONS.map((k) => [k, { type: 'string' }])) as { [K in (typeof STRING_OPTIONS)[number]]: { type: 'string' } }),
  'no-compare': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function run(args: string[], io: IO): Promise<number> {
  const { values: v, positionals } = parse(args, OPTIONS, { min: 1, max: 1, names: 'the model file (noether simulate MODEL --from JSON --T t --dt h --paths n)' });
  const missing = (['from', 'T', 'dt', 'paths'] as const).filter((k) => v[k] === undefined);
  if (missing.length > 0) throw usageError(`missing ${missing.map((k) => `--${k}`).join(', ')} (noether simulate MODEL --from JSON --T t --dt h --paths n)`);
  if ((v.to === undefined) !== (v.tol === undefined)) throw usageError('give --to and --tol together (keep paths ending within --tol of --to)');
  if (v.budget !== undefined && v.to === undefined) throw usageError('--budget applies to conditioned runs (--to, --tol)');
  for (const k of ['dims', 'range', 'burn-in'] as const) if (v[k] !== undefined && v.histogram === undefined) throw usageError(`--${k} applies to --histogram`);
  if (v.json && v.csv !== undefined) throw usageError('give at most one of --json and --csv');
  if (v.stride !== undefined && v.csv === undefined) throw usageError('--stride applies to --csv output');
  if (v.csv !== undefined && v.csv.trim() === '') throw usageError('--csv needs a file name');
  if (v.out !== undefined && v.out.trim() === '') throw usageError('--out needs a file name');
  if (v.plot !== undefined && !figureFormat(v.plot)) throw usageError(`--plot: a figure is written as .svg or .png; got '${v.plot}'`);
  const list = (name: string, text: string): number[] => text.split(',').map((s) => numeric(name, s.trim()));
  // --histogram B: B bins in every dimension; BX,BY: one count per dimension.
  const bins = (b: number[]): number | number[] => (b.length === 1 ? b[0] : b);

  const analyzer = openModel(positionals[0]);
  const request = {
    from: json<StatePoint>('from', v.from as string),
    T: numeric('T', v.T as string),
    dt: numeric('dt', v.dt as string),
    paths: integer('paths', v.paths as string, 1, 2 ** 31 - 1),
    scheme: choice('scheme', v.scheme, ['euler', 'milstein'] as const, 'euler'),
    ...(v.t0 !== undefined ? { t0: numeric('t0', v.t0) } : {}),
    ...(v.seed !== undefined ? { seed: integer('seed', v.seed, 0, 2 ** 32 - 1) } : {}),
    ...(v.workers !== undefined ? { workers: integer('workers', v.workers, 1, 1024) } : {}),
    ...(v.samples !== undefined ? { samples: integer('samples', v.samples, 2, 100_000) } : {}),
    ...(v.quantiles !== undefined ? { quantiles: list('quantiles', v.quantiles) } : {}),
    ...(v.to !== undefined
      ? { condition: { to: json<StatePoint>('to', v.to), tol: numeric('tol', v.tol as string), ...(v.budget !== undefined ? { budget: integer('budget', v.budget, 1, 2 ** 31 - 1) } : {}) } }
      : {}),
    compare: v['no-compare'] !== true,
    ...(v.shard !== undefined ? { shard: shard('shard', v.shard) } : {}),
    ...(v.histogram !== undefined
      ? {
          histogram: {
            bins: bins(list('histogram', v.histogram)),
            ...(v.dims !== undefined ? { dims: v.dims.split(',').map((d) => d.trim()) } : {}),
            ...(v.range !== undefined ? { ranges: json<Record<string, [number, number]>>('range', v.range) } : {}),
            ...(v['burn-in'] !== undefined ? { burnIn: numeric('burn-in', v['burn-in']) } : {}),
          },
        }
      : {}),
  };

  const progress = progressBar(io, v.to !== undefined ? 'accepted paths' : 'paths');
  const csv = v.csv !== undefined ? new CsvWriter(v.csv, analyzer.model.state) : undefined;
  // Interrupted: remove the partial file before the process exits.
  const release = csv && io.onInterrupt ? io.onInterrupt(() => { csv.abandon(); progress?.done(); }) : undefined;
  const samples = v.plot !== undefined ? new SampleCollector(analyzer.model.state.length) : undefined;
  try {
    const report = await analyzer.simulate(request, {
      ...(csv || samples
        ? { stride: v.stride === undefined ? 1 : integer('stride', v.stride, 1, 1e9), onPaths: (batch) => (csv?.write(batch), samples?.add(batch)) }
        : {}),
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.done();
    // A run that stopped early leaves no file: it would hold fewer paths than asked for.
    if (report.outcome === 'complete') csv?.commit();
    else csv?.abandon();
    if (report.hopeless) io.stderr(`noether simulate: ${report.hopeless.message}\n`);
    if (v.out !== undefined && report.outcome === 'complete') writeAtomically(v.out, `${JSON.stringify(report)}\n`);
    if (samples && v.plot !== undefined && report.outcome === 'complete') await writeFigure(ensembleSpec(samples.paths, report, analyzer.model.state), v.plot);
    io.stdout(v.json ? `${JSON.stringify(report)}\n` : formatEnsemble(report, report.outcome === 'complete' ? csv?.file : undefined));
    return report.outcome === 'complete' ? EXIT.ok : EXIT.checkFailed;
  } catch (err) {
    csv?.abandon();
    progress?.done();
    throw err;
  } finally {
    release?.();
  }
}
