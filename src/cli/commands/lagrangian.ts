// `noether lagrangian MODEL`: L, p, E, H and the equations of motion.

import { type OutputFormat, formatLagrangian } from '../../format/lagrangian.ts';
import { choice, parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';

export const help = `Usage: noether lagrangian MODEL [--format text|latex|json] [--document] [--action eq8|om]

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
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { format: { type: 'string', short: 'f' }, action: { type: 'string' }, document: { type: 'boolean' } },
    { min: 1, max: 1, names: 'the model file (noether lagrangian MODEL)' },
  );
  const format = choice<OutputFormat>('format', values.format, ['text', 'latex', 'json'], 'text');
  if (values.document && format !== 'latex') throw usageError('--document applies to --format latex');
  const action = choice('action', values.action, ['eq8', 'om'] as const, 'eq8');
  const report = openModel(positionals[0], { action }).lagrangian({ equationsOfMotion: true });
  io.stdout(formatLagrangian(report, format, { document: values.document === true }));
  return EXIT.ok;
}
