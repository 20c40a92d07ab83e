// Certified evaluation ("ball arithmetic"): the value of an expression at a
// point as a decimal midpoint v and a radius r such that the true value lies in
// [v − r, v + r]. The zero test (zero.ts) needs this: a relative tolerance calls
// −x + 1e-10·erf(x) zero, a certified radius does not — |v| > r proves the
// value non-zero, and a value inside its radius is only consistent with zero.
//
// Arithmetic is decimal.js at `digits + GUARD` significant digits; every
// operation is charged a relative error of 10^−digits, far above its rounding,
// so the radius stays an upper bound even if a function is a few ulps off.
// Errors of the arguments are propagated through bounds on the derivative over
// the whole ball. erf and the Bessel functions are summed from their series
// with a bound on the truncated tail, at the working precision (the
// double-precision implementations in special.ts carry no certified bound).

import { Decimal } from 'decimal.js';
import { type Expr, foldDefined } from './expr.ts';

/** A value with a certified error radius. */
export interface Ball {
  readonly v: Decimal;
  readonly r: Decimal;
}

/** Extra digits carried beyond those charged as error. */
const GUARD = 12;
/** Largest |argument| for which the Bessel series are summed (about |x| terms). */
const MAX_BESSEL_ARGUMENT = 2e4;
/** Beyond this |x|, erf(x) = ±1 to within e^{−x²}/(|x|√π) and no series is needed. */
const ERF_TAIL = 25;

interface Arithmetic {
  readonly D: typeof Decimal;
  /** Relative error charged to every operation: 10^−digits. */
  readonly eps: Decimal;
  readonly digits: number;
}

const cache = new Map<number, Arithmetic>();
function arithmetic(digits: number): Arithmetic {
  let a = cache.get(digits);
  if (!a) {
    // A private clone: the precision is ours alone, not a global setting of decimal.js.
    const D = Decimal.clone({ precision: digits + GUARD, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15, toExpNeg: -7, toExpPos: 21 });
    a = { D, eps: new D(10).pow(-digits), digits };
    cache.set(digits, a);
  }
  return a;
}

/**
 * The value of `e` at `point` (numbers are read as the decimals they print as,
 * the way the model reads them), as a ball; undefined outside the domain of the
 * expression (a pole, log of a non-positive number) or where no bound can be
 * certified (a ball that reaches a pole, a Bessel argument beyond 2·10⁴).
 * `scale` receives the largest |term| met in any sum: the size of what cancelled.
 */
export function evaluateBall(e: Expr, point: ReadonlyMap<string, number>, digits: number, scale?: { value: number }): Ball | undefined {
  const A = arithmetic(digits);
  const { D, eps } = A;
  const zero = new D(0);
  const rounding = (v: Decimal): Decimal => v.abs().times(eps);
  return foldDefined<Ball>(e, (n, kids) => {
    let out: Ball | undefined;
    switch (n.kind) {
      case 'num': {
        const v = new D(n.value.num.toString()).div(n.value.den.toString());
        out = { v, r: n.value.den === 1n && v.sd() <= digits ? zero : rounding(v) };
        break;
      }
      case 'sym': {
        const x = point.get(n.name);
        if (x !== undefined) out = { v: new D(x), r: zero };
        else if (n.name === 'pi') {
          const v = new D(-1).acos();
          out = { v, r: rounding(v) };
        } else if (n.name === 'e') {
          const v = new D(1).exp();
          out = { v, r: rounding(v) };
        }
        break;
      }
      case 'add': {
        let v = zero;
        let r = zero;
        let size = zero;
        for (const k of kids) {
          v = v.plus(k.v);
          r = r.plus(k.r);
          size = size.plus(k.v.abs());
          if (scale) scale.value = Math.max(scale.value, Math.abs(k.v.toNumber()));
        }
        out = { v, r: r.plus(size.times(eps).times(kids.length)) };
        break;
      }
      case 'mul':
        out = kids.reduce((a, b) => times(a, b, eps));
        break;
      case 'pow':
        out = power(kids[0], kids[1], n.exp.kind === 'num' ? n.exp.value : undefined, A);
        break;
      case 'call':
        out = callBall(n.fn, kids[0], A);
        break;
    }
    if (out && (!out.v.isFinite() || !out.r.isFinite())) out = undefined;
    return out;
  });
}

function times(a: Ball, b: Ball, eps: Decimal): Ball {
  const v = a.v.times(b.v);
  const r = a.v.abs().times(b.r).plus(b.v.abs().times(a.r)).plus(a.r.times(b.r)).plus(v.abs().times(eps));
  return { v, r };
}

/** Lower and upper bounds of |x| over the ball. */
function absRange(b: Ball): [Decimal, Decimal] {
  const lo = b.v.abs().minus(b.r);
  return [lo.isNegative() ? lo.times(0) : lo, b.v.abs().plus(b.r)];
}

/** b^x: exact rational exponents by their derivative bound; others as exp(x·log b). */
function power(base: Ball, exponent: Ball, exact: { num: bigint; den: bigint } | undefined, A: Arithmetic): Ball | undefined {
  const { D, eps } = A;
  if (!exact) {
    const log = callBall('log', base, A);
    return log ? callBall('exp', times(exponent, log, eps), A) : undefined;
  }
  const p = new D(exact.num.toString()).div(exact.den.toString());
  const integer = exact.den === 1n;
  const [lo, hi] = absRange(base);
  // Negative powers need the ball away from 0; fractional ones a positive ball.
  if ((p.isNegative() && !lo.isPositive()) || (!integer && !base.v.minus(base.r).isPositive())) return undefined;
  const v = base.v.pow(p);
  // |d/dx x^p| = |p| |x|^(p−1), largest at the end of the ball that maximises it.
  const slope = p.isZero() ? p : p.abs().times((p.minus(1).isNegative() ? lo : hi).pow(p.minus(1)));
  const ops = integer ? Math.min(64, Number(exact.num < 0n ? -exact.num : exact.num)) + 2 : 4;
  return { v, r: slope.times(base.r).plus(v.abs().times(eps).times(ops)) };
}

function callBall(fn: string, x: Ball, A: Arithmetic): Ball | undefined {
  const { D, eps } = A;
  const lipschitz = (v: Decimal, bound: Decimal | number, ops = 4): Ball => ({ v, r: new D(bound).times(x.r).plus(v.abs().times(eps).times(ops)) });
  const [, hi] = absRange(x);
  switch (fn) {
    case 'exp':
      return lipschitz(x.v.exp(), x.v.plus(x.r).exp());
    case 'log': {
      const lo = x.v.minus(x.r);
      if (!lo.isPositive()) return undefined;
      // Absolute rounding of log near 1 is relative to 1, not to the small result.
      return { v: x.v.ln(), r: x.r.div(lo).plus(x.v.ln().abs().plus(1).times(eps).times(4)) };
    }
    case 'sin':
    case 'cos': {
      const v = fn === 'sin' ? x.v.sin() : x.v.cos();
      return { v, r: x.r.plus(x.v.abs().plus(1).times(eps).times(4)) };
    }
    case 'tan': {
      const s = callBall('sin', x, A);
      const c = callBall('cos', x, A);
      const inv = c && power(c, { v: new D(-1), r: new D(0) }, { num: -1n, den: 1n }, A);
      return s && inv ? times(s, inv, eps) : undefined;
    }
    case 'sinh':
      return lipschitz(x.v.sinh(), hi.cosh());
    case 'cosh':
      return lipschitz(x.v.cosh(), hi.cosh());
    case 'tanh':
      return { v: x.v.tanh(), r: x.r.plus(eps.times(8)) };
    case 'sech':
      return { v: new D(1).div(x.v.cosh()), r: x.r.plus(eps.times(8)) };
    case 'atan':
      return { v: x.v.atan(), r: x.r.plus(x.v.abs().plus(1).times(eps).times(4)) };
    case 'abs':
      return { v: x.v.abs(), r: x.r };
    case 'erf': {
      const f = erfBall(x.v, A);
      // |erf'| = 2/√π e^{−x²} ≤ 2/√π < 1.1284.
      return f && { v: f.v, r: f.r.plus(x.r.times(1.1284)) };
    }
    case 'besselI0':
    case 'besselI1': {
      if (hi.greaterThan(MAX_BESSEL_ARGUMENT)) return undefined;
      const f = besselBall(fn === 'besselI0' ? 0 : 1, x.v, A);
      // |I0'| = |I1| ≤ I0 and |I1'| = |I0 − I1/x| ≤ I0, and I0 grows with |x|.
      const slope = x.r.isZero() ? new D(0) : besselBall(0, hi, arithmetic(16))?.v.times(1.01);
      return f && slope ? { v: f.v, r: f.r.plus(slope.times(x.r)) } : undefined;
    }
    default:
      return undefined;
  }
}

/** erf(x) with a certified radius: the Maclaurin series (alternating, tail below its first term), or ±1 past |x| = 25. */
function erfBall(x: Decimal, A: Arithmetic): Ball | undefined {
  const { D, eps, digits } = A;
  const ax = x.abs();
  if (ax.greaterThan(ERF_TAIL)) {
    // 0 < 1 − erf|x| ≤ e^{−x²}/(|x|√π).
    const gap = ax.times(ax).neg().exp().div(ax.times(new D(-1).acos().sqrt())).times(1.01);
    return { v: new D(x.isNegative() ? -1 : 1), r: gap };
  }
  // Terms grow to about e^{x²} before they fall: carry that many more digits.
  const extra = Math.ceil(ax.toNumber() ** 2 / Math.LN10) + 5;
  const W = arithmetic(digits + extra);
  const X = new W.D(x);
  const x2 = X.times(X);
  let term = X;
  let sum = X;
  let n = 0;
  const limit = new W.D(10).pow(-(digits + 8));
  for (;;) {
    n++;
    term = term.times(x2).neg().div(n);
    const t = term.div(2 * n + 1);
    sum = sum.plus(t);
    // Past n > x² the terms fall monotonically: the tail is below the first omitted term.
    if (n > x2.toNumber() && t.abs().lessThanOrEqualTo(limit.times(sum.abs().plus(limit)))) {
      const next = term.times(x2).div(n + 1).div(2 * n + 3).abs();
      const scale = new W.D(2).div(new W.D(-1).acos().sqrt());
      const v = new D(sum.times(scale));
      // Rounding: n operations, each off by at most 10^−(digits+GUARD) of the largest term (≤ 10^extra).
      return { v, r: new D(next.times(scale)).plus(v.abs().plus(new D(10).pow(-GUARD)).times(eps).times(n + 4)) };
    }
    if (n > 1e6) return undefined;
  }
}

/** I0(x) or I1(x) from the power series (positive terms for x ≥ 0), with a geometric bound on the tail. */
function besselBall(order: 0 | 1, x: Decimal, A: Arithmetic): Ball | undefined {
  const { D, eps } = A;
  const half = x.div(2);
  const q2 = half.times(half);
  let term = order === 0 ? new D(1) : half;
  let sum = term;
  const limit = eps.div(1e6);
  for (let k = 0; ; k++) {
    // t_{k+1}/t_k = (x/2)² / ((k+1)(k+1+order)).
    term = term.times(q2).div((k + 1) * (k + 1 + order));
    sum = sum.plus(term);
    const ratio = q2.div((k + 2) * (k + 2 + order));
    if (ratio.lessThan(0.5) && term.abs().lessThanOrEqualTo(limit.times(sum.abs()))) {
      // The ratios keep falling: the tail is below term · ratio / (1 − ratio).
      const tail = term.abs().times(ratio).div(new D(1).minus(ratio));
      return { v: sum, r: tail.plus(sum.abs().times(eps).times(k + 4)) };
    }
    if (k > 10 * MAX_BESSEL_ARGUMENT) return undefined;
  }
}
