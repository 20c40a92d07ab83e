// The Lagrangian report as text, LaTeX or JSON.

import type { Formula, LagrangianReport } from '../api/reports.ts';
import { latexSymbol } from '../latex/latex.ts';

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

/** An align environment, one line per equation, ready to paste into a paper. */
function latex(r: LagrangianReport): string {
  const rows: string[] = [];
  for (const { rows: eqs } of equations(r)) {
    for (const [name, f] of eqs) rows.push(`  ${latexLeft(name)} &= ${f.latex}`);
  }
  return `\\begin{align}\n${rows.join(' \\\\\n')}\n\\end{align}\n`;
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
export function formatLagrangian(r: LagrangianReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  return format === 'latex' ? latex(r) : text(r);
}
