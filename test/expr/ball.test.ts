// Certified evaluation (src/expr/ball.ts): every ball contains the true value
// (50-digit mpmath references and closed forms), its radius is small, and
// errors of the arguments propagate (a ball around a perturbed point contains
// the value there).
import { readFileSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { evaluateBall } from '../../src/expr/ball.ts';
import type { Expr } from '../../src/expr/expr.ts';
import { parseExpression } from '../../src/expr/parse.ts';

const scope = { allowed: new Map(['x', 'y'].map((n) => [n, 'symbol'])) };
const P = (s: string): Expr => parseExpression(s, scope);
const reference = JSON.parse(readFileSync(new URL('../fixtures/special/reference.json', import.meta.url), 'utf8')) as Record<string, Array<[string, string]>>;

/**
 * The ball of `text` at x meets `exact` (a reference known to `refDigits`
 * significant digits) and is at most 10^−(digits−4) wide relative to it.
 */
function expectContains(text: string, x: number, exact: string, digits: number, refDigits: number): void {
  const b = evaluateBall(P(text), new Map([['x', x]]), digits);
  expect(b, `${text} at ${x}`).toBeDefined();
  if (!b) return;
  const truth = new Decimal(exact);
  const refError = truth.abs().times(new Decimal(10).pow(1 - refDigits));
  expect(b.v.minus(truth).abs().lessThanOrEqualTo(b.r.plus(refError)), `${text} at ${x}: ${b.v} ± ${b.r} misses ${exact}`).toBe(true);
  expect(b.r.lessThanOrEqualTo(truth.abs().times(new Decimal(10).pow(4 - digits))), `${text} at ${x}: radius ${b.r} too wide`).toBe(true);
}

describe('balls contain the true value', () => {
  it('elementary functions at 40 and 120 digits (closed forms to 60 digits)', () => {
    for (const digits of [40, 120]) {
      const w = 60; // the references have 60 digits
      expectContains('exp(x)', 1, '2.71828182845904523536028747135266249775724709369995957496697', digits, w);
      expectContains('log(x)', 2, '0.693147180559945309417232121458176568075500134360255254120680', digits, w);
      expectContains('sin(x)', 1, '0.841470984807896506652502321630298999622563060798371065672751', digits, w);
      expectContains('atan(x)', 1, '0.785398163397448309615660845819875721049292349843776455243736', digits, w);
      expectContains('x^(1/2)', 2, '1.41421356237309504880168872420969807856967187537694807317668', digits, w);
      expectContains('tanh(x)^2 + sech(x)^2', 0.75, '1', digits, w);
      expectContains('pi*x', 1, '3.14159265358979323846264338327950288419716939937510582097494', digits, w);
    }
  });

  it('erf against mpmath (50 digits), at small, moderate and large arguments', () => {
    const rows: Array<[number, string]> = [
      [0.5, '0.52049987781304653768274665389196452873645157575797'],
      [1, '0.84270079294971486934122063508260925929606699796630'],
      [-2, '-0.99532226501895273416206925636725292861089179704006'],
      [4, '0.99999998458274209971998114784032651311595142785475'],
    ];
    for (const [x, exact] of rows) expectContains('erf(x)', x, exact, 45, 50);
    // Past the series: erf(30) = 1 − (about 2e-393).
    const b = evaluateBall(P('erf(x)'), new Map([['x', 30]]), 40);
    expect(b?.v.toNumber()).toBe(1);
    expect(b && b.r.greaterThan(0) && b.r.lessThan('1e-390')).toBe(true);
  });

  it('I0 and I1 against the mpmath fixture, from 1e-10 to 700', () => {
    let checked = 0;
    for (const name of ['besselI0', 'besselI1'] as const) {
      for (const [xs, exact] of reference[name]) {
        const x = Number(xs);
        // The fixture's inputs are doubles; a ball reads 7.9 as the decimal 7.9. Compare where they agree.
        if (Math.abs(x) > 800 || Number(exact) === 0 || !Number.isInteger(x * 2 ** 20)) continue;
        // The fixture has 20 significant digits.
        expectContains(`${name}(x)`, x, exact, 40, 20);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('radii', () => {
  it('propagate the error of the argument: f(x + 1e-30/3) at 40 digits (the argument rounded) contains it at 100', () => {
    for (const f of ['exp', 'erf', 'besselI1', 'sinh', 'log', 'tanh', 'atan']) {
      const e = P(`${f}(x + 1/(3*10^30))`);
      const low = evaluateBall(e, new Map([['x', 1.25]]), 40);
      const high = evaluateBall(e, new Map([['x', 1.25]]), 100);
      expect(low && high, f).toBeTruthy();
      if (!low || !high) continue;
      expect(low.r.greaterThan(0), f).toBe(true);
      expect(low.v.minus(high.v).abs().lessThanOrEqualTo(low.r.plus(high.r)), `${f}: ${low.v} ± ${low.r} vs ${high.v}`).toBe(true);
    }
  });
  it('certify a value of 1e-70 as non-zero at 80 digits, and not at 40', () => {
    // An identity the expression constructors do not know, plus 1e-70.
    const e = P('tanh(x)^2 + sech(x)^2 - 1 + 1e-70');
    const low = evaluateBall(e, new Map([['x', 0.7]]), 40);
    const high = evaluateBall(e, new Map([['x', 0.7]]), 80);
    expect(low && low.v.abs().lessThanOrEqualTo(low.r)).toBe(true);
    expect(high && high.v.abs().greaterThan(high.r)).toBe(true);
    expect(high?.v.toNumber()).toBeCloseTo(1e-70, 80);
  });
  it('refuse what cannot be bounded: log of a non-positive ball, a pole, a Bessel argument beyond 2e4', () => {
    expect(evaluateBall(P('log(x)'), new Map([['x', -1]]), 40)).toBeUndefined();
    expect(evaluateBall(P('1/x'), new Map([['x', 0]]), 40)).toBeUndefined();
    expect(evaluateBall(P('besselI0(x)'), new Map([['x', 30000]]), 40)).toBeUndefined();
  });
});
