import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { type Expr, FUNCTIONS, add, call, div, mul, neg, num, pow, sqrt, sub, sym } from '../../src/expr/expr.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { toText } from '../../src/expr/print.ts';
import { Rational } from '../../src/expr/rational.ts';
import { latexSymbol, toLatex } from '../../src/latex/latex.ts';
import { Rng } from '../../src/random/rng.ts';

const NAMES = ['x', 'y', 'x_dot', 'y_dot', 'x1', 'x1_dot', 'p_x1', 'k', 'D', 'A', 'I', 'c', 'n', 'a', 'b', 'u', 'tau', 'mu0', 'sigma', 'rate', 'gain'];
const scope = { allowed: new Map(NAMES.map((name): [string, string] => [name, 'parameter'])) };
const latex = (text: string): string => toLatex(parseExpression(text, scope));

function rendersWithKatex(s: string): void {
  expect(() => katex.renderToString(s, { throwOnError: true }), s).not.toThrow();
}

describe('latexSymbol', () => {
  it.each([
    ['x_dot', '\\dot{x}'],
    ['x_ddot', '\\ddot{x}'],
    ['x1_dot', '\\dot{x}_{1}'],
    ['theta_dot', '\\dot{\\theta}'],
    ['p_x', 'p_{x}'],
    ['p_x1', 'p_{x_{1}}'],
    ['p_x_dot', '\\dot{p}_{x}'],
    ['x1', 'x_{1}'],
    ['x12', 'x_{12}'],
    ['mu0', '\\mu_{0}'],
    ['s0', 's_{0}'],
    ['sigma_x', '\\sigma_{x}'],
    ['D_11', 'D_{11}'],
    ['x1_y', 'x_{1,y}'],
    ['alpha', '\\alpha'],
    ['omega', '\\omega'],
    ['Gamma', '\\Gamma'],
    ['Omega', '\\Omega'],
    ['Alpha', 'A'],
    ['Rho', 'P'],
    ['omicron', 'o'],
    ['pi', '\\pi'],
    ['e', 'e'],
    ['k', 'k'],
    ['D', 'D'],
    ['rate', '\\mathrm{rate}'],
    ['rate_dot', '\\dot{\\mathrm{rate}}'],
    ['rate2', '\\mathrm{rate}_{2}'],
    ['x_', '\\mathrm{x\\_}'],
  ])('%s → %s', (name, want) => {
    expect(latexSymbol(name)).toBe(want);
    rendersWithKatex(want);
  });
});

describe('toLatex', () => {
  it.each([
    // The paper's expressions.
    ['(x_dot + k*x)^2/(4*D)', '\\frac{\\left(\\dot{x} + k x\\right)^{2}}{4 D}'],
    ['(x_dot^2 - k^2*x^2)/(4*D)', '\\frac{\\dot{x}^{2} - k^{2} x^{2}}{4 D}'],
    [
      'x*(y_dot + k*y)/(2*D) - y*(x_dot + k*x)/(2*D)',
      '\\frac{x \\left(\\dot{y} + k y\\right)}{2 D} - \\frac{y \\left(\\dot{x} + k x\\right)}{2 D}',
    ],
    [
      // Paper Eq. 20; the text form reads (A*(tanh((x - c)/n) + 1) - I*(tanh((y - c)/n) + 1) + 2*mu0 - 2*x)/(2*tau).
      '(mu0 + A/2*(tanh((x-c)/n)+1) - I/2*(tanh((y-c)/n)+1) - x)/tau',
      '\\frac{A \\left(\\tanh\\left(\\frac{x - c}{n}\\right) + 1\\right) - I \\left(\\tanh\\left(\\frac{y - c}{n}\\right) + 1\\right) + 2 \\mu_{0} - 2 x}{2 \\tau}',
    ],
    ['besselI1(k*x/D)/besselI0(k*x/D)', '\\frac{I_1\\left(\\frac{k x}{D}\\right)}{I_0\\left(\\frac{k x}{D}\\right)}'],
    // Sums: reading order, a - b for negative terms.
    ['x_dot - k*x', '\\dot{x} - k x'],
    ['-k*x + x_dot', '\\dot{x} - k x'],
    ['x - 1/2', 'x - \\frac{1}{2}'],
    ['-x - 2*y', '-x - 2 y'],
    ['x - 1/y', 'x - \\frac{1}{y}'],
    // Products and fractions.
    ['2*k*x', '2 k x'],
    ['x/2', '\\frac{x}{2}'],
    ['-k*x/(2*D)', '-\\frac{k x}{2 D}'],
    ['-2/3*x', '-\\frac{2 x}{3}'],
    ['1/(x + y)', '\\frac{1}{x + y}'],
    ['x/(a + b)', '\\frac{x}{a + b}'],
    ['1/(2*x + 2*y)', '\\frac{1}{2 \\left(x + y\\right)}'],
    ['x^(-y)', '\\frac{1}{x^{y}}'],
    ['2*3^x', '2 \\cdot 3^{x}'],
    ['rate*x', '\\mathrm{rate}\\,x'],
    ['gain*rate^2', '\\mathrm{gain}\\,\\mathrm{rate}^{2}'],
    ['pi*x1^2', '\\pi x_{1}^{2}'],
    ['x1_dot*p_x1', 'p_{x_{1}} \\dot{x}_{1}'],
    ['a*(x + y)', 'a \\left(x + y\\right)'],
    // Powers and roots.
    ['x^2', 'x^{2}'],
    ['(x + y)^3', '\\left(x + y\\right)^{3}'],
    ['x^(3/2)', 'x^{3/2}'],
    ['x^(y/2)', 'x^{\\frac{y}{2}}'],
    ['x^y^2', 'x^{y^{2}}'],
    ['sqrt(u)', '\\sqrt{u}'],
    ['u^(-1/2)', '\\frac{1}{\\sqrt{u}}'],
    ['sqrt(x^2 + y^2)', '\\sqrt{x^{2} + y^{2}}'],
    ['sqrt(2)*x', '\\sqrt{2} x'],
    ['(x/y)^(3/2)', '\\left(\\frac{x}{y}\\right)^{3/2}'],
    ['(x*y)^(3/2)', '\\left(x y\\right)^{3/2}'],
    ['(-2)^x', '\\left(-2\\right)^{x}'],
    ['(1/2)^x', '\\left(\\frac{1}{2}\\right)^{x}'],
    // Functions.
    ['exp(-x^2)', 'e^{-x^{2}}'],
    ['exp(x)*exp(y)', 'e^{x + y}'],
    ['exp(-x^2/(2*sigma^2))', '\\exp\\left(-\\frac{x^{2}}{2 \\sigma^{2}}\\right)'],
    ['exp(sqrt(x))', '\\exp\\left(\\sqrt{x}\\right)'],
    ['log(x)', '\\log\\left(x\\right)'],
    ['log(x)^2', '\\log^{2}\\left(x\\right)'],
    ['sin(x)^3*cos(y)', '\\cos\\left(y\\right) \\sin^{3}\\left(x\\right)'],
    ['tan(x) + sinh(y)', '\\sinh\\left(y\\right) + \\tan\\left(x\\right)'],
    ['tanh(x)^2', '\\tanh^{2}\\left(x\\right)'],
    ['1/cosh(x)^2', '\\frac{1}{\\cosh^{2}\\left(x\\right)}'],
    ['sech(x)^2', '\\operatorname{sech}^{2}\\left(x\\right)'],
    ['atan(x)', '\\arctan\\left(x\\right)'],
    ['erf(x/sqrt(2))', '\\operatorname{erf}\\left(\\frac{\\sqrt{2} x}{2}\\right)'],
    // abs is even: its argument takes the canonical sign (the last-sorting term positive).
    ['abs(x - y)', '\\left|y - x\\right|'],
    ['abs(x)^(3/2)', '\\left|x\\right|^{3/2}'],
    ['besselI0(x)^2', 'I_0\\left(x\\right)^{2}'],
    // Numbers.
    ['3', '3'],
    ['-3', '-3'],
    ['2/3', '\\frac{2}{3}'],
    ['-1/x', '-\\frac{1}{x}'],
  ])('%s → %s', (text, want) => {
    expect(latex(text)).toBe(want);
    rendersWithKatex(want);
  });
});

describe('toLatex on random expressions', () => {
  const symbols = ['x', 'y', 'x_dot', 'k', 'sigma', 'mu0'].map(sym);
  const numbers = [-3, -1, 2, 3, 0.5, -1.5].map((v) => num(v));
  const exponents = [2, 3, -1, -2, 0.5, -0.5, 1.5, -1.5].map((v) => num(v)).concat(num(Rational.of(1, 3)));

  function randomExpr(rng: Rng, depth: number): Expr {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)];
    if (depth === 0 || rng.uniform() < 0.2) return rng.uniform() < 0.75 ? pick(symbols) : pick(numbers);
    const next = (): Expr => randomExpr(rng, depth - 1);
    switch (pick(['add', 'sub', 'mul', 'div', 'neg', 'pow', 'sqrt', 'call', 'call'] as const)) {
      case 'add':
        return add(next(), next());
      case 'sub':
        return sub(next(), next());
      case 'mul':
        return mul(next(), next());
      case 'div':
        return div(next(), next());
      case 'neg':
        return neg(next());
      case 'pow':
        // Symbolic exponents stay symbols: numeric towers would grow without bound.
        return pow(next(), rng.uniform() < 0.8 ? pick(exponents) : pick(symbols));
      case 'sqrt':
        return sqrt(next());
      case 'call':
        return call(pick(FUNCTIONS), next());
    }
  }

  /** Braces never close before they open and all close; every \left has its \right. */
  function balanced(s: string): boolean {
    let depth = 0;
    for (const ch of s) {
      if (ch === '{') depth++;
      else if (ch === '}' && --depth < 0) return false;
    }
    return depth === 0 && s.split('\\left').length === s.split('\\right').length;
  }

  /** The binary + and - in order: the same sequence in both forms means they agree term for term. */
  const operators = (s: string): string[] => s.match(/ [+-] /g) ?? [];

  it('renders 200 seeded random trees, agreeing with the text form', () => {
    const rng = new Rng(20240611);
    let done = 0;
    while (done < 200) {
      let e: Expr;
      try {
        e = randomExpr(rng, 4);
      } catch (err) {
        if (err instanceof RangeError) continue; // a random division by zero
        throw err;
      }
      const s = toLatex(e);
      expect(balanced(s), s).toBe(true);
      expect(s, s).not.toMatch(/\+ -|- -|--/);
      rendersWithKatex(s);
      expect(operators(s), `${s}\n${toText(e)}`).toEqual(operators(toText(e)));
      done++;
    }
  });
});
