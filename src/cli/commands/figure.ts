// `noether figure NAME|all [--out DIR]`: regenerate the paper's figures as SVG and PNG.

import { join, resolve } from 'node:path';
import { PAPER_FIGURES, type PaperFigureName, paperFigure } from '../../plot/paper.ts';
import { renderFigure } from '../../plot/files.ts';
import { parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';

export const help = `Usage: noether figure NAME|all [--out DIR] [--examples DIR] [--no-png]

Regenerates a figure of the paper from the example models, as NAME.svg and
NAME.png in DIR (default figures/):
${PAPER_FIGURES.map((f) => `  ${f}`).join('\n')}

  --out DIR          where to write the figures (default figures/)
  --examples DIR     where the example models are (default examples/)
  --no-png           SVG only
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { out: { type: 'string' }, examples: { type: 'string' }, 'no-png': { type: 'boolean' } },
    { min: 1, max: 1, names: `a figure name (${PAPER_FIGURES.join(', ')}) or all` },
  );
  const which = positionals[0];
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
