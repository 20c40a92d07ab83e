// Prints expressions in mathjs syntax (what `--format json` and `text` show and
// what the toolkit reads back). Terms are ordered for reading: velocity terms
// first, numbers last; a product is shown as numerator/denominator.

import { type Expr, ONE, add, mul, num, pow, splitCoefficient } from './expr.ts';
import { Rational, gcd } from './rational.ts';

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
  // Ranks and signatures computed once per term, not once per comparison.
  const sorted = terms
    .map((t) => ({ t, rank: rank(t), signature: signature(t) }))
    .sort((a, b) => a.rank - b.rank || compareMonomials(a, b))
    .map((d) => d.t);
  // Prefer a positive leading term: "1 - u^2" reads better than "-u^2 + 1".
  const firstPositive = sorted.findIndex((t) => splitCoefficient(t)[0].sign() > 0);
  if (firstPositive > 0) {
    const [t] = sorted.splice(firstPositive, 1);
    sorted.unshift(t);
  }
  return sorted;
}

/** Factors of a term as (name, exponent) pairs sorted by name (its natural key): a^2*b → [[a, 2], [b, 1]]. */
function signature(t: Expr): Array<[string, number]> {
  const rest = splitCoefficient(t)[1];
  const factors = rest === ONE ? [] : rest.kind === 'mul' ? rest.factors : [rest];
  return factors
    .map((f): [string, number] => {
      const [base, exp] = f.kind === 'pow' && f.exp.kind === 'num' ? [f.base, f.exp.value.toNumber()] : [f, 1];
      return [naturalKey(base.kind === 'sym' ? base.name : `~${base.key}`), exp];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A name that sorts in natural order as a plain string: runs of digits padded, so x_2 sorts before x_10. */
function naturalKey(name: string): string {
  return /\d/.test(name) ? name.replace(/\d+/g, (run) => run.padStart(12, '0')) : name;
}

/** Textbook order: a^2 + 2*a*b + b^2 (by variable, higher powers first). */
function compareMonomials(a: { t: Expr; signature: Array<[string, number]> }, b: { t: Expr; signature: Array<[string, number]> }): number {
  const [sa, sb] = [a.signature, b.signature];
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i][0] !== sb[i][0]) return sa[i][0] < sb[i][0] ? -1 : 1;
    if (sa[i][1] !== sb[i][1]) return sb[i][1] - sa[i][1];
  }
  return sa.length - sb.length || (a.t.key < b.t.key ? -1 : a.t.key > b.t.key ? 1 : 0);
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

/**
 * Positive rational c with sum/c having coprime integer coefficients, or 1 when
 * the coefficients are decimals of many digits (weights read from a file): their
 * common denominator would print 0.4428*x + 0.1*y as 2214…*x + 500…*y over 5·10¹⁸.
 */
function content(sum: Expr & { kind: 'add' }): Rational {
  const coefficients = sum.terms.map((t) => splitCoefficient(t)[0]);
  let l = 1n;
  for (const c of coefficients) l = (l / gcd(l, c.den)) * c.den;
  if (l >= DECIMAL_DENOMINATOR && twosAndFives(l) !== undefined) return Rational.of(1);
  let g = 0n;
  for (const c of coefficients) g = gcd(g, c.num < 0n ? -c.num : c.num);
  return Rational.of(g, l);
}


/** Denominators from this size on, made of 2s and 5s only, are shown as decimals (text and LaTeX). */
const DECIMAL_DENOMINATOR = 10000n;
/** … when the decimal has at most this many significant digits. */
const DECIMAL_DIGITS = 40;

/**
 * A numeric coefficient p/q with q = 2ᵃ5ᵇ ≥ 10⁴ is a terminating decimal (it
 * came from a number like 0.4428349809645224 in the model): written as that
 * decimal in front, 553543726205653*tanh(x)/1250000000000000 becomes
 * 0.4428349809645224*tanh(x). Exact (the parser reads decimals exactly), and
 * shorter; small denominators stay fractions.
 */
export function decimalCoefficient(parts: ReturnType<typeof fractionParts>): string | undefined {
  let top: Rational | undefined;
  let bottom: Rational | undefined;
  for (const f of parts.numer) if (f.kind === 'num') top = f.value;
  for (const f of parts.denom) {
    if (f.kind !== 'num') continue;
    if (bottom) return undefined;
    bottom = f.value;
  }
  if (!bottom?.isInteger() || (top && !top.isInteger()) || bottom.num < DECIMAL_DENOMINATOR) return undefined;
  return decimalOf(top ? top.num : 1n, bottom.num);
}

/** Denominators already factored: a network's thousands of decimal weights share a few. */
const factored = new Map<bigint, [number, number] | undefined>();

/** The exponents (a, b) of q = 2ᵃ5ᵇ, or undefined when q has another prime factor. */
function twosAndFives(q: bigint): [number, number] | undefined {
  if (factored.has(q)) return factored.get(q);
  if (factored.size > 10000) factored.clear();
  const exponents = factor25(q);
  factored.set(q, exponents);
  return exponents;
}

function factor25(q: bigint): [number, number] | undefined {
  let twos = 0;
  let fives = 0;
  if (q <= 9007199254740992n) {
    // Counted in doubles where q is exact: BigInt division is slow, and a network prints thousands of these.
    let r = Number(q);
    while (r % 2 === 0) (r /= 2), twos++;
    while (r % 5 === 0) (r /= 5), fives++;
    return r === 1 ? [twos, fives] : undefined;
  }
  let r = q;
  while (r % 2n === 0n) (r /= 2n), twos++;
  while (r % 5n === 0n) (r /= 5n), fives++;
  return r === 1n ? [twos, fives] : undefined;
}

/** p/q as a terminating decimal string, when q has no prime factor but 2 and 5 and the result is short enough. */
function decimalOf(p: bigint, q: bigint): string | undefined {
  const exponents = twosAndFives(q);
  if (!exponents) return undefined;
  const [twos, fives] = exponents;
  const k = Math.max(twos, fives);
  // p/q = p·2^(k−a)·5^(k−b) / 10^k.
  const scaled = (p < 0n ? -p : p) * 2n ** BigInt(k - twos) * 5n ** BigInt(k - fives);
  const digits = scaled.toString().padStart(k + 1, '0');
  const text = `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`.replace(/\.?0+$/, '');
  // Long or tiny decimals (0.000…025) read worse than the fraction.
  if (text.replace(/^0+(?=\d)/, '').length > DECIMAL_DIGITS + 2 || text.startsWith('0.0000')) return undefined;
  return p < 0n ? `-${text}` : text;
}

function printFraction(parts: ReturnType<typeof fractionParts>): Printed {
  const decimal = decimalCoefficient(parts);
  // A decimal coefficient joins the numerator's other factors: 0.4428*tanh(x)/D.
  const numer = decimal ? [{ text: decimal, prec: Prec.Atom }, ...parts.numer.filter((f) => f.kind !== 'num').map(print)] : parts.numer.map(print);
  const denom = (decimal ? parts.denom.filter((f) => f.kind !== 'num') : parts.denom).map(print);
  const factor = (f: Printed): string => wrap(f, Prec.Pow);
  let out: Printed;
  if (numer.length === 1 && denom.length === 0) out = numer[0];
  else {
    const top = numer.length === 0 ? '1' : numer.length === 1 ? wrap(numer[0], Prec.Mul) : numer.map(factor).join('*');
    if (denom.length === 0) out = { text: top, prec: Prec.Mul };
    else {
      const bottom = denom.length === 1 ? factor(denom[0]) : `(${denom.map(factor).join('*')})`;
      out = { text: `${top}/${bottom}`, prec: Prec.Mul };
    }
  }
  return parts.negative ? { text: `-${wrap(out, Prec.Mul)}`, prec: Prec.Unary } : out;
}

function wrap(p: Printed, min: Prec): string {
  return p.prec < min ? `(${p.text})` : p.text;
}

/** Sums already printed: a network's L, momenta and energy share the drift's sums (ẋᵢ − fᵢ), hundreds of terms each. */
const printedSums = new WeakMap<Expr, Printed>();

function print(e: Expr): Printed {
  switch (e.kind) {
    case 'num': {
      const v = e.value;
      if (v.den === 1n) return { text: v.num.toString(), prec: v.sign() < 0 ? Prec.Unary : Prec.Atom };
      const decimal = v.den >= DECIMAL_DENOMINATOR ? decimalOf(v.num, v.den) : undefined;
      if (decimal) return { text: decimal, prec: v.sign() < 0 ? Prec.Unary : Prec.Atom };
      return { text: `${v.num}/${v.den}`, prec: Prec.Mul };
    }
    case 'sym':
      return { text: e.name, prec: Prec.Atom };
    case 'add': {
      const known = printedSums.get(e);
      if (known) return known;
      const terms = displayTerms(e.terms);
      let text = '';
      terms.forEach((t, i) => {
        // The sign fractionParts finds (it may pull one out of a sum factor) decides + or −.
        const parts = fractionParts(t);
        if (i > 0 && parts.negative) text += ` - ${wrap(printFraction({ ...parts, negative: false }), Prec.Mul)}`;
        else {
          const printed = t.kind === 'mul' ? printFraction(parts).text : print(t).text;
          text += i === 0 ? printed : ` + ${printed}`;
        }
      });
      const printed = { text, prec: Prec.Add };
      printedSums.set(e, printed);
      return printed;
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
