// Where G comes from for each way a model states its noise, its structure, the
// Milstein coefficients, and the strong orders claimed for each scheme.

import { describe, expect, it } from 'vitest';
import { NoetherError } from '../../src/errors.ts';
import { toText } from '../../src/expr/print.ts';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import type { ModelSpec } from '../../src/model/types.ts';
import { cholesky, isZeroExpr, planNoise, strongOrder } from '../../src/simulate/noise.ts';

const model = (spec: ModelSpec) => buildModel(spec);

describe('planNoise', () => {
  it('isotropic D (ou2d): G = √(2D)·I, additive', () => {
    const p = planNoise(loadModelFile('examples/ou2d.yaml'), 'milstein');
    expect(p.source).toBe('diagonal-diffusion');
    expect(p.structure).toBe('additive');
    expect(p.constantG).toEqual([[1.0000000000000002, 0], [0, 1.0000000000000002]].map((r) => r.map((x) => expect.closeTo(x, 15))));
    expect(p.milstein).toBeUndefined();
  });

  it('scalar noise (ddm): G = sigma, additive', () => {
    const p = planNoise(loadModelFile('examples/ddm.yaml'), 'euler');
    expect(p.source).toBe('noise');
    expect(p.constantG).toEqual([[1]]);
    expect(p.structure).toBe('additive');
  });

  it('multiplicative scalar noise: G as written, diagonal, Milstein coefficient G ∂G/∂x', () => {
    // x = sinh(a W): dx = a²/2 x dt + a √(1 + x²) dW (D > 0 everywhere, unlike geometric Brownian motion).
    const p = planNoise(model({ name: 'sinh', state: ['x'], params: { a: 0.5 }, drift: ['a^2/2*x'], noise: 'a*sqrt(1+x^2)' }), 'milstein');
    expect(p.source).toBe('noise');
    expect(p.structure).toBe('diagonal');
    expect(p.constantG).toBeUndefined();
    expect(toText(p.milstein?.[0][0][0] as never)).toBe('x/4');
  });

  it('a 2×3 state-dependent noise matrix is non-commutative', () => {
    const p = planNoise(loadModelFile('test/fixtures/cas/models/fullnoise2x3.yaml'), 'milstein');
    expect(p.m).toBe(3);
    expect(p.structure).toBe('non-commutative');
    expect(strongOrder('milstein', p.structure)).toBe(0.5);
  });

  it('diagonal noise whose Gxx depends on y is not commutative', () => {
    const p = planNoise(model({ name: 'd', state: ['x', 'y'], drift: ['-x', '-y'], noise: ['1 + y^2/10', '1'] }), 'milstein');
    expect(p.structure).toBe('non-commutative');
  });

  it('diagonal D without noise: G = diag(√(2 Dᵢᵢ))', () => {
    const p = planNoise(model({ name: 'dd', state: ['x', 'y'], drift: ['-x', '-y'], diffusion: ['1 + x^2', 2] }), 'milstein');
    expect(p.source).toBe('diagonal-diffusion');
    expect(p.structure).toBe('diagonal');
    expect(isZeroExpr(p.G?.[0][1] as never)).toBe(true);
    expect(p.milstein?.[0][0][0]).toBeDefined();
  });

  it('constant full D: G = chol(2D) once', () => {
    const p = planNoise(loadModelFile('test/fixtures/cas/models/fullconst2d.yaml'), 'milstein');
    expect(p.source).toBe('cholesky');
    expect(p.structure).toBe('additive');
    const L = p.constantG as number[][];
    const D = [[1, 0.3], [0.3, 0.8]];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(L[i][0] * L[j][0] + L[i][1] * L[j][1]).toBeCloseTo(2 * D[i][j], 14);
    expect(L[0][1]).toBe(0);
  });

  it('state-dependent full D: G = chol(2D) per step for Euler–Maruyama; Milstein is refused with a reason', () => {
    const spec: ModelSpec = { name: 'f', state: ['x', 'y'], drift: ['-x', '-y'], diffusion: [['1 + x^2', '0.1'], ['0.1', '1']] };
    const p = planNoise(model(spec), 'euler');
    expect(p.source).toBe('cholesky');
    expect(p.D).toBeDefined();
    expect(p.structure).toBe('non-commutative');
    expect(() => planNoise(model(spec), 'milstein')).toThrow(NoetherError);
    expect(() => planNoise(model(spec), 'milstein')).toThrow(/give `noise:`/);
  });

  it('time-dependent full D is additive noise (Milstein allowed: it equals Euler–Maruyama)', () => {
    const p = planNoise(model({ name: 't', state: ['x', 'y'], drift: ['0', '0'], diffusion: [['1', 't/(2*(1+t^2))'], ['t/(2*(1+t^2))', '1']] }), 'milstein');
    expect(p.structure).toBe('additive');
    expect(p.dependsOnTime).toBe(true);
  });
});

describe('cholesky', () => {
  it('factors a positive definite matrix and refuses an indefinite one', () => {
    const L = cholesky([[4, 2], [2, 3]]) as number[][];
    expect(L).toEqual([[2, 0], [1, Math.sqrt(2)]]);
    expect(cholesky([[1, 2], [2, 1]])).toBeUndefined();
  });
});
