// `noether report MODEL -o report.html`: one self-contained HTML file with the
// model, its symmetries and charges, a solved path and the charges along it.

import { writeAtomically } from '../../plot/files.ts';
import { surroundings } from '../../plot/context.ts';
import { chargesSpec, pathSpec, toSvg } from '../../plot/render.ts';
import { htmlReport } from '../../report/html.ts';
import { json, numeric, parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { openModel } from '../model.ts';

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
  if (values.out === undefined) throw usageError('give the output file with -o FILE.html');
  const file = positionals[0];
  const analyzer = openModel(file);
  const { state, time, domain } = analyzer.model;
  const n = state.length;
  // Default ends: the first two unit vectors, each coordinate moved into the model's domain.
  const intoDomain = (v: number, i: number, shift: number): number => {
    const [lo, hi] = domain[state[i]];
    if ((lo === null || v > lo) && (hi === null || v < hi)) return v;
    return lo !== null && hi !== null ? lo + (0.5 + shift / 4) * (hi - lo) : lo !== null ? lo + 1 + shift : (hi as number) - 1 - shift;
  };
  const unit = (k: number, shift: number): number[] => Array.from({ length: n }, (_, j) => intoDomain(j === k ? 1 : 0, j, shift));
  const from = values.from === undefined ? unit(0, 0) : (json('from', values.from) as number[]);
  const to = values.to === undefined ? (n === 1 ? [intoDomain(-1, 0, 0.5)] : unit(1, 0.5)) : (json('to', values.to) as number[]);
  const T = values.T === undefined ? (time.given ? 0.9 * (time.interval[1] - time.interval[0]) : 2) : numeric('T', values.T);
  const derivation = analyzer.derivation();
  const path = analyzer.path({ from, to, T, nodes: 1000 });
  const point = (p: readonly number[]): string => JSON.stringify(Object.fromEntries(state.map((s, i) => [s, p[i]])));
  const t0 = path.request.t0 !== 0 ? ` --t0 ${path.request.t0}` : '';
  const html = htmlReport({
    derivation,
    path,
    pathSvg: await toSvg(pathSpec(path, state, n === 2 ? surroundings(analyzer, [path.x], path.request.t0) : {})),
    chargesSvg: path.quantities.length > 0 ? await toSvg(chargesSpec(path.t, path.quantities)) : '',
    commands: [
      `npx noether derive ${file} --format json`,
      `npx noether solve ${file} --from '${point(path.request.from)}' --to '${point(path.request.to)}' --T ${T}${t0} --json`,
      `npx noether report ${file} -o ${values.out} --from '${point(path.request.from)}' --to '${point(path.request.to)}' --T ${T}`,
    ],
  });
  writeAtomically(values.out, html);
  io.stdout(`wrote ${values.out}\n`);
  return EXIT.ok;
}

