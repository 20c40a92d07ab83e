// `noether check MODEL --generator JSON`: is a claimed transformation a
// (quasi-)symmetry? Exit 0 if exact or quasi, 1 if broken (with a counterexample).

import { formatCheck } from '../../format/derivation.ts';
import type { GeneratorSpec } from '../../symmetry/rules.ts';
import { choice, json, parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';

export const help = `Usage: noether check MODEL --generator JSON [--json] [--action eq8|om]

Checks whether the transformation t → t + ε τ(x,t), x → x + ε ξ(x,t) leaves the
model's Lagrangian invariant (exact), invariant up to a total derivative dK/dt
(quasi), or not (broken, with a point where δL ≠ 0).

  MODEL              a model file (.yaml, .yml or .json)
  --generator JSON   {"dt": "τ", "dx": ["ξ_1", ...]} or {"dx": {"x": "-y", "y": "x"}};
                     expressions may use the state, the parameters and t; missing entries are 0
  --json             print the CheckReport (schemas/check.schema.json)
  --action KIND      eq8 (default) or om
  --help, -h         this help

Exit status: 0 if exact or quasi, 1 if broken or undecided (no certified evaluation
was possible; the output says why).
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { generator: { type: 'string', short: 'g' }, json: { type: 'boolean' }, action: { type: 'string' } },
    { min: 1, max: 1, names: 'the model file (noether check MODEL --generator JSON)' },
  );
  if (values.generator === undefined) throw usageError('missing --generator, e.g. --generator \'{"dx": ["-y", "x"]}\'');
  const action = choice('action', values.action, ['eq8', 'om'] as const, 'eq8');
  const generator = json<GeneratorSpec>('generator', values.generator);
  const report = openModel(positionals[0], { action }).check(generator);
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatCheck(report));
  return report.symmetry.status === 'exact' || report.symmetry.status === 'quasi' ? EXIT.ok : EXIT.checkFailed;
}
