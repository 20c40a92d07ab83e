// `noether report MODEL -o report.html`: one self-contained HTML file with the
// model, its symmetries and charges, a solved path and the charges along it.

import { renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { solveAndCheck } from '../../check/path-report.ts';
import { buildLagrangian } from '../../lagrangian/lagrangian.ts';
import { loadModelFile } from '../../model/load.ts';
import type { Model } from '../../model/types.ts';
import { derive } from '../../noether/derive.ts';
import { chargesSpec, pathSpec, toSvg } from '../../plot/render.ts';
import { htmlReport } from '../../report/html.ts';
import { builtinRulesDir, loadRuleDir } from '../../symmetry/rules.ts';
import { number, parse, statePoint } from '../args.ts';
import { EXIT, type IO, UsageError } from '../io.ts';

export const help = `Usage: noether report MODEL -o FILE.html [--from JSON --to JSON --T t]

Writes one self-contained HTML file (works offline): the model, its Lagrangian,
the symmetry table (status, evidence, counterexamples), every conserved charge
typeset (KaTeX, rendered to MathML), a solved most likely path with each charge
along it, and the commands that reproduce it all.

  MODEL              a model file (.yaml, .yml or .json)
  -o, --out FILE     the HTML file to write
  --from, --to JSON  end points of the path (default: the first two unit vectors,
                     or 1 → −1 in one dimension)
  --T t              its duration (default 2, or 90% of the model's time interval)
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { out: { type: 'string', short: 'o' }, from: { type: 'string' }, to: { type: 'string' }, T: { type: 'string' } },
    { min: 1, max: 1, names: 'the model file (noether report MODEL -o FILE.html)' },
  );
  if (values.out === undefined) throw new UsageError('give the output file with -o FILE.html');
  const file = positionals[0];
  const model = loadModelFile(file);
  const { from, to } = endPoints(model, values.from, values.to);
  const span = model.time[1] - model.time[0];
  const T = values.T === undefined ? (model.timeGiven ? 0.9 * span : 2) : number('T', values.T, (x) => x > 0, 'a positive number');
  const t0 = model.timeGiven ? model.time[0] : 0;
  const lagrangian = buildLagrangian(model);
  const derivation = derive(lagrangian, loadRuleDir(builtinRulesDir()));
  const path = solveAndCheck(lagrangian, derivation, { from, to, T, t0, nodes: 1000 });
  const point = (p: number[]): string => JSON.stringify(Object.fromEntries(model.state.map((s, i) => [s, p[i]])));
  const html = htmlReport({
    derivation,
    path,
    pathSvg: await toSvg(pathSpec(path, model.state)),
    chargesSvg: path.quantities.length > 0 ? await toSvg(chargesSpec(path.t, path.quantities)) : '',
    commands: [
      `npx noether derive ${basename(file)} --format json`,
      `npx noether solve ${basename(file)} --from '${point(from)}' --to '${point(to)}' --T ${T}${t0 !== 0 ? ` --t0 ${t0}` : ''} --json`,
      `npx noether report ${basename(file)} -o ${basename(values.out)} --from '${point(from)}' --to '${point(to)}' --T ${T}`,
    ],
  });
  const tmp = `${values.out}.tmp-${process.pid}`;
  writeFileSync(tmp, html);
  renameSync(tmp, values.out);
  io.stdout(`wrote ${values.out}\n`);
  return EXIT.ok;
}

function endPoints(model: Model, from?: string, to?: string): { from: number[]; to: number[] } {
  const n = model.state.length;
  const unit = (i: number): number[] => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
  return {
    from: from === undefined ? unit(0) : statePoint('from', from, model),
    to: to === undefined ? (n === 1 ? [-1] : unit(1)) : statePoint('to', to, model),
  };
}
