// The structured kernels (src/compile/structured.ts) against the kernels
// compiled from the symbolic derivatives of the expanded L and H, on every
// constant-D model of the examples and fixtures and on vector networks with a
// dense W, a non-diagonal D and a radial nonlinearity; compileModel picks them
// for large drifts only. compile.test.ts checks the kernels compileModel returns
// against mathjs as well; here the point is that the structured ones agree, ∇²H
// too, and that the drift's structure is found (2N atoms for −x + W tanh(x) + b).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompiledKernel } from '../../src/compile/compile.ts';
import {
  STRUCTURED_MIN_DRIFT_TERMS,
  buildStructuredKernels,
  compileCharges,
  compileHamiltonianHessian,
  compileModel,
  compileSymbolicHamiltonianHessian,
  compileSymbolicModel,
  structuredChargeKernel,
  structuredOf,
  withParameters,
} from '../../src/compile/model-kernels.ts';
import { chargeForm } from '../../src/check/path-report.ts';
import { type Expr, ZERO, substitute } from '../../src/expr/expr.ts';
import { derive } from '../../src/noether/derive.ts';
import { builtinRules } from '../../src/symmetry/rules.ts';
import { atomicDrift } from '../../src/compile/structured.ts';
import { toText } from '../../src/expr/print.ts';
import { type LagrangianResult, buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import { Rng } from '../../src/random/rng.ts';

const ROOT = join(import.meta.dirname, '../..');

const FILES = [
  ...readdirSync(join(ROOT, 'test/fixtures/cas/models')).map((f) => join('test/fixtures/cas/models', f)),
  ...readdirSync(join(ROOT, 'examples')).map((f) => join('examples', f)),
].filter((f) => f.endsWith('.yaml'));

function network(n: number, drift: string, diffusion: unknown, seed: number): LagrangianResult {
  return buildLagrangian(
    buildModel({
      name: `net${n}`,
      state: { x: n },
      params: { W: { random: 'normal', scale: 0.4, seed, shape: [n, n] }, b: { random: 'uniform', scale: 0.2, seed: seed + 1, shape: [n] } },
      drift,
      diffusion,
    }),
  );
}

/** A symmetric positive definite N×N matrix with off-diagonal entries. */
function spd(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0.3 + 0.05 * i : 0.02 / (1 + Math.abs(i - j)))));
}

const CASES: [string, LagrangianResult][] = [
  ...FILES.map((f): [string, LagrangianResult] => [f, buildLagrangian(loadModelFile(join(ROOT, f)))]),
  ['dense tanh, N = 7, D = 0.05', network(7, '-x + W*tanh(x) + b', 0.05, 3)],
  ['dense tanh, N = 12, D = 0.05', network(12, '-x + W*tanh(x) + b', 0.05, 13)],
  ['dense tanh, N = 6, full D', network(6, '-x + W*tanh(x) + b', spd(6), 5)],
  ['radial, N = 5', network(5, '-x + tanh(norm(x))*(W*x)/norm(x) + b', 0.1, 7)],
  ['forced, N = 4', network(4, '-x + W*sin(x)*cos(t) + b*t', [0.1, 0.2, 0.3, 0.4], 9)],
];

function run(k: CompiledKernel, input: Float64Array): Float64Array {
  const out = new Float64Array(k.outputs);
  k.run(input, out);
  return out;
}

function expectClose(got: Float64Array, want: Float64Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  let scale = 0;
  for (const w of want) scale = Math.max(scale, Math.abs(w));
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i] - want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(1e-12 * (1 + scale));
  }
}

const constantD = (lagr: LagrangianResult): boolean => !lagr.model.diffusion.dependsOnState && !lagr.model.diffusion.dependsOnTime;
const driftTerms = (lagr: LagrangianResult): number => lagr.model.drift.reduce((n, f) => n + (f.kind === 'add' ? f.terms.length : 1), 0);

it.each(CASES)('structured kernels of %s are used exactly when D is constant and the drift large', (_name, lagr) => {
  const large = constantD(lagr) && driftTerms(lagr) >= STRUCTURED_MIN_DRIFT_TERMS;
  expect(structuredOf(lagr) !== undefined).toBe(large);
  expect(compileModel(lagr).lagrangianHessian.source.startsWith('// structured')).toBe(large);
});

it('the cases include a drift large enough for the structured kernels (a dense 12-unit network: 168 terms)', () => {
  expect(CASES.filter(([, l]) => structuredOf(l) !== undefined).map(([name]) => name)).toEqual(['dense tanh, N = 12, D = 0.05']);
});

it('the cases include models with a state-dependent D, which keep the symbolic kernels', () => {
  expect(CASES.filter(([, l]) => !constantD(l)).length).toBeGreaterThanOrEqual(3);
});

describe.each(CASES.filter(([, l]) => constantD(l)))('structured kernels of %s', (_name, lagr) => {
  it('agree with the symbolic kernels, ∇²H included, at seeded points', () => {
    const n = lagr.model.state.length;
    const structured = buildStructuredKernels(lagr) as NonNullable<ReturnType<typeof buildStructuredKernels>>;
    const symbolic = compileSymbolicModel(lagr);
    const rng = new Rng(77 + n);
    for (let trial = 0; trial < 4; trial++) {
      const x = Array.from({ length: n }, () => rng.between(-1.5, 1.5));
      const y = Array.from({ length: n }, () => rng.between(-1, 1));
      const t = rng.between(0.3, 1.5);
      const stateIn = Float64Array.from([...x, t]);
      const pairIn = Float64Array.from([...x, ...y, t]);
      for (const name of ['drift', 'driftJacobian', 'diffusion'] as const) expectClose(run(structured[name], stateIn), run(symbolic[name], stateIn), name);
      for (const name of ['lagrangian', 'lagrangianGradient', 'lagrangianHessian', 'hamiltonian', 'hamiltonianGradient'] as const) {
        expectClose(run(structured[name], pairIn), run(symbolic[name], pairIn), name);
      }
      expectClose(run(structured.hamiltonianHessian, pairIn), run(compileSymbolicHamiltonianHessian(lagr), pairIn), 'hamiltonianHessian');
      expectClose(run(compileHamiltonianHessian(lagr), pairIn), run(compileSymbolicHamiltonianHessian(lagr), pairIn), 'compileHamiltonianHessian');
    }
  });
});

describe('the atomic form of a network drift', () => {
  it('finds x_j and tanh(x_j) as the 2N atoms of −x + W tanh(x) + b, with N + N² coefficients', () => {
    const n = 12;
    const lagr = network(n, '-x + W*tanh(x) + b', 0.05, 11);
    const d = atomicDrift(lagr.model.drift.map((e) => withParameters(e, lagr)), lagr.model.state);
    expect(d.atoms.map(toText).sort()).toEqual([...lagr.model.state, ...lagr.model.state.map((s) => `tanh(${s})`)].sort());
    expect(d.column.length).toBe(n + n * n);
    // The coefficient of x_i in f_i is −1.
    for (let i = 0; i < n; i++) {
      const k = d.atoms.findIndex((a) => toText(a) === `x_${i + 1}`);
      const e = [...d.column.subarray(d.rowStart[i], d.rowStart[i + 1])].indexOf(k);
      expect(d.coefficient[d.rowStart[i] + e]).toBe(-1);
    }
    // Gradients: one per atom; Hessians: only tanh's second derivative.
    expect(d.gradientKernel.outputs).toBe(2 * n);
    expect(d.hessianKernel.outputs).toBe(n);
  });

  it('keeps the generated code linear in N (the expanded Hessian of L has O(N³) terms)', () => {
    const small = buildStructuredKernels(network(8, '-x + W*tanh(x) + b', 0.05, 1));
    const large = buildStructuredKernels(network(32, '-x + W*tanh(x) + b', 0.05, 1));
    const lines = (s: string): number => s.split('\n').length;
    const ratio = lines(large?.lagrangianHessian.source ?? '') / lines(small?.lagrangianHessian.source ?? '');
    expect(ratio).toBeLessThan(4.5);
  });
});

// The charges checked along paths: from the structured L and p = ∂L/∂ẋ, against the
// kernel compiled from the charges' own formulas (E, momenta, angular momenta, and
// quasi-symmetries with their K: boosts of a free particle, a forced network's translations).
describe.each(CASES.filter(([, l]) => constantD(l)))('structured charge kernel of %s', (_name, lagr) => {
  it('agrees with the charges compiled from their formulas, with E and every part', () => {
    const n = lagr.model.state.length;
    const conserved = derive(lagr, builtinRules(), { discover: false }).symmetries.filter((s) => s.charge && s.verdict.status !== 'broken');
    const withoutK = (e: Expr, gauge: string | undefined): Expr => (gauge ? substitute(e, new Map([[gauge, ZERO]])) : e);
    const symbolic = compileCharges(
      [
        ...conserved.map((s) => withoutK(s.charge!.expr, s.charge!.gauge?.symbol)),
        lagr.energy,
        ...conserved.flatMap((s) => s.charge!.parts.map((p) => withoutK(p, s.charge!.gauge?.symbol))),
      ],
      lagr,
    );
    const structured = structuredChargeKernel(conserved.map(chargeForm), lagr, buildStructuredKernels(lagr))!;
    expect(structured.outputs).toBe(symbolic.outputs);
    const rng = new Rng(91 + n);
    for (let trial = 0; trial < 4; trial++) {
      const input = Float64Array.from([...Array.from({ length: 2 * n }, () => rng.between(-1.5, 1.5)), rng.between(0.3, 1.5)]);
      expectClose(run(structured, input), run(symbolic, input), 'charges');
    }
  });
});

it('the structured charge kernels are tested on exact and quasi charges with parameters', () => {
  const statuses = new Set(
    CASES.filter(([, l]) => constantD(l)).flatMap(([, l]) => derive(l, builtinRules(), { discover: false }).symmetries.filter((s) => s.charge).map((s) => `${s.instance.rule}:${s.verdict.status}`)),
  );
  for (const expected of ['time:exact', 'translation:exact', 'rotation:exact', 'boost:quasi']) expect(statuses).toContain(expected);
});
