import { derivative, evaluate as mathjsEvaluate, parse as mathjsParse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/expr/diff.ts';
import { evaluate } from '../../src/expr/evaluate.ts';
import { type Expr, ONE, add, call, mul, num, sym } from '../../src/expr/expr.ts';
import { Rational } from '../../src/expr/rational.ts';
import { expand, isZeroSymbolic, together } from '../../src/expr/normal.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { toText } from '../../src/expr/print.ts';
import { Rng } from '../../src/random/rng.ts';
import { randomExpr } from '../helpers/random-expr.ts';

const scope = { allowed: new Map(['x', 'y', 'k', 'a', 'b', 'x_dot', 'D', 'x_1', 'x_2', 'x_9', 'x_10', 'x_1_dot'].map((n) => [n, 'symbol'])) };
const P = (s: string): Expr => parseExpression(s, scope);
const at = (e: Expr, values: Record<string, number>): number => evaluate(e, new Map(Object.entries(values)));

describe('canonical forms', () => {
  it('a number times a sum is the sum of the scaled terms, each in the canonical form of the general product', () => {
    const rng = new Rng(13);
    for (let i = 0; i < 300; i++) {
      const s = add(randomExpr(rng, ['x', 'y', 'k'], 3), randomExpr(rng, ['x', 'y', 'k'], 3), randomExpr(rng, ['x', 'y'], 2));
      if (s.kind !== 'add') continue;
      for (const c of [num(-1), num(Rational.of(3, 7)), num(Rational.of(-2))]) {
        // The general product of c and each term, regrouped: what the distribution used to build.
        const expected = add(...s.terms.map((t) => mul(c, mul(ONE, t))));
        expect(mul(c, s).key, toText(s)).toBe(expected.key);
      }
    }
  });
  it('collects like terms and merges powers', () => {
    expect(toText(P('x + x + 2*x'))).toBe('4*x');
    expect(toText(P('x*x^2/x^4'))).toBe('1/x');
    expect(P('x*y').key).toBe(P('y*x').key);
    expect(P('(x+y)*2').key).toBe(P('2*y + 2*x').key);
    expect(toText(P('0.1*x*3 - 0.3*x'))).toBe('0');
  });
  it('folds exact values of functions and exponentials', () => {
    expect(toText(P('exp(0) + log(1) + sin(0) + besselI0(0) + besselI1(0)'))).toBe('2');
    expect(toText(P('exp(x)*exp(-x)'))).toBe('1');
    expect(toText(P('e^x'))).toBe('exp(x)');
    expect(toText(P('log(exp(x))'))).toBe('x');
  });
  it('gives odd and even functions a canonical sign', () => {
    expect(P('tanh((0.5 - x)/0.1)').key).toBe(mul(num(-1), P('tanh(10*x - 5)')).key);
    expect(P('cos(-x)').key).toBe(P('cos(x)').key);
    expect(P('abs(2 - x)').key).toBe(P('abs(x - 2)').key);
  });
  it('keeps exact surds', () => {
    expect(toText(P('sqrt(2)*sqrt(2)'))).toBe('2');
    expect(toText(P('sqrt(8)'))).toBe('2*sqrt(2)');
    expect(toText(P('4^(1/2)'))).toBe('2');
  });
});

describe('differentiation', () => {
  it('knows the rules of every function (checked against central differences)', () => {
    const h = 1e-6;
    for (const fn of ['exp', 'log', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'sech', 'atan', 'erf', 'abs', 'besselI0', 'besselI1'] as const) {
      const e = call(fn, add(mul(num(2), sym('x')), num(1)));
      const d = diff(e, 'x');
      for (const x0 of [0.3, 1.7]) {
        const fd = (at(e, { x: x0 + h }) - at(e, { x: x0 - h })) / (2 * h);
        expect(Math.abs(at(d, { x: x0 }) - fd), fn).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(fd)));
      }
    }
  });
  it('agrees with mathjs derivative on random expressions', () => {
    const rng = new Rng(7);
    const known = ['exp', 'log', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'sech', 'atan', 'abs'];
    for (let i = 0; i < 150; i++) {
      const e = randomExpr(rng, ['x', 'y', 'k'], 4, known);
      const ours = diff(e, 'x');
      const theirs = derivative(mathjsParse(toText(e)), 'x');
      const point = { x: 0.37, y: -1.21, k: 0.83 };
      const a = at(ours, point);
      const b = theirs.evaluate(point) as number;
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      expect(Math.abs(a - b), `${toText(e)}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b)));
    }
  });
});

describe('printing', () => {
  it('prints mathjs syntax that mathjs evaluates to the same value', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 300; i++) {
      const e = randomExpr(rng, ['x', 'y', 'k'], 4, ['exp', 'log', 'sin', 'cos', 'tanh', 'sech', 'atan', 'abs', 'erf']);
      const point = { x: 0.61, y: -0.44, k: 1.3 };
      const ours = at(e, point);
      const theirs = mathjsEvaluate(toText(e), { ...point }) as number;
      if (!Number.isFinite(ours)) continue;
      expect(Math.abs(ours - theirs), toText(e)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(ours)));
    }
  });
  it('reads back what it prints', () => {
    const rng = new Rng(12);
    for (let i = 0; i < 200; i++) {
      const e = randomExpr(rng, ['x', 'y', 'k'], 4);
      const again = P(toText(e));
      expect(isZeroSymbolic(add(e, mul(num(-1), again))), toText(e)).toBe(true);
    }
  });
  it('shows products as fractions with the numbers pulled out', () => {
    expect(toText(P('(x_dot + k*x)^2/(4*k)'))).toBe('(x_dot + k*x)^2/(4*k)');
    expect(toText(P('-y*(2*x + 2*k)/(4*a)'))).toBe('-y*(k + x)/(2*a)');
    expect(toText(P('-tanh(x)^2 + 1'))).toBe('1 - tanh(x)^2');
    expect(toText(P('x^(-1/2)'))).toBe('1/sqrt(x)');
  });
  it('prints coefficients with denominators 2ᵃ5ᵇ ≥ 10⁴ as their exact decimals, read back to the same rational', () => {
    const cases: Array<[string, string]> = [
      ['0.4428349809645224*tanh(x) - 0.25*y', '0.4428349809645224*tanh(x) - y/4'],
      ['-0.4428349809645224*tanh(x)/y', '-0.4428349809645224*tanh(x)/y'],
      ['0.12345', '0.12345'],
      ['-0.12345', '-0.12345'],
      ['x/2 + 3*y/4', 'x/2 + 3*y/4'],
      ['x/3 + 0.0001*y', 'x/3 + 0.0001*y'],
      ['0.00001*y', 'y/100000'],
      // A sum of long decimals keeps them: no common denominator of 5·10¹⁵ in front.
      ['(x_dot + x - 0.4428349809645224*tanh(x) + 0.1*y)^2/(4*D)', '(x_dot + x + y/10 - 0.4428349809645224*tanh(x))^2/(4*D)'],
      ['2*(0.1*x + 0.3*y)^2', '(x + 3*y)^2/50'],
    ];
    for (const [text, printed] of cases) {
      const e = P(text);
      expect(toText(e)).toBe(printed);
      expect(isZeroSymbolic(add(e, mul(num(-1), P(toText(e))))), text).toBe(true);
    }
  });
  it('orders terms by the numbers in their names: x_2 before x_10', () => {
    expect(toText(P('tanh(x_10) + tanh(x_9) + tanh(x_2) + tanh(x_1)'))).toBe('tanh(x_1) + tanh(x_2) + tanh(x_9) + tanh(x_10)');
    expect(toText(P('x_10*y + x_2*y + x_1_dot'))).toBe('x_1_dot + x_2*y + x_10*y');
  });
});

describe('normal forms', () => {
  it('expands products and powers of sums', () => {
    expect(toText(expand(P('(a + b)^2')))).toBe('a^2 + 2*a*b + b^2');
    expect(toText(expand(P('(sqrt(x) + 1)*(sqrt(x) - 1)')))).toBe('x - 1');
  });
  it('puts sums of fractions over the least common denominator', () => {
    const f = together(P('1/(x+1) + 1/(x-1) - 2*x/(x^2-1)'));
    expect(toText(f.num)).toBe('0');
    const g = together(P('1/x + 1/x^2'));
    expect(toText(g.num)).toBe('x + 1');
    expect(toText(g.den)).toBe('x^2');
  });
  it('proves the identities mathjs simplify misses', () => {
    expect(isZeroSymbolic(P('(a+b)^2 - (a^2 + 2*a*b + b^2)'))).toBe(true);
    expect(isZeroSymbolic(P('a*b + b*a - 2*a*b'))).toBe(true);
    expect(isZeroSymbolic(P('(x - y)^3 + (y - x)^3'))).toBe(true);
    expect(isZeroSymbolic(P('tanh(x - a)*exp(2*x) - exp(x)^2*tanh(x - a)'))).toBe(true);
    expect(isZeroSymbolic(P('(a+b)^2 - a^2 - b^2'))).toBe(false);
  });
});
