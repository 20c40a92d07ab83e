// `noether fixed-points MODEL`: the fixed points of the drift in a box, with
// their linear stability (stable, saddle, unstable, degenerate).

import { DEFAULT_BOX_HALF_WIDTH } from '../../api/analyzer.ts';
import { formatFixedPoints } from '../../format/fixed-points.ts';
import { json, numeric, parse } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';

export const help = `Usage: noether fixed-points MODEL [--box JSON] [--t T] [--json]

Finds the fixed points of the drift, f(x, t) = 0, inside a box (damped Newton
from a seeded grid of starts), and classifies each by the eigenvalues of the
drift Jacobian ∂f/∂x: stable (all real parts < 0), unstable (all > 0), saddle
(mixed signs) or degenerate (a real part within 1e-9 of 0).

  MODEL              a model file (.yaml, .yml or .json)
  --box JSON         the search box per state variable, e.g. '{"x": [-2, 2], "y": [-1, 1]}';
                     variables left out get [-${DEFAULT_BOX_HALF_WIDTH}, ${DEFAULT_BOX_HALF_WIDTH}]
  --t T              time at which a time-dependent drift is frozen (default 0)
  --json             the FixedPointReport (schemas/fixed-points.schema.json):
                     {model, box, t, fixedPoints: [{x, stability, eigenvalues, residual}]}
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { box: { type: 'string' }, t: { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1, names: 'the model file (noether fixed-points MODEL)' },
  );
  const report = openModel(positionals[0]).fixedPoints({
    ...(values.box !== undefined ? { box: json('box', values.box) } : {}),
    ...(values.t !== undefined ? { t: numeric('t', values.t) } : {}),
  });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatFixedPoints(report));
  return EXIT.ok;
}
