// `noether solve MODEL --from JSON --to JSON (--T t | --E e)`: the most likely
// path and the conservation of every charge along it.

import { formatPath } from '../../format/path.ts';
import { choice, integer, json, numeric, parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';
import { surroundings } from '../../plot/context.ts';
import { figureFormat, writeFigure } from '../../plot/files.ts';
import { pathSpec } from '../../plot/render.ts';

export const help = `Usage: noether solve MODEL --from JSON --to JSON (--T t | --E e) [options]

Solves the most likely path from one state to another, in a fixed time T
(minimising the midpoint-rule action by Newton's method) or at a fixed energy E
(minimising the geometric action; the transit time T* is recovered), polishes it
by shooting on Hamilton's equations (the path, the action ∫ L dt and the charges
then hold to integrator accuracy, about 1e-10), then checks every conserved
quantity found by \`noether derive\` along it. Where shooting fails (long,
unstable transits) the discrete path is kept and the output says so.

  MODEL              a model file (.yaml, .yml or .json)
  --from JSON        start state, e.g. '{"x": 0.8, "y": -0.4}' (or a list in state order)
  --to JSON          end state
  --T t              duration (fixed-time problem)
  --E e              energy (fixed-energy problem; time-independent models)
  --t0 t             start time (default: the start of the model's time interval, else 0)
  --nodes M          intervals of the discretisation (default 1000)
  --method NAME      the discrete minimiser: newton (default) or lbfgs (first
                     order, for comparison)
  --no-polish        keep the discrete path (midpoint rule, error O(1/M²)): no shooting
  --drift-tol x      the pass rule: a charge passes when its relative drift
                     (max − min over the size of its terms) is at most x (default 1e-6)
  --no-refine        for a path left discrete, skip the solves at 2M and 4M that
                     measure the drift's order of convergence
  --json             the PathReport (schemas/path.schema.json): the full path and charge values
  --plot FILE        also draw the path, .svg or .png (2D: over the drift field, with
                     the fixed points; N > 2: each coordinate against t)
  --help, -h         this help

Exit status: 0 if the solver converged and every charge held, 1 otherwise.
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      T: { type: 'string' },
      E: { type: 'string' },
      t0: { type: 'string' },
      nodes: { type: 'string' },
      method: { type: 'string' },
      'drift-tol': { type: 'string' },
      'no-refine': { type: 'boolean' },
      'no-polish': { type: 'boolean' },
      json: { type: 'boolean' },
      plot: { type: 'string' },
    },
    { min: 1, max: 1, names: 'the model file (noether solve MODEL --from JSON --to JSON --T t)' },
  );
  if (values.from === undefined || values.to === undefined) throw usageError('give both --from and --to, e.g. --from \'{"x": 0.8}\'');
  if ((values.T === undefined) === (values.E === undefined)) throw usageError('give exactly one of --T (fixed duration) and --E (fixed energy)');
  const method = choice('method', values.method, ['newton', 'lbfgs'] as const, 'newton');
  if (values.plot !== undefined && !figureFormat(values.plot)) throw usageError(`--plot: a figure is written as .svg or .png; got '${values.plot}'`);
  const analyzer = openModel(positionals[0]);
  const report = analyzer.path({
    from: json('from', values.from),
    to: json('to', values.to),
    ...(values.T !== undefined ? { T: numeric('T', values.T) } : {}),
    ...(values.E !== undefined ? { E: numeric('E', values.E) } : {}),
    ...(values.t0 !== undefined ? { t0: numeric('t0', values.t0) } : {}),
    ...(values.nodes !== undefined ? { nodes: integer('nodes', values.nodes, 2, 1_000_000) } : {}),
    ...(values['drift-tol'] !== undefined ? { driftTolerance: numeric('drift-tol', values['drift-tol']) } : {}),
    method,
    polish: values['no-polish'] !== true,
    refine: values['no-refine'] !== true,
  });
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : formatPath(report));
  if (values.plot !== undefined) {
    const { state } = analyzer.model;
    await writeFigure(pathSpec(report, state, state.length === 2 ? surroundings(analyzer, [report.x], report.request.t0) : {}), values.plot);
  }
  return report.passed ? EXIT.ok : EXIT.checkFailed;
}
