// Shared models and numeric checks for the symmetry and Noether-charge tests.
// Every check here is numeric and independent of the symbolic machinery under
// test where possible: δL by finite differences of L, conservation by finite
// differences along the Euler–Lagrange flow, hand-written formulas for charges.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Expr } from '../../src/expr/expr.ts';
import { evaluate } from '../../src/expr/evaluate.ts';
import { type LagrangianResult, buildLagrangian, equationsOfMotion } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import type { Model, ModelSpec } from '../../src/model/types.ts';
import { Rng } from '../../src/random/rng.ts';
import type { Generator } from '../../src/symmetry/rules.ts';

export const fixture = (name: string): ModelSpec => parse(readFileSync(`test/fixtures/cas/models/${name}.yaml`, 'utf8')) as ModelSpec;

/** The models named in the brief, by short name. */
export const SPECS = {
  ddm: { name: 'ddm', state: ['x'], params: { v: 0.3, sigma: 0.8 }, drift: ['v'], noise: 'sigma' },
  ou2d: { name: 'ou2d', state: ['x', 'y'], params: { k: 1.0, D: 0.5 }, drift: ['-k*x', '-k*y'], diffusion: 'D' },
  attractor3: {
    name: 'attractor3',
    state: ['x', 'y'],
    params: { mu0: 0, A: 0.8, I: 0.4, c: 0.5, n: 0.1, tau: 1, sigma: 0.1 },
    drift: ['(mu0 + A/2*(tanh((x-c)/n)+1) - I/2*(tanh((y-c)/n)+1) - x)/tau', '(mu0 + A/2*(tanh((y-c)/n)+1) - I/2*(tanh((x-c)/n)+1) - y)/tau'],
    diffusion: 'sigma^2/tau',
  },
  ring: fixture('ring'),
  /** Nonlinear drift, constant full D (the CAS fixture). */
  fullconst2d: fixture('fullconst2d'),
  /** Constant drift, constant full D: translation invariant. */
  fullflat: { name: 'fullflat', state: ['x', 'y'], params: { a: 1.0, b: 0.3, c: 0.8, v: 0.2, w: -0.4 }, drift: ['v', 'w'], diffusion: [['a', 'b'], ['b', 'c']] },
  drift1d: { name: 'drift1d', state: ['x'], params: { v: 0.3, D: 0.4 }, drift: ['v'], diffusion: 'D' },
  free1d: { name: 'free1d', state: ['x'], params: { D: 0.4 }, drift: ['0'], diffusion: 'D' },
  ou1d: { name: 'ou1d', state: ['x'], params: { k: 1.2, D: 0.4 }, drift: ['-k*x'], diffusion: 'D' },
  /** −x + W tanh(x) elementwise, W = [[a, −b], [b, a]] commutes with rotations; tanh does not. */
  rnn: { name: 'rnn', state: ['x', 'y'], params: { a: 0.7, b: 0.4 }, drift: ['-x + a*tanh(x) - b*tanh(y)', '-y + b*tanh(x) + a*tanh(y)'], diffusion: 0.1 },
  rnnLinear: { name: 'rnnLinear', state: ['x', 'y'], params: { a: 0.7, b: 0.4 }, drift: ['-x + a*x - b*y', '-y + b*x + a*y'], diffusion: 0.1 },
  aniso: { name: 'aniso', state: ['x', 'y'], params: { k: 1 }, drift: ['-k*x', '-k*y'], diffusion: [0.1, 0.2] },
  timedrift: { name: 'timedrift', state: ['x'], params: { k: 1, D: 0.3 }, drift: ['-k*x + sin(t)'], diffusion: 'D' },
  radialD: {
    name: 'radialD',
    state: ['x', 'y'],
    params: { k: 1 },
    drift: ['-k*x*(x^2+y^2)', '-k*y*(x^2+y^2)'],
    diffusion: '0.1*(1 + x^2 + y^2)',
  },
} satisfies Record<string, ModelSpec>;
export type ModelName = keyof typeof SPECS;

const cache = new Map<string, LagrangianResult>();
export function lagrangianOf(name: ModelName): LagrangianResult {
  let r = cache.get(name);
  if (!r) {
    r = buildLagrangian(buildModel(SPECS[name]));
    cache.set(name, r);
  }
  return r;
}
export function lagrangianFor(spec: ModelSpec): LagrangianResult {
  return buildLagrangian(buildModel(spec));
}

export type Point = Record<string, number>;
export const velocityNames = (m: Model): string[] => m.state.map((s) => `${s}_dot`);
export const pointNames = (m: Model): string[] => [...m.state, ...velocityNames(m), 't'];

/** Values of the parameters plus the point. */
export function valuesAt(m: Model, point: Point): Map<string, number> {
  return new Map<string, number>([...m.params.map((p) => [p.name, p.value] as [string, number]), ...Object.entries(point)]);
}
export function at(e: Expr, m: Model, point: Point): number {
  return evaluate(e, valuesAt(m, point));
}

/** Seeded points: state and velocities in [−1.5, 1.5], t in [0.2, 2]. */
export function samples(m: Model, count: number, seed: number): Point[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => Object.fromEntries(pointNames(m).map((n) => [n, n === 't' ? rng.between(0.2, 2) : rng.between(-1.5, 1.5)])));
}

/** |a − b| ≤ rel·(1 + |b|). */
export function close(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * (1 + Math.abs(b));
}

/** Moves a point along the flow direction (ẋ, 1) in (x, t) by h, keeping the velocities (for Dₜ of functions of x, t). */
function flowShift(m: Model, point: Point, h: number): Point {
  const q = { ...point };
  for (const s of m.state) q[s] = point[s] + h * point[`${s}_dot`];
  q.t = point.t + h;
  return q;
}

/**
 * δL by finite differences, independent of `variation`: d/dε of
 * L(x + εξ, ẋ + ε(Dₜξ − ẋDₜτ), t + ετ)·(1 + εDₜτ) at ε = 0, with Dₜξ, Dₜτ also by differences.
 */
export function variationByDifferences(lagr: LagrangianResult, gen: Generator, point: Point): number {
  const m = lagr.model;
  const h = 1e-5;
  const fwd = flowShift(m, point, h);
  const bwd = flowShift(m, point, -h);
  const Dt = (e: Expr): number => (at(e, m, fwd) - at(e, m, bwd)) / (2 * h);
  const xi = gen.dx.map((e) => at(e, m, point));
  const dxi = gen.dx.map(Dt);
  const tau = at(gen.dt, m, point);
  const dtau = Dt(gen.dt);
  const Lam = (eps: number): number => {
    const q: Point = { ...point };
    m.state.forEach((s, i) => {
      q[s] = point[s] + eps * xi[i];
      q[`${s}_dot`] = point[`${s}_dot`] + eps * (dxi[i] - point[`${s}_dot`] * dtau);
    });
    q.t = point.t + eps * tau;
    return at(lagr.lagrangian, m, q) * (1 + eps * dtau);
  };
  const eps = 1e-5;
  return (Lam(eps) - Lam(-eps)) / (2 * eps);
}

/** Dₜg for g(x, t) by finite differences along (ẋ, 1). */
export function totalDerivativeByDifferences(g: Expr, m: Model, point: Point): number {
  const h = 1e-5;
  return (at(g, m, flowShift(m, point, h)) - at(g, m, flowShift(m, point, -h))) / (2 * h);
}

const motionCache = new WeakMap<LagrangianResult, readonly Expr[]>();

/**
 * dJ/dt along a solution of the Euler–Lagrange equations through `point`, by
 * finite differences: J(x + hẋ, ẋ + hẍ, t + h), ẍ from the derived accelerations.
 */
export function rateAlongSolutions(lagr: LagrangianResult, J: Expr, point: Point): number {
  const m = lagr.model;
  let eom = motionCache.get(lagr);
  if (!eom) {
    eom = equationsOfMotion(lagr).accelerations;
    motionCache.set(lagr, eom);
  }
  const acc = eom.map((a) => at(a, m, point));
  const shift = (h: number): Point => {
    const q = flowShift(m, point, h);
    m.state.forEach((s, i) => (q[`${s}_dot`] = point[`${s}_dot`] + h * acc[i]));
    return q;
  };
  const h = 1e-5;
  return (at(J, m, shift(h)) - at(J, m, shift(-h))) / (2 * h);
}

/** Modified Bessel functions I0, I1 by their power series (hand-written, for z ≲ 30). */
export function besselRatioI1I0(z: number): number {
  let i0 = 0;
  let i1 = 0;
  let term0 = 1; // (z/2)^{2k}/(k!)^2
  for (let k = 0; k < 200; k++) {
    const term1 = (term0 * (z / 2)) / (k + 1); // (z/2)^{2k+1}/(k!(k+1)!)
    i0 += term0;
    i1 += term1;
    term0 *= (z / 2) ** 2 / ((k + 1) * (k + 1));
  }
  return i1 / i0;
}
