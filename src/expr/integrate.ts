// A small antiderivative finder, enough for the gauge terms K of quasi-
// symmetries: sums, constant factors, powers of linear forms and the
// elementary functions of a linear argument. It returns undefined rather than
// guess; callers verify the result by differentiating it back.

import { type Expr, add, call, dependsOn, div, mul, num, pow, splitCoefficient, sym } from './expr.ts';
import { diff } from './diff.ts';
import { ExpansionTooLarge, expand } from './normal.ts';

/** An antiderivative of e with respect to v, or undefined if none of the rules apply. */
export function integrate(e: Expr, v: string): Expr | undefined {
  const direct = integrateTerm(e, v);
  if (direct) return direct;
  try {
    const expanded = expand(e, 2000);
    return expanded.key === e.key ? undefined : integrateTerm(expanded, v);
  } catch (err) {
    if (err instanceof ExpansionTooLarge) return undefined;
    throw err;
  }
}

function integrateTerm(e: Expr, v: string): Expr | undefined {
  if (!dependsOn(e, [v])) return mul(e, sym(v));
  if (e.kind === 'add') {
    const parts = e.terms.map((t) => integrate(t, v));
    return parts.every((p) => p !== undefined) ? add(...(parts as Expr[])) : undefined;
  }
  if (e.kind === 'mul') {
    const constant = e.factors.filter((f) => !dependsOn(f, [v]));
    const varying = e.factors.filter((f) => dependsOn(f, [v]));
    if (constant.length > 0) {
      const inner = integrate(varying.length === 1 ? varying[0] : mul(...varying), v);
      return inner && mul(...constant, inner);
    }
    return undefined;
  }
  const [base, exponent] = e.kind === 'pow' ? [e.base, e.exp] : [e, num(1)];
  if (dependsOn(exponent, [v])) return undefined;
  const slope = linearSlope(base, v);
  if (slope !== undefined) {
    // ∫ (a v + b)^n dv = (a v + b)^(n+1) / ((n+1) a), and log for n = -1.
    const n1 = add(exponent, num(1));
    if (n1.kind === 'num' && n1.value.isZero()) return div(call('log', call('abs', base)), slope);
    return div(pow(base, n1), mul(n1, slope));
  }
  if (e.kind === 'call') {
    const a = linearSlope(e.arg, v);
    if (a === undefined) return undefined;
    const F = elementaryAntiderivative(e.fn, e.arg);
    return F && div(F, a);
  }
  return undefined;
}

/** d u / d v when u is linear in v (the slope is free of v), else undefined. */
function linearSlope(u: Expr, v: string): Expr | undefined {
  if (!dependsOn(u, [v])) return undefined;
  const slope = diff(u, v);
  if (dependsOn(slope, [v])) return undefined;
  return splitCoefficient(slope)[0].isZero() ? undefined : slope;
}

/** ∫ f(u) du for the functions that have an elementary antiderivative in our set. */
function elementaryAntiderivative(fn: string, u: Expr): Expr | undefined {
  switch (fn) {
    case 'exp':
      return call('exp', u);
    case 'sin':
      return mul(num(-1), call('cos', u));
    case 'cos':
      return call('sin', u);
    case 'sinh':
      return call('cosh', u);
    case 'cosh':
      return call('sinh', u);
    case 'tanh':
      return call('log', call('cosh', u));
    case 'tan':
      return mul(num(-1), call('log', call('abs', call('cos', u))));
    default:
      return undefined;
  }
}
