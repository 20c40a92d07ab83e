// The double-precision first pass of the zero test (src/expr/float-ball.ts):
// every float ball contains the 80-digit decimal ball's value (an independent
// evaluation in decimal.js), its radius stays small where nothing cancels, a
// true identity is never separated from 0, and functions without a certified
// double implementation (erf, Bessel) are left to the decimal pass.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { evaluateBall } from '../../src/expr/ball.ts';
import type { Expr } from '../../src/expr/expr.ts';
import { evaluateFloatBall } from '../../src/expr/float-ball.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { zeroTest } from '../../src/expr/zero.ts';

const scope = { allowed: new Map(['x', 'y', 'a'].map((n) => [n, 'symbol'])) };
const P = (s: string): Expr => parseExpression(s, scope);

const expressions = [
  'exp(x)*sin(y) - x^3/(1 + y^2)',
  'tanh(x*y)^2 + sech(x)^2 - 0.1*x',
  'log(1 + x^2) - atan(y)*cosh(x)',
  '(x + y)^(1/2)*sinh(a) + tan(x/3)',
  '(x - y)^7 + 1e-10*x',
  'abs(x)^(3/2) - 2^x*y',
  '0.1*x + 0.2*y - 0.3*a',
  'pi*x - e^y',
];
const points: Array<[number, number, number]> = [
  [0.75, 1.25, 0.5],
  [-1.5, 2, 0.125],
  [1e-3, 3.5, -2],
  [1.9, 0.3, 1.7],
];

describe('float balls are certified', () => {
  it('contain the value of an 80-digit decimal ball', () => {
    let certified = 0;
    for (const text of expressions) {
      for (const [x, y, a] of points) {
        const point = new Map([['x', x], ['y', y], ['a', a]]);
        const f = evaluateFloatBall(P(text), point);
        const d = evaluateBall(P(text), point, 80);
        if (!d) {
          expect(f, `${text}: no float ball where the decimal one is undefined`).toBeUndefined();
          continue;
        }
        if (!f) continue;
        const gap = new Decimal(f.v).minus(d.v).abs();
        expect(gap.lessThanOrEqualTo(new Decimal(f.r).plus(d.r)), `${text} at ${point}: ${f.v} ± ${f.r} misses ${d.v}`).toBe(true);
        // Nothing here cancels badly: the radius is a small multiple of 2^-40 of the value.
        expect(f.r, text).toBeLessThan(1e-9 * Math.max(1, Math.abs(f.v)));
        certified++;
      }
    }
    expect(certified).toBeGreaterThan(24);
  });

  it('never separate an identity from 0', () => {
    for (const text of ['sin(x)^2 + cos(x)^2 - 1', 'tanh(x)^2 + sech(x)^2 - 1', 'exp(x)*exp(y) - exp(x + y)', '0.1*x + 0.2*x - 0.3*x', '(x + y)^3 - x^3 - 3*x^2*y - 3*x*y^2 - y^3']) {
      for (const [x, y] of points) {
        const f = evaluateFloatBall(P(text), new Map([['x', x], ['y', y]]));
        expect(f, text).toBeDefined();
        if (f) expect(Math.abs(f.v) <= f.r, `${text}: ${f.v} ± ${f.r}`).toBe(true);
      }
    }
  });

  it('leave erf and the Bessel functions, and overflow, to the decimal pass', () => {
    const point = new Map([['x', 0.5]]);
    expect(evaluateFloatBall(P('-x + 1e-10*erf(x)'), point)).toBeUndefined();
    expect(evaluateFloatBall(P('besselI0(x)'), point)).toBeUndefined();
    expect(evaluateFloatBall(P('exp(exp(x)^800)'), point)).toBeUndefined();
    // The zero test still reaches its verdict on them through the decimal balls.
    const t = zeroTest(P('x - x + 1e-30*erf(x)'));
    expect(t.zero).toBe(false);
  });

  it('show a perturbation far below double rounding only through the decimal pass', () => {
    // 1e-20·x is below the float radius at x ~ 1: the quick pass cannot separate it, the decimal one does.
    const e = P('(x + 1)^2 - x^2 - 2*x - 1 + 1e-20*x');
    const f = evaluateFloatBall(e, new Map([['x', 0.75]]));
    expect(f && Math.abs(f.v) <= f.r).toBe(true);
    const t = zeroTest(e, { skipSymbolic: true });
    expect(t.zero).toBe(false);
  });
});
