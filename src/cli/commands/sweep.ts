// `noether sweep MODEL --from JSON --to JSON (--T t | --E list) --param NAME=a:b:n ...`:
// the most likely path at every point of a parameter grid and/or an energy list,
// on every core, or one shard of the points (merged by `noether merge`).

import type { StatePoint, SweepAxis } from '../../api/requests.ts';
import { sweep } from '../../api/sweep-threads.ts';
import { NoetherError } from '../../errors.ts';
import { formatSweep } from '../../format/sweep.ts';
import { readModelFile } from '../../model/file.ts';
import { writeAtomically } from '../../plot/files.ts';
import { choice, integer, json, numeric, parse, shard, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { progressBar } from '../progress.ts';

export const help = `Usage: noether sweep MODEL --from JSON --to JSON (--T t | --E LIST) [--param NAME=a:b:n ...] [options]

Solves the most likely path, as \`noether solve\` does, at every point of a sweep:
each --param varies a scalar parameter over n evenly spaced values from a to b
(both included), several --param span their product (the first outermost), and
--E gives the energies (fixed-energy paths; innermost). The points run on every
core; the report lists them by index, the same for any number of workers.

  MODEL              a model file (.yaml, .yml or .json)
  --from JSON        start state, e.g. '{"x": 0.8, "y": -0.4}' (or a list in state order)
  --to JSON          end state
  --T t              the duration of every path (fixed-time problems)
  --E LIST           energies, comma-separated, e.g. --E -0.5,0,0.5 (fixed-energy problems)
  --param NAME=a:b:n n values of the parameter NAME from a to b, e.g. --param k=0.5:1.5:21
                     (repeat for a grid; n = 1 needs a = b)
  --t0 t, --nodes M, --method NAME, --no-polish, --drift-tol x, --no-refine
                     as for \`noether solve\`, at every point
  --workers w        worker threads (default: every core)

Beyond one machine:
  --shard k/K        only the points whose index i has i mod K = k − 1; \`noether merge\`
                     the K reports into the whole sweep's (examples/cluster/)
  --out FILE         also write the JSON report to FILE

Output:
  --json             the SweepReport (schemas/sweep.schema.json): the model (name, state,
                     params, digest), the request with every default and each parameter's
                     values, total (points in the whole sweep), passed, and points, by index:
                     {index, params, E, path, error}, where path is {action, T,
                     infiniteDuration, E, converged, iterations, method, gradientNorm,
                     stationary, morseIndex, polished, maxDrift: {symbol, relativeDrift},
                     failedCharges, passed} and error {code, message} is what \`solve\` says
                     at a point it cannot solve (e.g. an energy below what the path needs)
  --help, -h         this help

A progress bar is drawn on stderr when stderr is a terminal.
Exit status: 0 if every point converged, is no saddle and kept every charge; 1 otherwise.
`;

const STRING_OPTIONS = ['from', 'to', 'T', 'E', 't0', 'nodes', 'method', 'drift-tol', 'workers', 'shard', 'out'] as const;
const OPTIONS = {
  ...(Object.fromEntries(STRING_OPTIONS.map((k) => [k, { type: 'string' }])) as { [K in (typeof STRING_OPTIONS)[number]]: { type: 'string' } }),
  param: { type: 'string', multiple: true },
  'no-polish': { type: 'boolean' },
  'no-refine': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function run(args: string[], io: IO): Promise<number> {
  const { values: v, positionals } = parse(args, OPTIONS, { min: 1, max: 1, names: 'the model file (noether sweep MODEL --from JSON --to JSON --T t --param NAME=a:b:n)' });
  if (v.from === undefined || v.to === undefined) throw usageError('give both --from and --to, e.g. --from \'{"x": 0.8}\'');
  if ((v.T === undefined) === (v.E === undefined)) throw usageError('give exactly one of --T (fixed duration) and --E (a list of energies)');
  const params = (v.param ?? []).map(axis);
  if (params.length === 0 && v.E === undefined) throw usageError('nothing to sweep: give --param NAME=a:b:n (e.g. --param k=0.5:1.5:21) or a list of energies --E');
  if (v.out !== undefined && v.out.trim() === '') throw usageError('--out needs a file name');
  const request = {
    from: json<StatePoint>('from', v.from),
    to: json<StatePoint>('to', v.to),
    ...(v.T !== undefined ? { T: numeric('T', v.T) } : {}),
    ...(v.E !== undefined ? { E: v.E.split(',').map((e) => numeric('E', e.trim())) } : {}),
    params,
    ...(v.t0 !== undefined ? { t0: numeric('t0', v.t0) } : {}),
    ...(v.nodes !== undefined ? { nodes: integer('nodes', v.nodes, 2, 1_000_000) } : {}),
    method: choice('method', v.method, ['newton', 'lbfgs'] as const, 'newton'),
    ...(v['drift-tol'] !== undefined ? { driftTolerance: numeric('drift-tol', v['drift-tol']) } : {}),
    polish: v['no-polish'] !== true,
    refine: v['no-refine'] !== true,
    ...(v.shard !== undefined ? { shard: shard('shard', v.shard) } : {}),
  };
  const workers = v.workers !== undefined ? { workers: integer('workers', v.workers, 1, 1024) } : {};
  const file = positionals[0];
  const spec = readModelFile(file);
  const progress = progressBar(io, 'points');
  try {
    const report = await sweep(spec, request, { file, ...workers, ...(progress ? { onProgress: progress.update } : {}) });
    progress?.done();
    const text = `${JSON.stringify(report)}\n`;
    if (v.out !== undefined) writeAtomically(v.out, text);
    io.stdout(v.json ? text : formatSweep(report));
    return report.passed ? EXIT.ok : EXIT.checkFailed;
  } catch (err) {
    progress?.done();
    throw onOption(err, v.param ?? []);
  }
}

/** `NAME=start:stop:count`. */
function axis(text: string): SweepAxis {
  const m = /^\s*([^=\s]+)\s*=([^:]*):([^:]*):([^:]*)$/.exec(text);
  if (!m) throw usageError(`--param expects NAME=start:stop:count, e.g. k=0.5:1.5:21; got '${text}'`);
  const [, name, start, stop, count] = m;
  const value = (what: string, s: string): number => {
    const x = Number(s);
    if (s.trim() === '' || !Number.isFinite(x)) throw usageError(`--param ${text}: the ${what} must be a finite number; got '${s.trim()}'`);
    return x;
  };
  const n = Number(count);
  if (count.trim() === '' || !Number.isInteger(n) || n < 1) throw usageError(`--param ${text}: the count must be a whole number of at least 1; got '${count.trim()}'`);
  return { name, start: value('start', start), stop: value('stop', stop), count: n };
}

/** A request error about the grid names the --param option (the i-th one, for params[i]) it came from. */
function onOption(err: unknown, texts: readonly string[]): unknown {
  const at = err instanceof NoetherError && err.code === 'request' ? /^params(?:\[(\d+)\])?/.exec(err.where.path ?? '') : null;
  if (!at) return err;
  return usageError(`--param${at[1] !== undefined ? ` ${texts[Number(at[1])]}` : ''}: ${(err as NoetherError).detail}`);
}
