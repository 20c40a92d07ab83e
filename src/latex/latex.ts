// Paper-ready LaTeX for expressions. The layout follows the text printer
// (print.ts) term for term: the same term order (displayTerms) and the same
// numerator/denominator split (fractionParts), so a formula pasted into a paper
// can be checked line by line against the toolkit's text output.
//
// Choices made here:
// - A rational coefficient joins the fraction of its term, as in the text form:
//   x/2 is \frac{x}{2} and -k*x/(2*D) is -\frac{k x}{2 D}; never \frac{1}{2} x.
// - exp(u) is e^{u} when u is flat (no fraction, root or delimiter), so
//   e^{-x^{2}}; otherwise \exp\left(u\right), keeping superscripts legible.
// - An integer power of log or a trigonometric/hyperbolic call is written in
//   operator style, \tanh^{2}\left(u\right); other calls keep f\left(u\right)^{n}.
// - Rational exponents other than 1/2 are inline, x^{3/2}: a \frac inside a
//   superscript is too small to read.
// - Factors are juxtaposed (a plain space in the source, no visible gap);
//   a thin space \, separates an upright multi-letter name from its neighbours
//   so that rate x does not read as "ratex"; \cdot appears only where two
//   numbers would touch (2 \cdot 3^{x}).

import type { Expr, FunctionName, Pow } from '../expr/expr.ts';
import { type Printed as Tex, Prec, decimalCoefficient, displayTerms, fractionParts } from '../expr/print.ts';
import { Rational } from '../expr/rational.ts';

// ---------------------------------------------------------------- symbols

const GREEK = [
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
];
/** Greek letters LaTeX has no command for, because they look like Latin ones. */
const LATIN_LOOKING: Record<string, string> = {
  omicron: 'o', Alpha: 'A', Beta: 'B', Epsilon: 'E', Zeta: 'Z', Eta: 'H', Iota: 'I', Kappa: 'K', Mu: 'M', Nu: 'N',
  Omicron: 'O', Rho: 'P', Tau: 'T', Chi: 'X',
};
const LETTERS = new Map<string, string>([...GREEK.map((g): [string, string] => [g, `\\${g}`]), ...Object.entries(LATIN_LOOKING)]);

/**
 * The LaTeX of a name in model syntax, as every formula noether prints writes it.
 *
 * @example
 * latexSymbol('x_dot'); // '\\dot{x}'
 * latexSymbol('mu0'); // '\\mu_{0}'
 * latexSymbol('p_x1'); // 'p_{x_{1}}'
 * latexSymbol('rate'); // '\\mathrm{rate}'
 */
export function latexSymbol(name: string): string {
  const dotted = /^(.+)_(d{1,2})ot$/.exec(name);
  // The accent sits on the letter, the index stays outside it: \dot{x}_{1}.
  const [body, subs] = dotted ? nameParts(dotted[1]) : nameParts(name);
  const head = dotted ? `\\${dotted[2]}ot{${body}}` : body;
  return subs.length > 0 ? `${head}_{${subs.join(',')}}` : head;
}

/** A name as its body and its subscripts: an explicit `_rest`, or trailing digits. */
function nameParts(name: string): [string, string[]] {
  const u = name.indexOf('_');
  if (u > 0 && u < name.length - 1) {
    // x1_y has two indices; collecting them avoids a double subscript x_{1}_{y}.
    const [body, subs] = nameParts(name.slice(0, u));
    return [body, [...subs, latexSymbol(name.slice(u + 1))]];
  }
  const indexed = /^(.*[A-Za-z])([0-9]+)$/.exec(name);
  return indexed ? [word(indexed[1]), [indexed[2]]] : [word(name), []];
}

function word(name: string): string {
  const letter = LETTERS.get(name);
  if (letter) return letter;
  if (/^(?:[A-Za-z]|[0-9]+)$/.test(name)) return name;
  return `\\mathrm{${name.replaceAll('_', '\\_')}}`;
}

// ---------------------------------------------------------------- expressions

export function toLatex(e: Expr): string {
  return tex(e).text;
}

function tex(e: Expr): Tex {
  switch (e.kind) {
    case 'num':
      return number(e.value);
    case 'sym':
      return { text: latexSymbol(e.name), prec: Prec.Atom };
    case 'add':
      return sum(e.terms);
    case 'mul':
      return fraction(fractionParts(e));
    case 'pow':
      return power(e);
    case 'call':
      return callOf(e.fn, e.arg);
  }
}

function number(v: Rational): Tex {
  const a = v.abs();
  const text = a.isInteger() ? a.toString() : `\\frac{${a.num}}{${a.den}}`;
  if (v.sign() < 0) return { text: `-${text}`, prec: Prec.Unary };
  return { text, prec: a.isInteger() ? Prec.Atom : Prec.Mul };
}

function sum(terms: readonly Expr[]): Tex {
  return { text: sumTerms(terms).join(' '), prec: Prec.Add };
}

/** The terms of a sum as displayed: the first as is, the others with their sign in front (`+ x`, `- \\frac{y}{2}`). */
export function sumTerms(terms: readonly Expr[]): string[] {
  return displayTerms(terms).map((t, i) => {
    if (i === 0) return tex(t).text;
    // The sign fractionParts finds (it may pull one out of a sum factor) decides + or −.
    const parts = fractionParts(t);
    return parts.negative ? `- ${wrap(fraction({ ...parts, negative: false }), Prec.Mul)}` : `+ ${tex(t).text}`;
  });
}

/** A product as a fraction, numerator factors over denominator factors, with its sign. */
export function fractionLatex(parts: ReturnType<typeof fractionParts>): string {
  return fraction(parts).text;
}

function fraction(parts: ReturnType<typeof fractionParts>): Tex {
  const decimal = decimalCoefficient(parts);
  if (decimal) {
    // The decimal joins the numerator's other factors (each in parentheses where a product needs them).
    const rest = parts.numer.filter((f) => f.kind !== 'num').map((f) => wrap(tex(f), Prec.Pow));
    const top = [decimal, ...rest].join(' ');
    const denom = parts.denom.filter((f) => f.kind !== 'num');
    const out: Tex = denom.length > 0 ? { text: `\\frac{${top}}{${product(denom)}}`, prec: Prec.Mul } : { text: top, prec: rest.length > 0 ? Prec.Mul : Prec.Atom };
    return parts.negative ? { text: `-${wrap(out, Prec.Mul)}`, prec: Prec.Unary } : out;
  }
  const { negative, numer, denom } = parts;
  let out: Tex;
  if (denom.length > 0) out = { text: `\\frac{${product(numer)}}{${product(denom)}}`, prec: Prec.Mul };
  else if (numer.length === 1) out = tex(numer[0]);
  else out = { text: product(numer), prec: Prec.Mul };
  return negative ? { text: `-${wrap(out, Prec.Mul)}`, prec: Prec.Unary } : out;
}

/** Factors side by side; a lone factor (the whole of a numerator or denominator) needs no parentheses. */
function product(factors: readonly Expr[]): string {
  if (factors.length === 0) return '1';
  if (factors.length === 1) return tex(factors[0]).text;
  const texts = factors.map((f) => wrap(tex(f), Prec.Pow));
  let out = texts[0];
  for (let i = 1; i < factors.length; i++) {
    const digits = /[0-9]$/.test(texts[i - 1]) && /^[0-9]/.test(texts[i]);
    out += (digits ? ' \\cdot ' : upright(factors[i - 1]) || upright(factors[i]) ? '\\,' : ' ') + texts[i];
  }
  return out;
}

/** A factor shown as an upright word (\mathrm{rate}, maybe squared), which would run into a neighbouring letter. */
function upright(f: Expr): boolean {
  const base = f.kind === 'pow' ? f.base : f;
  return base.kind === 'sym' && latexSymbol(base.name).includes('\\mathrm');
}

const HALF = Rational.of(1, 2);
const OPERATOR_POWERS: ReadonlySet<FunctionName> = new Set(['log', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'sech']);

function power(e: Pow): Tex {
  // Negative exponents go below a fraction bar, as in the text form.
  const parts = fractionParts(e);
  if (parts.denom.length > 0) return fraction(parts);
  const { base, exp } = e;
  if (exp.kind === 'num') {
    const r = exp.value;
    if (r.equals(HALF)) return { text: `\\sqrt{${tex(base).text}}`, prec: Prec.Atom };
    if (r.isInteger() && base.kind === 'call' && OPERATOR_POWERS.has(base.fn)) {
      return { text: callOf(base.fn, base.arg, `^{${r}}`).text, prec: Prec.Pow };
    }
  }
  const sup = exp.kind === 'num' ? exp.value.toString() : tex(exp).text;
  return { text: `${wrap(tex(base), Prec.Atom)}^{${sup}}`, prec: Prec.Pow };
}

const FUNCTION_NAMES: Record<Exclude<FunctionName, 'abs'>, string> = {
  exp: '\\exp',
  log: '\\log',
  sin: '\\sin',
  cos: '\\cos',
  tan: '\\tan',
  sinh: '\\sinh',
  cosh: '\\cosh',
  tanh: '\\tanh',
  sech: '\\operatorname{sech}',
  atan: '\\arctan',
  erf: '\\operatorname{erf}',
  besselI0: 'I_0',
  besselI1: 'I_1',
};

/** f\left(u\right), with `sup` (e.g. ^{2}) placed on the function name. */
function callOf(fn: FunctionName, arg: Expr, sup = ''): Tex {
  const inner = tex(arg).text;
  if (fn === 'abs') return { text: `\\left|${inner}\\right|`, prec: Prec.Atom };
  if (fn === 'exp' && !/\\(?:frac|sqrt|left)/.test(inner)) return { text: `e^{${inner}}`, prec: Prec.Pow };
  return { text: `${FUNCTION_NAMES[fn]}${sup}\\left(${inner}\\right)`, prec: Prec.Atom };
}

function wrap(t: Tex, min: Prec): string {
  return t.prec < min ? `\\left(${t.text}\\right)` : t.text;
}
