// `noether demo`: derive, solve and check every example of the paper, print a
// table, and write the figures and a report.

import { join, resolve } from 'node:path';
import { renderFigure, writeAtomically } from '../../plot/files.ts';
import { PAPER_FIGURES, paperFigure } from '../../plot/paper.ts';
import { type DemoRow, demoTable, runDemo } from '../../report/demo.ts';
import { parse } from '../args.ts';
import { EXIT, type IO } from '../io.ts';

export const help = `Usage: noether demo [--out DIR] [--examples DIR] [--no-figures]

For every example of the paper: derives the symmetries and conserved quantities,
solves a most likely path, checks every charge along it, and prints a table;
then regenerates the paper's figures and writes a report (DIR/REPORT.md).

  --out DIR          figures and report (default figures/)
  --examples DIR     the example models (default examples/)
  --no-figures       the table only
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values } = parse(
    args,
    { out: { type: 'string' }, examples: { type: 'string' }, 'no-figures': { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const out = resolve(values.out ?? 'figures');
  const examples = resolve(values.examples ?? 'examples');
  io.stdout('noether demo: the paper\'s examples, derived, solved and checked\n\n');
  const rows = runDemo(examples);
  const table = demoTable(rows);
  io.stdout(`${table}\n\n`);
  // Timings go to the terminal only: REPORT.md is committed and must not change from run to run.
  io.stdout(`times: ${rows.map((r) => `${r.model} ${r.seconds.toFixed(2)} s`).join(', ')}\n\n`);
  const captions: string[] = [];
  if (!values['no-figures']) {
    for (const name of PAPER_FIGURES) {
      const fig = await paperFigure(name, examples);
      await renderFigure(fig.spec, join(out, `${name}.svg`), join(out, `${name}.png`));
      captions.push(`![${name}](${name}.png)\n\n${fig.caption}\n`);
      io.stdout(`wrote ${join(out, `${name}.svg`)} and .png\n`);
    }
  }
  const reportPath = join(out, 'REPORT.md');
  writeAtomically(reportPath, report(rows, table, captions));
  io.stdout(`wrote ${reportPath}\n`);
  return rows.every((r) => r.passed) ? EXIT.ok : EXIT.checkFailed;
}

function report(rows: readonly DemoRow[], table: string, captions: readonly string[]): string {
  return [
    '# noether demo report',
    '',
    'Every example model of the paper: the dimension of its symmetry algebra (solved for; `?` where possibly incomplete,',
    '`sch`: the Schrödinger algebra), its exact and quasi-symmetries, the conserved charges, and the largest relative',
    'drift of any charge along a solved most likely path (fixed duration: Newton on M = 1000 midpoint intervals,',
    'then polished by shooting, so path, action and charges hold to integrator accuracy). Regenerate with `npm run demo`.',
    '',
    table,
    '',
    ...rows.map((r) => `- **${r.model}** — ${r.note}`),
    '',
    ...captions,
  ].join('\n');
}
