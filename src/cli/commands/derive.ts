// `noether derive MODEL`: every symmetry of the built-in (and user) rules, with
// verdicts, evidence and conserved quantities.

import { type DeriveFormat, formatDerivation } from '../../format/derivation.ts';
import { loadRuleDir } from '../../symmetry/rule-files.ts';
import { builtinRules, mergeRules } from '../../symmetry/rules.ts';
import { choice, parse } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';

export const help = `Usage: noether derive MODEL [--format text|latex|markdown|json] [--rules DIR] [--snippet] [--components] [--action eq8|om]

Solves the determining equations for the whole algebra of point symmetries
(and says whether the answer is complete), tests every generator of the rules
(time translation, translations, rotations, boosts, scaling, and your own) on
the model's Lagrangian, and prints, for each generator:
exact / quasi / broken, the evidence (symbolic proof or numeric sampling), a
counterexample when broken, the gauge term K for quasi-symmetries, and the
conserved Noether charge J = p·ξ − τE − K.

  MODEL              a model file (.yaml, .yml or .json)
  --format, -f FMT   text (default), latex (a full document), markdown or json
                     (the DerivationReport, schemas/derivation.schema.json)
  --snippet          with --format latex: only the align environment
  --components       in text, every charge in x, ẋ and t; by default a long charge of
                     an exact symmetry with τ = 0 is written as p·ξ (pᵀΩx for a
                     rotation ξ = Ωx of a network), p = ∂L/∂ẋ (JSON has both)
  --rules DIR        also load the rule files in DIR (a rule with a built-in's name replaces it)
  --action KIND      eq8 (default, paper Eq. 8) or om (adds ½∇·f)
  --no-discover      test the rules only, without solving for the symmetry algebra
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: 'string', short: 'f' },
      rules: { type: 'string' },
      snippet: { type: 'boolean' },
      components: { type: 'boolean' },
      action: { type: 'string' },
      'no-discover': { type: 'boolean' },
    },
    { min: 1, max: 1, names: 'the model file (noether derive MODEL)' },
  );
  const format = choice<DeriveFormat>('format', values.format, ['text', 'latex', 'markdown', 'json'], 'text');
  const action = choice('action', values.action, ['eq8', 'om'] as const, 'eq8');
  const rules = values.rules ? mergeRules(builtinRules(), loadRuleDir(values.rules)) : builtinRules();
  const report = openModel(positionals[0], { action, rules, discover: values['no-discover'] !== true }).derivation();
  io.stdout(formatDerivation(report, format, { snippet: values.snippet === true, components: values.components === true }));
  for (const r of report.rules) if (r.status === 'skipped') io.stderr(`warning: rule file ${r.file} skipped: ${r.reason}\n`);
  return EXIT.ok;
}
