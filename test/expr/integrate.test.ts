// The antiderivatives behind the gauge terms K: quasi-polynomials
// tⁿ e^{at} sin/cos(bt) with symbolic a, b (by parts), products and powers of
// sines and cosines (as sums), and the atan and erf integrals. Each is checked by differentiating it back
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
    'k/(t^2 + 1)',
    '1/(3 + 2*t^2)',
    'exp(-t^2/2)',
    'exp(1 - 3*t^2)',
  ])('∫ %s dt, checked by differentiating it back (certified zero test, mathjs, central differences)', (text) => {
    const e = parseExpression(text, scope);
    const F = integrate(e, 't');
    expect(F, text).toBeDefined();
    if (!F) return;
    // The normal form does not know sin²u = (1 − cos 2u)/2: the certified zero test decides.
    expect(zeroTest(sub(diff(F, 't'), e)).zero).toBe(true);
    // mathjs differentiates symbolically where it can (not erf); a central difference of F checks every case.
    const Ftext = toText(F);
    const dF = /erf/.test(Ftext) ? undefined : derivative(Ftext, 't');
    for (const [t, k, w, x] of [[0.3, 1.2, 2.5, -0.7], [1.7, -0.4, 0.9, 1.3]]) {
      const at = { t, k, w, x };
      const want = evaluate(text, at) as number;
      if (dF) expect(dF.evaluate(at) as number).toBeCloseTo(want, 9);
      const h = 1e-5;
      const central = ((evaluate(Ftext, { ...at, t: t + h }) as number) - (evaluate(Ftext, { ...at, t: t - h }) as number)) / (2 * h);
      expect(Math.abs(central - want)).toBeLessThan(1e-7 * (1 + Math.abs(want)));
    }
  });

  it('returns undefined rather than guess (e^{t²} has no elementary antiderivative)', () => {
    expect(integrate(parseExpression('exp(t^2)', scope), 't')).toBeUndefined();
  });
});
