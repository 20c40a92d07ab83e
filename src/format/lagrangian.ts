// The Lagrangian report as text, LaTeX or JSON.

import type { Formula, LagrangianReport } from '../api/reports.ts';
import { fromTree } from '../expr/tree.ts';
import { latexSymbol, toLatex } from '../latex/latex.ts';
import { PAGE_WIDTH, alignedLines, labelRow, nameParts, texWidth } from '../latex/layout.ts';

export type OutputFormat = 'text' | 'latex' | 'json';

/** The equations in reading order: [left-hand side name, formula] under a heading. */
function equations(r: LagrangianReport): Array<{ heading: string; rows: Array<[string, Formula]> }> {
  const out: Array<{ heading: string; rows: Array<[string, Formula]> }> = [
    { heading: r.action === 'eq8' ? 'Lagrangian (paper Eq. 8)' : 'Lagrangian (Eq. 8 plus ½∇·f)', rows: [['L', r.lagrangian]] },
    { heading: 'Momenta p = ∂L/∂ẋ (Eq. 15)', rows: r.momenta.map((p) => [p.name, p]) },
    { heading: 'Energy E = p·ẋ − L (Eq. 10)', rows: [['E', r.energy]] },
    { heading: 'Hamiltonian H(x, p)', rows: [['H', r.hamiltonian]] },
  ];
  const eom = r.equationsOfMotion;
  if (eom) {
    out.push(
      { heading: 'Euler–Lagrange equations', rows: eom.eulerLagrange.map((a) => [a.name, a]) },
      { heading: "Hamilton's equations", rows: [...eom.hamilton.xdot, ...eom.hamilton.pdot].map((e) => [e.name, e]) },
    );
  }
  return out;
}

function text(r: LagrangianReport): string {
  const m = r.model;
  const params = Object.entries(m.params).map(([k, v]) => `${k} = ${v}`).join(', ');
  const d = m.diffusion;
  const dependence = [d.dependsOnState ? 'state' : '', d.dependsOnTime ? 'time' : ''].filter(Boolean).join(' and ');
  const lines = [
    `Model ${m.name}: state (${m.state.join(', ')})${params ? `, parameters ${params}` : ''}`,
    `Diffusion: ${d.structure}, ${dependence ? `depends on ${dependence}` : 'constant'}`,
  ];
  for (const { heading, rows } of equations(r)) {
    lines.push('', `${heading}:`);
    for (const [name, f] of rows) lines.push(`  ${name} = ${f.expr}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * An align environment, a sentence above each group of equations and every
 * equation broken to fit the page (layout.ts), ready to paste into a paper; with
 * `document`, a whole article that compiles with pdflatex.
 */
function latex(r: LagrangianReport, document: boolean): string {
  const groups = equations(r);
  // Sub-expressions too wide for a line (or repeated) are named once, for all the equations.
  const rows = groups.flatMap((g) => g.rows);
  const widest = rows.reduce((w, [name]) => Math.max(w, texWidth(latexLeft(name))), 0);
  const { formulas, parts } = nameParts(rows.map(([, f]) => fromTree(f.tree)), PAGE_WIDTH - widest - 60);
  let k = 0;
  const block = (heading: string, lines: string[][]): string => `${labelRow(heading)} \\\\\n${lines.map((l) => l.join('\n')).join(' \\\\\n')}`;
  const blocks = groups.map(({ heading, rows: eqs }) => block(`${latexHeading(heading)}:`, eqs.map(([name]) => alignedLines(latexLeft(name), [], formulas[k++]))));
  if (parts.length > 0) blocks.push(block('where', parts.map((p) => alignedLines(toLatex(p.symbol), [], p.expr, { numbered: false }))));
  const align = `\\begin{align}\n${blocks.join(' \\\\\n')}\n\\end{align}\n`;
  if (!document) return align;
  return ['\\documentclass{article}', '\\usepackage{amsmath,amssymb}', '\\allowdisplaybreaks', '\\begin{document}', `\\section*{The Lagrangian of \\texttt{${r.model.name.replace(/[\\{}&%$#_^~]/g, (c) => `\\${c}`)}}}`, align.trimEnd(), '\\end{document}', ''].join('\n');
}

/** A heading of equations() for its label row: its math in math mode. */
function latexHeading(heading: string): string {
  return heading
    .replace('½∇·f', '$\\tfrac{1}{2}\\nabla\\cdot\\boldsymbol{f}$')
    .replace('p = ∂L/∂ẋ', '$\\boldsymbol{p} = \\partial L/\\partial\\dot{\\boldsymbol{x}}$')
    .replace('E = p·ẋ − L', '$E = \\boldsymbol{p}\\cdot\\dot{\\boldsymbol{x}} - L$')
    .replace('H(x, p)', '$H(\\boldsymbol{x}, \\boldsymbol{p})$')
    .replace('Euler–Lagrange', 'Euler--Lagrange')
    .replace("Hamilton's", "Hamilton's");
}

/** Left-hand sides: p_x_dot → \dot{p}_{x}, others through latexSymbol. */
function latexLeft(name: string): string {
  const m = /^p_(.+)_dot$/.exec(name);
  return m ? `\\dot{p}_{${latexSymbol(m[1])}}` : latexSymbol(name);
}

/**
 * A Lagrangian report in the format asked for: text, a LaTeX align
 * environment, or the report itself as JSON.
 *
 * @example
 * const r = createAnalyzer(ou).lagrangian({ equationsOfMotion: true });
 * console.log(formatLagrangian(r, 'latex')); // \begin{align} L &= … \end{align}
 */
export function formatLagrangian(r: LagrangianReport, format: OutputFormat, options: { document?: boolean } = {}): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  return format === 'latex' ? latex(r, options.document === true) : text(r);
}
