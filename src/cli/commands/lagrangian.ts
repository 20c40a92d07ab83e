// `noether lagrangian MODEL`: L, p, E, H and the equations of motion.

import { type OutputFormat, formatLagrangian } from '../../format/lagrangian.ts';
import { choice, parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';

/** Largest state for which the equations of motion are written out unless asked for. */
export const EQUATIONS_MAX_STATE = 16;

export const help = `Usage: noether lagrangian MODEL [--format text|latex|json] [--document] [--action eq8|om] [--equations | --no-equations]

Prints the Onsager–Machlup Lagrangian of the model (paper Eq. 8), the momenta
p = ∂L/∂ẋ, the energy E = p·ẋ − L, the Hamiltonian H(x, p), the Euler–Lagrange
equations solved for the accelerations, and Hamilton's equations.

  MODEL              a model file (.yaml, .yml or .json)
  --format, -f FMT   text (default), latex (an align environment, each equation
                     broken to fit the page) or json (the LagrangianReport,
                     schemas/lagrangian.schema.json)
  --document         with --format latex: a whole article that compiles with pdflatex
  --action KIND      eq8: L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) as in the paper (default);
                     om: adds ½∇·f (the Onsager–Machlup correction)
  --equations        the equations of motion whatever the size; by default they
                     are left out past ${EQUATIONS_MAX_STATE} state variables (written out by
                     components they have O(N³) terms: minutes and megabytes at
                     N = 64), with a note on stderr
  --no-equations     leave them out at any size
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: 'string', short: 'f' },
      action: { type: 'string' },
      document: { type: 'boolean' },
      equations: { type: 'boolean' },
      'no-equations': { type: 'boolean' },
    },
    { min: 1, max: 1, names: 'the model file (noether lagrangian MODEL)' },
  );
  const format = choice<OutputFormat>('format', values.format, ['text', 'latex', 'json'], 'text');
  if (values.document && format !== 'latex') throw usageError('--document applies to --format latex');
  const action = choice('action', values.action, ['eq8', 'om'] as const, 'eq8');
  if (values.equations && values['no-equations']) throw usageError('give --equations or --no-equations, not both');
  const analyzer = openModel(positionals[0], { action });
  const n = analyzer.model.state.length;
  const equationsOfMotion = values.equations === true || (values['no-equations'] !== true && n <= EQUATIONS_MAX_STATE);
  const report = analyzer.lagrangian({ equationsOfMotion });
  io.stdout(formatLagrangian(report, format, { document: values.document === true }));
  if (!equationsOfMotion && values['no-equations'] !== true) {
    io.stderr(`note: the equations of motion are left out for ${n} state variables (more than ${EQUATIONS_MAX_STATE}); --equations prints them\n`);
  }
  return EXIT.ok;
}
