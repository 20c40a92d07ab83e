// The antiderivatives behind the gauge terms K: quasi-polynomials
// tⁿ e^{at} sin/cos(bt) with symbolic a, b (by parts), and products and powers
// of sines and cosines (as sums). Each is checked by differentiating it back
// symbolically and, independently, by mathjs's derivative at sample points.
import { derivative, evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/expr/diff.ts';
import { sub } from '../../src/expr/expr.ts';
import { integrate } from '../../src/expr/integrate.ts';
import { zeroTest } from '../../src/expr/zero.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { toText } from '../../src/expr/print.ts';

const scope = { allowed: new Map(['t', 'k', 'w', 'x'].map((n) => [n, 'symbol'])) };

describe('integrate', () => {
  it.each([
    'exp(k*t)*sin(w*t)',
    'exp(-k*t)*cos(w*t + 1)',
    't*exp(k*t)',
    't^2*exp(-k*t)*sin(w*t)',
    'x*t^3*cos(2*t)',
    'sin(2*t)^2*exp(2*t)',
    'sin(t)*cos(3*t)*exp(-t)',
    'cos(w*t)^3',
    '5*x*sin(t)*sin(2*t) + t^2',
  ])('∫ %s dt, checked by differentiating it back (symbolically and with mathjs)', (text) => {
    const e = parseExpression(text, scope);
    const F = integrate(e, 't');
    expect(F, text).toBeDefined();
    if (!F) return;
    // The normal form does not know sin²u = (1 − cos 2u)/2: the certified zero test decides.
    expect(zeroTest(sub(diff(F, 't'), e)).zero).toBe(true);
    const dF = derivative(toText(F), 't');
    for (const [t, k, w, x] of [[0.3, 1.2, 2.5, -0.7], [1.7, -0.4, 0.9, 1.3]]) {
      const at = { t, k, w, x };
      expect(dF.evaluate(at) as number).toBeCloseTo(evaluate(text, at) as number, 9);
    }
  });

  it('returns undefined rather than guess (e^{t²} has no elementary antiderivative)', () => {
    expect(integrate(parseExpression('exp(t^2)', scope), 't')).toBeUndefined();
  });
});
