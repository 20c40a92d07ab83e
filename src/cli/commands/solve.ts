// `noether solve MODEL --from JSON --to JSON (--T t | --E e)`: the most likely
// path and the conservation of every charge along it.

import { type PathReport, solveAndCheck } from '../../check/path-report.ts';
import { buildLagrangian, isTimeDependent } from '../../lagrangian/lagrangian.ts';
import { loadModelFile } from '../../model/load.ts';
import type { Model } from '../../model/types.ts';
import { derive } from '../../noether/derive.ts';
import { builtinRulesDir, loadRuleDir } from '../../symmetry/rules.ts';
import { choice, number, parse, positiveInteger, statePoint } from '../args.ts';
import { EXIT, type IO, UsageError } from '../io.ts';

export const help = `Usage: noether solve MODEL --from JSON --to JSON (--T t | --E e) [options]

Solves the most likely path from one state to another, in a fixed time T
(minimising the midpoint-rule action by Newton's method) or at a fixed energy E
(minimising the geometric action; the transit time T* is recovered), then checks
every conserved quantity found by \`noether derive\` along it.

  MODEL              a model file (.yaml, .yml or .json)
  --from JSON        start state, e.g. '{"x": 0.8, "y": -0.4}' (or a list in state order)
  --to JSON          end state
  --T t              duration (fixed-time problem)
  --E e              energy (fixed-energy problem; time-independent models)
  --t0 t             start time (default: the start of the model's time interval, else 0)
  --nodes M          intervals of the discretisation (default 1000)
  --method NAME      newton (default), lbfgs (first order, for comparison) or
                     shoot (Newton, then Hamiltonian shooting to integrator accuracy)
  --drift-tol x      largest relative drift of a conserved charge (default 1e-6)
  --no-refine        skip the solves at 2M and 4M that measure convergence orders
  --json             machine-readable output (the full path and charge values)
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
      json: { type: 'boolean' },
    },
    { min: 1, max: 1, names: 'the model file (noether solve MODEL --from JSON --to JSON --T t)' },
  );
  if (values.from === undefined || values.to === undefined) throw new UsageError('give both --from and --to, e.g. --from \'{"x": 0.8}\'');
  if ((values.T === undefined) === (values.E === undefined)) throw new UsageError('give exactly one of --T (fixed duration) and --E (fixed energy)');
  const method = choice('method', values.method, ['newton', 'lbfgs', 'shoot'] as const, 'newton');
  const nodes = positiveInteger('nodes', values.nodes, 1000);
  const T = values.T === undefined ? undefined : number('T', values.T, (x) => x > 0, 'a positive number');
  const E = values.E === undefined ? undefined : number('E', values.E, Number.isFinite, 'a number');
  const model = loadModelFile(positionals[0]);
  const t0 = values.t0 === undefined ? (model.timeGiven ? model.time[0] : 0) : number('t0', values.t0, Number.isFinite, 'a number');
  if (model.timeGiven && T !== undefined && (t0 < model.time[0] || t0 + T > model.time[1])) {
    throw new UsageError(`the path [${t0}, ${t0 + T}] leaves the model's time interval [${model.time.join(', ')}]`);
  }
  if (E !== undefined && method !== 'newton') throw new UsageError('--method applies to fixed-duration paths (--T) only');
  const driftTolerance = values['drift-tol'] === undefined ? 1e-6 : number('drift-tol', values['drift-tol'], (x) => x > 0, 'a positive number');
  const from = statePoint('from', values.from, model);
  const to = statePoint('to', values.to, model);
  const lagrangian = buildLagrangian(model);
  if (E !== undefined && isTimeDependent(lagrangian)) {
    throw new UsageError('fixed-energy paths need a time-independent model (energy is not conserved otherwise); use --T');
  }
  const derivation = derive(lagrangian, loadRuleDir(builtinRulesDir()));
  const report = solveAndCheck(lagrangian, derivation, {
    from,
    to,
    ...(T !== undefined ? { T } : {}),
    ...(E !== undefined ? { E } : {}),
    t0,
    nodes,
    method,
    driftTolerance,
    refine: values['no-refine'] !== true,
  });
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : text(report, model, driftTolerance));
  return report.passed ? EXIT.ok : EXIT.checkFailed;
}

function text(r: PathReport, model: Model, tol: number): string {
  const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x));
  const lines = [
    `Most likely path of ${model.name}: ${r.converged ? 'converged' : 'NOT converged'} (${r.method}, ${r.iterations} iterations, |∂S/∂x| = ${r.gradientNorm.toExponential(2)})`,
    `  from (${r.x[0].map(fmt).join(', ')}) to (${r.x[r.x.length - 1].map(fmt).join(', ')}), T = ${fmt(r.T)}, E = ${fmt(r.E)}, action S = ${fmt(r.action)}`,
    '',
    `Conserved quantities along the path (tolerance ${tol}):`,
  ];
  if (r.quantities.length === 0) lines.push('  none (the model has no exact or quasi-symmetry among the rules)');
  for (const q of r.quantities) {
    const mean = q.values.reduce((a, b) => a + b, 0) / q.values.length;
    lines.push(
      `  ${q.symbol.padEnd(6)} ${q.passed ? 'ok  ' : 'FAIL'} mean ${fmt(mean)}, relative drift ${q.relativeDrift.toExponential(2)}` +
        (q.order !== null
          ? `, observed order ${q.order.toFixed(2)}`
          : q.relativeDrift < 1e-10
            ? ' (at rounding level)'
            : ' (not falling under refinement)'),
    );
  }
  return `${lines.join('\n')}\n`;
}
