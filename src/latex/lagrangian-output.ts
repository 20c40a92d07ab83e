// Output of the Lagrangian stage as text, LaTeX or JSON.

import type { Expr } from '../expr/expr.ts';
import { toText } from '../expr/print.ts';
import type { EquationsOfMotion, LagrangianResult } from '../lagrangian/lagrangian.ts';
import type { Model } from '../model/types.ts';
import { latexSymbol, toLatex } from './latex.ts';

export type OutputFormat = 'text' | 'latex' | 'json';

/** A formula for output: mathjs syntax and LaTeX. */
export interface Formula {
  readonly expr: string;
  readonly latex: string;
}
export interface NamedFormula extends Formula {
  /** The symbol on the left-hand side, e.g. p_x or x_ddot. */
  readonly name: string;
}

export function formula(e: Expr): Formula {
  return { expr: toText(e), latex: toLatex(e) };
}

function named(name: string, e: Expr): NamedFormula {
  return { name, ...formula(e) };
}

/** The model as plain data, with expressions printed. */
export function modelSummary(model: Model): Record<string, unknown> {
  return {
    name: model.name,
    ...(model.description !== undefined ? { description: model.description } : {}),
    state: model.state,
    params: Object.fromEntries(model.params.map((p) => [p.name, p.value])),
    drift: model.drift.map(toText),
    diffusion: {
      structure: model.diffusion.structure,
      matrix: model.diffusion.matrix.map((row) => row.map(toText)),
      dependsOnState: model.diffusion.dependsOnState,
      dependsOnTime: model.diffusion.dependsOnTime,
      positiveDefinite: model.diffusion.positiveDefinite,
    },
  };
}

export function lagrangianJSON(r: LagrangianResult, eom: EquationsOfMotion): Record<string, unknown> {
  const { symbols } = r;
  return {
    model: modelSummary(r.model),
    action: r.action,
    lagrangian: formula(r.lagrangian),
    momenta: r.momenta.map((p, i) => named(symbols.momenta[i], p)),
    energy: formula(r.energy),
    hamiltonian: { ...formula(r.hamiltonian), momenta: symbols.momenta },
    eulerLagrange: eom.accelerations.map((a, i) => named(symbols.accelerations[i], a)),
    hamilton: {
      xdot: eom.hamilton.xdot.map((e, i) => named(symbols.velocities[i], e)),
      pdot: eom.hamilton.pdot.map((e, i) => named(`${symbols.momenta[i]}_dot`, e)),
    },
  };
}

/** The equations in reading order: [left-hand side name, expression, heading]. */
function equations(r: LagrangianResult, eom: EquationsOfMotion): Array<{ heading: string; rows: Array<[string, Expr]> }> {
  const { symbols } = r;
  return [
    { heading: r.action === 'eq8' ? 'Lagrangian (paper Eq. 8)' : 'Lagrangian (Eq. 8 plus ½∇·f)', rows: [['L', r.lagrangian]] },
    { heading: 'Momenta p = ∂L/∂ẋ (Eq. 15)', rows: r.momenta.map((p, i) => [symbols.momenta[i], p]) },
    { heading: 'Energy E = p·ẋ − L (Eq. 10)', rows: [['E', r.energy]] },
    { heading: 'Hamiltonian H(x, p)', rows: [['H', r.hamiltonian]] },
    { heading: 'Euler–Lagrange equations', rows: eom.accelerations.map((a, i) => [symbols.accelerations[i], a]) },
    {
      heading: "Hamilton's equations",
      rows: [
        ...eom.hamilton.xdot.map((e, i): [string, Expr] => [symbols.velocities[i], e]),
        ...eom.hamilton.pdot.map((e, i): [string, Expr] => [`${symbols.momenta[i]}_dot`, e]),
      ],
    },
  ];
}

function text(r: LagrangianResult, eom: EquationsOfMotion): string {
  const m = r.model;
  const params = m.params.map((p) => `${p.name} = ${p.value}`).join(', ');
  const d = m.diffusion;
  const dependence = [d.dependsOnState ? 'state' : '', d.dependsOnTime ? 'time' : ''].filter(Boolean).join(' and ');
  const lines = [
    `Model ${m.name}: state (${m.state.join(', ')})${params ? `, parameters ${params}` : ''}`,
    `Diffusion: ${d.structure}, ${dependence ? `depends on ${dependence}` : 'constant'}`,
  ];
  for (const { heading, rows } of equations(r, eom)) {
    lines.push('', `${heading}:`);
    for (const [name, e] of rows) lines.push(`  ${name} = ${toText(e)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An align environment, one line per equation, ready to paste into a paper. */
function latex(r: LagrangianResult, eom: EquationsOfMotion): string {
  const rows: string[] = [];
  for (const { rows: eqs } of equations(r, eom)) {
    for (const [name, e] of eqs) rows.push(`  ${latexLeft(name)} &= ${toLatex(e)}`);
  }
  return `\\begin{align}\n${rows.join(' \\\\\n')}\n\\end{align}\n`;
}

/** Left-hand sides: p_x_dot → \dot{p}_{x}, others through latexSymbol. */
function latexLeft(name: string): string {
  const m = /^p_(.+)_dot$/.exec(name);
  return m ? `\\dot{p}_{${latexSymbol(m[1])}}` : latexSymbol(name);
}

export function formatLagrangian(r: LagrangianResult, eom: EquationsOfMotion, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(lagrangianJSON(r, eom), null, 2)}\n`;
  return format === 'latex' ? latex(r, eom) : text(r, eom);
}
