// `derive` and `check` reports as text, Markdown, a LaTeX document (or snippet)
// or JSON. Everything printed here comes from the report; the one computation is
// the zero test that proves a rewritten LaTeX form (L or E with the drift named)
// equal to the formula it stands for.

import type { CheckReport, DerivationReport, SymmetryReport } from '../api/reports.ts';
import { type Expr, add, div, mapBottomUp, mul, neg, num, pow, sub, sym } from '../expr/expr.ts';
import { isZeroSymbolic } from '../expr/normal.ts';
import { fromTree } from '../expr/tree.ts';
import { toLatex } from '../latex/latex.ts';
import { PAGE_WIDTH, alignedLines, breakLatex, labelRow, nameParts, texWidth } from '../latex/layout.ts';

export type DeriveFormat = 'text' | 'latex' | 'markdown' | 'json';

function point(p: Readonly<Record<string, number>>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k} = ${Number(v.toPrecision(6))}`)
    .join(', ');
}

function widest(rows: readonly string[][], column: number, header: string): number {
  let w = header.length;
  for (const r of rows) w = Math.max(w, r[column].length);
  return w;
}

// ---------------------------------------------------------------- text

/** Charges longer than this (characters) are printed as p·ξ in text, where they have that form. */
const MOMENTUM_FORM_LENGTH = 200;

/** `components`: every charge in x, ẋ and t, however long. */
function text(d: DerivationReport, components: boolean): string {
  const headers = ['symmetry', 'status', 'evidence'];
  const rows = d.symmetries.map((s) => [s.description, s.status, s.evidenceSummary]);
  const w = headers.map((h, i) => widest(rows, i, h));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  const out = [
    `Model ${d.model.name}: ${d.symmetries.length} generators tested`,
    `L = ${d.lagrangian.expr}`,
    '',
    line(headers),
    line(w.map((n) => '-'.repeat(n))),
    ...rows.map(line),
  ];
  if (d.algebra) out.push('', ...algebraLines(d));
  const conserved = d.symmetries.filter((s) => s.quantity);
  if (conserved.length > 0) {
    out.push('', 'Conserved quantities:');
    let momentumForms = 0;
    for (const s of conserved) {
      const q = s.quantity as NonNullable<SymmetryReport['quantity']>;
      // A long charge of an exact τ = 0 symmetry reads better as p·ξ (pᵀΩx for ξ = Ωx).
      const short = q.momentum && !components && q.expr.length > MOMENTUM_FORM_LENGTH ? q.momentum.expr : undefined;
      if (short) momentumForms++;
      out.push(`  ${q.symbol} = ${short ?? q.expr}    (${q.name}; ${s.description})`);
    }
    if (momentumForms > 0) {
      out.push(`  (${momentumForms === 1 ? 'one charge is' : `${momentumForms} charges are`} written as p·ξ, with p = ∂L/∂ẋ as \`noether lagrangian\` prints it; --components writes them in x, ẋ and t)`);
    }
  }
  const quasi = d.symmetries.filter((s) => s.status === 'quasi');
  if (quasi.length > 0) {
    out.push('', 'Quasi-symmetries (δL = dK/dt):');
    for (const s of quasi) {
      const g = s.gauge;
      if (g?.expr) out.push(`  ${s.description}: K = ${g.expr}`);
      else if (g?.integral) {
        out.push(`  ${s.description}: ${g.integral.symbol} = ∫ (b·dx + c0 dt), no closed form (evaluated as a line integral along paths), with`);
        out.push(`    b = (${g.integral.b.map((f) => f.expr).join(', ')}), c0 = ${g.integral.c0.expr}`);
      } else out.push(`  ${s.description}: ${g?.note ?? 'K not found'}`);
    }
  }
  const broken = d.symmetries.filter((s) => s.counterexample);
  if (broken.length > 0) {
    out.push('', 'Broken (a point where δL ≠ 0):');
    for (const s of broken) {
      const c = s.counterexample;
      if (c) out.push(`  ${s.description}: δL = ${Number(c.deltaL.toPrecision(6))} at ${point(c.point)}`);
    }
  }
  const undecided = d.symmetries.filter((s) => s.status === 'undecided');
  if (undecided.length > 0) {
    out.push('', 'Undecided (no certified evaluation):');
    for (const s of undecided) out.push(`  ${s.description}: ${s.reason}`);
  }
  const skipped = d.rules.filter((r) => r.status === 'skipped');
  if (skipped.length > 0) {
    out.push('', 'Rules skipped:');
    for (const r of skipped) out.push(`  ${r.file}: ${r.reason}`);
  }
  return `${out.join('\n')}\n`;
}

/** Non-zero brackets printed in text at most. */
const MAX_PRINTED_BRACKETS = 24;

/** The symmetry algebra in words: its dimension, whether that is all, and its basis. */
function algebraLines(d: DerivationReport): string[] {
  const a = d.algebra;
  if (!a) return [];
  const size = a.dimension === null ? 'dimension not determined' : `dimension ${a.dimension}`;
  const lines = [`Symmetry algebra (solved for: ${a.searched}): ${size}, ${a.complete ? 'complete' : 'possibly incomplete'}${a.name ? `; ${a.name}` : ''}`];
  if (a.note) lines.push(`  note: ${a.note}`);
  for (const i of a.basis) {
    const s = d.symmetries[i];
    lines.push(`  ${s.quantity?.symbol ?? '·'}: ${s.rule === 'discovered' ? `τ = ${s.generator.dt}, ξ = (${s.generator.dx.join(', ')})` : s.description} (${s.status})`);
  }
  const name = (i: number): string => d.symmetries[i].quantity?.symbol ?? `#${i}`;
  const nonzero = a.commutators.filter((c) => c.result === null || c.result.length > 0);
  if (nonzero.length > 0) {
    // A u(8) has hundreds of non-zero brackets: the name says more; JSON has them all.
    const shown = nonzero.slice(0, MAX_PRINTED_BRACKETS);
    const more = nonzero.length - shown.length;
    lines.push(`  brackets of the generators (the others commute): ${shown
      .map((c) => `[${name(c.pair[0])}, ${name(c.pair[1])}] = ${c.result === null ? '?' : c.result.map((t) => `${t.coefficient === '1' ? '' : t.coefficient === '-1' ? '-' : `${t.coefficient} `}${name(t.symmetry)}`).join(' + ').replaceAll('+ -', '- ')}`)
      .join(', ')}${more > 0 ? `, and ${more} more (all of them in --format json)` : ''}`);
  }
  return lines;
}

// ---------------------------------------------------------------- markdown

function markdown(d: DerivationReport): string {
  const out = [
    `## Symmetries and conserved quantities of \`${d.model.name}\``,
    '',
    `Lagrangian (Eq. 8): $L = ${d.lagrangian.latex}$`,
    '',
    '| symmetry | status | evidence | conserved quantity |',
    '| --- | --- | --- | --- |',
  ];
  for (const s of d.symmetries) {
    const q = s.quantity
      ? `$${s.quantity.symbolLatex} = ${s.quantity.latex}$`
      : s.counterexample
        ? `δL = ${Number(s.counterexample.deltaL.toPrecision(4))} at ${point(s.counterexample.point)}`
        : '—';
    out.push(`| ${markdownText(s.description)} | ${s.status} | ${s.evidenceSummary} | ${q.replaceAll('|', '\\|')} |`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- LaTeX

/**
 * One align environment of the conserved quantities: for each, a label row with
 * the symmetry that gives it, then the paper's vector form and the components,
 * broken to fit the page; sub-expressions named where that is not enough.
 *
 * @example
 * latexSnippet(createAnalyzer(ou).derivation());
 * // \begin{align}\n  &\text{From the time translation:} \notag \\\n  E &= \frac{\|\dot{\boldsymbol{x}}\|^{2} - … \\ …
 */
export function latexSnippet(d: DerivationReport): string {
  return chargesAlign(d, false);
}

/** The charges' align environment; `driftNamed`: the document already states f_x = … above it. */
function chargesAlign(d: DerivationReport, driftNamed: boolean): string {
  const charged = d.symmetries.filter((s) => s.quantity);
  if (charged.length === 0) return '% no conserved quantities found\n';
  const quantities = charged.map((s) => s.quantity as NonNullable<SymmetryReport['quantity']>);
  const widest = quantities.reduce((w, q) => Math.max(w, texWidth(q.symbolLatex)), 0);
  const room = PAGE_WIDTH - widest - 60;
  // An energy too wide as it stands is written Σ (ẋᵢ² − fᵢ²)/(4Dᵢᵢ), when that is provably it.
  const named = driftNames(d);
  let usesDrift = false;
  const exprs = charged.map((s, i) => {
    const e = fromTree(quantities[i].tree);
    if (s.rule !== 'time' || breakLatex(e, room).every((piece) => texWidth(piece) <= room)) return e;
    const energy = diagonalForm(d, named, e, (v, f, D) => div(sub(pow(v, num(2)), pow(f, num(2))), mul(num(4), D)));
    if (energy) usesDrift = true;
    return energy ?? e;
  });
  // Sub-expressions too wide for a line (or repeated) are named once, for all the charges.
  const { formulas, parts } = nameParts(exprs, room);
  // The paper's vector form first where there is one, then the components, broken to fit the page.
  const blocks = charged.map((s, i) => [`${labelRow(latexLabel(s))} \\\\`, ...alignedLines(quantities[i].symbolLatex, quantities[i].vectorLatex ? [quantities[i].vectorLatex as string] : [], formulas[i])].join('\n'));
  const definitions = [
    ...(usesDrift && !driftNamed ? [...named].map(([f, name]) => ({ symbol: name, expr: f })) : []),
    ...parts,
  ];
  if (definitions.length > 0) blocks.push([`${labelRow('where')} \\\\`, definitions.map((p) => alignedLines(toLatex(p.symbol), [], p.expr, { numbered: false }).join('\n')).join(' \\\\\n')].join('\n'));
  return `\\begin{align}\n${blocks.join(' \\\\\n')}\n\\end{align}\n`;
}

/**
 * L in an align environment. Where it does not fit the page as it is, the drift
 * components are named, f_x = …, stated once each and L written with them.
 */
function lagrangianLines(d: DerivationReport): { lines: string[]; driftNamed: boolean } {
  const L = fromTree(d.lagrangian.tree);
  const room = PAGE_WIDTH - 60;
  const direct = alignedLines('L', [], L);
  // Fitting on a line or two as it is, L stays whole; longer, the drift is named if it can be.
  if (direct.length <= 2 && direct.every((l) => texWidth(l) <= room)) return { lines: ['\\begin{align}', ...direct, '\\end{align}'], driftNamed: false };
  const named = driftNames(d);
  const keyed = new Map([...named].flatMap(([f, name]) => [[f.key, name], [neg(f).key, neg(name)]] as Array<[string, Expr]>));
  let short = mapBottomUp(L, (node) => keyed.get(node.key) ?? node);
  // L in its normal form may hide the drift (a common denominator): for a diagonal D write
  // L = Σ (ẋᵢ − fᵢ)²/(4Dᵢᵢ) (Eq. 8), used only if it is provably the same L.
  if (short.key === L.key) short = diagonalForm(d, named, L, (v, f, D) => div(pow(sub(v, f), num(2)), mul(num(4), D))) ?? L;
  if (short.key === L.key) return { lines: ['\\begin{align}', ...direct, '\\end{align}'], driftNamed: false };
  const definitions = [...named].map(([f, name]) => alignedLines(toLatex(name), [], f, { numbered: false }).join('\n'));
  return { lines: ['\\begin{align}', `${alignedLines('L', [], short).join('\n')} \\\\`, `${labelRow('where the drift components are')} \\\\`, definitions.join(' \\\\\n'), '\\end{align}'], driftNamed: true };
}

/** Each drift component with its name f_x. */
function driftNames(d: DerivationReport): Map<Expr, Expr> {
  return new Map(d.model.state.map((x, i) => [fromTree(d.model.drift[i].tree), sym(`f_${x}`)]));
}

/**
 * Σᵢ term(ẋᵢ, fᵢ, Dᵢᵢ) with the drift components as symbols, when D is diagonal and
 * the Lagrangian is Eq. 8, and only if it provably equals `target` (the difference
 * with the drift written out is 0 in normal form).
 */
function diagonalForm(d: DerivationReport, named: ReadonlyMap<Expr, Expr>, target: Expr, term: (xdot: Expr, f: Expr, D: Expr) => Expr): Expr | undefined {
  const D = d.model.diffusion;
  if (d.action !== 'eq8' || D.structure === 'full') return undefined;
  const sum = (drift: readonly Expr[]): Expr => add(...d.model.state.map((x, i) => term(sym(`${x}_dot`), drift[i], fromTree(D.matrix[i][i].tree))));
  return isZeroSymbolic(sub(target, sum([...named.keys()]))) ? sum([...named.values()]) : undefined;
}

function latexDocument(d: DerivationReport): string {
  const lagrangian = lagrangianLines(d);
  return [
    '\\documentclass{article}',
    '\\usepackage{amsmath,amssymb}',
    '\\allowdisplaybreaks',
    '\\begin{document}',
    `\\section*{Conserved quantities of \\texttt{${latexText(d.model.name)}}}`,
    d.action === 'eq8' ? 'Onsager--Machlup Lagrangian (Vastola, Eq.~8):' : 'Onsager--Machlup Lagrangian with the divergence term $\\tfrac{1}{2}\\nabla\\cdot\\boldsymbol{f}$:',
    ...lagrangian.lines,
    'Each (quasi-)symmetry with generator $\\xi^{t}\\partial_t + \\boldsymbol{\\xi}\\cdot\\partial_{\\boldsymbol{x}}$ gives a Noether charge',
    '$J = \\boldsymbol{p}\\cdot\\boldsymbol{\\xi} - \\xi^{t} E - K$, constant along most likely paths, where',
    '$\\boldsymbol{p} = \\partial L/\\partial\\dot{\\boldsymbol{x}}$, $E = \\boldsymbol{p}\\cdot\\dot{\\boldsymbol{x}} - L$,',
    '$\\boldsymbol{f}$ is the drift, $D$ the diffusion tensor, and $K$ the gauge term of a quasi-symmetry ($\\delta L = \\mathrm{d}K/\\mathrm{d}t$; $K = 0$ for an exact one):',
    chargesAlign(d, lagrangian.driftNamed).trimEnd(),
    ...gaugeLines(d),
    '\\end{document}',
    '',
  ].join('\n');
}

/** The gauge terms K of the quasi-symmetries, one sentence each. */
function gaugeLines(d: DerivationReport): string[] {
  return d.symmetries
    .filter((s) => s.quantity && s.status === 'quasi' && s.gauge?.latex)
    .map((s) => `For ${s.rule === 'discovered' ? `the generator $${generatorLatex(s)}$` : `the ${latexText(s.description)}`}: $K = ${s.gauge?.latex}$.`);
}

/** τ and ξ of a generator, typeset. */
function generatorLatex(s: SymmetryReport): string {
  const g = s.generator.latex;
  // A tuple, not grouping: plain parentheses.
  return `\\tau = ${g.dt},\\ \\boldsymbol{\\xi} = ${g.dx.length === 1 ? g.dx[0] : `(${g.dx.join(', ')})`}`;
}

/** The sentence above a charge in the align environment: the symmetry it comes from (a discovered one by its generator). */
function latexLabel(s: SymmetryReport): string {
  const quasi = s.status === 'quasi' ? ' (a quasi-symmetry)' : '';
  if (s.rule === 'discovered') return `From the generator $${generatorLatex(s)}$${quasi}:`;
  return `From the ${latexText(s.description)}${quasi}:`;
}

/** Markdown table text: the characters that would start emphasis or code are escaped. */
function markdownText(s: string): string {
  return s.replace(/[\\`*_[\]|]/g, (c) => `\\${c}`);
}

/** Text for \text{...}: escapes LaTeX specials and writes non-ASCII arrows and Greek in math. */
function latexText(s: string): string {
  return s
    .replace(/[\\{}&%$#_^~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '~' ? '\\textasciitilde{}' : c === '^' ? '\\textasciicircum{}' : `\\${c}`))
    .replaceAll('λ²', '$\\lambda^2$')
    .replaceAll('→', '$\\to$')
    .replaceAll('λ', '$\\lambda$')
    .replaceAll('²', '$^2$');
}

/**
 * A derivation report in the format asked for: a table of verdicts with the
 * charges (text), a Markdown table, a LaTeX document (or, with snippet, only
 * the align environment), or the report itself as JSON.
 *
 * @example
 * const d = createAnalyzer(ou).derivation();
 * console.log(formatDerivation(d, 'text'));      // Model ou2d: 7 generators tested …
 * writeFileSync('charges.tex', formatDerivation(d, 'latex'));
 */
export function formatDerivation(d: DerivationReport, format: DeriveFormat, options: { snippet?: boolean; components?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(d, null, 2)}\n`;
    case 'markdown':
      return markdown(d);
    case 'latex':
      return options.snippet ? latexSnippet(d) : latexDocument(d);
    case 'text':
      return text(d, options.components === true);
  }
}

/**
 * `check` in text: the verdict on one generator, its evidence, and the charge
 * or the counterexample.
 *
 * @example
 * formatCheck(createAnalyzer(ou).check({ dx: ['-y', 'x'] }));
 * // claimed generator: exact (symbolic) …  conserved: J = (x*y_dot - x_dot*y)/(2*D)
 */
export function formatCheck(r: CheckReport): string {
  const s = r.symmetry;
  const lines = [`${s.description}: ${s.status} (${s.evidenceSummary})`];
  lines.push(`  generator: dt = ${s.generator.dt}, dx = [${s.generator.dx.join(', ')}]`);
  if (s.counterexample) lines.push(`  δL = ${Number(s.counterexample.deltaL.toPrecision(6))} at ${point(s.counterexample.point)}`);
  if (s.status === 'quasi') lines.push(`  K = ${s.gauge?.expr ?? s.gauge?.note ?? 'not found'}`);
  if (s.reason) lines.push(`  undecided: ${s.reason}`);
  if (s.quantity) lines.push(`  conserved: ${s.quantity.symbol} = ${s.quantity.expr}`);
  return `${lines.join('\n')}\n`;
}
