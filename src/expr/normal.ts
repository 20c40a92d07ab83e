// Normal forms. `expand` multiplies out products and integer powers of sums;
// `together` writes an expression as one fraction N/D with the least common
// denominator of its parts. Function calls and fractional powers are kept as
// atoms whose insides are normalised the same way, so the expanded numerator is
// a canonical polynomial in those atoms: it is 0 exactly when the expression is
// identically 0 as a rational function of the atoms. Identities between atoms
// (tanh² + sech² = 1, …) are left to the numeric evidence of zero.ts.

import {
  type Expr, ONE, ZERO, add, call, mul, num, pow, size, splitCoefficient,
} from './expr.ts';
import { Rational } from './rational.ts';

/** Guards against exponential blow-up: expansions beyond this many terms are abandoned. */
export const MAX_EXPANDED_TERMS = 20000;

/** Tidying is for reading: expansions past this many terms are not worth their cost. */
const MAX_TIDY_TERMS = 400;

export class ExpansionTooLarge extends Error {
  constructor(limit: number) {
    super(`expansion exceeds ${limit} terms`);
  }
}

function termsOf(e: Expr): readonly Expr[] {
  return e.kind === 'add' ? e.terms : [e];
}

function hasSumFactor(e: Expr): boolean {
  if (e.kind === 'add') return true;
  if (e.kind === 'pow') return e.base.kind === 'add' && isPositiveInteger(e.exp);
  if (e.kind === 'mul') return e.factors.some(hasSumFactor);
  return false;
}

function isPositiveInteger(e: Expr): boolean {
  return e.kind === 'num' && e.value.isInteger() && e.value.sign() > 0;
}

function product(a: Expr, b: Expr, limit: number): Expr {
  const ta = termsOf(a);
  const tb = termsOf(b);
  if (ta.length * tb.length > limit) throw new ExpansionTooLarge(limit);
  const out: Expr[] = [];
  for (const x of ta) {
    for (const y of tb) {
      const t = mul(x, y);
      // Merging powers can create a new sum factor (√s·√s = s): expand it too.
      out.push(t.kind === 'mul' && hasSumFactor(t) ? expand(t, limit) : t);
    }
  }
  return add(...out);
}

/** Multiplies out every product and positive integer power of a sum; atoms get normalised insides. */
/**
 * Expansions already done, by node: nodes are immutable, so this is a pure memo
 * (weakly held: it never keeps an expression alive).
 */
const expanded = new WeakMap<Expr, Expr>();

export function expand(e: Expr, limit = MAX_EXPANDED_TERMS): Expr {
  if (e.kind === 'num' || e.kind === 'sym') return e;
  const hit = expanded.get(e);
  if (hit) return hit;
  const out = expandNode(e, limit);
  expanded.set(e, out);
  return out;
}

function expandNode(e: Expr, limit: number): Expr {
  switch (e.kind) {
    case 'num':
    case 'sym':
      return e;
    case 'add': {
      const terms = e.terms.map((t) => expand(t, limit));
      const n = terms.reduce((s, t) => s + termsOf(t).length, 0);
      if (n > limit) throw new ExpansionTooLarge(limit);
      return add(...terms);
    }
    case 'mul': {
      let acc: Expr = ONE;
      for (const f of e.factors) acc = product(acc, expand(f, limit), limit);
      return acc;
    }
    case 'pow': {
      const base = expand(e.base, limit);
      if (isPositiveInteger(e.exp) && base.kind === 'add') {
        let acc: Expr = ONE;
        const n = Number((e.exp as { value: Rational }).value.num);
        for (let i = 0; i < n; i++) acc = product(acc, base, limit);
        return acc;
      }
      if (e.exp.kind === 'num' && e.exp.value.isInteger()) return pow(base, e.exp);
      if (e.exp.kind === 'num' && base.kind === 'add' && e.exp.value.compare(Rational.ONE) > 0) {
        // s^(13/2) = s^6 · s^(1/2), so that it meets the other √s terms.
        const whole = e.exp.value.floor();
        const atom = pow(normalise(base), num(e.exp.value.sub(Rational.of(whole))));
        return product(expand(pow(base, num(Rational.of(whole))), limit), atom, limit);
      }
      return pow(normalise(base), normalise(e.exp));
    }
    case 'call':
      return call(e.fn, normalise(e.arg));
  }
}

export interface Fraction {
  readonly num: Expr;
  readonly den: Expr;
}

/**
 * Writes e = num/den with den a product of powers (the least common multiple of
 * the denominators met), both sides expanded.
 */
export function together(e: Expr, limit = MAX_EXPANDED_TERMS): Fraction {
  const f = togetherRaw(e);
  return { num: expand(f.num, limit), den: expand(f.den, limit) };
}

/** Denominator as a map from base key to (base, integer exponent > 0). */
type DenMap = Map<string, { base: Expr; n: bigint }>;

interface RawFraction {
  num: Expr;
  den: Expr;
}

function denFactors(den: Expr): DenMap {
  const out: DenMap = new Map();
  const put = (f: Expr): void => {
    if (f.kind === 'pow' && f.exp.kind === 'num' && f.exp.value.isInteger() && f.exp.value.sign() > 0) {
      out.set(f.base.key, { base: f.base, n: f.exp.value.num });
    } else if (f.kind !== 'num') out.set(f.key, { base: f, n: 1n });
  };
  if (den.kind === 'mul') den.factors.forEach(put);
  else put(den);
  return out;
}

function denFromMap(m: DenMap): Expr {
  return mul(...[...m.values()].map(({ base, n }) => pow(base, num(n))));
}

function togetherRaw(e: Expr): RawFraction {
  switch (e.kind) {
    case 'num':
      return { num: num(Rational.of(e.value.num)), den: num(Rational.of(e.value.den)) };
    case 'sym':
      return { num: e, den: ONE };
    case 'call':
      return { num: call(e.fn, normalise(e.arg)), den: ONE };
    case 'pow': {
      if (e.exp.kind === 'num') {
        const r = e.exp.value;
        const base = togetherRaw(e.base);
        if (r.isInteger()) {
          const k = num(Rational.of(r.num < 0n ? -r.num : r.num));
          return r.sign() > 0
            ? { num: pow(base.num, k), den: pow(base.den, k) }
            : { num: pow(base.den, k), den: pow(base.num, k) };
        }
        // b^(p/q) with p < 0: the atom b^(|p|/q) goes to the denominator.
        const b = normaliseFraction(base);
        return r.sign() > 0 ? { num: pow(b, e.exp), den: ONE } : { num: ONE, den: pow(b, num(r.neg())) };
      }
      return { num: pow(normalise(e.base), normalise(e.exp)), den: ONE };
    }
    case 'mul': {
      const parts = e.factors.map(togetherRaw);
      return { num: mul(...parts.map((p) => p.num)), den: mul(...parts.map((p) => p.den)) };
    }
    case 'add': {
      const parts = e.terms.map(togetherRaw).map((p) => {
        const [c, rest] = splitCoefficient(p.den);
        return { num: p.num, coef: c, factors: denFactors(rest) };
      });
      // Least common multiple of the denominators, factor by factor; numeric parts by lcm of integers.
      const lcm: DenMap = new Map();
      let numericLcm = 1n;
      for (const p of parts) {
        numericLcm = lcmInt(numericLcm, p.coef.num < 0n ? -p.coef.num : p.coef.num);
        for (const [k, v] of p.factors) {
          const cur = lcm.get(k);
          if (!cur || cur.n < v.n) lcm.set(k, v);
        }
      }
      // Each numerator times (lcm / its own denominator), the quotient taken factor by factor.
      const terms = parts.map((p) => {
        const missing = [...lcm].map(([k, { base, n }]) => pow(base, num(n - (p.factors.get(k)?.n ?? 0n))));
        return mul(p.num, num(Rational.of(numericLcm).div(p.coef)), ...missing);
      });
      return { num: add(...terms), den: mul(num(numericLcm), denFromMap(lcm)) };
    }
  }
}

function lcmInt(a: bigint, b: bigint): bigint {
  if (b === 0n) return a;
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

function normaliseFraction(f: RawFraction): Expr {
  const n = expand(f.num);
  const d = expand(f.den);
  return d === ONE || (d.kind === 'num' && d.value.isOne()) ? n : mul(n, pow(d, num(-1)));
}

/** A canonical representative: expanded numerator over expanded denominator. */
export function normalise(e: Expr, limit = MAX_EXPANDED_TERMS): Expr {
  if (e.kind === 'num' || e.kind === 'sym') return e;
  const f = together(e, limit);
  if (f.num.kind === 'num' && f.num.value.isZero()) return ZERO;
  return mul(f.num, pow(f.den, num(-1)));
}

/** True when the normal form proves e ≡ 0 (a sound but incomplete test). */
export function isZeroSymbolic(e: Expr): boolean {
  if (e.kind === 'num') return e.value.isZero();
  try {
    const n = together(e).num;
    return n.kind === 'num' && n.value.isZero();
  } catch (err) {
    if (err instanceof ExpansionTooLarge) return false;
    throw err;
  }
}

/** a·c + b·c → (a + b)·c: pulls out the powers every term of a sum shares (with the smallest exponent). */
export function factorCommon(e: Expr): Expr {
  if (e.kind !== 'add') return e;
  const powersOf = (t: Expr): Map<string, { base: Expr; n: Rational }> => {
    const m = new Map<string, { base: Expr; n: Rational }>();
    const rest = splitCoefficient(t)[1];
    for (const f of rest.kind === 'mul' ? rest.factors : rest.kind === 'num' ? [] : [rest]) {
      const [base, n] = f.kind === 'pow' && f.exp.kind === 'num' ? [f.base, f.exp.value] : [f, Rational.ONE];
      m.set(base.key, { base, n });
    }
    return m;
  };
  const maps = e.terms.map(powersOf);
  const common: Expr[] = [];
  for (const [key, { base, n }] of maps[0]) {
    let min = n;
    for (const m of maps.slice(1)) {
      const other = m.get(key);
      if (!other || other.n.sign() !== n.sign()) {
        min = Rational.ZERO;
        break;
      }
      if (other.n.abs().compare(min.abs()) < 0) min = other.n;
    }
    if (!min.isZero()) common.push(pow(base, num(min)));
  }
  if (common.length === 0) return e;
  const factor = mul(...common);
  const inverse = pow(factor, num(-1));
  return mul(factor, add(...e.terms.map((t) => mul(t, inverse))));
}

/** c·(a + b) → c·a + c·b at the top level only, so that c can cancel inside each term. */
function distributeOnce(e: Expr): Expr {
  if (e.kind !== 'mul') return e;
  const sums = e.factors.filter((f) => f.kind === 'add');
  if (sums.length !== 1) return e;
  const others = e.factors.filter((f) => f !== sums[0]);
  return add(...(sums[0] as { terms: readonly Expr[] }).terms.map((t) => mul(t, ...others)));
}

/**
 * The shorter of e and its expansion, for reading: 2*D*(k*(x_dot + k*x)/(2*D) - k*x_dot/(2*D))
 * reads best as k^2*x, while (x_dot + k*x)^2/(4*D) reads best as it is.
 */
export function tidy(e: Expr): Expr {
  let best = e;
  let bestSize = size(e);
  // A form with more terms than e has nodes cannot be shorter: stop expanding there.
  const limit = Math.min(Math.max(16, bestSize), MAX_TIDY_TERMS);
  const candidates: Array<() => Expr> = [
    () => expand(e, limit),
    () => normalise(e, limit),
    () => distributeOnce(e),
    () => factorCommon(e),
    () => factorCommon(expand(e, limit)),
  ];
  for (const make of candidates) {
    try {
      const c = make();
      const s = size(c);
      if (s < bestSize) [best, bestSize] = [c, s];
    } catch (err) {
      if (!(err instanceof ExpansionTooLarge)) throw err;
    }
  }
  return best;
}
