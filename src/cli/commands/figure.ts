// `noether figure NAME|all [--out DIR]`: regenerate the paper's figures as SVG and PNG;
// `noether figure MODEL --from --to (--T | --E) -o FILE`: most likely paths of your own model.

import { join, resolve } from 'node:path';
import { PAPER_FIGURES, type PaperFigureName, paperFigure } from '../../plot/paper.ts';
import { surroundings } from '../../plot/context.ts';
import { figureFormat, renderFigure, writeFigure } from '../../plot/files.ts';
import { pathSpec } from '../../plot/render.ts';
import type { StatePoint } from '../../api/requests.ts';
import { openModel } from '../model.ts';
import { integer, json, numeric, parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';

export const help = `Usage: noether figure NAME|all [--out DIR] [--examples DIR] [--no-png]
       noether figure MODEL --from JSON --to JSON (--T t[,t…] | --E e[,e…]) -o FILE [--axes a,b]

Regenerates a figure of the paper from the example models, as NAME.svg and
NAME.png in DIR (default figures/):
${PAPER_FIGURES.map((f) => `  ${f}`).join('\n')}

  --out DIR          where to write the figures (default figures/)
  --examples DIR     where the example models are (default examples/)
  --no-png           SVG only

Or draws the most likely paths of MODEL (a .yaml, .yml or .json file): one per
duration T or energy E (a comma-separated list gives a family, coloured by its
value), in the plane over the drift's direction field with the fixed points and
both ends marked (2D), as a projection on two state variables (N > 2), or
against t (1D).

  -o FILE            the figure, .svg or .png (Computer Modern, the same bytes on every machine)
  --from, --to JSON  the end states, e.g. '[0.8, -0.4]'
  --T LIST, --E LIST durations or energies, e.g. --E 0.01,0.1,1
  --axes a,b         the state variables of a projection (default the first two)
  --nodes M          intervals of each path (default 1000)
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      out: { type: 'string' },
      examples: { type: 'string' },
      'no-png': { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      from: { type: 'string' },
      to: { type: 'string' },
      T: { type: 'string' },
      E: { type: 'string' },
      axes: { type: 'string' },
      nodes: { type: 'string' },
    },
    { min: 1, max: 1, names: `a figure name (${PAPER_FIGURES.join(', ')}), all, or a model file` },
  );
  const which = positionals[0];
  if (/\.(ya?ml|json)$/i.test(which)) return modelFigure(which, values, io);
  const names: PaperFigureName[] = which === 'all' ? [...PAPER_FIGURES] : [which as PaperFigureName];
  if (which !== 'all' && !(PAPER_FIGURES as readonly string[]).includes(which)) {
    throw usageError(`unknown figure '${which}'; the figures are ${PAPER_FIGURES.join(', ')} (or all)`);
  }
  const out = resolve(values.out ?? 'figures');
  const examples = resolve(values.examples ?? 'examples');
  for (const name of names) {
    const fig = await paperFigure(name, examples);
    const svg = join(out, `${name}.svg`);
    await renderFigure(fig.spec, svg, values['no-png'] ? undefined : join(out, `${name}.png`));
    io.stdout(`${name}: ${svg}${values['no-png'] ? '' : ' (+ .png)'}\n  ${fig.caption}\n`);
  }
  return EXIT.ok;
}

/** Most likely paths of the user's model, drawn to one file. */
async function modelFigure(file: string, values: Record<string, string | boolean | undefined>, io: IO): Promise<number> {
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const output = text('output');
  if (output === undefined) throw usageError('give the figure file with -o FILE.svg or -o FILE.png');
  if (!figureFormat(output)) throw usageError(`-o: a figure is written as .svg or .png; got '${output}'`);
  const [from, to] = [text('from'), text('to')];
  if (from === undefined || to === undefined) throw usageError('give both --from and --to, e.g. --from \'[0.8, -0.4]\'');
  const [T, E] = [text('T'), text('E')];
  if ((T === undefined) === (E === undefined)) throw usageError('give exactly one of --T and --E (each a number or a comma-separated list)');
  const kind = T !== undefined ? 'T' : 'E';
  const list = ((T ?? E) as string).split(',').map((v) => numeric(kind, v.trim()));
  const analyzer = openModel(file);
  const { state } = analyzer.model;
  const axes = text('axes') === undefined ? undefined : axisPair(text('axes') as string, state);
  const nodes = text('nodes') === undefined ? {} : { nodes: integer('nodes', text('nodes') as string, 2, 1_000_000) };
  const request = { from: json<StatePoint>('from', from), to: json<StatePoint>('to', to), ...nodes };
  const paths = list.map((v) => ({ ...analyzer.path({ ...request, [kind]: v }), value: v }));
  const context = state.length === 2 ? surroundings(analyzer, paths.map((p) => p.x), paths[0].request.t0) : {};
  await writeFigure(pathSpec(paths, state, context, { valueTitle: kind === 'T' ? 'duration T' : 'energy E', ...(axes ? { axes } : {}) }), output);
  io.stdout(`wrote ${output}: ${paths.length} path${paths.length === 1 ? '' : 's'} of ${analyzer.model.name}, ${paths.map((p) => `${kind} = ${p.value}: S = ${Number(p.action.toPrecision(6))}${p.converged ? '' : ' (not converged)'}`).join('; ')}\n`);
  return paths.every((p) => p.converged) ? EXIT.ok : EXIT.checkFailed;
}

/** `a,b` as indices of two distinct state variables. */
function axisPair(text: string, state: readonly string[]): [number, number] {
  const names = text.split(',').map((s) => s.trim());
  const idx = names.map((n) => state.indexOf(n));
  if (names.length !== 2 || idx.some((i) => i < 0) || idx[0] === idx[1]) throw usageError(`--axes: give two different state variables, e.g. --axes ${state.slice(0, 2).join(',')}; got '${text}'`);
  return [idx[0], idx[1]];
}
