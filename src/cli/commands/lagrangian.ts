// `noether lagrangian MODEL`: L, p, E, H and the equations of motion.

import { buildLagrangian, equationsOfMotion } from '../../lagrangian/lagrangian.ts';
import { formatLagrangian, type OutputFormat } from '../../latex/lagrangian-output.ts';
import { loadModelFile } from '../../model/load.ts';
import { choice, parse } from '../args.ts';
import { EXIT, type IO } from '../io.ts';

export const help = `Usage: noether lagrangian MODEL [--format text|latex|json] [--action eq8|om]

Prints the Onsager–Machlup Lagrangian of the model (paper Eq. 8), the momenta
p = ∂L/∂ẋ, the energy E = p·ẋ − L, the Hamiltonian H(x, p), the Euler–Lagrange
equations solved for the accelerations, and Hamilton's equations.

  MODEL              a model file (.yaml, .yml or .json)
  --format, -f FMT   text (default), latex (an align environment) or json
  --action KIND      eq8: L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) as in the paper (default);
                     om: adds ½∇·f (the Onsager–Machlup correction)
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { format: { type: 'string', short: 'f' }, action: { type: 'string' } },
    { min: 1, max: 1, names: 'the model file (noether lagrangian MODEL)' },
  );
  const format = choice<OutputFormat>('format', values.format, ['text', 'latex', 'json'], 'text');
  const action = choice('action', values.action, ['eq8', 'om'] as const, 'eq8');
  const model = loadModelFile(positionals[0]);
  const lagrangian = buildLagrangian(model, action);
  io.stdout(formatLagrangian(lagrangian, equationsOfMotion(lagrangian), format));
  return EXIT.ok;
}
