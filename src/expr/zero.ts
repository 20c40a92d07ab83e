// The zero test with its evidence. First the normal form (normal.ts): if it
// reduces to 0 the identity is proved ('symbolic'). Otherwise the expression is
// evaluated at seeded random points — exactly in rationals when it is a
// rational function, else in ball arithmetic (float-ball.ts first: doubles with
// a certified radius, enough to show most non-zero values; then ball.ts: a
// decimal value with a certified error radius), raising the precision until the value is separated
// from 0 or the radius is below what the expression's own constants could hide.
// A point where |value| > radius is a certain counterexample; a value within its
// radius at every point is 'numeric' evidence of zero, with the number of points
// and the bound: strong evidence, never called a proof. If no point can be
// evaluated with a certified bound, the answer is 'unknown'.

import { type Ball, evaluateBall } from './ball.ts';
import { evaluateFloatBall } from './float-ball.ts';
import { type Expr, children, freeSymbols, isRational } from './expr.ts';
import { evaluateRational } from './evaluate.ts';
import { isZeroSymbolic } from './normal.ts';
import { Rational } from './rational.ts';
import { Rng } from '../random/rng.ts';

export interface ZeroTestOptions {
  /** Values for some symbols (typically the model parameters); the others are sampled. */
  readonly fixed?: ReadonlyMap<string, number>;
  /** Sampling interval for a free symbol; default [-2, 2]. */
  readonly range?: (name: string) => readonly [number, number];
  /** Number of valid sample points wanted (default 24). */
  readonly points?: number;
  readonly seed?: number;
  /** Symbols to sample even where e does not depend on them (so a counterexample names a full point). */
  readonly variables?: readonly string[];
  /** Go straight to sampling (the caller knows the normal form will not reduce to 0). */
  readonly skipSymbolic?: boolean;
}

export interface Counterexample {
  /** The point, symbol by symbol (fixed values included). */
  readonly point: Readonly<Record<string, number>>;
  /** The value of the expression there. */
  readonly value: number;
}

export type ZeroTest =
  | { readonly zero: true; readonly evidence: 'symbolic' }
  | {
      readonly zero: true;
      readonly evidence: 'numeric';
      readonly method: 'exact-rational' | 'high-precision';
      readonly points: number;
      /** The largest certified |value| at the points, relative to the terms that cancelled (0 for exact arithmetic). */
      readonly bound: number;
      /** Significant digits of the last evaluation (0 for exact arithmetic). */
      readonly digits: number;
    }
  | { readonly zero: false; readonly evidence: 'numeric'; readonly method: 'exact-rational' | 'high-precision'; readonly counterexample: Counterexample }
  /** No sample point was in the domain of the expression. */
  | { readonly zero: 'unknown'; readonly reason: string };

const DEFAULT_POINTS = 24;
/** A counterexample whose value stands this far above the cancelled terms ends the search early. */
const CONVINCING = 1e-6;
const DEFAULT_SEED = 0x5eed;
/** Digits of the first evaluation; each inconclusive point is evaluated again at twice as many. */
const START_DIGITS = 40;
/** Digits beyond which a value inside its radius counts as consistent with zero (raised by long constants). */
const MIN_FINAL_DIGITS = 80;
const MAX_DIGITS = 3000;

export function zeroTest(e: Expr, options: ZeroTestOptions = {}): ZeroTest {
  if (!options.skipSymbolic && isZeroSymbolic(e)) return { zero: true, evidence: 'symbolic' };
  const fixed = options.fixed ?? new Map<string, number>();
  const free = [...new Set([...freeSymbols(e), ...(options.variables ?? [])])].filter((s) => !fixed.has(s) && s !== 'pi' && s !== 'e').sort();
  const range = options.range ?? (() => [-2, 2] as const);
  const wanted = options.points ?? DEFAULT_POINTS;
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const rational = isRational(e) && [...fixed.values()].every(Number.isFinite);
  const method = rational ? 'exact-rational' : 'high-precision';

  const finalDigits = Math.min(MAX_DIGITS, Math.max(MIN_FINAL_DIGITS, START_DIGITS + 2 * constantDigits(e, fixed)));
  const points: Array<Map<string, number>> = [];
  const pointAt = (attempt: number): Map<string, number> => {
    while (points.length <= attempt) {
      const point = new Map<string, number>(fixed);
      for (const s of free) {
        const [lo, hi] = range(s);
        // Dyadic rationals are exact in every arithmetic used below.
        point.set(s, Math.round(rng.between(lo, hi) * 4096) / 4096);
      }
      points.push(point);
    }
    return points[attempt];
  };
  // A convincing counterexample ends the search below, and a double-precision ball shows one
  // without decimals. Among the first `wanted` points the search below reaches every one (fewer
  // than `wanted` valid points come before it), so the first such point found there is its
  // answer too, and the decimals it would spend on the points before (where a steep tanh
  // leaves 1 − tanh² below double precision) are spared.
  // The double-precision values found here are not computed again below.
  const floats: Array<PointValue | undefined> = [];
  if (!rational) {
    for (let attempt = 0; attempt < wanted; attempt++) {
      const value = (floats[attempt] = floatValue(e, pointAt(attempt)));
      if (value && value.relative > CONVINCING) {
        return { zero: false, evidence: 'numeric', method, counterexample: { point: Object.fromEntries(pointAt(attempt)), value: value.value } };
      }
    }
  }
  let valid = 0;
  let bound = 0;
  let digits = 0;
  let best: { point: Map<string, number>; value: number; relative: number } | undefined;
  for (let attempt = 0; attempt < wanted * 8 && valid < wanted; attempt++) {
    const point = pointAt(attempt);
    const value = rational ? exactValue(e, point) : certifiedValue(e, point, finalDigits, attempt < floats.length ? floats[attempt] : floatValue(e, point));
    if (value === undefined) continue; // outside the domain (a pole, log of a negative, …)
    valid++;
    bound = Math.max(bound, value.bound);
    digits = Math.max(digits, value.digits);
    if (!value.zero && (!best || value.relative > best.relative)) best = { point, ...value };
    // An exact non-zero, or one far above rounding in any arithmetic, is a convincing witness.
    if (best && (rational || best.relative > CONVINCING)) break;
  }
  if (best) {
    return { zero: false, evidence: 'numeric', method, counterexample: { point: Object.fromEntries(best.point), value: best.value } };
  }
  if (valid === 0) return { zero: 'unknown', reason: 'no sample point was inside the domain of the expression' };
  return { zero: true, evidence: 'numeric', method, points: valid, bound, digits };
}

interface PointValue {
  /** Consistent with 0: exactly 0, or within its certified radius at the final precision. */
  zero: boolean;
  value: number;
  /** |value| relative to the largest term that cancelled (1 for exact arithmetic). */
  relative: number;
  /** For a value consistent with 0: its certified bound, relative to the same scale. */
  bound: number;
  digits: number;
}

function exactValue(e: Expr, point: ReadonlyMap<string, number>): PointValue | undefined {
  const values = new Map([...point].map(([k, v]) => [k, Rational.fromNumber(v)]));
  const r = evaluateRational(e, values);
  return r === undefined ? undefined : { zero: r.isZero(), value: r.toNumber(), relative: r.isZero() ? 0 : 1, bound: 0, digits: 0 };
}

/** The value in a double-precision ball when that separates it from 0, else undefined. */
function floatValue(e: Expr, point: ReadonlyMap<string, number>): PointValue | undefined {
  const scale = { value: 0 };
  const ball = evaluateFloatBall(e, point, scale);
  if (!ball || !(Math.abs(ball.v) > ball.r)) return undefined;
  const size = Math.max(scale.value, Math.abs(ball.v));
  return { zero: false, value: ball.v, relative: Math.abs(ball.v) / size, bound: 0, digits: 16 };
}

/**
 * The double-precision value `quick` (floatValue) when it is separated from 0, else ball
 * evaluation at rising precision until the value is separated from 0 or the final precision is reached.
 */
function certifiedValue(e: Expr, point: ReadonlyMap<string, number>, finalDigits: number, quick: PointValue | undefined): PointValue | undefined {
  if (quick) return quick;
  let digits = START_DIGITS;
  for (;;) {
    const scale = { value: 0 };
    let b: Ball | undefined = evaluateBall(e, point, digits, scale);
    // A ball that reaches a pole at low precision may clear it at a higher one.
    if (b === undefined && digits === START_DIGITS) b = evaluateBall(e, point, (digits = 2 * START_DIGITS), scale);
    if (b === undefined) return undefined;
    const value = b.v.toNumber();
    const size = Math.max(scale.value, Math.abs(value), Number.MIN_VALUE);
    if (b.v.abs().greaterThan(b.r)) {
      // Certainly non-zero. (A value below double range still counts: its sign is certain.)
      return { zero: false, value: value === 0 ? Number.MIN_VALUE * b.v.s : value, relative: Math.abs(value) / size, bound: 0, digits };
    }
    if (digits >= finalDigits) return { zero: true, value, relative: 0, bound: b.r.toNumber() / size, digits };
    digits = Math.min(2 * digits, finalDigits);
  }
}

/** The most decimal digits in any rational constant of e or fixed value: tiny perturbations need as many to show. */
function constantDigits(e: Expr, fixed: ReadonlyMap<string, number>): number {
  let most = 0;
  const seen = new Set<string>();
  const visit = (n: Expr): void => {
    if (seen.has(n.key)) return;
    seen.add(n.key);
    if (n.kind === 'num') most = Math.max(most, n.value.num.toString().replace('-', '').length, n.value.den.toString().length);
    children(n).forEach(visit);
  };
  visit(e);
  for (const v of fixed.values()) {
    const r = Rational.fromNumber(v);
    most = Math.max(most, r.num.toString().replace('-', '').length, r.den.toString().length);
  }
  return most;
}
