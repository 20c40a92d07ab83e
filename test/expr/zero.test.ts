import { describe, expect, it } from 'vitest';
import { type Expr } from '../../src/expr/expr.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { zeroTest } from '../../src/expr/zero.ts';
import { evaluate } from '../../src/expr/evaluate.ts';

const scope = { allowed: new Map(['x', 'y', 'k', 'a', 'b', 'x_dot', 'y_dot'].map((n) => [n, 'symbol'])) };
const P = (s: string): Expr => parseExpression(s, scope);

describe('zeroTest', () => {
  it('reports symbolic evidence when the normal form is 0', () => {
    expect(zeroTest(P('(a+b)^2 - (a^2 + 2*a*b + b^2)'))).toEqual({ zero: true, evidence: 'symbolic' });
  });
  it('proves the rotation invariance of the 2D OU Lagrangian symbolically', () => {
    // δL for ξ = (−y, x): −y ∂L/∂x + x ∂L/∂y − ẏ ∂L/∂ẋ + ẋ ∂L/∂ẏ, written out by hand.
    const dL = P('-y*k*(x_dot + k*x)/(2*a) + x*k*(y_dot + k*y)/(2*a) - y_dot*(x_dot + k*x)/(2*a) + x_dot*(y_dot + k*y)/(2*a)');
    expect(zeroTest(dL)).toEqual({ zero: true, evidence: 'symbolic' });
  });
  it('falls back to high-precision sampling for identities between functions, and says so', () => {
    const r = zeroTest(P('tanh(x)^2 + sech(x)^2 - 1'), { points: 10 });
    expect(r).toMatchObject({ zero: true, evidence: 'numeric', method: 'high-precision', points: 10, digits: 80 });
    // Numeric evidence comes with its certified bound: zero to within 1e-70 of the terms at every point.
    if (r.zero === true && r.evidence === 'numeric') expect(r.bound).toBeLessThan(1e-70);
    const s = zeroTest(P('sin(x)^2 + cos(x)^2 - 1'));
    expect(s.zero).toBe(true);
  });
  it('gives a counterexample that really is one', () => {
    const e = P('tanh(x)^2 + sech(x)^2 - 1.0001');
    const r = zeroTest(e);
    expect(r.zero).toBe(false);
    if (r.zero !== false) return;
    const { point, value } = r.counterexample;
    expect(value).toBeCloseTo(-0.0001, 12);
    expect(evaluate(e, new Map(Object.entries(point)))).toBeCloseTo(value, 12);
  });
  it('a value below double precision at most points (1 − tanh² of a steep tanh) does not hide a convincing counterexample where the tanh is not saturated', () => {
    // Over x in [−2, 2], tanh(10x − 5) is within 1e-16 of ±1 except for x near 0.5.
    const e = P('2000*(1 - tanh(10*x - 5)^2)*tanh(10*x - 5)');
    const r = zeroTest(e, { skipSymbolic: true });
    expect(r.zero).toBe(false);
    if (r.zero !== false) return;
    const { point, value } = r.counterexample;
    expect(Math.abs(10 * point.x - 5)).toBeLessThan(8);
    expect(evaluate(e, new Map(Object.entries(point)))).toBeCloseTo(value, 9);
    // Convincing: far above rounding of the terms (2000 at most).
    expect(Math.abs(value)).toBeGreaterThan(1e-6 * 2000);
  });
  it('uses exact rational arithmetic for rational functions', () => {
    const r = zeroTest(P('1/(x - y) + 1/(y - x) + (x-y)^2/(x-y) - x + y + 1e-30*x'));
    expect(r.zero).toBe(false);
    if (r.zero === false) expect(r.method).toBe('exact-rational');
  });
  it('detects a tiny non-zero that floating point would miss', () => {
    const r = zeroTest(P('(x + 1e-20)^2 - x^2 - 2e-20*x'));
    expect(r.zero).toBe(false);
  });
  it('holds fixed values for parameters and samples the rest', () => {
    const r = zeroTest(P('k*x - x'), { fixed: new Map([['k', 1]]) });
    expect(r.zero).toBe(true);
    const s = zeroTest(P('k*x - x'), { fixed: new Map([['k', 2]]) });
    expect(s.zero).toBe(false);
    if (s.zero === false) expect(s.counterexample.point.k).toBe(2);
  });
  it('handles Bessel ratios at arguments far beyond double overflow', () => {
    const e = P('besselI1(1000*x^2 + 800) / besselI0(1000*x^2 + 800) - besselI1(1000*x^2+800)*exp(-1000*x^2 - 800) / (besselI0(1000*x^2+800)*exp(-1000*x^2 - 800))');
    expect(zeroTest(e).zero).toBe(true);
  });
  it('says unknown when no point is in the domain', () => {
    expect(zeroTest(P('log(-x^2 - 1) - 1')).zero).toBe('unknown');
  });
  it('is deterministic for a seed', () => {
    const e = P('sin(x*y) - x*y');
    expect(zeroTest(e, { seed: 3 })).toEqual(zeroTest(e, { seed: 3 }));
  });
});
