// Output of `derive` and `check`: text, Markdown, a LaTeX document (or snippet)
// and JSON in the documented shape.

import { type Expr, mul, num } from '../expr/expr.ts';
import { fractionParts, toText } from '../expr/print.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import type { Derivation, SymmetryResult } from '../noether/derive.ts';
import { fillPlaceholders } from '../symmetry/rules.ts';
import { formula, modelSummary } from './lagrangian-output.ts';
import { latexSymbol, toLatex } from './latex.ts';

export type DeriveFormat = 'text' | 'latex' | 'markdown' | 'json';

/** One symmetry as JSON (the shape `check --json` prints). */
export function symmetryJSON(s: SymmetryResult, lagr: LagrangianResult): Record<string, unknown> {
  const { instance, verdict, charge } = s;
  const v = verdict;
  return {
    rule: instance.rule,
    description: instance.description,
    params: instance.params,
    generator: { dt: toText(instance.generator.dt), dx: instance.generator.dx.map(toText) },
    status: v.status,
    evidence: v.evidence,
    ...(v.points !== undefined ? { points: v.points } : {}),
    ...(v.scope !== undefined ? { holdsFor: v.scope } : {}),
    counterexample: v.counterexample ?? null,
    gauge: v.status === 'quasi' ? (v.gauge?.K ? { ...formula(v.gauge.K), verified: true } : { expr: null, latex: null, note: v.gauge?.note ?? null }) : null,
    quantity: charge
      ? {
          name: charge.name,
          symbol: charge.symbol,
          expr: toText(charge.expr),
          latex: toLatex(charge.expr),
          symbolLatex: chargeSymbolLatex(s),
          ...(vectorForm(s, lagr) ? { vectorLatex: vectorForm(s, lagr) } : {}),
        }
      : null,
  };
}

const BX = '\\boldsymbol{x}';
const BF = '\\boldsymbol{f}';
const BXDOT = '\\dot{\\boldsymbol{x}}';

/** The paper's vector notation for the built-in charges (Eqs. 10, 12, 14, 16), for the reader's check. */
export function vectorForm(s: SymmetryResult, lagr: LagrangianResult): string | undefined {
  if (!s.charge) return undefined;
  const { a, b } = s.charge.axes;
  const d = lagr.model.diffusion;
  const om = lagr.action === 'om' ? ' - \\frac{1}{2}\\nabla\\cdot' + BF : '';
  switch (s.instance.rule) {
    case 'time':
      if (d.structure === 'isotropic' && !d.dependsOnState && !d.dependsOnTime) {
        // (‖ẋ‖² − ‖f‖²)/(4D), with any fraction in D moved to the numerator: τ(…)/(4σ²) for D = σ²/τ.
        const { numer, denom } = fractionParts(mul(num(4), d.matrix[0][0]));
        const squares = `\\|${BXDOT}\\|^{2} - \\|${BF}\\|^{2}`;
        const top = denom.length === 0 ? squares : `${toLatex(mul(...denom))} \\left(${squares}\\right)`;
        return `\\frac{${top}}{${toLatex(mul(...numer))}}${om}`;
      }
      return `\\frac{1}{4} ${BXDOT}^{\\top} D^{-1} ${BXDOT} - \\frac{1}{4} ${BF}^{\\top} D^{-1} ${BF}${om}`;
    case 'translation':
      // In one dimension the component form says it all.
      return a === undefined || lagr.model.state.length === 1 ? undefined : `\\frac{1}{2} \\left[D^{-1} \\left(${BXDOT} - ${BF}\\right)\\right]_{${latexSymbol(a)}}`;
    case 'rotation':
      return a === undefined || b === undefined ? undefined : `${latexSymbol(a)} p_{${latexSymbol(b)}} - ${latexSymbol(b)} p_{${latexSymbol(a)}}`;
    case 'boost':
      return a === undefined ? undefined : `t\\, p_{${latexSymbol(a)}}${s.verdict.status === 'quasi' ? ' - K' : ''}`;
    case 'scaling':
      return `${BX} \\cdot \\boldsymbol{p} - 2 t E${s.verdict.status === 'quasi' ? ' - K' : ''}`;
    default:
      return undefined;
  }
}


export function derivationJSON(d: Derivation): Record<string, unknown> {
  return {
    model: modelSummary(d.lagrangian.model),
    action: d.lagrangian.action,
    lagrangian: formula(d.lagrangian.lagrangian),
    rules: d.rules,
    symmetries: d.symmetries.map((s) => symmetryJSON(s, d.lagrangian)),
  };
}

export function chargeSymbolLatex(s: SymmetryResult): string {
  const { charge } = s;
  if (!charge) return '';
  const { a, b } = charge.axes;
  return fillPlaceholders(charge.latexSymbolTemplate, {
    ...(a !== undefined ? { a: latexSymbol(a) } : {}),
    ...(b !== undefined ? { b: latexSymbol(b) } : {}),
  });
}

function evidenceText(s: SymmetryResult): string {
  const v = s.verdict;
  if (v.status === 'broken') return 'counterexample';
  if (v.evidence === 'numeric') return `numeric (${v.points} points)`;
  return v.scope === 'these parameter values' ? 'symbolic (at these parameter values)' : 'symbolic';
}

function point(p: Readonly<Record<string, number>>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k} = ${Number(v.toPrecision(6))}`)
    .join(', ');
}

// ---------------------------------------------------------------- text

function text(d: Derivation): string {
  const m = d.lagrangian.model;
  const rows = d.symmetries.map((s) => [s.instance.description, s.verdict.status, evidenceText(s)]);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['symmetry', 'status', 'evidence'][i].length));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  const out = [
    `Model ${m.name}: ${d.symmetries.length} generators tested`,
    `L = ${toText(d.lagrangian.lagrangian)}`,
    '',
    line(['symmetry', 'status', 'evidence']),
    line(w.map((n) => '-'.repeat(n))),
    ...rows.map(line),
  ];
  const conserved = d.symmetries.filter((s) => s.charge);
  if (conserved.length > 0) {
    out.push('', 'Conserved quantities:');
    for (const s of conserved) out.push(`  ${s.charge?.symbol} = ${toText(s.charge?.expr as Expr)}    (${s.charge?.name}; ${s.instance.description})`);
  }
  const quasi = d.symmetries.filter((s) => s.verdict.status === 'quasi');
  if (quasi.length > 0) {
    out.push('', 'Quasi-symmetries (δL = dK/dt):');
    for (const s of quasi) {
      const K = s.verdict.gauge?.K;
      out.push(`  ${s.instance.description}: ${K ? `K = ${toText(K)}` : (s.verdict.gauge?.note ?? 'K not found')}`);
    }
  }
  const broken = d.symmetries.filter((s) => s.verdict.counterexample);
  if (broken.length > 0) {
    out.push('', 'Broken (a point where δL ≠ 0):');
    for (const s of broken) {
      const c = s.verdict.counterexample;
      if (c) out.push(`  ${s.instance.description}: δL = ${Number(c.deltaL.toPrecision(6))} at ${point(c.point)}`);
    }
  }
  const skipped = d.rules.filter((r) => r.status === 'skipped');
  if (skipped.length > 0) {
    out.push('', 'Rules skipped:');
    for (const r of skipped) out.push(`  ${r.file}: ${r.reason}`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- markdown

function markdown(d: Derivation): string {
  const m = d.lagrangian.model;
  const out = [
    `## Symmetries and conserved quantities of \`${m.name}\``,
    '',
    `Lagrangian (Eq. 8): $L = ${toLatex(d.lagrangian.lagrangian)}$`,
    '',
    '| symmetry | status | evidence | conserved quantity |',
    '| --- | --- | --- | --- |',
  ];
  for (const s of d.symmetries) {
    const q = s.charge ? `$${chargeSymbolLatex(s)} = ${toLatex(s.charge.expr)}$` : s.verdict.counterexample ? `δL = ${Number(s.verdict.counterexample.deltaL.toPrecision(4))} at ${point(s.verdict.counterexample.point)}` : '—';
    out.push(`| ${s.instance.description} | ${s.verdict.status} | ${evidenceText(s)} | ${q.replaceAll('|', '\\|')} |`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- LaTeX

/** One align line per conserved quantity, with the symmetry that gives it. */
export function latexSnippet(d: Derivation): string {
  const lines = d.symmetries
    .filter((s) => s.charge)
    .map((s) => {
      // The paper's vector form first where there is one, then the components.
      const vector = vectorForm(s, d.lagrangian);
      const rhs = `${vector ? `${vector} = ` : ''}${toLatex(s.charge?.expr as Expr)}`;
      return `  ${chargeSymbolLatex(s)} &= ${rhs} && \\text{(${latexText(s.instance.description)}${s.verdict.status === 'quasi' ? ', quasi-symmetry' : ''})}`;
    });
  if (lines.length === 0) return '% no conserved quantities found\n';
  return `\\begin{align}\n${lines.join(' \\\\\n')}\n\\end{align}\n`;
}

function latexDocument(d: Derivation): string {
  const m = d.lagrangian.model;
  return [
    '\\documentclass{article}',
    '\\usepackage{amsmath,amssymb}',
    '\\begin{document}',
    `\\section*{Conserved quantities of \\texttt{${latexText(m.name)}}}`,
    'Onsager--Machlup Lagrangian (Vastola, Eq.~8):',
    '\\begin{equation}',
    `  L = ${toLatex(d.lagrangian.lagrangian)}`,
    '\\end{equation}',
    'Each (quasi-)symmetry with generator $\\xi^{t}\\partial_t + \\boldsymbol{\\xi}\\cdot\\partial_{\\boldsymbol{x}}$ gives a Noether charge',
    '$J = \\boldsymbol{p}\\cdot\\boldsymbol{\\xi} - \\xi^{t} E - K$, constant along most likely paths, where',
    '$\\boldsymbol{p} = \\partial L/\\partial\\dot{\\boldsymbol{x}}$, $E = \\boldsymbol{p}\\cdot\\dot{\\boldsymbol{x}} - L$,',
    '$\\boldsymbol{f}$ is the drift, $D$ the diffusion tensor, and $K$ the gauge term of a quasi-symmetry ($\\delta L = \\mathrm{d}K/\\mathrm{d}t$; $K = 0$ for an exact one):',
    latexSnippet(d).trimEnd(),
    ...gaugeLines(d),
    '\\end{document}',
    '',
  ].join('\n');
}

/** The gauge terms K of the quasi-symmetries, one sentence each. */
function gaugeLines(d: Derivation): string[] {
  return d.symmetries
    .filter((s) => s.charge && s.verdict.status === 'quasi' && s.verdict.gauge?.K)
    .map((s) => `For the ${latexText(s.instance.description)}: $K = ${toLatex(s.verdict.gauge?.K as Expr)}$.`);
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

export function formatDerivation(d: Derivation, format: DeriveFormat, options: { snippet?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(derivationJSON(d), null, 2)}\n`;
    case 'markdown':
      return markdown(d);
    case 'latex':
      return options.snippet ? latexSnippet(d) : latexDocument(d);
    case 'text':
      return text(d);
  }
}

/** `check`: one symmetry in text. */
export function formatCheck(s: SymmetryResult): string {
  const v = s.verdict;
  const lines = [`${s.instance.description}: ${v.status} (${evidenceText(s)})`];
  lines.push(`  generator: dt = ${toText(s.instance.generator.dt)}, dx = [${s.instance.generator.dx.map(toText).join(', ')}]`);
  if (v.counterexample) lines.push(`  δL = ${Number(v.counterexample.deltaL.toPrecision(6))} at ${point(v.counterexample.point)}`);
  if (v.status === 'quasi') lines.push(`  K = ${v.gauge?.K ? toText(v.gauge.K) : (v.gauge?.note ?? 'not found')}`);
  if (s.charge) lines.push(`  conserved: ${s.charge.symbol} = ${toText(s.charge.expr)}`);
  return `${lines.join('\n')}\n`;
}
