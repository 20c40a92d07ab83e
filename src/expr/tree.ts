// Expressions as plain JSON: the shape in which formulas leave the library (in
// every report, next to their text and LaTeX). A tree is the canonical
// expression itself, so fromTree(toTree(e)) is e again; rationals are exact
// "p" or "p/q" strings, never doubles.

import { FUNCTIONS, type Expr, type FunctionName, add, call, mul, num, pow, sym } from './expr.ts';
import { Rational } from './rational.ts';

/**
 * An expression tree as plain data. `num.value` is an exact rational: "3",
 * "-1/2". Function names are those of the model syntax (exp, log, sin, …).
 */
export type ExprTree =
  | { readonly kind: 'num'; readonly value: string }
  | { readonly kind: 'sym'; readonly name: string }
  | { readonly kind: 'add'; readonly terms: readonly ExprTree[] }
  | { readonly kind: 'mul'; readonly factors: readonly ExprTree[] }
  | { readonly kind: 'pow'; readonly base: ExprTree; readonly exp: ExprTree }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly arg: ExprTree };

export function toTree(e: Expr): ExprTree {
  switch (e.kind) {
    case 'num':
      return { kind: 'num', value: e.value.toString() };
    case 'sym':
      return { kind: 'sym', name: e.name };
    case 'add':
      return { kind: 'add', terms: e.terms.map(toTree) };
    case 'mul':
      return { kind: 'mul', factors: e.factors.map(toTree) };
    case 'pow':
      return { kind: 'pow', base: toTree(e.base), exp: toTree(e.exp) };
    case 'call':
      return { kind: 'call', fn: e.fn, arg: toTree(e.arg) };
  }
}

const RATIONAL = /^-?\d+(\/\d+)?$/;

/** Rebuilds the expression of a tree (trees from other sources are checked node by node). */
export function fromTree(t: ExprTree): Expr {
  switch (t.kind) {
    case 'num': {
      if (!RATIONAL.test(t.value)) throw new RangeError(`not a rational number: '${t.value}'`);
      const [p, q = '1'] = t.value.split('/');
      if (BigInt(q) === 0n) throw new RangeError(`zero denominator in '${t.value}'`);
      return num(Rational.of(BigInt(p), BigInt(q)));
    }
    case 'sym':
      return sym(t.name);
    case 'add':
      return add(...t.terms.map(fromTree));
    case 'mul':
      return mul(...t.factors.map(fromTree));
    case 'pow':
      return pow(fromTree(t.base), fromTree(t.exp));
    case 'call':
      if (!(FUNCTIONS as readonly string[]).includes(t.fn)) throw new RangeError(`unknown function '${t.fn}'`);
      return call(t.fn, fromTree(t.arg));
    default:
      throw new RangeError(`unknown node kind '${(t as { kind?: unknown }).kind}'`);
  }
}
