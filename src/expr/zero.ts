// The zero test with its evidence. First the normal form (normal.ts): if it
// reduces to 0 the identity is proved ('symbolic'). Otherwise the expression is
// evaluated at seeded random points — exactly in rationals when it is a
// rational function, else with 64-digit decimals (decimal.js, the library behind
// mathjs's BigNumber, imported directly so that a command need not load all of
// mathjs — about 0.3 s — to use it) — and
// either a point where it is non-zero is returned as a counterexample, or the
// verdict is 'numeric' with the number of points: strong evidence, never a proof.

import { Decimal } from 'decimal.js';
import { type Expr, children, freeSymbols, isRational } from './expr.ts';
import { evaluateRational } from './evaluate.ts';
import { isZeroSymbolic } from './normal.ts';
import { Rational } from './rational.ts';
import { besselI0e, besselI1e, erf } from './special.ts';
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
  | { readonly zero: true; readonly evidence: 'numeric'; readonly method: 'exact-rational' | 'high-precision'; readonly points: number }
  | { readonly zero: false; readonly evidence: 'numeric'; readonly method: 'exact-rational' | 'high-precision'; readonly counterexample: Counterexample }
  /** No sample point was in the domain of the expression. */
  | { readonly zero: 'unknown'; readonly reason: string };

const DEFAULT_POINTS = 24;
/** A counterexample whose value stands this far above the cancelled terms ends the search early. */
const CONVINCING = 1e-6;
const DEFAULT_SEED = 0x5eed;
const PRECISION = 64;
/** |value| below this times the size of the largest term cancelled counts as zero. */
const TOLERANCE_EXACT_FUNCTIONS = 1e-40;
/** Looser when erf or a Bessel function (double-precision implementations) took part. */
const TOLERANCE_DOUBLE_FUNCTIONS = 1e-9;

// A private constructor: the precision is ours alone, not a global setting.
const Big64 = Decimal.clone({ precision: PRECISION });
type Big = Decimal;
const big = (x: number | string): Big => new Big64(x);
const PI = big(1).neg().acos();

export function zeroTest(e: Expr, options: ZeroTestOptions = {}): ZeroTest {
  if (!options.skipSymbolic && isZeroSymbolic(e)) return { zero: true, evidence: 'symbolic' };
  const fixed = options.fixed ?? new Map<string, number>();
  const free = [...new Set([...freeSymbols(e), ...(options.variables ?? [])])].filter((s) => !fixed.has(s) && s !== 'pi' && s !== 'e').sort();
  const range = options.range ?? (() => [-2, 2] as const);
  const wanted = options.points ?? DEFAULT_POINTS;
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const rational = isRational(e) && [...fixed.values()].every(Number.isFinite);
  const method = rational ? 'exact-rational' : 'high-precision';

  let valid = 0;
  let best: { point: Map<string, number>; value: number; relative: number } | undefined;
  for (let attempt = 0; attempt < wanted * 8 && valid < wanted; attempt++) {
    const point = new Map<string, number>(fixed);
    for (const s of free) {
      const [lo, hi] = range(s);
      // Dyadic rationals are exact in every arithmetic used below.
      point.set(s, Math.round(rng.between(lo, hi) * 4096) / 4096);
    }
    const value = rational ? exactValue(e, point) : preciseValue(e, point);
    if (value === undefined) continue; // outside the domain (a pole, log of a negative, …)
    valid++;
    if (!value.zero && (!best || value.relative > best.relative)) best = { point, ...value };
    // An exact non-zero, or one far above rounding in any arithmetic, is a convincing witness.
    if (best && (rational || best.relative > CONVINCING)) break;
  }
  if (best) {
    return { zero: false, evidence: 'numeric', method, counterexample: { point: Object.fromEntries(best.point), value: best.value } };
  }
  if (valid === 0) return { zero: 'unknown', reason: 'no sample point was inside the domain of the expression' };
  return { zero: true, evidence: 'numeric', method, points: valid };
}

interface PointValue {
  zero: boolean;
  value: number;
  /** |value| relative to the largest term that cancelled (1 for exact arithmetic). */
  relative: number;
}

function exactValue(e: Expr, point: ReadonlyMap<string, number>): PointValue | undefined {
  const values = new Map([...point].map(([k, v]) => [k, Rational.fromNumber(v)]));
  const r = evaluateRational(e, values);
  return r === undefined ? undefined : { zero: r.isZero(), value: r.toNumber(), relative: r.isZero() ? 0 : 1 };
}

function preciseValue(e: Expr, point: ReadonlyMap<string, number>): PointValue | undefined {
  const state = { scale: 0, doubleFunctions: false };
  const v = evalBig(e, point, state);
  if (v === undefined || !v.isFinite()) return undefined;
  const tol = state.doubleFunctions ? TOLERANCE_DOUBLE_FUNCTIONS : TOLERANCE_EXACT_FUNCTIONS;
  const scale = Math.max(state.scale, Math.abs(v.toNumber()));
  const relative = scale > 0 ? Math.abs(v.toNumber()) / scale : 0;
  return { zero: Math.abs(v.toNumber()) <= tol * scale, value: v.toNumber(), relative };
}

/** 64-digit evaluation; tracks the largest term met in any sum (the scale of cancellation). */
function evalBig(e: Expr, point: ReadonlyMap<string, number>, state: { scale: number; doubleFunctions: boolean }): Big | undefined {
  const memo = new Map<string, Big | undefined>();
  const go = (n: Expr): Big | undefined => {
    if (memo.has(n.key)) return memo.get(n.key);
    const kids: Big[] = [];
    for (const c of children(n)) {
      const v = go(c);
      if (v === undefined || !v.isFinite()) return undefined;
      kids.push(v);
    }
    let r: Big | undefined;
    switch (n.kind) {
      case 'num':
        r = big(n.value.num.toString()).div(big(n.value.den.toString()));
        break;
      case 'sym': {
        const v = point.get(n.name);
        r = v !== undefined ? big(v) : n.name === 'pi' ? PI : n.name === 'e' ? big(1).exp() : undefined;
        break;
      }
      case 'add':
        r = kids.reduce((a, b) => a.plus(b));
        for (const k of kids) state.scale = Math.max(state.scale, Math.abs(k.toNumber()));
        break;
      case 'mul':
        r = kids.reduce((a, b) => a.times(b));
        break;
      case 'pow':
        if (kids[0].isZero() && kids[1].isNegative()) return undefined;
        r = kids[0].pow(kids[1]);
        break;
      case 'call':
        r = applyBig(n.fn, kids[0], state);
        break;
    }
    if (r !== undefined && r.isNaN()) r = undefined;
    memo.set(n.key, r);
    return r;
  };
  return go(e);
}

function applyBig(fn: string, x: Big, state: { doubleFunctions: boolean }): Big | undefined {
  switch (fn) {
    case 'exp':
      return x.exp();
    case 'log':
      return x.isPositive() && !x.isZero() ? x.ln() : undefined;
    case 'sin':
      return x.sin();
    case 'cos':
      return x.cos();
    case 'tan':
      return x.tan();
    case 'sinh':
      return x.sinh();
    case 'cosh':
      return x.cosh();
    case 'tanh':
      return x.tanh();
    case 'sech':
      return big(1).div(x.cosh());
    case 'atan':
      return x.atan();
    case 'abs':
      return x.abs();
    case 'erf':
      state.doubleFunctions = true;
      return big(erf(x.toNumber()));
    case 'besselI0':
    case 'besselI1': {
      // Scaled double value times an exact-precision exponential: no overflow for large arguments.
      state.doubleFunctions = true;
      const z = x.toNumber();
      const scaled = fn === 'besselI0' ? besselI0e(z) : besselI1e(z);
      return big(scaled).times(x.abs().exp());
    }
    default:
      return undefined;
  }
}
