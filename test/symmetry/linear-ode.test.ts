// The constant-coefficient linear ODE solver behind symmetry discovery: the
// dimension of the solution space, closed forms for rational, complex and
// irrational exponents and for repeated ones, each basis solution substituted
// back into its equations and checked symbolically.
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/expr/diff.ts';
import { type Expr, add, mul, num } from '../../src/expr/expr.ts';
import { isZeroSymbolic } from '../../src/expr/normal.ts';
import { toText } from '../../src/expr/print.ts';
import { Rational } from '../../src/expr/rational.ts';
import { type JetEquation, solveLinearOde } from '../../src/symmetry/linear-ode.ts';

/** Σ c θ_j^(k) from [j, k, c] triples. */
const eq = (...terms: Array<[number, number, number]>): JetEquation => terms.map(([j, k, c]) => ({ j, k, c: Rational.fromNumber(c) }));

function derivative(e: Expr, k: number): Expr {
  let d = e;
  for (let i = 0; i < k; i++) d = diff(d, 't');
  return d;
}

/** Every basis solution satisfies every equation (symbolically), and the basis has `dimension` members. */
function expectSolves(equations: JetEquation[], unknowns: number, dimension: number): string[][] {
  const s = solveLinearOde(equations, unknowns);
  expect(s.dimension).toBe(dimension);
  expect(s.closedForm).toBe(true);
  expect(s.basis).toHaveLength(dimension);
  for (const theta of s.basis) {
    for (const e of equations) {
      const value = add(...e.map((term) => mul(num(term.c), derivative(theta[term.j], term.k))));
      expect(isZeroSymbolic(value), `${theta.map(toText)} in ${JSON.stringify(e.map((t) => [t.j, t.k, t.c.toString()]))}`).toBe(true);
    }
  }
  return s.basis.map((b) => b.map(toText));
}

describe('solveLinearOde', () => {
  it("θ'' = θ: e^t and e^-t", () => {
    const basis = expectSolves([eq([0, 2, 1], [0, 0, -1])], 1, 2);
    expect(basis.flat().sort()).toEqual(['exp(-t)', 'exp(t)']);
  });
  it("θ''' = 0: 1, t, t²/2 (a nilpotent generator, polynomials)", () => {
    const basis = expectSolves([eq([0, 3, 1])], 1, 3);
    expect(basis.flat().sort()).toEqual(['1', 't', 't^2/2']);
  });
  it("θ'' + 4θ = 0: cos 2t, sin 2t", () => {
    const basis = expectSolves([eq([0, 2, 1], [0, 0, 4])], 1, 2);
    expect(basis.flat().join(' ')).toMatch(/cos\(2\*t\)/);
    expect(basis.flat().join(' ')).toMatch(/sin\(2\*t\)/);
  });
  it("θ'' = 2θ: cosh and sinh of √2 t", () => {
    const basis = expectSolves([eq([0, 2, 1], [0, 0, -2])], 1, 2);
    expect(basis.flat().join(' ')).toMatch(/cosh\(sqrt\(2\)\*t\)/);
  });
  it("(D − 1)²θ = 0: e^t and t e^t (a repeated exponent)", () => {
    const basis = expectSolves([eq([0, 2, 1], [0, 1, -2], [0, 0, 1])], 1, 2);
    expect(basis.flat().join(' ')).toMatch(/t\*exp\(t\)/);
  });
  it("a system: θ0' = θ1, θ1' = −θ0, θ2 = 3 θ0", () => {
    expectSolves([eq([0, 1, 1], [1, 0, -1]), eq([1, 1, 1], [0, 0, 1]), eq([2, 0, 1], [0, 0, -3])], 3, 2);
  });
  it('integrability conditions found by prolongation: θ0\' = θ1 and θ1 = 0 leave θ0 constant', () => {
    expectSolves([eq([0, 1, 1], [1, 0, -1]), eq([1, 0, 1])], 2, 1);
  });
  it('an unknown no equation restricts is a free function: infinite dimension', () => {
    expect(solveLinearOde([eq([0, 1, 1])], 2).dimension).toBe(Infinity);
  });
  it('only the zero solution: dimension 0', () => {
    expect(solveLinearOde([eq([0, 0, 1])], 1)).toMatchObject({ dimension: 0, closedForm: true });
  });
});
