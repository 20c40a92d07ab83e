// Our polynomial normal form against an independent CAS: nerdamer's expand.
// Only polynomial and rational expressions go to nerdamer (it mis-handles some
// radicals and abs, nerdamer issue 580), built from our own vetted trees.
import nerdamer from 'nerdamer';
import { describe, expect, it } from 'vitest';
import { type Expr, add, div, mul, num, pow, sub, sym } from '../../src/expr/expr.ts';
import { expand, isZeroSymbolic, together } from '../../src/expr/normal.ts';
import { toText } from '../../src/expr/print.ts';
import { Rational } from '../../src/expr/rational.ts';
import { Rng } from '../../src/random/rng.ts';

function randomPolynomial(rng: Rng, depth: number): Expr {
  const leaf = (): Expr =>
    rng.uniform() < 0.6 ? sym(['x', 'y', 'k'][Math.floor(rng.uniform() * 3)]) : num(Rational.of(Math.floor(rng.uniform() * 7) - 3 || 2, 1 + Math.floor(rng.uniform() * 3)));
  if (depth === 0) return leaf();
  const a = randomPolynomial(rng, depth - 1);
  const b = randomPolynomial(rng, depth - 1);
  const r = rng.uniform();
  if (r < 0.35) return add(a, b);
  if (r < 0.55) return sub(a, b);
  if (r < 0.85) return mul(a, b);
  return pow(a, num(2 + Math.floor(rng.uniform() * 2)));
}

/** nerdamer's verdict on whether a − b expands to 0. */
function nerdamerSaysEqual(a: Expr, b: Expr): boolean {
  return nerdamer(`expand((${toText(a)}) - (${toText(b)}))`).toString() === '0';
}

describe('polynomial normal form vs nerdamer', () => {
  it('our expansion equals the original for nerdamer, on 150 random polynomials', () => {
    const rng = new Rng(99);
    for (let i = 0; i < 150; i++) {
      const e = randomPolynomial(rng, 3);
      expect(nerdamerSaysEqual(e, expand(e)), toText(e)).toBe(true);
    }
  });
  it('nerdamer agrees that a wrong expansion is wrong (the check can fail)', () => {
    const x = sym('x');
    const y = sym('y');
    expect(nerdamerSaysEqual(pow(add(x, y), num(2)), add(pow(x, num(2)), pow(y, num(2))))).toBe(false);
  });
  it('rational functions: our together() numerator/denominator evaluates like the original in nerdamer', () => {
    const rng = new Rng(5);
    const at = { x: '0.37', y: '-1.21', k: '0.83' };
    const value = (e: Expr): number => Number(nerdamer(toText(e), at).evaluate().text('decimals'));
    for (let i = 0; i < 60; i++) {
      const e = add(randomPolynomial(rng, 2), div(randomPolynomial(rng, 2), add(num(3), pow(randomPolynomial(rng, 1), num(2)))));
      const f = together(e);
      const direct = value(e);
      expect(Math.abs(value(f.num) / value(f.den) - direct), toText(e)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(direct)));
    }
  });
  it('identities both systems prove: the ones mathjs simplify misses', () => {
    const P = (text: string, build: () => Expr): void => {
      const e = build();
      expect(isZeroSymbolic(e), text).toBe(true);
      expect(nerdamer(`expand(${toText(e)})`).toString(), text).toBe('0');
    };
    const [a, b] = [sym('a'), sym('b')];
    P('(a+b)^2 - (a^2+2ab+b^2)', () => sub(pow(add(a, b), num(2)), add(pow(a, num(2)), mul(num(2), a, b), pow(b, num(2)))));
    P('a*b + b*a - 2ab', () => sub(add(mul(a, b), mul(b, a)), mul(num(2), a, b)));
  });
});
