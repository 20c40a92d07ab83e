// The symbolic core: immutable expression trees kept in a canonical form by
// their constructors (flattened sums and products, like terms collected with
// exact rational coefficients, powers of a common base merged, children sorted).
// Two expressions that the constructors bring to the same form have the same
// `key`; `expand` and `together` (normal.ts) make that form a polynomial normal
// form, which is what the zero test relies on.

import { Rational } from './rational.ts';

/** Functions an expression may call (all of one real argument). */
export const FUNCTIONS = [
  'exp', 'log', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'sech', 'atan', 'erf', 'abs', 'besselI0', 'besselI1',
] as const;
export type FunctionName = (typeof FUNCTIONS)[number];
/** Names the parser also accepts as functions; they become powers (`sqrt(u)` is `u^(1/2)`). */
export const FUNCTION_ALIASES = ['sqrt'] as const;
export const CONSTANTS = ['pi', 'e'] as const;

const ODD: ReadonlySet<FunctionName> = new Set(['sin', 'tan', 'sinh', 'tanh', 'atan', 'erf', 'besselI1']);
const EVEN: ReadonlySet<FunctionName> = new Set(['cos', 'cosh', 'sech', 'abs', 'besselI0']);

export type Expr = Num | Sym | Add | Mul | Pow | Call;

export interface Num {
  readonly kind: 'num';
  readonly value: Rational;
  readonly key: string;
}
export interface Sym {
  readonly kind: 'sym';
  readonly name: string;
  readonly key: string;
}
/** A sum of at least two terms, none of them a sum, at most one a number. */
export interface Add {
  readonly kind: 'add';
  readonly terms: readonly Expr[];
  readonly key: string;
}
/** A product of at least two factors, none a product; a numeric coefficient ≠ 1 comes first. */
export interface Mul {
  readonly kind: 'mul';
  readonly factors: readonly Expr[];
  readonly key: string;
}
export interface Pow {
  readonly kind: 'pow';
  readonly base: Expr;
  readonly exp: Expr;
  readonly key: string;
}
export interface Call {
  readonly kind: 'call';
  readonly fn: FunctionName;
  readonly arg: Expr;
  readonly key: string;
}

// ---------------------------------------------------------------- leaves

export function num(value: Rational | number | bigint): Num {
  const r = value instanceof Rational ? value : typeof value === 'bigint' ? Rational.of(value) : Rational.fromNumber(value);
  return Object.freeze({ kind: 'num', value: r, key: `#${r.toString()}` });
}
export const ZERO = num(0);
export const ONE = num(1);
export const MINUS_ONE = num(-1);
const HALF = num(Rational.of(1, 2));

export function sym(name: string): Sym {
  return Object.freeze({ kind: 'sym', name, key: `$${name}` });
}

export function isNum(e: Expr, value?: number): e is Num {
  if (e.kind !== 'num' || value === undefined) return e.kind === 'num';
  // Integers (0 and 1 above all) are compared without reading `value` as a decimal: this runs in hot loops.
  if (Number.isSafeInteger(value)) return e.value.den === 1n && e.value.num === BigInt(value);
  return e.value.equals(Rational.fromNumber(value));
}

// ---------------------------------------------------------------- sums

/** Splits a term into its rational coefficient and the rest (`3*x*y` → 3, `x*y`). */
export function splitCoefficient(e: Expr): [Rational, Expr] {
  if (e.kind === 'num') return [e.value, ONE];
  if (e.kind === 'mul' && e.factors[0].kind === 'num') {
    const rest = e.factors.slice(1);
    return [e.factors[0].value, rest.length === 1 ? rest[0] : makeMul(rest)];
  }
  return [Rational.ONE, e];
}

export function add(...xs: readonly Expr[]): Expr {
  let constant = Rational.ZERO;
  const groups = new Map<string, { rest: Expr; coef: Rational }>();
  const visit = (e: Expr): void => {
    if (e.kind === 'add') {
      e.terms.forEach(visit);
      return;
    }
    const [coef, rest] = splitCoefficient(e);
    if (rest === ONE || rest.kind === 'num') {
      constant = constant.add(rest === ONE ? coef : coef.mul((rest as Num).value));
      return;
    }
    const g = groups.get(rest.key);
    if (g) g.coef = g.coef.add(coef);
    else groups.set(rest.key, { rest, coef });
  };
  xs.forEach(visit);
  const terms: Expr[] = [];
  for (const { rest, coef } of groups.values()) {
    if (coef.isZero()) continue;
    terms.push(coef.isOne() ? rest : scale(coef, rest));
  }
  if (!constant.isZero()) terms.push(num(constant));
  if (terms.length === 0) return ZERO;
  if (terms.length === 1) return terms[0];
  terms.sort(byKey);
  return Object.freeze({ kind: 'add', terms, key: `+(${terms.map((t) => t.key).join(',')})` });
}

/** `coef * rest` where rest carries no coefficient of its own. */
function scale(coef: Rational, rest: Expr): Expr {
  if (coef.isZero()) return ZERO;
  if (coef.isOne()) return rest;
  const factors = rest.kind === 'mul' ? [num(coef), ...rest.factors] : [num(coef), rest];
  return makeMul(factors);
}

// ---------------------------------------------------------------- products

function makeMul(factors: readonly Expr[]): Mul {
  return Object.freeze({ kind: 'mul', factors, key: `*(${factors.map((f) => f.key).join(',')})` });
}

export function mul(...xs: readonly Expr[]): Expr {
  let coef = Rational.ONE;
  const groups = new Map<string, { base: Expr; exps: Expr[] }>();
  const expArgs: Expr[] = [];
  const pending: Expr[] = [...xs];
  while (pending.length > 0) {
    const e = pending.pop() as Expr;
    if (e.kind === 'mul') {
      pending.push(...e.factors);
      continue;
    }
    if (e.kind === 'num') {
      coef = coef.mul(e.value);
      continue;
    }
    if (e.kind === 'call' && e.fn === 'exp') {
      expArgs.push(e.arg); // exp(a)·exp(b) = exp(a + b)
      continue;
    }
    const [base, exp] = e.kind === 'pow' ? [e.base, e.exp] : [e, ONE];
    const g = groups.get(base.key);
    if (g) g.exps.push(exp);
    else groups.set(base.key, { base, exps: [exp] });
  }
  if (coef.isZero()) return ZERO;
  const factors: Expr[] = [];
  if (expArgs.length > 0) {
    const merged = expArgs.length === 1 ? call('exp', expArgs[0]) : call('exp', add(...expArgs));
    if (merged.kind === 'num') coef = coef.mul(merged.value);
    else factors.push(merged);
  }
  for (const { base, exps } of groups.values()) {
    const p = exps.length === 1 ? (base === ONE ? ONE : powRaw(base, exps[0])) : pow(base, add(...exps));
    if (p.kind === 'num') coef = coef.mul(p.value);
    else if (p.kind === 'mul') {
      for (const f of p.factors) {
        if (f.kind === 'num') coef = coef.mul(f.value);
        else factors.push(f);
      }
    } else factors.push(p);
  }
  if (coef.isZero()) return ZERO;
  if (factors.length === 0) return num(coef);
  factors.sort(byKey);
  // Merging may have produced two factors with one base again (x^a from a merged
  // group next to a plain x); one more pass settles it.
  for (let i = 1; i < factors.length; i++) {
    if (baseOf(factors[i]).key === baseOf(factors[i - 1]).key) return mul(num(coef), ...factors);
  }
  if (factors.length === 1 && coef.isOne()) return factors[0];
  // A number times a sum is distributed, so -(a - b) is b - a and like terms meet.
  if (factors.length === 1 && factors[0].kind === 'add') return add(...factors[0].terms.map((t) => scaleTerm(coef, t)));
  return makeMul(coef.isOne() ? factors : [num(coef), ...factors]);
}

/**
 * c·t for a term t of a canonical sum, which is mul(num(c), t) without the
 * general product's regrouping: only the numeric coefficient changes (negating a
 * network's drift scales thousands of terms).
 */
function scaleTerm(c: Rational, t: Expr): Expr {
  if (t.kind === 'num') return num(c.mul(t.value));
  const [v, factors] = t.kind === 'mul' && t.factors[0].kind === 'num' ? [t.factors[0].value, t.factors.slice(1)] : [Rational.ONE, t.kind === 'mul' ? t.factors : [t]];
  const coef = c.mul(v);
  if (!coef.isOne()) return makeMul([num(coef), ...factors]);
  return factors.length === 1 ? factors[0] : makeMul(factors);
}

function baseOf(e: Expr): Expr {
  return e.kind === 'pow' ? e.base : e;
}

/** A power whose exponent came straight from a factor: already simplified unless the base is special. */
function powRaw(base: Expr, exp: Expr): Expr {
  return exp === ONE ? base : pow(base, exp);
}

// ---------------------------------------------------------------- powers

export function pow(base: Expr, exp: Expr): Expr {
  if (exp.kind === 'num') {
    const n = exp.value;
    if (n.isZero()) return ONE;
    if (n.isOne()) return base;
    if (base.kind === 'num') return numericPower(base.value, n);
    if (n.isInteger()) {
      // (x^a)^n = x^(a n) and (x y)^n = x^n y^n hold for integer n.
      if (base.kind === 'pow') return pow(base.base, mul(base.exp, exp));
      if (base.kind === 'mul') return mul(...base.factors.map((f) => pow(f, exp)));
    } else if (base.kind === 'mul' && base.factors[0].kind === 'num' && base.factors[0].value.sign() > 0) {
      // (c y)^a = c^a y^a for c > 0.
      const [c, rest] = splitCoefficient(base);
      return mul(numericPower(c, n), pow(rest, exp));
    } else if (base.kind === 'pow' && base.exp.kind === 'num' && base.exp.value.isInteger() && base.exp.value.num % 2n === 1n) {
      // (x^k)^a = x^(k a) for odd k: the sign of x survives, so no absolute value appears.
      return pow(base.base, num(base.exp.value.mul(n)));
    }
  }
  if (base.kind === 'num' && base.value.isOne()) return ONE;
  if (base.kind === 'sym' && base.name === 'e') return call('exp', exp);
  if (base.kind === 'call' && base.fn === 'exp') return call('exp', mul(base.arg, exp)); // (e^a)^b = e^(ab) for real a
  return Object.freeze({ kind: 'pow', base, exp, key: `^(${base.key},${exp.key})` });
}

/** b^n for rationals; exact where the root exists, else kept as a power node. */
function numericPower(b: Rational, n: Rational): Expr {
  if (n.isInteger()) {
    if (b.isZero() && n.sign() < 0) throw new RangeError('division by zero');
    return num(b.pow(n.num));
  }
  if (b.isZero()) return n.sign() > 0 ? ZERO : pow0Error();
  if (b.isOne()) return ONE;
  // b^(p/q) = (b^(1/q))^p when the root is exact.
  const r = b.root(n.den);
  if (r) return num(r.pow(n.num));
  // Pull perfect powers out of the radicand: 8^(1/2) = 2 * 2^(1/2).
  if (n.num === 1n && b.sign() > 0) {
    const [outNum, inNum] = extractPower(b.num, n.den);
    const [outDen, inDen] = extractPower(b.den, n.den);
    if (outNum !== 1n || outDen !== 1n) {
      const inner = Rational.of(inNum, inDen);
      const rest: Pow = Object.freeze({ kind: 'pow', base: num(inner), exp: num(n), key: `^(#${inner},#${n})` });
      return inner.isOne() ? num(Rational.of(outNum, outDen)) : makeMul([num(Rational.of(outNum, outDen)), rest]);
    }
  }
  // Pull the integer part of the exponent out: 2^(3/2) = 2 * 2^(1/2).
  const whole = n.floor();
  const frac = n.sub(Rational.of(whole));
  const rest: Pow = Object.freeze({ kind: 'pow', base: num(b), exp: num(frac), key: `^(#${b},#${frac})` });
  return whole === 0n ? rest : makeMul([num(b.pow(whole)), rest]);
}

/** Writes m = a^q * r with a as large as trial division by small primes finds. */
function extractPower(m: bigint, q: bigint): [bigint, bigint] {
  let out = 1n;
  let rest = m;
  if (rest > 10n ** 15n) return [1n, m];
  for (let p = 2n; p * p <= rest && p < 10000n; p += p === 2n ? 1n : 2n) {
    const pq = p ** q;
    while (rest % pq === 0n) {
      rest /= pq;
      out *= p;
    }
  }
  return [out, rest];
}

function pow0Error(): never {
  throw new RangeError('division by zero');
}

// ---------------------------------------------------------------- calls

export function call(fn: FunctionName, arg: Expr): Expr {
  const known = exactValue(fn, arg);
  if (known) return known;
  if (ODD.has(fn) || EVEN.has(fn)) {
    const [negated, positive] = splitSign(arg);
    if (negated) return ODD.has(fn) ? neg(call(fn, positive)) : call(fn, positive);
  }
  return Object.freeze({ kind: 'call', fn, arg, key: `${fn}(${arg.key})` });
}

function exactValue(fn: FunctionName, arg: Expr): Expr | undefined {
  if (arg.kind === 'num') {
    if (fn === 'abs') return num(arg.value.abs());
    if (arg.value.isZero()) {
      const atZero: Partial<Record<FunctionName, number>> = {
        exp: 1, sin: 0, cos: 1, tan: 0, sinh: 0, cosh: 1, tanh: 0, sech: 1, atan: 0, erf: 0, besselI0: 1, besselI1: 0,
      };
      const v = atZero[fn];
      if (v !== undefined) return num(v);
    }
    if (fn === 'log' && arg.value.isOne()) return ZERO;
  }
  if (fn === 'log' && arg.kind === 'sym' && arg.name === 'e') return ONE;
  if (fn === 'log' && arg.kind === 'call' && arg.fn === 'exp') return arg.arg;
  if (fn === 'exp' && arg.kind === 'call' && arg.fn === 'log') return arg.arg;
  if (fn === 'abs' && arg.kind === 'call' && (arg.fn === 'abs' || arg.fn === 'exp' || arg.fn === 'cosh' || arg.fn === 'besselI0')) {
    return arg;
  }
  return undefined;
}

/**
 * Writes e as ±e' with a canonical sign for e', so that odd and even functions
 * see one representative: tanh(c - x) becomes -tanh(x - c) (the sign of the
 * term that sorts last decides).
 */
export function splitSign(e: Expr): [boolean, Expr] {
  if (e.kind === 'num') return [e.value.sign() < 0, num(e.value.abs())];
  if (e.kind === 'mul') {
    let negated = e.factors[0].kind === 'num' && e.factors[0].value.sign() < 0;
    const factors = e.factors.map((f) => {
      if (f.kind === 'num') return num(f.value.abs());
      if (f.kind === 'add') {
        const [n, p] = splitSign(f);
        if (n) negated = !negated;
        return p;
      }
      return f;
    });
    return negated ? [true, mul(...factors)] : [false, e];
  }
  if (e.kind === 'add') {
    // The lead is chosen by the term without its coefficient, which negation leaves alone,
    // so splitting the sign twice gives the same answer.
    let lead: [Rational, Expr] | undefined;
    for (const t of e.terms) {
      if (t.kind === 'num') continue;
      const split = splitCoefficient(t);
      if (!lead || split[1].key > lead[1].key) lead = split;
    }
    if ((lead ? lead[0] : (e.terms[0] as Num).value).sign() < 0) return [true, neg(e)];
  }
  return [false, e];
}

// ---------------------------------------------------------------- helpers

export function neg(e: Expr): Expr {
  return mul(MINUS_ONE, e);
}
export function sub(a: Expr, b: Expr): Expr {
  return add(a, neg(b));
}
export function div(a: Expr, b: Expr): Expr {
  return mul(a, pow(b, MINUS_ONE));
}
export function sqrt(e: Expr): Expr {
  return pow(e, HALF);
}
export function square(e: Expr): Expr {
  return pow(e, num(2));
}

function byKey(a: Expr, b: Expr): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The children of a node, in order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'add':
      return e.terms;
    case 'mul':
      return e.factors;
    case 'pow':
      return [e.base, e.exp];
    case 'call':
      return [e.arg];
    default:
      return [];
  }
}

/** Rebuilds a node of the same kind from new children (re-canonicalising). */
export function rebuild(e: Expr, kids: readonly Expr[]): Expr {
  switch (e.kind) {
    case 'add':
      return add(...kids);
    case 'mul':
      return mul(...kids);
    case 'pow':
      return pow(kids[0], kids[1]);
    case 'call':
      return call(e.fn, kids[0]);
    default:
      return e;
  }
}

/** Bottom-up rewrite with memoisation on keys (shared subtrees are visited once). */
export function mapBottomUp(e: Expr, f: (node: Expr) => Expr): Expr {
  const memo = new Map<string, Expr>();
  const go = (node: Expr): Expr => {
    const hit = memo.get(node.key);
    if (hit) return hit;
    const kids = children(node);
    const mapped = kids.map(go);
    // Unchanged children keep the node itself: rebuilding would re-normalise it for nothing.
    const next = mapped.every((k, i) => k === kids[i]) ? node : rebuild(node, mapped);
    const out = f(next);
    memo.set(node.key, out);
    return out;
  };
  return go(e);
}

/**
 * Bottom-up evaluation with memoisation on keys, where undefined (no value: a
 * pole, a function without an implementation) propagates to every ancestor.
 */
export function foldDefined<T>(e: Expr, f: (node: Expr, kids: readonly T[]) => T | undefined, memo = new Map<string, T | undefined>()): T | undefined {
  const go = (node: Expr): T | undefined => {
    if (memo.has(node.key)) return memo.get(node.key);
    const kids: T[] = [];
    for (const c of children(node)) {
      const v = go(c);
      if (v === undefined) {
        memo.set(node.key, undefined);
        return undefined;
      }
      kids.push(v);
    }
    const out = f(node, kids);
    memo.set(node.key, out);
    return out;
  };
  return go(e);
}

export function substitute(e: Expr, values: ReadonlyMap<string, Expr>): Expr {
  return mapBottomUp(e, (node) => (node.kind === 'sym' ? (values.get(node.name) ?? node) : node));
}

export function freeSymbols(e: Expr): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const go = (node: Expr): void => {
    if (seen.has(node.key)) return;
    seen.add(node.key);
    if (node.kind === 'sym') out.add(node.name);
    children(node).forEach(go);
  };
  go(e);
  return out;
}

export function dependsOn(e: Expr, names: Iterable<string>): boolean {
  const free = freeSymbols(e);
  for (const n of names) if (free.has(n)) return true;
  return false;
}

/** Number of nodes in the tree (shared subtrees counted each time): a size measure for choosing forms. */
export function size(e: Expr): number {
  let n = 1;
  for (const c of children(e)) n += size(c);
  return n;
}

/** True if the expression is a rational function with rational coefficients: no calls, no pi or e, integer powers only. */
export function isRational(e: Expr): boolean {
  if (e.kind === 'call') return false;
  if (e.kind === 'sym' && (CONSTANTS as readonly string[]).includes(e.name)) return false;
  if (e.kind === 'pow' && !(e.exp.kind === 'num' && e.exp.value.isInteger())) return false;
  return children(e).every(isRational);
}
