// Formulas that fit the page: an estimate of the typeset width of math-mode
// LaTeX (10 pt Computer Modern, display style; calibrated against pdflatex's
// overfull-box reports), and line breaking of an expression into pieces of at
// most a given width, for align environments. A sum breaks between its terms;
// a product with a long sum factor (or a power of one), c·(…)ⁿ/d, is written \frac{c}{d}\Big( … \Big)ⁿ
// with the sum broken inside the brackets. The pieces join to the same formula
// toLatex gives, up to that factoring.

import { type Expr, children, freeSymbols, mapBottomUp, sym } from '../expr/expr.ts';
import { displayTerms, fractionParts } from '../expr/print.ts';
import { fractionLatex, sumTerms, toLatex } from './latex.ts';

/** Text width of a standard article page (pt). */
export const PAGE_WIDTH = 345;

const COMMAND_WIDTH: Record<string, number> = {
  cdot: 7.8, quad: 10, qquad: 20, ',': 1.7, ' ': 3.3, '|': 2.8, to: 12, lambda: 5.8, partial: 5.7,
};
/** Wider glyphs among letters and symbols (pt); the rest count as 5.2 pt. */
const GLYPH_WIDTH: Record<string, number> = { '+': 12.2, '-': 12.2, '=': 13.3, ',': 4.4, '(': 3.9, ')': 3.9, '|': 2.8, m: 8.8, w: 7.2, M: 9.7, W: 10.5, '1': 5, i: 3.4, l: 3, j: 4.1, f: 4.9 };

/** Approximate width (pt) of math-mode LaTeX as typeset in display style. */
export function texWidth(tex: string): number {
  let pos = 0;
  /** Width of the group starting at pos (a {…} or one token), at `scale`. */
  const group = (scale: number): number => {
    if (tex[pos] === '{') {
      pos++;
      const w = run(scale, '}');
      pos++;
      return w;
    }
    return token(scale);
  };
  const token = (scale: number): number => {
    const c = tex[pos];
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(tex.slice(pos)) as RegExpExecArray;
      pos += m[0].length;
      const name = m[1];
      if (name === 'frac' || name === 'tfrac') {
        const inner = name === 'tfrac' || scale < 1 ? 0.72 : 1;
        const a = group(scale * inner);
        const b = group(scale * inner);
        return Math.max(a, b) + 2.4 * scale;
      }
      if (name === 'left' || name === 'right' || name === 'Big' || name === 'big' || name === 'bigl' || name === 'bigr' || name === 'Bigl' || name === 'Bigr') {
        return token(scale) * 1.2;
      }
      if (name === 'sqrt') return group(scale) + 8.3 * scale;
      if (['dot', 'ddot', 'boldsymbol', 'mathrm', 'operatorname', 'mathbf', 'hat', 'bar', 'tilde', 'vec'].includes(name)) return group(scale);
      if (name === 'text') {
        const start = pos;
        group(scale);
        return (pos - start - 2) * 5 * scale;
      }
      if (COMMAND_WIDTH[name] !== undefined) return COMMAND_WIDTH[name] * scale;
      // Operator names (\tanh, \exp) are set upright letter by letter; Greek letters are one glyph.
      if (/^(exp|log|sin|cos|tan|sinh|cosh|tanh|arctan)$/.test(name)) return (name.length * 4.6 + 1.7) * scale;
      return 6 * scale;
    }
    pos++;
    if (c === '^' || c === '_') return group(scale * 0.7);
    if (c === ' ' || c === '&' || c === '\n') return 0;
    return (GLYPH_WIDTH[c] ?? 5.2) * scale;
  };
  const run = (scale: number, end?: string): number => {
    let w = 0;
    while (pos < tex.length && tex[pos] !== end) w += tex[pos] === '{' ? group(scale) : token(scale);
    return w;
  };
  return run(1);
}

/**
 * `e` as LaTeX pieces of at most `width` pt where it can be broken: the first
 * piece, then continuation pieces that start with their operator (+ or −, or
 * the rest of a bracket). One piece when it fits or cannot be broken.
 */
export function breakLatex(e: Expr, width: number): string[] {
  const whole = toLatex(e);
  if (texWidth(whole) <= width || width <= 40) return [whole];
  if (e.kind === 'add') {
    // A term too wide for a line is broken itself, its pieces on lines of their own.
    const texts = sumTerms(e.terms);
    const groups = displayTerms(e.terms).map((t, i) => {
      if (texWidth(texts[i]) <= width) return [texts[i]];
      const pieces = breakLatex(t, width - 15);
      if (pieces.length === 1) return [texts[i]];
      return i > 0 && !fractionParts(t).negative ? [`+ ${pieces[0]}`, ...pieces.slice(1)] : pieces;
    });
    return pack(groups, width);
  }
  if (e.kind === 'mul') {
    // c·(sum)ⁿ/d: the widest sum factor of the numerator (or integer power of one) goes inside \Big( … \Big)ⁿ, broken.
    const parts = fractionParts(e);
    const base = (f: Expr): Expr | undefined => (f.kind === 'add' ? f : f.kind === 'pow' && f.base.kind === 'add' && f.exp.kind === 'num' && f.exp.value.isInteger() ? f.base : undefined);
    const sums = parts.numer.filter((f) => base(f) !== undefined);
    if (sums.length === 0) return [whole];
    const inner = sums.reduce((a, b) => (toLatex(b).length > toLatex(a).length ? b : a));
    const power = inner.kind === 'pow' ? `^{${toLatex(inner.exp)}}` : '';
    const rest = parts.numer.filter((f) => f !== inner);
    const sign = parts.negative ? '-' : '';
    // A lone sum left in front needs its parentheses (a \frac numerator or a product of several factors has them).
    const coefficient =
      rest.length === 0 && parts.denom.length === 0
        ? sign
        : rest.length === 1 && rest[0].kind === 'add' && parts.denom.length === 0
          ? `${sign}\\left(${toLatex(rest[0])}\\right)`
          : fractionLatex({ negative: parts.negative, numer: rest, denom: parts.denom });
    // A coefficient that leaves less than half the line for the sum gets a line of its own.
    const alone = texWidth(coefficient) + 10 > width / 2;
    const lines = breakLatex(base(inner) as Expr, alone ? width - 15 : width - texWidth(coefficient) - 10);
    if (lines.length === 1 && !alone) return [whole];
    const body = [`\\Big(${lines[0]}`, ...lines.slice(1)];
    body[body.length - 1] += `\\Big)${power}`;
    return alone ? [coefficient, ...body] : [`${coefficient}${body[0]}`, ...body.slice(1)];
  }
  return [whole];
}

/** Greedy packing of terms into lines of at most `width` pt; a broken term (several pieces) keeps its own lines. */
function pack(groups: readonly (readonly string[])[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const group of groups) {
    const [head, ...tail] = group;
    const next = line === '' ? head : `${line} ${head}`;
    if (line !== '' && texWidth(next) > width) {
      lines.push(line);
      line = head;
    } else line = next;
    if (tail.length > 0) {
      lines.push(line, ...tail.slice(0, -1));
      line = tail[tail.length - 1];
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * `lhs &= …` lines of an align environment for lhs = forms… = e, e broken to
 * fit the page; one equation number, on the last line (none when not `numbered`).
 */
export function alignedLines(lhs: string, forms: readonly string[], e: Expr, options: { numbered?: boolean } = {}): string[] {
  // Room for the right-hand side: the page less the left side, the relation and the equation number.
  const room = PAGE_WIDTH - texWidth(lhs) - 45;
  const pieces = breakLatex(e, room - 14);
  const first = [...forms, pieces[0]].join(' = ');
  const lines = forms.length > 0 && texWidth(first) > room ? [...forms.map((f, i) => `${i === 0 ? lhs : ''} &= ${f}`), `&= ${pieces[0]}`] : [`${lhs} &= ${first}`];
  lines.push(...pieces.slice(1).map((p) => `&\\quad ${p}`));
  const last = options.numbered === false ? ' \\notag' : '';
  return lines.map((l, i) => `  ${l}${i < lines.length - 1 ? ' \\notag \\\\' : last}`);
}

/** A sub-expression stated once under a short name. */
export interface NamedPart {
  readonly symbol: Expr;
  readonly expr: Expr;
}

/**
 * Names sub-expressions until every formula of `formulas` (and every
 * definition) breaks into pieces of at most `width` pt: each round names the
 * sub-expression with the largest (occurrences × width) among those wider
 * than 40 pt, repeated ones first. The names are `prefix_1`, `prefix_2`, … with
 * a prefix that no symbol of the formulas starts with.
 */
export function nameParts(formulas: readonly Expr[], width: number): { formulas: Expr[]; parts: NamedPart[] } {
  let current = [...formulas];
  const parts: NamedPart[] = [];
  const used = new Set<string>();
  for (const f of formulas) for (const s of freeSymbols(f)) used.add(s[0]);
  const prefix = ['u', 'w', 'z', 'q', 'h', 'g'].find((c) => !used.has(c)) ?? 'U';
  const fits = (e: Expr): boolean => breakLatex(e, width).every((piece) => texWidth(piece) <= width);
  for (let round = 0; round < 64; round++) {
    const all = [...current, ...parts.map((p) => p.expr)];
    if (all.every(fits)) break;
    const counts = new Map<string, { e: Expr; count: number; width: number }>();
    const roots = new Set(all.map((e) => e.key));
    const visit = (e: Expr): void => {
      if (e.kind === 'num' || e.kind === 'sym') return;
      if (!roots.has(e.key)) {
        const entry = counts.get(e.key);
        if (entry) entry.count++;
        else counts.set(e.key, { e, count: 1, width: texWidth(toLatex(e)) });
      }
      for (const c of children(e)) visit(c);
    };
    for (const e of all) visit(e);
    const candidates = [...counts.values()].filter((c) => c.width >= 40 && c.width <= width);
    const repeated = candidates.filter((c) => c.count > 1);
    const pool = repeated.length > 0 ? repeated : candidates;
    if (pool.length === 0) break;
    const best = pool.reduce((a, b) => (b.count * b.width > a.count * a.width ? b : a));
    const symbol = sym(`${prefix}_${parts.length + 1}`);
    const replace = (e: Expr): Expr => mapBottomUp(e, (node) => (node.key === best.e.key ? symbol : node));
    current = current.map(replace);
    for (let i = 0; i < parts.length; i++) parts[i] = { symbol: parts[i].symbol, expr: replace(parts[i].expr) };
    parts.push({ symbol, expr: best.e });
  }
  return { formulas: current, parts };
}

/**
 * A line of text in an align environment, above the equations it introduces:
 * `&\\text{…}` (not \\intertext, which KaTeX and MathJax do not know), unnumbered.
 */
export function labelRow(text: string): string {
  return `  &\\text{${text}} \\notag`;
}
