// Numeric evaluation of expression trees: in double precision (for sampling and
// checks; the fast kernels of src/compile come later) and exactly in rationals.
//
// Double evaluation carries every product as m·e^s ("scaled" values): exp(u)
// is (1, u), besselI0(z) is (I0e(z), |z|). Exponential factors then cancel before
// anything overflows, so I1(z)/I0(z) and log(I0(z)) stay finite for z = 1e4 and
// beyond, as the ring model of the paper needs.

import type { Expr, FunctionName } from './expr.ts';
import { Rational } from './rational.ts';
import { besselI0e, besselI1e, erf } from './special.ts';

type Scaled = { m: number; s: number };
type ScaledFn = (v: ArrayLike<number>) => Scaled;
type PlainFn = (v: ArrayLike<number>) => number;

const PLAIN: Record<Exclude<FunctionName, 'exp' | 'log' | 'besselI0' | 'besselI1'>, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  sech: (x) => 1 / Math.cosh(x),
  atan: Math.atan,
  erf,
  abs: Math.abs,
};

const CONSTANT_VALUES: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

/**
 * Compiles e to a function of a vector of values; `slot` gives each free symbol's
 * index (pi and e need none). Throws if a symbol has no slot.
 */
export function compileScalar(e: Expr, slot: (name: string) => number | undefined): PlainFn {
  const memo = new Map<string, ScaledFn>();
  const f = scaled(e, slot, memo);
  return (v) => {
    const { m, s } = f(v);
    return s === 0 ? m : m * Math.exp(s);
  };
}

function plainOf(f: ScaledFn): PlainFn {
  return (v) => {
    const { m, s } = f(v);
    return s === 0 ? m : m * Math.exp(s);
  };
}

function scaled(e: Expr, slot: (name: string) => number | undefined, memo: Map<string, ScaledFn>): ScaledFn {
  const hit = memo.get(e.key);
  if (hit) return hit;
  const out = build(e, slot, memo);
  memo.set(e.key, out);
  return out;
}

function build(e: Expr, slot: (name: string) => number | undefined, memo: Map<string, ScaledFn>): ScaledFn {
  const sub = (x: Expr): ScaledFn => scaled(x, slot, memo);
  switch (e.kind) {
    case 'num': {
      const m = e.value.toNumber();
      return () => ({ m, s: 0 });
    }
    case 'sym': {
      const c = CONSTANT_VALUES[e.name];
      const i = slot(e.name);
      if (i !== undefined) return (v) => ({ m: v[i], s: 0 });
      if (c !== undefined) return () => ({ m: c, s: 0 });
      throw new Error(`no value for symbol '${e.name}'`);
    }
    case 'add': {
      const terms = e.terms.map((t) => plainOf(sub(t)));
      return (v) => {
        let acc = 0;
        for (const t of terms) acc += t(v);
        return { m: acc, s: 0 };
      };
    }
    case 'mul': {
      const factors = e.factors.map(sub);
      return (v) => {
        let m = 1;
        let s = 0;
        for (const f of factors) {
          const r = f(v);
          m *= r.m;
          s += r.s;
        }
        return { m, s };
      };
    }
    case 'pow': {
      const base = sub(e.base);
      if (e.exp.kind === 'num') {
        const k = e.exp.value.toNumber();
        const half = e.exp.value.equals(Rational.of(1, 2));
        return (v) => {
          const b = base(v);
          return { m: half ? Math.sqrt(b.m) : b.m ** k, s: b.s * k };
        };
      }
      const exp = plainOf(sub(e.exp));
      return (v) => {
        const b = base(v);
        const k = exp(v);
        return { m: b.m ** k, s: b.s === 0 ? 0 : b.s * k };
      };
    }
    case 'call': {
      const arg = plainOf(sub(e.arg));
      switch (e.fn) {
        case 'exp':
          return (v) => ({ m: 1, s: arg(v) });
        case 'besselI0':
          return (v) => {
            const z = arg(v);
            return { m: besselI0e(z), s: Math.abs(z) };
          };
        case 'besselI1':
          return (v) => {
            const z = arg(v);
            return { m: besselI1e(z), s: Math.abs(z) };
          };
        case 'log': {
          const inner = sub(e.arg);
          return (v) => {
            const r = inner(v);
            return { m: Math.log(r.m) + r.s, s: 0 };
          };
        }
        default: {
          const f = PLAIN[e.fn];
          return (v) => ({ m: f(arg(v)), s: 0 });
        }
      }
    }
  }
}

/** Evaluates once with values given by name (convenience for tests and sampling). */
export function evaluate(e: Expr, values: ReadonlyMap<string, number>): number {
  const names = [...values.keys()];
  const index = new Map(names.map((n, i) => [n, i]));
  return compileScalar(e, (n) => index.get(n))(names.map((n) => values.get(n) as number));
}

/**
 * Exact value of a rational expression (no calls, integer powers only) at a
 * rational point; undefined where a denominator vanishes.
 */
export function evaluateRational(e: Expr, values: ReadonlyMap<string, Rational>): Rational | undefined {
  const memo = new Map<string, Rational | undefined>();
  const go = (n: Expr): Rational | undefined => {
    if (memo.has(n.key)) return memo.get(n.key);
    let r: Rational | undefined;
    switch (n.kind) {
      case 'num':
        r = n.value;
        break;
      case 'sym': {
        r = values.get(n.name);
        if (!r) throw new Error(`no value for symbol '${n.name}'`);
        break;
      }
      case 'add': {
        r = Rational.ZERO;
        for (const t of n.terms) {
          const x = go(t);
          if (!x) return undefined;
          r = r.add(x);
        }
        break;
      }
      case 'mul': {
        r = Rational.ONE;
        for (const f of n.factors) {
          const x = go(f);
          if (!x) return undefined;
          r = r.mul(x);
        }
        break;
      }
      case 'pow': {
        const b = go(n.base);
        if (!b || n.exp.kind !== 'num' || !n.exp.value.isInteger()) throw new Error('not a rational expression');
        r = b.isZero() && n.exp.value.sign() < 0 ? undefined : b.pow(n.exp.value.num);
        break;
      }
      case 'call':
        throw new Error('not a rational expression');
    }
    memo.set(n.key, r);
    return r;
  };
  return go(e);
}
