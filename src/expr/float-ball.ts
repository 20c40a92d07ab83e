// Certified evaluation in plain doubles: the quick first pass of the zero test
// (zero.ts). Most expressions that are not zero are far from it, and proving
// that with decimal.js at 40 digits costs a hundred times more than doing it in
// doubles with an error radius. Each operation is charged a relative error of
// 2^-40 (far above the rounding of IEEE arithmetic and the few-ulp error of
// Math.exp, Math.tanh, …) plus an absolute 1e-300 for underflow, and argument
// errors are propagated by derivative bounds over the ball, as in ball.ts. Only
// a ball that excludes 0 is used; anything else (a value near 0, erf and
// Bessel functions, which have no certified double implementation here, an
// overflow) falls back to the decimal evaluation.

import { type Expr, foldDefined } from './expr.ts';

export interface FloatBall {
  readonly v: number;
  readonly r: number;
}

const EPS = 2 ** -40;
const TINY = 1e-300;
/** Relative error of a double read from the decimal it prints as, or of a rational rounded to a double. */
const READ = 2 ** -52;

/**
 * The value of `e` at `point` as a double with a certified radius, or undefined
 * where this pass cannot certify one. `scale` receives the largest |term| met in
 * any sum, as in evaluateBall. `memo` (the values of sub-expressions by key, at
 * this point) may be shared by calls at the same point, when there is no `scale`.
 */
export function evaluateFloatBall(e: Expr, point: ReadonlyMap<string, number>, scale?: { value: number }, memo?: Map<string, FloatBall | undefined>): FloatBall | undefined {
  return foldDefined<FloatBall>(e, (n, kids) => {
    let out: FloatBall | undefined;
    switch (n.kind) {
      case 'num': {
        const v = Number(n.value.num) / Number(n.value.den);
        out = { v, r: Math.abs(v) * READ * 3 + TINY };
        break;
      }
      case 'sym': {
        const x = point.get(n.name) ?? (n.name === 'pi' ? Math.PI : n.name === 'e' ? Math.E : undefined);
        if (x !== undefined) out = { v: x, r: Math.abs(x) * READ + TINY };
        break;
      }
      case 'add': {
        let v = 0;
        let r = 0;
        let size = 0;
        for (const k of kids) {
          v += k.v;
          r += k.r;
          size += Math.abs(k.v);
          if (scale) scale.value = Math.max(scale.value, Math.abs(k.v));
        }
        out = { v, r: r + size * EPS * kids.length + TINY };
        break;
      }
      case 'mul':
        out = kids.reduce(times);
        break;
      case 'pow':
        out = power(kids[0], kids[1], n.exp.kind === 'num' ? n.exp.value : undefined);
        break;
      case 'call':
        out = call(n.fn, kids[0]);
        break;
    }
    if (out && !(Number.isFinite(out.v) && Number.isFinite(out.r))) out = undefined;
    return out;
  }, memo);
}

function times(a: FloatBall, b: FloatBall): FloatBall {
  const v = a.v * b.v;
  return { v, r: Math.abs(a.v) * b.r + Math.abs(b.v) * a.r + a.r * b.r + Math.abs(v) * EPS + TINY };
}

function power(base: FloatBall, exponent: FloatBall, exact: { num: bigint; den: bigint } | undefined): FloatBall | undefined {
  if (!exact) {
    const log = call('log', base);
    return log && call('exp', times(exponent, log));
  }
  const p = Number(exact.num) / Number(exact.den);
  const integer = exact.den === 1n;
  const lo = Math.max(0, Math.abs(base.v) - base.r);
  const hi = Math.abs(base.v) + base.r;
  if ((p < 0 && lo <= 0) || (!integer && base.v - base.r <= 0)) return undefined;
  const v = integer ? base.v ** p : Math.abs(base.v) ** p;
  // |d/dx x^p| = |p| |x|^(p−1), largest at the end of the ball that maximises it.
  const slope = p === 0 ? 0 : Math.abs(p) * (p - 1 < 0 ? lo : hi) ** (p - 1);
  const ops = integer ? Math.min(64, Math.abs(p)) + 2 : 4;
  // A non-integer p read from its rational is itself off by READ·|p|: |x^p| · |ln x| · that.
  const exponentError = integer ? 0 : Math.abs(v) * Math.max(Math.abs(Math.log(lo)), Math.abs(Math.log(hi))) * Math.abs(p) * READ * 3;
  return { v, r: slope * base.r + Math.abs(v) * EPS * ops + exponentError + TINY };
}

function call(fn: string, x: FloatBall): FloatBall | undefined {
  const hi = Math.abs(x.v) + x.r;
  const lipschitz = (v: number, bound: number, ops = 4): FloatBall => ({ v, r: bound * x.r + Math.abs(v) * EPS * ops + TINY });
  switch (fn) {
    case 'exp':
      return lipschitz(Math.exp(x.v), Math.exp(x.v + x.r));
    case 'log': {
      const lo = x.v - x.r;
      if (!(lo > 0)) return undefined;
      const v = Math.log(x.v);
      return { v, r: x.r / lo + (Math.abs(v) + 1) * EPS * 4 };
    }
    case 'sin':
    case 'cos': {
      // Math.sin/cos reduce the argument exactly (fdlibm); charge the reduction anyway.
      const v = fn === 'sin' ? Math.sin(x.v) : Math.cos(x.v);
      return { v, r: x.r + (Math.abs(x.v) + 1) * EPS * 4 };
    }
    case 'tan': {
      const s = call('sin', x);
      const c = call('cos', x);
      const inv = c && power(c, { v: -1, r: 0 }, { num: -1n, den: 1n });
      return s && inv ? times(s, inv) : undefined;
    }
    case 'sinh':
      return lipschitz(Math.sinh(x.v), Math.cosh(hi));
    case 'cosh':
      return lipschitz(Math.cosh(x.v), Math.cosh(hi));
    case 'tanh':
      return { v: Math.tanh(x.v), r: x.r + EPS * 8 };
    case 'sech':
      return { v: 1 / Math.cosh(x.v), r: x.r + EPS * 8 };
    case 'atan':
      return { v: Math.atan(x.v), r: x.r + (Math.abs(x.v) + 1) * EPS * 4 };
    case 'abs':
      return { v: Math.abs(x.v), r: x.r };
    default:
      return undefined;
  }
}
