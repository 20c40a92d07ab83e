// Never call a broken symmetry exact: tiny perturbations (erf, Bessel, sin at
// 1e-10 … 1e-70) break a symmetry, and the verdict says so with a certified
// counterexample (|δL| above its error bound, checked here again at a higher
// precision); what cannot be evaluated with a bound is undecided, never exact.
import { describe, expect, it } from 'vitest';
import { evaluateBall } from '../../src/expr/ball.ts';
import { num, substitute } from '../../src/expr/expr.ts';
import { Rational } from '../../src/expr/rational.ts';
import type { LagrangianResult } from '../../src/lagrangian/lagrangian.ts';
import { derive } from '../../src/noether/derive.ts';
import { type Verdict, detect, variation } from '../../src/symmetry/detect.ts';
import { type Generator, builtinRules, claimedGenerator } from '../../src/symmetry/rules.ts';
import { lagrangianFor } from './support.ts';

const ou = (drift: string): LagrangianResult => lagrangianFor({ name: 'perturbed', state: ['x'], params: { D: 0.5 }, drift, diffusion: 'D' });

/** The verdict's counterexample, re-evaluated in ball arithmetic at 200 digits: certainly non-zero. */
function expectCertifiedCounterexample(lagr: LagrangianResult, verdict: Verdict, generator: Generator): void {
  expect(verdict.status).toBe('broken');
  const c = verdict.counterexample;
  expect(c).toBeDefined();
  if (!c) return;
  const params = new Map(lagr.model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  const ball = evaluateBall(substitute(verdict.variation ?? variation(lagr, generator), params), new Map(Object.entries(c.point)), 200);
  expect(ball && ball.v.abs().greaterThan(ball.r)).toBe(true);
  expect(ball && Math.sign(ball.v.toNumber())).toBe(Math.sign(c.deltaL));
}

describe('tiny perturbations break a symmetry, with a certified counterexample', () => {
  // ξ = e^{−t} is an exact symmetry of the OU Lagrangian with k = 1 (the exp(−kt) family of issue 11).
  it('the unperturbed OU: ξ = exp(−t) is exact', () => {
    const lagr = ou('-x');
    expect(detect(lagr, claimedGenerator({ dx: ['exp(-t)'] }, lagr.model).generator).status).toBe('exact');
  });

  it.each(['1e-10*erf(x)', '1e-25*erf(x)', '1e-40*besselI0(x)', '1e-30*besselI1(x)', '1e-70*sin(x)', '1e-70*tanh(x)', '1e-100*exp(x)'])(
    '−x + %s with ξ = exp(−t): broken',
    (perturbation) => {
      const lagr = ou(`-x + ${perturbation}`);
      const { generator } = claimedGenerator({ dx: ['exp(-t)'] }, lagr.model);
      expectCertifiedCounterexample(lagr, detect(lagr, generator), generator);
    },
  );

  it('derive on drift 1e-10*erf(x): translation and scaling are not exact (time is)', () => {
    const lagr = ou('1e-10*erf(x)');
    const d = derive(lagr, builtinRules());
    const status = Object.fromEntries(d.symmetries.map((s) => [s.instance.rule, s.verdict.status]));
    expect(status.time).toBe('exact');
    expect(status.translation).toBe('broken');
    expect(status.scaling).toBe('broken');
    for (const s of d.symmetries.filter((q) => q.verdict.status === 'broken')) expectCertifiedCounterexample(lagr, s.verdict, s.instance.generator);
  });

  it('numeric evidence of zero carries its certified bound', () => {
    // tanh² + sech² = 1 is unknown to the normal form: this drift is −x, and ξ = e^{−t} is exact only through it.
    const lagr = ou('-x*(tanh(x)^2 + sech(x)^2)');
    const v = detect(lagr, claimedGenerator({ dx: ['exp(-t)'] }, lagr.model).generator);
    expect(v.status).toBe('exact');
    expect(v.evidence).toBe('numeric');
    expect(v.points).toBeGreaterThan(10);
    expect(v.bound).toBeLessThan(1e-60);
  });

  it('what cannot be evaluated with a bound is undecided, never exact', () => {
    // besselI0 of an argument beyond 2e4 has no certified evaluation here, and δL is not 0 symbolically.
    const lagr = ou('-x + 1e-30*besselI0(30000 + x^2)');
    const v = detect(lagr, claimedGenerator({ dx: ['exp(-t)'] }, lagr.model).generator);
    expect(v.status).toBe('undecided');
    expect(v.reason).toMatch(/certified/);
  });
});
