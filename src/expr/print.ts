// Prints expressions in mathjs syntax (what `--format json` and `text` show and
// what the toolkit reads back). Terms are ordered for reading: velocity terms
// first, numbers last; a product is shown as numerator/denominator.

import { type Expr, ONE, add, mul, num, pow, splitCoefficient } from './expr.ts';
import { Rational } from './rational.ts';

/** Binding strength of printed forms; shared with the LaTeX printer. */
export const enum Prec {
  Add = 1,
  Mul = 2,
  Unary = 3,
  Pow = 4,
  Atom = 5,
}

/** Printed text with the binding strength of its outermost operator. */
export interface Printed {
  readonly text: string;
  readonly prec: Prec;
}

export function toText(e: Expr): string {
  return print(e).text;
}

/** Terms of a sum in reading order. */
export function displayTerms(terms: readonly Expr[]): Expr[] {
  const rank = (t: Expr): number => (t.kind === 'num' ? 2 : /_d+ot\b/.test(t.key) ? 0 : 1);
  const sorted = [...terms].sort((a, b) => rank(a) - rank(b) || compareMonomials(a, b));
  // Prefer a positive leading term: "1 - u^2" reads better than "-u^2 + 1".
  const firstPositive = sorted.findIndex((t) => splitCoefficient(t)[0].sign() > 0);
  if (firstPositive > 0) {
    const [t] = sorted.splice(firstPositive, 1);
    sorted.unshift(t);
  }
  return sorted;
}

/** Factors of a term as (name, exponent) pairs sorted by name: a^2*b → [[a, 2], [b, 1]]. */
function signature(t: Expr): Array<[string, number]> {
  const rest = splitCoefficient(t)[1];
  const factors = rest === ONE ? [] : rest.kind === 'mul' ? rest.factors : [rest];
  return factors
    .map((f): [string, number] => {
      const [base, exp] = f.kind === 'pow' && f.exp.kind === 'num' ? [f.base, f.exp.value.toNumber()] : [f, 1];
      return [base.kind === 'sym' ? base.name : `~${base.key}`, exp];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Textbook order: a^2 + 2*a*b + b^2 (by variable, higher powers first). */
function compareMonomials(a: Expr, b: Expr): number {
  const sa = signature(a);
  const sb = signature(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i][0] !== sb[i][0]) return sa[i][0] < sb[i][0] ? -1 : 1;
    if (sa[i][1] !== sb[i][1]) return sb[i][1] - sa[i][1];
  }
  return sa.length - sb.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Splits a product into sign, numerator factors and denominator factors
 * (negative powers become positive powers below the bar).
 */
export function fractionParts(e: Expr): { negative: boolean; numer: Expr[]; denom: Expr[] } {
  const [coef0, rest] = splitCoefficient(e);
  let coef = coef0;
  const factors = (rest === ONE ? [] : rest.kind === 'mul' ? rest.factors : [rest]).map((f) => {
    // Show 2*x + 2*y inside a product as 2*(x + y), merged with the coefficient.
    // A sum of negative terms shows its sign outside: -a*(x + y), not a*(-x - y).
    const [base0, n] = f.kind === 'pow' && f.exp.kind === 'num' && f.exp.value.isInteger() ? [f.base, f.exp.value.num] : [f, 1n];
    if (base0.kind !== 'add') return f;
    const flip = base0.terms.every((t) => splitCoefficient(t)[0].sign() < 0);
    const base = flip ? add(...base0.terms.map((t) => mul(num(-1), t))) : base0;
    if (flip && n % 2n !== 0n) coef = coef.neg();
    if (base.kind !== 'add') return pow(base, num(Rational.of(n)));
    const c = content(base);
    coef = coef.mul(c.pow(n));
    return pow(c.isOne() ? base : add(...base.terms.map((t) => mul(num(c.pow(-1n)), t))), num(Rational.of(n)));
  });
  // Reading order: by base, so k^2*x rather than x*k^2.
  factors.sort((a, b) => (baseKey(a) < baseKey(b) ? -1 : baseKey(a) > baseKey(b) ? 1 : 0));
  const numer: Expr[] = [];
  const denom: Expr[] = [];
  const c = coef.abs();
  if (c.num !== 1n) numer.push(num(Rational.of(c.num)));
  if (c.den !== 1n) denom.push(num(Rational.of(c.den)));
  for (const f of factors) {
    if (f.kind === 'pow' && f.exp.kind === 'num' && f.exp.value.sign() < 0) denom.push(pow(f.base, num(f.exp.value.neg())));
    else if (f.kind === 'pow' && f.exp.kind === 'mul' && f.exp.factors[0].kind === 'num' && f.exp.factors[0].value.sign() < 0) {
      denom.push(pow(f.base, mul(num(-1), f.exp)));
    } else numer.push(f);
  }
  return { negative: coef.sign() < 0, numer, denom };
}

function baseKey(e: Expr): string {
  return e.kind === 'pow' ? e.base.key : e.key;
}

/** Positive rational c with sum/c having coprime integer coefficients. */
function content(sum: Expr & { kind: 'add' }): Rational {
  let g = 0n;
  let l = 1n;
  for (const t of sum.terms) {
    const c = splitCoefficient(t)[0];
    g = gcd(g, c.num < 0n ? -c.num : c.num);
    l = (l / gcd(l, c.den)) * c.den;
  }
  return Rational.of(g, l);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function printFraction({ negative, numer, denom }: ReturnType<typeof fractionParts>): Printed {
  const factor = (f: Expr): string => wrap(print(f), Prec.Pow);
  let out: Printed;
  if (numer.length === 1 && denom.length === 0) out = print(numer[0]);
  else {
    const top = numer.length === 0 ? '1' : numer.length === 1 ? wrap(print(numer[0]), Prec.Mul) : numer.map(factor).join('*');
    if (denom.length === 0) out = { text: top, prec: Prec.Mul };
    else {
      const bottom = denom.length === 1 ? factor(denom[0]) : `(${denom.map(factor).join('*')})`;
      out = { text: `${top}/${bottom}`, prec: Prec.Mul };
    }
  }
  return negative ? { text: `-${wrap(out, Prec.Mul)}`, prec: Prec.Unary } : out;
}

function wrap(p: Printed, min: Prec): string {
  return p.prec < min ? `(${p.text})` : p.text;
}

function print(e: Expr): Printed {
  switch (e.kind) {
    case 'num': {
      const v = e.value;
      if (v.den === 1n) return { text: v.num.toString(), prec: v.sign() < 0 ? Prec.Unary : Prec.Atom };
      return { text: `${v.num}/${v.den}`, prec: Prec.Mul };
    }
    case 'sym':
      return { text: e.name, prec: Prec.Atom };
    case 'add': {
      const terms = displayTerms(e.terms);
      let text = '';
      terms.forEach((t, i) => {
        // The sign fractionParts finds (it may pull one out of a sum factor) decides + or −.
        const parts = fractionParts(t);
        if (i > 0 && parts.negative) text += ` - ${wrap(printFraction({ ...parts, negative: false }), Prec.Mul)}`;
        else text += i === 0 ? print(t).text : ` + ${print(t).text}`;
      });
      return { text, prec: Prec.Add };
    }
    case 'mul':
      return printFraction(fractionParts(e));
    case 'pow': {
      if (splitCoefficient(e.exp)[0].sign() < 0) return printFraction(fractionParts(e));
      if (e.exp.kind === 'num') {
        const r = e.exp.value;
        if (r.equals(Rational.of(1, 2))) return { text: `sqrt(${print(e.base).text})`, prec: Prec.Atom };
      }
      const ex = print(e.exp);
      return { text: `${wrap(print(e.base), Prec.Atom)}^${wrap(ex, Prec.Atom)}`, prec: Prec.Pow };
    }
    case 'call':
      return { text: `${e.fn}(${print(e.arg).text})`, prec: Prec.Atom };
  }
}
