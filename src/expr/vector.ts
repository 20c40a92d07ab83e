// Expressions over vectors and matrices, written once for a whole vector state
// ("-x + W*tanh(x) + b") and expanded into one scalar expression per component.
// Values carry their shape and a label for messages; + − broadcast scalars,
// * is the scalar, matrix–vector or matrix–matrix product, functions act
// elementwise, norm(v) and dot(a, b) reduce. A shape mismatch names both
// operands and their shapes ("W is 3×2, x has 3 components").

import { type Expr, FUNCTIONS, type FunctionName, ZERO, add, call, div, mul, neg, num, pow, sqrt, sym } from './expr.ts';
import { type Algebra, ExpressionFailure } from './parse.ts';

/** A scalar (shape []), a vector ([n]) or a matrix ([rows, cols], row-major entries). */
export interface Tensor {
  readonly shape: readonly number[];
  readonly entries: readonly Expr[];
  /** How messages name it: the symbol it came from, else a description. */
  readonly label: string;
}

/** Names that stand for vectors or matrices (state vectors, array parameters). */
export type TensorScope = ReadonlyMap<string, Tensor>;

export function scalar(e: Expr, label = 'a scalar'): Tensor {
  return { shape: [], entries: [e], label };
}

/** How a shape reads in messages. */
export function describeShape(t: Tensor): string {
  if (t.shape.length === 0) return `${t.label} is a scalar`;
  if (t.shape.length === 1) return `${t.label} has ${t.shape[0]} component${t.shape[0] === 1 ? '' : 's'}`;
  return `${t.label} is ${t.shape[0]}×${t.shape[1]}`;
}

const isScalar = (t: Tensor): boolean => t.shape.length === 0;
const sameShape = (a: Tensor, b: Tensor): boolean => a.shape.length === b.shape.length && a.shape.every((n, i) => n === b.shape[i]);

/** Elementwise combination, a scalar broadcast to the other operand's shape. */
function elementwise(a: Tensor, b: Tensor, op: (x: Expr, y: Expr) => Expr, what: string, col: number): Tensor {
  if (isScalar(a)) return { shape: b.shape, entries: b.entries.map((y) => op(a.entries[0], y)), label: 'an expression' };
  if (isScalar(b)) return { shape: a.shape, entries: a.entries.map((x) => op(x, b.entries[0])), label: 'an expression' };
  if (!sameShape(a, b)) throw new ExpressionFailure(`cannot ${what}: ${describeShape(a)}, ${describeShape(b)}`, col);
  return { shape: a.shape, entries: a.entries.map((x, i) => op(x, b.entries[i])), label: 'an expression' };
}

function product(a: Tensor, b: Tensor, col: number): Tensor {
  if (isScalar(a) || isScalar(b)) return elementwise(a, b, (x, y) => mul(x, y), 'multiply', col);
  if (a.shape.length === 2 && b.shape.length >= 1) {
    const [rows, inner] = a.shape;
    if (b.shape[0] !== inner) throw new ExpressionFailure(`cannot multiply: ${describeShape(a)}, ${describeShape(b)} (the product needs ${inner} ${b.shape.length === 1 ? 'components' : 'rows'})`, col);
    const cols = b.shape.length === 1 ? 1 : b.shape[1];
    const entries: Expr[] = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        entries.push(add(...Array.from({ length: inner }, (_, k) => mul(a.entries[i * inner + k], b.entries[k * cols + j]))));
      }
    }
    return { shape: b.shape.length === 1 ? [rows] : [rows, cols], entries, label: 'a product' };
  }
  throw new ExpressionFailure(`cannot multiply: ${describeShape(a)}, ${describeShape(b)}; use dot(a, b) for the inner product of two vectors`, col);
}

function elementwiseCall(name: string, t: Tensor): Tensor {
  const f = (e: Expr): Expr => (name === 'sqrt' ? sqrt(e) : call(name as FunctionName, e));
  return { shape: t.shape, entries: t.entries.map(f), label: `${name}(${t.label})` };
}

/**
 * The algebra of tensors over `names` (vectors and matrices by name; every other
 * allowed name is a scalar symbol).
 */
export function tensorAlgebra(names: TensorScope): Algebra<Tensor> {
  return {
    number: (value) => scalar(num(value), 'a number'),
    symbol: (name) => names.get(name) ?? scalar(sym(name), name),
    add: (a, b, col) => elementwise(a, b, (x, y) => add(x, y), 'add', col),
    neg: (a) => ({ ...a, entries: a.entries.map(neg), label: `−${a.label}` }),
    mul: product,
    div: (a, b, col) => {
      if (!isScalar(b)) throw new ExpressionFailure(`cannot divide by a vector or matrix: ${describeShape(b)}`, col);
      if (b.entries[0].kind === 'num' && b.entries[0].value.isZero()) throw new ExpressionFailure('division by zero', col);
      return elementwise(a, b, (x, y) => div(x, y), 'divide', col);
    },
    pow: (a, b, col) => {
      if (!isScalar(b)) throw new ExpressionFailure(`an exponent must be a scalar: ${describeShape(b)}`, col);
      if (a.shape.length === 2) throw new ExpressionFailure(`matrix powers are not supported: ${describeShape(a)}`, col);
      return elementwise(a, b, (x, y) => pow(x, y), 'raise', col);
    },
    call: (name, args, col) => {
      if (name === 'norm') {
        const [v] = args;
        if (v.shape.length !== 1) throw new ExpressionFailure(`norm() takes a vector: ${describeShape(v)}`, col);
        return scalar(sqrt(add(...v.entries.map((e) => mul(e, e)))), `norm(${v.label})`);
      }
      if (name === 'dot') {
        const [a, b] = args;
        if (a.shape.length !== 1 || !sameShape(a, b)) throw new ExpressionFailure(`dot() takes two vectors of the same length: ${describeShape(a)}, ${describeShape(b)}`, col);
        return scalar(add(ZERO, ...a.entries.map((e, i) => mul(e, b.entries[i]))), `dot(${a.label}, ${b.label})`);
      }
      if (!(FUNCTIONS as readonly string[]).includes(name) && name !== 'sqrt') throw new ExpressionFailure(`unknown function '${name}'`, col);
      return elementwiseCall(name, args[0]);
    },
    functions: new Map([
      ['norm', 1],
      ['dot', 2],
    ]),
  };
}
