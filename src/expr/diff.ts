// Symbolic differentiation with a rule for every whitelisted function,
// including the modified Bessel functions (I0' = I1, I1' = I0 - I1/x).

import {
  type Expr, type FunctionName, ONE, ZERO, add, call, div, mul, neg, num, pow, sub, square, sym,
} from './expr.ts';
import { Rational } from './rational.ts';

/** d e / d name, treating every other symbol as independent of `name`. */
export function diff(e: Expr, name: string): Expr {
  const memo = new Map<string, Expr>();
  const go = (node: Expr): Expr => {
    const hit = memo.get(node.key);
    if (hit) return hit;
    const out = rule(node, go, name);
    memo.set(node.key, out);
    return out;
  };
  return go(e);
}

function rule(e: Expr, d: (e: Expr) => Expr, name: string): Expr {
  switch (e.kind) {
    case 'num':
      return ZERO;
    case 'sym':
      return e.name === name ? ONE : ZERO;
    case 'add':
      return add(...e.terms.map(d));
    case 'mul': {
      // Product rule: Σ_i f_i' Π_{j≠i} f_j.
      const terms: Expr[] = [];
      e.factors.forEach((f, i) => {
        const df = d(f);
        if (df.kind === 'num' && df.value.isZero()) return;
        terms.push(mul(df, ...e.factors.filter((_, j) => j !== i)));
      });
      return add(...terms);
    }
    case 'pow': {
      const db = d(e.base);
      const de = d(e.exp);
      const baseConst = db.kind === 'num' && db.value.isZero();
      const expConst = de.kind === 'num' && de.value.isZero();
      if (expConst) return baseConst ? ZERO : mul(e.exp, pow(e.base, sub(e.exp, ONE)), db);
      // d(b^u) = b^u (u' log b + u b'/b).
      return mul(e, add(mul(de, call('log', e.base)), baseConst ? ZERO : mul(e.exp, db, pow(e.base, num(-1)))));
    }
    case 'call': {
      const du = d(e.arg);
      if (du.kind === 'num' && du.value.isZero()) return ZERO;
      return mul(outerDerivative(e.fn, e.arg), du);
    }
  }
}

/** f'(u) for each function. */
function outerDerivative(fn: FunctionName, u: Expr): Expr {
  switch (fn) {
    case 'exp':
      return call('exp', u);
    case 'log':
      return pow(u, num(-1));
    case 'sin':
      return call('cos', u);
    case 'cos':
      return neg(call('sin', u));
    case 'tan':
      return add(ONE, square(call('tan', u)));
    case 'sinh':
      return call('cosh', u);
    case 'cosh':
      return call('sinh', u);
    case 'tanh':
      return sub(ONE, square(call('tanh', u)));
    case 'sech':
      return neg(mul(call('sech', u), call('tanh', u)));
    case 'atan':
      return pow(add(ONE, square(u)), num(-1));
    case 'erf':
      return mul(num(2), pow(sym('pi'), num(Rational.of(-1, 2))), call('exp', neg(square(u))));
    case 'abs':
      // |u|' = u/|u| (undefined at 0, as it should be).
      return div(u, call('abs', u));
    case 'besselI0':
      return call('besselI1', u);
    case 'besselI1':
      return sub(call('besselI0', u), div(call('besselI1', u), u));
  }
}
