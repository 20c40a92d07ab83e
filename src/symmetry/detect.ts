// Is a generator v = τ ∂t + ξ·∂x a symmetry of the Lagrangian? Computes the
// prolonged variation δL = τ ∂L/∂t + ξ·∂L/∂x + δẋ·∂L/∂ẋ + L Dₜτ with
// δẋ = Dₜξ − ẋ Dₜτ and decides: exact (δL ≡ 0), quasi (δL ≡ DₜK, K found and
// checked), or broken (with a point where δL ≠ 0). Every verdict carries its
// evidence; numeric evidence is never called a proof.

import { type Expr, ZERO, add, dependsOn, freeSymbols, isNum, mul, num, size, substitute, sub, sym } from '../expr/expr.ts';
import { compileScalar } from '../expr/evaluate.ts';
import { Rng } from '../random/rng.ts';
import { diff } from '../expr/diff.ts';
import { integrate } from '../expr/integrate.ts';
import { isZeroSymbolic, tidy } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import { type ZeroTest, zeroTest } from '../expr/zero.ts';
import { type FloatBall, evaluateFloatBall } from '../expr/float-ball.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { samplingInterval } from '../model/domain.ts';
import type { Generator } from './rules.ts';

/** undecided: δL could not be evaluated with a certified error bound (see `reason`). */
export type Status = 'exact' | 'quasi' | 'broken' | 'undecided';
export type Evidence = 'symbolic' | 'numeric';

export interface Counterexample {
  /** State, velocity and time values (parameters at the model's values). */
  readonly point: Readonly<Record<string, number>>;
  /** δL at that point. */
  readonly deltaL: number;
}

export interface Gauge {
  /** K(x, t) with δL = DₜK, or null when it exists but was not found in closed form. */
  readonly K: Expr | null;
  readonly note?: string;
  /** When K has no closed form: ∇K = b and ∂ₜK = c0 (a line integral evaluates it). */
  readonly integrand?: { readonly b: readonly Expr[]; readonly c0: Expr };
}

export interface Verdict {
  readonly status: Status;
  readonly evidence: Evidence;
  /** For numeric evidence: how many sample points were checked. */
  readonly points?: number;
  /** For numeric evidence of zero: the largest certified |δL| at the points, relative to the terms that cancelled. */
  readonly bound?: number;
  /** Why the verdict is undecided. */
  readonly reason?: string;
  /** For symbolic evidence: whether it holds for all parameter values or only the model's. */
  readonly scope?: 'all parameter values' | 'these parameter values';
  readonly counterexample?: Counterexample;
  readonly gauge?: Gauge;
  /** δL as computed (absent when the verdict came without building it: network identities, quickCounterexample). */
  readonly variation?: Expr;
}

/** Sampling intervals for the numeric zero test: t in the model's time interval, the state in [-2, 2] moved inside its domain, the rest in [-2, 2]. */
function ranges(lagr: LagrangianResult): (name: string) => readonly [number, number] {
  const { time, state, domain } = lagr.model;
  const boxes = new Map<string, readonly [number, number]>(state.map((s, i) => [s, samplingInterval(domain[i], 2)]));
  return (name) => (name === 't' ? time : boxes.get(name) ?? [-2, 2]);
}

/** Total time derivative Dₜg = ∂g/∂t + Σ ẋⱼ ∂g/∂xⱼ for g(x, t). */
export function totalDerivative(g: Expr, state: readonly string[]): Expr {
  return add(diff(g, 't'), ...state.map((x) => mul(sym(`${x}_dot`), diff(g, x))));
}

export function variation(lagr: LagrangianResult, gen: Generator): Expr {
  const x = lagr.model.state;
  const partial = partialsOf(lagr);
  const Dt = (g: Expr): Expr => totalDerivative(g, x);
  const dtTau = Dt(gen.dt);
  const staticTime = isNum(gen.dt) && isNum(dtTau, 0);
  const terms: Expr[] = [mul(gen.dt, partial('t')), mul(lagr.lagrangian, dtTau)];
  x.forEach((xi, i) => {
    // Components the generator leaves alone (ξᵢ = 0, τ constant) add nothing: skip their derivatives.
    if (staticTime && isNum(gen.dx[i], 0)) return;
    const v = `${xi}_dot`;
    const dxdot = sub(Dt(gen.dx[i]), mul(sym(v), dtTau));
    terms.push(mul(gen.dx[i], partial(xi)), mul(dxdot, partial(v)));
  });
  return add(...terms);
}

/** ∂L/∂s for each symbol s, computed once per Lagrangian and shared by every generator tested on it. */
const partialCache = new WeakMap<LagrangianResult, Map<string, Expr>>();
function partialsOf(lagr: LagrangianResult): (s: string) => Expr {
  let cache = partialCache.get(lagr);
  if (!cache) {
    // ∂L/∂ẋᵢ are the momenta, already built.
    cache = new Map(lagr.symbols.velocities.map((v, i) => [v, lagr.momenta[i]]));
    partialCache.set(lagr, cache);
  }
  const known = cache;
  return (s) => {
    let d = known.get(s);
    if (d === undefined) known.set(s, (d = diff(lagr.lagrangian, s)));
    return d;
  };
}

/**
 * The non-zero ∂fₖ/∂xᵢ by column i, as [k, ∂fₖ/∂xᵢ], when D is free of x and t and
 * L is the paper's ¼(ẋ−f)ᵀD⁻¹(ẋ−f): then ∂L/∂xᵢ = −Σₖ (∂fₖ/∂xᵢ) pₖ, N products of
 * balls at a point, where ∂L/∂xᵢ as an expression holds N² terms for each i.
 * ∂fₖ/∂xᵢ differentiates only the terms of fₖ holding xᵢ. Undefined otherwise.
 */
function driftJacobianColumns(lagr: LagrangianResult): ReadonlyArray<ReadonlyArray<readonly [number, Expr]>> | undefined {
  if (jacobianColumnCache.has(lagr)) return jacobianColumnCache.get(lagr);
  const { model } = lagr;
  const moving = [...model.state, 't'];
  const applies = lagr.action === 'eq8' && lagr.inverseDiffusion.every((row) => row.every((e) => !dependsOn(e, moving)));
  const columns: Array<Array<readonly [number, Expr]>> | undefined = applies ? model.state.map(() => []) : undefined;
  if (columns) {
    const slot = new Map(model.state.map((x, i) => [x, i]));
    model.drift.forEach((fk, k) => {
      const byVariable = new Map<number, Expr[]>();
      for (const term of fk.kind === 'add' ? fk.terms : [fk]) {
        for (const v of freeSymbols(term)) {
          const i = slot.get(v);
          if (i !== undefined) byVariable.set(i, [...(byVariable.get(i) ?? []), term]);
        }
      }
      for (const [i, terms] of byVariable) {
        const d = diff(add(...terms), model.state[i]);
        if (!isNum(d, 0)) columns[i].push([k, d]);
      }
    });
  }
  jacobianColumnCache.set(lagr, columns);
  return columns;
}
const jacobianColumnCache = new WeakMap<LagrangianResult, ReadonlyArray<ReadonlyArray<readonly [number, Expr]>> | undefined>();

/**
 * Σ aₖbₖ over balls, its radius covering the factors' radii, each product's rounding
 * and the sum's ((n + 1) roundings of at most Σ|aₖbₖ|, with room to spare);
 * undefined when a factor is.
 */
function sumOfProducts(pairs: ReadonlyArray<readonly [FloatBall | undefined, FloatBall | undefined]>): FloatBall | undefined {
  let v = 0;
  let r = 0;
  let magnitude = 0;
  for (const [a, b] of pairs) {
    if (!a || !b) return undefined;
    const p = a.v * b.v;
    v += p;
    magnitude += Math.abs(p);
    r += Math.abs(a.v) * b.r + Math.abs(b.v) * a.r + a.r * b.r + 4 * Number.EPSILON * Math.abs(p);
  }
  r += 4 * Number.EPSILON * (pairs.length + 1) * magnitude;
  return Number.isFinite(v) && Number.isFinite(r) ? { v, r } : undefined;
}

/** Whether L depends on t, once per Lagrangian (freeSymbols walks the whole of L). */
const timeDependence = new WeakMap<LagrangianResult, boolean>();
function isTimeDependent(lagr: LagrangianResult): boolean {
  let known = timeDependence.get(lagr);
  if (known === undefined) timeDependence.set(lagr, (known = dependsOn(lagr.lagrangian, ['t'])));
  return known;
}

/** Seeded points at which quickCounterexample evaluates δL, with every ∂L/∂s there (shared by all generators). */
const QUICK_POINTS = 6;
const quickCache = new WeakMap<
  LagrangianResult,
  Array<{ point: Map<string, number>; partial: (s: string) => FloatBall | undefined; lagrangian: () => FloatBall | undefined }>
>();

/**
 * A certified counterexample for a generator with τ = at + b (a, b numbers: time
 * shifts, and the diffusive scaling τ = 2t) and ξ(x) not depending on t, on an
 * autonomous Lagrangian, found without building δL. δL is then free of t, and such a
 * generator is a quasi-symmetry only if δL = DₜK with ∇K = b(x) free of t,
 * so K = K₀(x) + c(t) and δL at ẋ = 0 equals c′(t) for every x: two sample states
 * (at ẋ = 0) where δL differs, with certified error bounds, prove it broken.
 * Undefined when the generator is not of that kind or no pair separates (the
 * detector decides then).
 */
export function quickCounterexample(lagr: LagrangianResult, gen: Generator): Counterexample | undefined {
  if (gen.dx.some((e) => dependsOn(e, ['t'])) || isTimeDependent(lagr)) return undefined;
  const values = variationAtRest(lagr, gen);
  // Two disjoint balls: δL at ẋ = 0 is not constant. One of them excludes 0: the point reported is the one with the wider margin.
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const [p, q] = [values[i], values[j]];
      if (Math.abs(p.ball.v - q.ball.v) <= p.ball.r + q.ball.r) continue;
      return reported(lagr, Math.abs(p.ball.v) - p.ball.r >= Math.abs(q.ball.v) - q.ball.r ? p : q);
    }
  }
  return undefined;
}

/**
 * A sample point (at ẋ = 0) where δL is certainly not 0, for a generator already
 * known not to be a quasi-symmetry (network.ts: a moved unit feeds another), so
 * that its verdict shows where it fails like any other; undefined when no sample
 * point separates δL from 0.
 */
export function pointWhereVariationIsNonZero(lagr: LagrangianResult, gen: Generator): Counterexample | undefined {
  let best: { point: Map<string, number>; ball: FloatBall } | undefined;
  for (const p of variationAtRest(lagr, gen)) {
    if (Math.abs(p.ball.v) - p.ball.r > (best ? Math.abs(best.ball.v) - best.ball.r : 0)) best = p;
  }
  return best && reported(lagr, best);
}

function reported(lagr: LagrangianResult, at: { point: Map<string, number>; ball: FloatBall }): Counterexample {
  const params = new Set(lagr.model.params.map((s) => s.name));
  return { point: Object.fromEntries([...at.point].filter(([k]) => !params.has(k))), deltaL: at.ball.v };
}

/**
 * δL at the seeded sample points with ẋ = 0, as certified double-precision balls
 * (float-ball.ts), for a generator with τ(t) free of x and ∂τ/∂t a number: there the
 * prolongation Dₜξ = ∂ξ/∂t + Σ ẋⱼ ∂ξ/∂xⱼ is ∂ξ/∂t, and Dₜτ = ∂τ/∂t, so
 * δL = τ ∂L/∂t + L ∂τ/∂t + Σ ξᵢ ∂L/∂xᵢ + Σ (∂ξᵢ/∂t) ∂L/∂ẋᵢ, summed from L and every
 * ∂L/∂s evaluated once per point for all generators. Points where a ball cannot
 * be certified are left out.
 */
function variationAtRest(lagr: LagrangianResult, gen: Generator): Array<{ point: Map<string, number>; ball: FloatBall }> {
  const x = lagr.model.state;
  const tauRate = diff(gen.dt, 't');
  if (tauRate.kind !== 'num' || dependsOn(gen.dt, x)) return [];
  let points = quickCache.get(lagr);
  if (!points) {
    const range = ranges(lagr);
    const rng = new Rng(PROBE_SEED);
    const partial = partialsOf(lagr);
    const columns = driftJacobianColumns(lagr);
    const stateIndex = new Map(x.map((xi, i) => [xi, i]));
    points = Array.from({ length: QUICK_POINTS }, () => {
      const point = new Map<string, number>(lagr.model.params.map((p) => [p.name, p.value]));
      for (const s of [...x, 't']) point.set(s, Math.round(rng.between(...range(s)) * 4096) / 4096);
      for (const v of x) point.set(`${v}_dot`, 0);
      const balls = new Map<string, FloatBall | undefined>();
      // The partials share most of their terms (every ∂L/∂xᵢ of a network holds every fₖ): one memo per point.
      const shared = new Map<string, FloatBall | undefined>();
      let lagrangian: FloatBall | undefined | null = null;
      const partialBall = (s: string): FloatBall | undefined => {
        if (balls.has(s)) return balls.get(s);
        const i = stateIndex.get(s);
        let ball: FloatBall | undefined;
        if (columns && i !== undefined) {
          // ∂L/∂xᵢ = −Σₖ (∂fₖ/∂xᵢ) pₖ, the momenta being the ∂L/∂ẋₖ.
          const sum = sumOfProducts(columns[i].map(([k, d]) => [evaluateFloatBall(d, point, undefined, shared), partialBall(`${x[k]}_dot`)] as const));
          ball = sum && { v: -sum.v, r: sum.r };
        } else ball = evaluateFloatBall(partial(s), point, undefined, shared);
        balls.set(s, ball);
        return ball;
      };
      return {
        point,
        partial: partialBall,
        lagrangian: () => (lagrangian === null ? (lagrangian = evaluateFloatBall(lagr.lagrangian, point, undefined, shared)) : lagrangian),
      };
    });
    quickCache.set(lagr, points);
  }
  const rates = gen.dx.map((e) => (dependsOn(e, ['t']) ? diff(e, 't') : ZERO));
  const a = tauRate.value.toNumber();
  const values: Array<{ point: Map<string, number>; ball: FloatBall }> = [];
  for (const { point, partial, lagrangian } of points) {
    const terms: Array<[FloatBall | undefined, FloatBall | undefined]> = [];
    if (!isNum(gen.dt, 0)) terms.push([evaluateFloatBall(gen.dt, point), partial('t')]);
    if (a !== 0) terms.push([{ v: a, r: 0 }, lagrangian()]);
    x.forEach((xi, i) => {
      if (!isNum(gen.dx[i], 0)) terms.push([evaluateFloatBall(gen.dx[i], point), partial(xi)]);
      if (!isNum(rates[i], 0)) terms.push([evaluateFloatBall(rates[i], point), partial(`${xi}_dot`)]);
    });
    const ball = sumOfProducts(terms);
    if (ball) values.push({ point, ball });
  }
  return values;
}

/**
 * Zero test for statements about this model: symbolic with parameters as
 * symbols (true for all parameter values), then symbolic and numeric with the
 * model's parameter values.
 */
function test(e: Expr, lagr: LagrangianResult): ZeroTest & { scope?: Verdict['scope'] } {
  const x = lagr.model.state;
  const variables = [...x, ...x.map((s) => `${s}_dot`), 't'];
  const concrete = substitute(e, parameterValues(lagr));
  // A clearly non-zero value in double precision makes the (costly) normal forms pointless;
  // the verdict and its counterexample still come from the exact or 64-digit evaluation.
  const range = ranges(lagr);
  if (clearlyNonZero(concrete, range)) return zeroTest(concrete, { range, variables, skipSymbolic: true });
  // With parameters as symbols the normal form costs several times more; for large
  // expressions the proof at the model's parameter values is the one attempted.
  if (size(e) <= GENERIC_PROOF_SIZE && isZeroSymbolic(e)) return { zero: true, evidence: 'symbolic', scope: 'all parameter values' };
  const r = zeroTest(concrete, { range, variables });
  return r.zero === true && r.evidence === 'symbolic' ? { ...r, scope: 'these parameter values' } : r;
}

/** Largest δL (in tree nodes) for which a proof for all parameter values is attempted. */
const GENERIC_PROOF_SIZE = 1000;

function parameterValues(lagr: LagrangianResult): Map<string, Expr> {
  return new Map(lagr.model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
}

const PROBE_SEED = 0x9e37;

/** Evaluates e at a few seeded points in double precision; true if it is far from 0 somewhere. */
function clearlyNonZero(e: Expr, range: (name: string) => readonly [number, number]): boolean {
  const names = [...freeSymbols(e)].filter((n) => n !== 'pi' && n !== 'e');
  const index = new Map(names.map((n, i) => [n, i]));
  const terms = e.kind === 'add' ? e.terms : [e];
  const fns = terms.map((t) => compileScalar(t, (n) => index.get(n)));
  const rng = new Rng(PROBE_SEED);
  for (let k = 0; k < 3; k++) {
    const v = names.map((n) => rng.between(...range(n)));
    const parts = fns.map((f) => f(v));
    if (!parts.every(Number.isFinite)) continue;
    const sum = parts.reduce((a, b) => a + b, 0);
    const scale = parts.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
    if (Math.abs(sum) > 1e-6 * (1 + scale)) return true;
  }
  return false;
}

function fromTest(t: ZeroTest & { scope?: Verdict['scope'] }): Pick<Verdict, 'evidence' | 'points' | 'scope' | 'bound'> {
  if (t.zero === true && t.evidence === 'numeric') return { evidence: 'numeric', points: t.points, bound: t.bound };
  return { evidence: t.zero === true ? 'symbolic' : 'numeric', ...(t.scope ? { scope: t.scope } : {}) };
}

function counterexample(t: ZeroTest, lagr: LagrangianResult): Counterexample | undefined {
  if (t.zero !== false) return undefined;
  const params = new Set(lagr.model.params.map((p) => p.name));
  const point = Object.fromEntries(Object.entries(t.counterexample.point).filter(([k]) => !params.has(k)));
  return { point, deltaL: t.counterexample.value };
}

/** A verdict of the detector, which always builds δL. */
export type Detected = Verdict & { readonly variation: Expr };

export function detect(lagr: LagrangianResult, gen: Generator): Detected {
  const x = lagr.model.state;
  const velocities = x.map((s) => `${s}_dot`);
  const dL = variation(lagr, gen);
  const whole = test(dL, lagr);
  if (whole.zero === true) return { status: 'exact', ...fromTest(whole), variation: dL };
  const broken = (why?: string): Detected => ({
    status: 'broken',
    evidence: 'numeric',
    ...(counterexample(whole, lagr) ? { counterexample: counterexample(whole, lagr) } : {}),
    ...(why ? { gauge: { K: null, note: why } } : {}),
    variation: dL,
  });
  const undecided = (reason: string): Detected => ({ status: 'undecided', evidence: 'numeric', reason, variation: dL });
  if (whole.zero === 'unknown') return undecided(`δL could not be evaluated with a certified error bound at any sample point (${whole.reason})`);

  // δL = c0(x,t) + b(x,t)·ẋ + (higher order in ẋ). A quasi-symmetry needs the higher
  // order to vanish, b = ∇K (curl-free) and c0 = ∂K/∂t.
  const atRest = new Map(velocities.map((v) => [v, ZERO]));
  const c0 = substitute(dL, atRest);
  // bᵢ = ∂δL/∂ẋᵢ at rest, each built when a condition first needs it (each costs a pass over δL).
  const bs = new Map<number, Expr>();
  const bAt = (i: number): Expr => {
    let bi = bs.get(i);
    if (bi === undefined) bs.set(i, (bi = substitute(diff(dL, velocities[i]), atRest)));
    return bi;
  };
  // Integrability of ∇K = b, ∂K/∂t = c0: ∂bᵢ/∂xⱼ = ∂bⱼ/∂xᵢ and ∂c0/∂xᵢ = ∂bᵢ/∂t; and no
  // terms of higher order in ẋ. Built one at a time: there are O(N²), and a broken generator
  // usually fails one on the axes it moves, which come first.
  const moved = new Set(gen.dx.flatMap((e, i) => (isNum(e, 0) ? [] : [i])));
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) pairs.push([i, j]);
  const touches = ([i, j]: [number, number]): number => (moved.has(i) || moved.has(j) ? 0 : 1);
  pairs.sort((p, q) => touches(p) - touches(q));
  const conditions: Array<() => Expr> = [
    ...pairs.map(([i, j]) => () => sub(diff(bAt(i), x[j]), diff(bAt(j), x[i]))),
    ...x.map((xi, i) => () => sub(diff(c0, xi), diff(bAt(i), 't'))),
    () => sub(dL, add(c0, ...x.map((_, i) => mul(bAt(i), sym(velocities[i]))))),
  ];
  // Most generators fail one condition outright: find it cheaply (double precision), then certify it.
  const values = parameterValues(lagr);
  const range = ranges(lagr);
  for (const condition of conditions) {
    const c = condition();
    if (clearlyNonZero(substitute(c, values), range)) {
      if (test(c, lagr).zero === false) return broken();
      break;
    }
  }
  const tests = conditions.map((c) => test(c(), lagr));
  if (tests.some((t) => t.zero === false)) return broken();
  if (tests.some((t) => t.zero === 'unknown')) return undecided('the conditions for a quasi-symmetry could not be evaluated with a certified error bound');
  const b = x.map((_, i) => bAt(i));
  const K = potential(b, c0, x, lagr);
  if (K === undefined) {
    // K exists (the conditions hold on the simply connected sample domain) but has no closed form here.
    const numeric = tests.find((t) => t.zero === true && t.evidence === 'numeric');
    return {
      status: 'quasi',
      ...fromTest(numeric ?? tests[0]),
      gauge: { K: null, note: 'K exists (δL is linear in ẋ and the integrability conditions hold) but was not found in closed form', integrand: { b, c0 } },
      variation: dL,
    };
  }
  if (K === null) return broken();
  const check = test(sub(totalDerivative(K, x), dL), lagr);
  if (check.zero !== true) {
    // The conditions hold, so K exists; the one integrated did not verify, and is not reported.
    return {
      status: 'quasi',
      ...fromTest(tests[0]),
      gauge: { K: null, note: 'K exists (δL is linear in ẋ and the integrability conditions hold) but the closed form found did not verify', integrand: { b, c0 } },
      variation: dL,
    };
  }
  return { status: 'quasi', ...fromTest(check), gauge: { K }, variation: dL };
}

/**
 * K with ∇K = b and ∂K/∂t = c0, integrating one coordinate at a time. Returns
 * undefined if an integral is out of reach, null if no such K exists (c0 − ∂K/∂t
 * depends on x).
 */
function potential(b: readonly Expr[], c0: Expr, x: readonly string[], lagr: LagrangianResult): Expr | null | undefined {
  let K: Expr = ZERO;
  for (let i = 0; i < x.length; i++) {
    // What K still has to supply along xᵢ, after the part found so far.
    const rest = tidy(sub(b[i], diff(K, x[i])));
    if (test(rest, lagr).zero === true) continue;
    const part = integrate(rest, x[i]);
    if (part === undefined) return undefined;
    K = add(K, part);
  }
  const r = tidy(sub(c0, diff(K, 't')));
  if (x.some((xi) => dependsOn(r, [xi]) && test(diff(r, xi), lagr).zero !== true)) return null;
  if (test(r, lagr).zero === true) return tidy(K);
  const g = integrate(r, 't');
  return g === undefined ? undefined : tidy(add(K, g));
}
