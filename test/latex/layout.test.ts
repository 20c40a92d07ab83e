// Formulas that fit the page (src/latex/layout.ts): broken sums are the same
// formula (their pieces join to toLatex's text), every piece fits where terms
// allow it, and named sub-expressions substituted back give the formulas exactly.
// The widths themselves are checked against pdflatex by `npm run test:latex`.
import { describe, expect, it } from 'vitest';
import { type Expr, substitute } from '../../src/expr/expr.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { toLatex } from '../../src/latex/latex.ts';
import { PAGE_WIDTH, alignedLines, breakLatex, nameParts, texWidth } from '../../src/latex/layout.ts';

const names = ['x', 'y', 'z', 'x_dot', 'y_dot', 'A', 'I', 'c', 'n', 'tau', 'sigma', 'k', 'D'];
const scope = { allowed: new Map(names.map((s) => [s, 'symbol'])) };
const P = (s: string): Expr => parseExpression(s, scope);
const LONG = '(A/2*(tanh((x-c)/n)+1) - I/2*(tanh((y-c)/n)+1) - x)^2 + (A/2*(tanh((y-c)/n)+1) - I/2*(tanh((x-c)/n)+1) - y)^2 + x_dot^2 + y_dot^2 + k*x*y_dot - k*y*x_dot';

describe('texWidth', () => {
  it('grows with content, shrinks fractions to their wider part, scales scripts', () => {
    expect(texWidth('x + y')).toBeGreaterThan(texWidth('x'));
    expect(texWidth('\\frac{a + b + c}{d}')).toBeCloseTo(texWidth('a + b + c') + 2.4, 5);
    expect(texWidth('x^{abc}')).toBeLessThan(texWidth('x abc'));
    expect(texWidth('\\dot{x}')).toBe(texWidth('x'));
  });
});

describe('breakLatex', () => {
  it('keeps a formula that fits whole', () => {
    const e = P('x + y');
    expect(breakLatex(e, PAGE_WIDTH)).toEqual([toLatex(e)]);
  });

  it('breaks a long sum between terms: the pieces join to the same LaTeX, each within the width', () => {
    const e = P(LONG.replace(/\^2/g, ''));
    const pieces = breakLatex(e, 120);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join(' ')).toBe(toLatex(e));
    for (const p of pieces.slice(1)) expect(p).toMatch(/^[+-] /);
  });

  it('factors c·(sum)ⁿ/d as \\frac{c}{d}\\Big( … \\Big)ⁿ with the sum broken inside', () => {
    const pieces = breakLatex(P(`tau*(${LONG})^2/(4*sigma^2)`), 150);
    expect(pieces[0]).toMatch(/^\\frac\{\\tau\}\{4 \\sigma\^\{2\}\}\\Big\(/);
    expect(pieces[pieces.length - 1]).toMatch(/\\Big\)\^\{2\}$/);
  });
});

describe('nameParts', () => {
  it('names sub-expressions until everything fits, and substituting them back gives the formulas exactly', () => {
    const formulas = [P(LONG), P(`tau*(${LONG})/(4*sigma^2)`), P('x + y')];
    const { formulas: short, parts } = nameParts(formulas, 120);
    expect(parts.length).toBeGreaterThan(0);
    for (const f of [...short, ...parts.map((p) => p.expr)]) for (const piece of breakLatex(f, 120)) expect(texWidth(piece)).toBeLessThanOrEqual(120);
    // Expand the names (the last defined may appear in earlier definitions) until none is left.
    const values = new Map(parts.map((p) => [p.symbol.kind === 'sym' ? p.symbol.name : '', p.expr]));
    const expand = (e: Expr): Expr => {
      for (let i = 0; i <= parts.length; i++) e = substitute(e, values);
      return e;
    };
    short.forEach((f, i) => expect(expand(f).key).toBe(formulas[i].key));
    // A prefix no symbol of the formulas starts with.
    expect(parts[0].symbol.kind === 'sym' && parts[0].symbol.name.startsWith('u_')).toBe(true);
  });
});

describe('alignedLines', () => {
  it('puts the vector form first, the broken components after, one equation number on the last line', () => {
    const lines = alignedLines('E', ['\\frac{\\|\\dot{\\boldsymbol{x}}\\|^{2}}{4 D}'], P(LONG));
    expect(lines[0]).toMatch(/^ {2}E &= \\frac/);
    expect(lines.slice(0, -1).every((l) => l.endsWith('\\notag \\\\'))).toBe(true);
    expect(lines[lines.length - 1]).not.toMatch(/notag/);
  });
});

describe('decimal coefficients', () => {
  it('a coefficient p/q with q = 2ᵃ5ᵇ ≥ 10⁴ prints as its exact decimal; small denominators stay fractions', () => {
    const cases: Array<[string, string]> = [
      ['0.4428349809645224*tanh(x) - 0.25*y', '0.4428349809645224 \\tanh\\left(x\\right) - \\frac{y}{4}'],
      ['-0.4428349809645224*tanh(x)/y', '-\\frac{0.4428349809645224 \\tanh\\left(x\\right)}{y}'],
      ['x/2 + 3*y/4', '\\frac{x}{2} + \\frac{3 y}{4}'],
      ['0.12345*x', '0.12345 x'],
      ['x/3', '\\frac{x}{3}'],
    ];
    for (const [text, latex] of cases) expect(toLatex(P(text))).toBe(latex);
  });
});

describe('the derive document of a network with random weights', () => {
  it('writes L = Σ (ẋᵢ − fᵢ)²/(4D) with the drift components named, each a sum of decimal terms', async () => {
    const { createAnalyzer } = await import('../../src/api/analyzer.ts');
    const { formatDerivation } = await import('../../src/format/derivation.ts');
    const a = createAnalyzer({ name: 'net5', state: { x: 5 }, params: { W: { random: 'normal', scale: 0.3, seed: 3, shape: [5, 5] }, D: 0.05 }, drift: '-x + W*tanh(x)', diffusion: 'D' } as never);
    const doc = formatDerivation(a.derivation(), 'latex');
    expect(doc).toContain('L &= \\frac{\\left(\\dot{x}_{1} - f_{x_{1}}\\right)^{2}}{4 D} + \\frac{\\left(\\dot{x}_{2} - f_{x_{2}}\\right)^{2}}{4 D}');
    expect(doc).toMatch(/&\\text\{where the drift components are\} \\notag \\\\\n {2}f_\{x_\{1\}\} &= -?0\.\d+ \\tanh/);
  });
});
