// A small antiderivative finder, enough for the gauge terms K of quasi-
// symmetries: sums, constant factors, powers of linear forms, the elementary
// functions of a linear argument, and quasi-polynomials vⁿ·e^{av+c}·sin/cos(bv+d)
// (integration by parts, parameters symbolic). It returns undefined rather than
// guess; callers verify the result by differentiating it back.

import { type Call, type Expr, type Num, add, call, dependsOn, div, mapBottomUp, mul, num, pow, splitCoefficient, sub, sym } from './expr.ts';
import { Rational } from './rational.ts';
import { diff } from './diff.ts';
import { ExpansionTooLarge, expand } from './normal.ts';

/** An antiderivative of e with respect to v, or undefined if none of the rules apply. */
export function integrate(e: Expr, v: string): Expr | undefined {
  const direct = integrateTerm(e, v);
  if (direct) return direct;
  try {
    const expanded = expand(e, 2000);
    if (expanded.key !== e.key) {
      const r = integrateTerm(expanded, v);
      if (r) return r;
    }
    // Products and powers of sines and cosines, as sums of single ones.
    const linear = expand(mapBottomUp(expanded, productToSum), 2000);
    return linear.key === expanded.key ? undefined : integrateTerm(linear, v);
  } catch (err) {
    if (err instanceof ExpansionTooLarge) return undefined;
    throw err;
  }
}

const isTrig = (e: Expr): e is Call => e.kind === 'call' && (e.fn === 'sin' || e.fn === 'cos');

const isTrigPower = (e: Expr): e is Expr & { kind: 'pow'; base: Call; exp: Num } =>
  e.kind === 'pow' && isTrig(e.base) && e.exp.kind === 'num' && e.exp.value.isInteger() && e.exp.value.sign() > 0 && e.exp.value.num <= 8n;

/**
 * Products and powers of sines and cosines as sums of single ones:
 * sin²u = (1 − cos 2u)/2, cos²u = (1 + cos 2u)/2, sin A cos B = (sin(A+B) + sin(A−B))/2, ….
 */
function productToSum(node: Expr): Expr {
  if (node.kind === 'add') return add(...node.terms.map(productToSum));
  const half = num(Rational.of(1, 2));
  if (isTrigPower(node)) {
    const u = node.base.arg;
    const square = mul(half, node.base.fn === 'sin' ? sub(num(1), call('cos', mul(num(2), u))) : add(num(1), call('cos', mul(num(2), u))));
    return productToSum(expand(mul(pow(node.base, num(Number(node.exp.value.num) - 2)), square)));
  }
  if (node.kind !== 'mul') return node;
  const power = node.factors.find(isTrigPower);
  if (power) return productToSum(expand(mul(...node.factors.filter((f) => f !== power), productToSum(power))));
  const trig = node.factors.filter(isTrig);
  if (trig.length < 2) return node;
  const rest = node.factors.filter((f) => !isTrig(f));
  const [p, q] = trig;
  const plus = add(p.arg, q.arg);
  const minus = sub(p.arg, q.arg);
  let pair: Expr;
  if (p.fn === 'sin' && q.fn === 'sin') pair = mul(half, sub(call('cos', minus), call('cos', plus)));
  else if (p.fn === 'cos' && q.fn === 'cos') pair = mul(half, add(call('cos', minus), call('cos', plus)));
  else {
    const [sn, cs] = p.fn === 'sin' ? [p, q] : [q, p];
    pair = mul(half, add(call('sin', add(sn.arg, cs.arg)), call('sin', sub(sn.arg, cs.arg))));
  }
  return productToSum(expand(mul(...rest, ...trig.slice(2), pair)));
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
    return quasiPolynomial(varying, v);
  }
  const special = gaussianOrLorentzian(e, v);
  if (special) return special;
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

/**
 * ∫ vⁿ E T dv for factors vⁿ (n a natural number), E = exp(a v + c) and
 * T = sin or cos(b v + d), by parts: ∫ vⁿ h = vⁿ H − n ∫ vⁿ⁻¹ H with H = ∫ h,
 * where ∫ E sin u = E (a sin u − b cos u)/(a² + b²) and ∫ E cos u = E (a cos u + b sin u)/(a² + b²).
 */
function quasiPolynomial(factors: readonly Expr[], v: string): Expr | undefined {
  let n = 0;
  let E: Call | undefined;
  let T: Call | undefined;
  for (const f of factors) {
    if (f.kind === 'sym' && f.name === v) n += 1;
    else if (f.kind === 'pow' && f.base.kind === 'sym' && f.base.name === v && f.exp.kind === 'num' && f.exp.value.isInteger() && f.exp.value.sign() > 0) {
      n += Number(f.exp.value.num);
    } else if (f.kind === 'call' && f.fn === 'exp' && !E && linearSlope(f.arg, v)) E = f;
    else if (f.kind === 'call' && (f.fn === 'sin' || f.fn === 'cos') && !T && linearSlope(f.arg, v)) T = f;
    else return undefined;
  }
  if (n > 12 || (!E && !T)) return undefined;
  // h = E T (or one of them) and its antiderivative H, a sum of terms of the same kind.
  const slope = (c: Call): Expr => linearSlope(c.arg, v) as Expr;
  let H: Expr[];
  if (!T) H = [div(E as Call, slope(E as Call))];
  else {
    const b = slope(T);
    const u = T.arg;
    const [same, other] = T.fn === 'sin' ? [call('sin', u), mul(num(-1), call('cos', u))] : [call('cos', u), call('sin', u)];
    if (!E) H = [div(other, b)];
    else {
      const a = slope(E);
      H = [div(mul(E, add(mul(a, same), mul(b, other))), add(mul(a, a), mul(b, b)))];
    }
  }
  if (n === 0) return add(...H);
  // vⁿ H − n ∫ vⁿ⁻¹ H: each term of H is again E·T (a constant times), so the recursion ends at n = 0.
  const rest: Expr[] = [];
  for (const h of expand(add(...H)).kind === 'add' ? (expand(add(...H)) as Expr & { kind: 'add' }).terms : [expand(add(...H))]) {
    const r = integrate(mul(pow(sym(v), num(n - 1)), h), v);
    if (r === undefined) return undefined;
    rest.push(r);
  }
  return add(mul(pow(sym(v), num(n)), ...H), mul(num(-n), add(...rest)));
}

/**
 * ∫ (c + a v²)⁻¹ dv = atan(v √(a/c)) / √(a c) and ∫ e^{c − a v²} dv = e^c √π erf(√a v) / (2√a),
 * for a, c positive numbers.
 */
function gaussianOrLorentzian(e: Expr, v: string): Expr | undefined {
  const quadratic = (q: Expr): { a: Rational; c: Rational } | undefined => {
    const a2 = diff(diff(q, v), v);
    const rest = sub(q, mul(num(Rational.of(1, 2)), a2, pow(sym(v), num(2))));
    // c + a v² with numbers a, c (no linear term).
    if (a2.kind !== 'num' || rest.kind !== 'num') return undefined;
    return { a: a2.value.div(Rational.of(2)), c: rest.value };
  };
  const half = num(Rational.of(1, 2));
  if (e.kind === 'pow' && e.exp.kind === 'num' && e.exp.value.equals(Rational.MINUS_ONE)) {
    const q = quadratic(e.base);
    if (!q || q.a.sign() <= 0 || q.c.sign() <= 0) return undefined;
    const ratio = pow(num(q.a.div(q.c)), half);
    return mul(call('atan', mul(ratio, sym(v))), pow(num(q.a.mul(q.c)), num(Rational.of(-1, 2))));
  }
  if (e.kind === 'call' && e.fn === 'exp') {
    const a2 = diff(diff(e.arg, v), v);
    const linear = sub(diff(e.arg, v), mul(a2, sym(v)));
    if (a2.kind !== 'num' || a2.value.sign() >= 0 || !(linear.kind === 'num' && linear.value.isZero())) return undefined;
    const a = a2.value.neg().div(Rational.of(2));
    const constant = sub(e.arg, mul(num(a.neg()), pow(sym(v), num(2))));
    if (dependsOn(constant, [v])) return undefined;
    const root = pow(num(a), half);
    return mul(call('exp', constant), pow(sym('pi'), half), call('erf', mul(root, sym(v))), pow(mul(num(2), root), num(-1)));
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
