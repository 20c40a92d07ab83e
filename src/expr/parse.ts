// A small parser for the mathjs expression syntax subset the toolkit accepts:
// numbers, names, + - * / ^, unary signs, parentheses and calls of whitelisted
// functions. Everything else (matrices, assignments, function definitions,
// strings, property access, implicit multiplication, …) is rejected with its
// column. Writing our own parser keeps start-up fast (mathjs is not loaded to
// read a model), gives exact columns, and bounds nesting so hostile input
// cannot overflow the stack. Nothing here ever evaluates user text.

import { NoetherError } from '../errors.ts';
import { type Expr, CONSTANTS, FUNCTIONS, FUNCTION_ALIASES, type FunctionName, add, call, children, div, mul, neg, num, pow, sqrt, sym } from './expr.ts';
import { Rational } from './rational.ts';

export const MAX_EXPRESSION_LENGTH = 20000;
export const MAX_NESTING = 200;

/** What names mean in one place: allowed names with their role, and names that exist but may not be used here. */
export interface Scope {
  /** name → role shown in messages, e.g. 'state', 'parameter', 'time'. */
  readonly allowed: ReadonlyMap<string, string>;
  /** name → why it may not be used here, e.g. 'velocities may not appear in the drift'. */
  readonly forbidden?: ReadonlyMap<string, string>;
  /** Accept every name as a symbol (a syntax-only check, e.g. of a rule before a model is known). */
  readonly anyName?: boolean;
}

const FUNCTION_SET: ReadonlySet<string> = new Set<string>([...FUNCTIONS, ...FUNCTION_ALIASES]);
const CONSTANT_SET: ReadonlySet<string> = new Set<string>(CONSTANTS);

type Token =
  | { t: 'num'; text: string; col: number }
  | { t: 'name'; text: string; col: number }
  | { t: 'op'; text: '+' | '-' | '*' | '/' | '^' | '(' | ')' | ','; col: number }
  | { t: 'end'; col: number };

/**
 * What the parser builds from: numbers, names and the operations on them. The
 * scalar algebra builds expressions (parseExpression); a vector algebra
 * (src/expr/vector.ts) builds vectors and matrices of them. An operation that
 * does not apply throws ExpressionFailure with the column of its operator.
 */
export interface Algebra<V> {
  number(value: Rational): V;
  symbol(name: string): V;
  add(a: V, b: V, col: number): V;
  neg(a: V): V;
  mul(a: V, b: V, col: number): V;
  div(a: V, b: V, col: number): V;
  pow(a: V, b: V, col: number): V;
  /** A whitelisted function (or one of `functions`) applied to its arguments. */
  call(name: string, args: readonly V[], col: number): V;
  /** Functions beyond the scalar ones, by name, with their number of arguments. */
  readonly functions?: ReadonlyMap<string, number>;
}

/** An operation that does not apply to its operands: the parser adds the expression and column. */
export class ExpressionFailure extends Error {
  constructor(
    readonly detail: string,
    readonly col: number,
  ) {
    super(detail);
  }
}

const SCALAR: Algebra<Expr> = {
  number: (value) => num(value),
  symbol: (name) => sym(name),
  add: (a, b) => add(a, b),
  neg: (a) => neg(a),
  mul: (a, b) => mul(a, b),
  div: (a, b, col) => {
    if (b.kind === 'num' && b.value.isZero()) throw new ExpressionFailure('division by zero', col);
    return div(a, b);
  },
  pow: (a, b, col) => {
    if (a.kind === 'num' && a.value.isZero() && b.kind === 'num' && b.value.sign() < 0) throw new ExpressionFailure('division by zero', col);
    return pow(a, b);
  },
  call: (name, [arg]) => (name === 'sqrt' ? sqrt(arg) : call(name as FunctionName, arg)),
};

/** Parses `text` in `scope`; throws NoetherError with the 1-based column on any problem. */
export function parseExpression(text: string, scope: Scope): Expr {
  const result = parseWith(text, scope, SCALAR);
  requireDoubleRange(result, text);
  return result;
}

/** A constant folded out of range of a double (10^400) is an error about the expression `text`. */
export function requireDoubleRange(e: Expr, text: string): void {
  const outOfRange = outOfRangeConstant(e);
  if (outOfRange) {
    throw new NoetherError('limit', `a constant in this expression (${outOfRange}) does not fit a double (magnitudes from about 5e-324 to 1.8e308)`, { expression: text, column: 1 });
  }
}

/** Parses `text` in `scope`, building with `algebra`. */
export function parseWith<V>(text: string, scope: Scope, algebra: Algebra<V>): V {
  const fail = (detail: string, col: number, code: 'expression' | 'symbol' | 'limit' = 'expression'): never => {
    throw new NoetherError(code, detail, { expression: text, column: col });
  };
  const functions: ReadonlyMap<string, number> = new Map([...[...FUNCTION_SET].map((f): [string, number] => [f, 1]), ...(algebra.functions ?? [])]);
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new NoetherError('limit', `expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`);
  }
  const tokens = tokenize(text, fail);
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos];
  const next = (): Token => tokens[pos++];
  const isOp = (tok: Token, op: string): boolean => tok.t === 'op' && tok.text === op;
  const enter = (col: number): void => {
    if (++depth > MAX_NESTING) fail(`expression is nested more than ${MAX_NESTING} levels deep`, col, 'limit');
  };

  const additive = (): V => {
    let left = term();
    for (;;) {
      const tok = peek();
      if (isOp(tok, '+')) {
        next();
        left = algebra.add(left, term(), tok.col);
      } else if (isOp(tok, '-')) {
        next();
        left = algebra.add(left, algebra.neg(term()), tok.col);
      } else return left;
    }
  };

  const term = (): V => {
    let left = unary();
    for (;;) {
      const tok = peek();
      if (isOp(tok, '*')) {
        next();
        if (isOp(peek(), '*')) fail("'**' is not an operator here: write x^2 for powers", tok.col);
        left = algebra.mul(left, unary(), tok.col);
      } else if (isOp(tok, '/')) {
        next();
        left = algebra.div(left, unary(), tok.col);
      } else if (tok.t === 'num' || tok.t === 'name' || isOp(tok, '(')) {
        fail("missing operator: write '*' for multiplication (implicit multiplication is not accepted)", tok.col);
      } else return left;
    }
  };

  const unary = (): V => {
    const tok = peek();
    if (isOp(tok, '-') || isOp(tok, '+')) {
      next();
      enter(tok.col);
      const inner = unary();
      depth--;
      return isOp(tok, '-') ? algebra.neg(inner) : inner;
    }
    return power();
  };

  const power = (): V => {
    const base = primary();
    const tok = peek();
    if (!isOp(tok, '^')) return base;
    next();
    enter(tok.col);
    const exponent = unary(); // right-associative; allows 2^-1 as mathjs does
    depth--;
    return algebra.pow(base, exponent, tok.col);
  };

  const primary = (): V => {
    const tok = next();
    if (tok.t === 'num') {
      const r = Rational.parseDecimal(tok.text);
      if (!r) return fail(`cannot read the number '${tok.text}'`, tok.col);
      const asDouble = Number(tok.text);
      if (!Number.isFinite(asDouble)) return fail(`the number ${tok.text} does not fit a double (the largest is about 1.8e308)`, tok.col, 'limit');
      if (asDouble === 0 && r.sign() !== 0) return fail(`the number ${tok.text} rounds to 0 in double precision (the smallest is about 5e-324)`, tok.col, 'limit');
      return algebra.number(r);
    }
    if (isOp(tok, '(')) {
      enter(tok.col);
      const inner = additive();
      depth--;
      const close = next();
      if (!isOp(close, ')')) fail(close.t === 'end' ? "missing ')'" : `expected ')' but found ${describe(close)}`, close.col);
      return inner;
    }
    if (tok.t === 'name') {
      if (isOp(peek(), '(')) return callOf(tok);
      return symbolOf(tok);
    }
    if (tok.t === 'end') return fail('expression ends too early: expected a number, a name or (', tok.col);
    return fail(`unexpected ${describe(tok)}: expected a number, a name or (`, tok.col);
  };

  const callOf = (nameTok: Token & { t: 'name' }): V => {
    const name = nameTok.text;
    const arity = functions.get(name);
    if (arity === undefined) {
      const role = scope.allowed.get(name);
      if (role !== undefined) fail(`'${name}' is a ${role}, not a function; write ${name}*(...) to multiply`, nameTok.col, 'symbol');
      fail(`unknown function '${name}'; the functions are ${[...functions.keys()].join(', ')}`, nameTok.col, 'symbol');
    }
    const open = next();
    enter(open.col);
    const args: V[] = [];
    const count = arity === 1 ? 'one argument' : `${arity} arguments`;
    if (isOp(peek(), ')')) fail(`${name}() needs ${count}`, peek().col);
    args.push(additive());
    while (isOp(peek(), ',')) {
      if (args.length === arity) fail(`${name}() takes ${count}`, peek().col);
      next();
      args.push(additive());
    }
    if (args.length < (arity as number) && isOp(peek(), ')')) fail(`${name}() needs ${count}`, peek().col);
    const close = next();
    if (!isOp(close, ')')) fail(close.t === 'end' ? "missing ')'" : `expected ')' but found ${describe(close)}`, close.col);
    depth--;
    return algebra.call(name, args, nameTok.col);
  };

  const symbolOf = (tok: Token & { t: 'name' }): V => {
    const name = tok.text;
    if (scope.allowed.has(name) || CONSTANT_SET.has(name) || (scope.anyName && !functions.has(name))) return algebra.symbol(name);
    const why = scope.forbidden?.get(name);
    if (why !== undefined) fail(why, tok.col, 'symbol');
    if (functions.has(name)) fail(`'${name}' is a function; call it as ${name}(...)`, tok.col, 'symbol');
    const known = [...scope.allowed].map(([n, role]) => `${n} (${role})`);
    fail(`unknown symbol '${name}'; expected one of: ${[...known, 'pi', 'e'].join(', ')}`, tok.col, 'symbol');
    return algebra.symbol(name);
  };

  let result: V;
  try {
    result = additive();
  } catch (err) {
    if (err instanceof ExpressionFailure) fail(err.detail, err.col);
    if (err instanceof RangeError && !(err instanceof NoetherError)) {
      // Exact arithmetic on absurd literals (e.g. 10^10^10) or a hidden division by zero.
      fail(err.message === 'division by zero' ? 'division by zero' : `number too large to handle exactly (${err.message})`, 1, 'limit');
    }
    throw err;
  }
  const end = peek();
  if (end.t !== 'end') {
    if (isOp(end, ')')) fail("unmatched ')'", end.col);
    if (isOp(end, ',')) fail("unexpected ',': only one expression is allowed here", end.col);
    fail(`unexpected ${describe(end)}`, end.col);
  }
  return result;
}

function describe(tok: Token): string {
  return tok.t === 'end' ? 'end of expression' : `'${tok.text}'`;
}

const DISALLOWED: ReadonlyArray<[RegExp, string]> = [
  [/^\[/, 'matrices and vectors are not allowed inside an expression'],
  [/^\]/, 'matrices and vectors are not allowed inside an expression'],
  [/^[{}]/, 'objects are not allowed inside an expression'],
  [/^(==|!=|<=|>=|<|>)/, 'comparisons are not allowed'],
  [/^:=|^=/, 'assignments and function definitions are not allowed'],
  [/^;/, 'only one expression is allowed (no ;)'],
  [/^["'`]/, "strings and primes are not allowed (the velocity of x is written x_dot)"],
  [/^!/, 'factorials and logical operators are not allowed'],
  [/^[&|~]/, 'logical and bitwise operators are not allowed'],
  [/^[?:]/, 'conditional expressions are not allowed'],
  [/^\./, 'property access is not allowed'],
  [/^%/, 'the % operator is not allowed'],
  [/^[\n\r]/, 'an expression must be on one line'],
];

function tokenize(text: string, fail: (detail: string, col: number) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const col = i + 1;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    const rest = text.slice(i, i + 3);
    const numMatch = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (numMatch) {
      tokens.push({ t: 'num', text: numMatch[0], col });
      i += numMatch[0].length;
      continue;
    }
    const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256));
    if (nameMatch) {
      if (nameMatch[0].length >= 256) fail('name is too long (255 characters at most)', col);
      tokens.push({ t: 'name', text: nameMatch[0], col });
      i += nameMatch[0].length;
      continue;
    }
    if ('+-*/^(),'.includes(ch)) {
      tokens.push({ t: 'op', text: ch as '+', col });
      i++;
      continue;
    }
    const bad = DISALLOWED.find(([re]) => re.test(rest));
    if (bad) fail(bad[1], col);
    fail(`unexpected character '${ch}'`, col);
  }
  tokens.push({ t: 'end', col: text.length + 1 });
  return tokens;
}

/** A numeric constant (e.g. folded from 10^400) that does not fit a double, as 'about 1e400'; undefined if none. */
function outOfRangeConstant(e: Expr): string | undefined {
  if (e.kind === 'num') {
    const v = e.value.toNumber();
    if (Number.isFinite(v) && (v !== 0 || e.value.sign() === 0)) return undefined;
    const digits = (b: bigint): number => (b < 0n ? -b : b).toString().length;
    return `about 1e${digits(e.value.num) - digits(e.value.den)}`;
  }
  for (const c of children(e)) {
    const found = outOfRangeConstant(c);
    if (found) return found;
  }
  return undefined;
}
