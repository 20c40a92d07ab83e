// `noether check MODEL --generator JSON`: is a claimed transformation a
// (quasi-)symmetry? Exit 0 if exact or quasi, 1 if broken (with a counterexample).

import { buildLagrangian } from '../../lagrangian/lagrangian.ts';
import { formatCheck, symmetryJSON } from '../../latex/derive-output.ts';
import { loadModelFile } from '../../model/load.ts';
import { checkInstance } from '../../noether/derive.ts';
import { parseGeneratorClaim } from '../../symmetry/rules.ts';
import { choice, parse } from '../args.ts';
import { EXIT, type IO, UsageError } from '../io.ts';

export const help = `Usage: noether check MODEL --generator JSON [--json] [--action eq8|om]

Checks whether the transformation t → t + ε τ(x,t), x → x + ε ξ(x,t) leaves the
model's Lagrangian invariant (exact), invariant up to a total derivative dK/dt
(quasi), or not (broken, with a point where δL ≠ 0).

  MODEL              a model file (.yaml, .yml or .json)
  --generator JSON   {"dt": "τ", "dx": ["ξ_1", ...]} or {"dx": {"x": "-y", "y": "x"}};
                     expressions may use the state, the parameters and t; missing entries are 0
  --json             print the result as JSON
  --action KIND      eq8 (default) or om
  --help, -h         this help

Exit status: 0 if exact or quasi, 1 if broken.
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { generator: { type: 'string', short: 'g' }, json: { type: 'boolean' }, action: { type: 'string' } },
    { min: 1, max: 1, names: 'the model file (noether check MODEL --generator JSON)' },
  );
  if (values.generator === undefined) throw new UsageError('missing --generator, e.g. --generator \'{"dx": ["-y", "x"]}\'');
  const action = choice('action', values.action, ['eq8', 'om'] as const, 'eq8');
  const model = loadModelFile(positionals[0]);
  const claim = parseGeneratorClaim(values.generator, model);
  const lagrangian = buildLagrangian(model, action);
  const result = checkInstance(lagrangian, claim);
  io.stdout(values.json ? `${JSON.stringify(symmetryJSON(result, lagrangian), null, 2)}\n` : formatCheck(result));
  return result.verdict.status === 'broken' ? EXIT.checkFailed : EXIT.ok;
}
