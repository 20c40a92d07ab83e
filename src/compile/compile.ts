// Compiles validated expression trees to straight-line JavaScript over
// Float64Array: one temporary per distinct subexpression (common
// subexpressions are computed once), no allocation in the kernel body.
//
// Safety: the emitter sees only validated trees. Symbols become array slots
// (v[3]); numbers are printed from doubles; functions come from a fixed table.
// No identifier or text from the user is ever pasted into the source.
//
// Products that contain exp or a Bessel function are evaluated as m·e^s
// ("scaled", as in src/expr/evaluate.ts), so I1(z)/I0(z) stays finite for
// z = 1e4 and beyond.

import type { Expr, FunctionName } from '../expr/expr.ts';
import { Rational } from '../expr/rational.ts';
import { besselI0e, besselI1e, erf } from '../expr/special.ts';

/** out[i] = exprs[i](inputs) for the layout given at compile time. */
export type Kernel = (inputs: Float64Array, out: Float64Array) => void;

export interface CompiledKernel {
  readonly run: Kernel;
  /** The generated source, for inspection and tests. */
  readonly source: string;
  readonly inputs: readonly string[];
  readonly outputs: number;
  /**
   * Past MAX_LOCALS temporaries the source keeps them in a scratch array `W` of this
   * length, which code inlining the source must declare; absent otherwise.
   */
  readonly scratch?: number;
}

/** Functions available to generated code, by fixed name. */
const RUNTIME = Object.freeze({ besselI0e, besselI1e, erf });

const MATH: Readonly<Record<Exclude<FunctionName, 'exp' | 'besselI0' | 'besselI1' | 'log'>, string>> = {
  sin: 'Math.sin',
  cos: 'Math.cos',
  tan: 'Math.tan',
  sinh: 'Math.sinh',
  cosh: 'Math.cosh',
  tanh: 'Math.tanh',
  sech: '1/Math.cosh',
  atan: 'Math.atan',
  erf: 'R.erf',
  abs: 'Math.abs',
};

/** Temporaries held in locals at most; past that, in a scratch array. */
const MAX_LOCALS = 8192;

/** Operands of one sum or product per statement. */
const MAX_OPERANDS = 256;

interface Value {
  /** JS expression (a temp name or a literal) for the mantissa, or the value when unscaled. */
  readonly m: string;
  /** JS expression for the exponential scale, or undefined when the value is plain. */
  readonly s?: string;
}

/**
 * Compiles `exprs` as functions of the named inputs (in this order). Constants
 * pi and e need no input; every other free symbol must be an input.
 */
export function compileKernel(exprs: readonly Expr[], inputs: readonly string[]): CompiledKernel {
  const slot = new Map(inputs.map((name, i) => [name, i]));
  const lines: string[] = [];
  const memo = new Map<string, Value>();
  const absOf = new Map<string, string>(); // I0(z) and I1(z) share the scale |z|
  let temps = 0;
  const byCode = new Map<string, string>(); // identical right-hand sides share one temporary
  const temp = (code: string): string => {
    const known = byCode.get(code);
    if (known) return known;
    const name = `t${temps++}`;
    lines.push(`const ${name} = ${code};`);
    byCode.set(code, name);
    return name;
  };
  const plain = (v: Value): string => (v.s === undefined ? v.m : temp(`${v.m} * Math.exp(${v.s})`));
  // At most MAX_OPERANDS operands per statement, continued left to right in the next (the same
  // order of operations): one expression of 65 536 terms nests V8's parser as deep and
  // overflowed the stack (the energy of a 256-unit network).
  const chain = (operands: readonly string[], op: ' + ' | ' * '): string => {
    let code = operands.slice(0, MAX_OPERANDS).join(op);
    for (let i = MAX_OPERANDS; i < operands.length; i += MAX_OPERANDS) code = `${temp(code)}${op}${operands.slice(i, i + MAX_OPERANDS).join(op)}`;
    return code;
  };

  const emit = (e: Expr): Value => {
    const hit = memo.get(e.key);
    if (hit) return hit;
    const v = emitNode(e);
    memo.set(e.key, v);
    return v;
  };

  const emitNode = (e: Expr): Value => {
    switch (e.kind) {
      case 'num':
        return { m: literal(e.value.toNumber()) };
      case 'sym': {
        const i = slot.get(e.name);
        if (i !== undefined) return { m: temp(`v[${i}]`) };
        if (e.name === 'pi') return { m: literal(Math.PI) };
        if (e.name === 'e') return { m: literal(Math.E) };
        throw new Error(`compileKernel: symbol '${e.name}' has no input slot`);
      }
      case 'add':
        return { m: temp(chain(e.terms.map((t) => plain(emit(t))), ' + ')) };
      case 'mul': {
        const parts = e.factors.map(emit);
        const m = temp(chain(parts.map((p) => p.m), ' * '));
        const scales = parts.filter((p) => p.s !== undefined).map((p) => p.s as string);
        if (scales.length === 0) return { m };
        return { m, s: scales.length === 1 ? scales[0] : temp(chain(scales, ' + ')) };
      }
      case 'pow': {
        const hyp = hypotOf(e);
        if (hyp) {
          // √(a² + b² + …) as Math.hypot: no underflow near 0, no overflow far out.
          const h = temp(`Math.hypot(${hyp.map((u) => plain(emit(u))).join(', ')})`);
          return { m: e.exp.kind === 'num' && e.exp.value.sign() < 0 ? temp(`1 / ${h}`) : h };
        }
        const base = emit(e.base);
        if (e.exp.kind === 'num') {
          const k = e.exp.value;
          const m = temp(power(base.m, k));
          return base.s === undefined ? { m } : { m, s: temp(`${base.s} * ${literal(k.toNumber())}`) };
        }
        const exponent = plain(emit(e.exp));
        return { m: temp(`Math.pow(${plain(base)}, ${exponent})`) };
      }
      case 'call': {
        if (e.fn === 'log') {
          // log(m·e^s) = log(m) + s: log(besselI0(z)) stays finite for huge z.
          const inner = emit(e.arg);
          return { m: temp(inner.s === undefined ? `Math.log(${inner.m})` : `Math.log(${inner.m}) + ${inner.s}`) };
        }
        const arg = plain(emit(e.arg));
        if (e.fn === 'exp') return { m: '1', s: arg };
        if (e.fn === 'besselI0' || e.fn === 'besselI1') {
          const fn = e.fn === 'besselI0' ? 'R.besselI0e' : 'R.besselI1e';
          let scale = absOf.get(arg);
          if (!scale) absOf.set(arg, (scale = temp(`Math.abs(${arg})`)));
          return { m: temp(`${fn}(${arg})`), s: scale };
        }
        return { m: temp(`${MATH[e.fn]}(${arg})`) };
      }
    }
  };

  const outs = exprs.map((e, i) => `out[${i}] = ${plain(emit(e))};`);
  let body = `${lines.join('\n')}\n${outs.join('\n')}`;
  // Every const is a register in V8's frame: past some ten thousand (the energy of a
  // 256-unit network has 200 000) calling the kernel overflows the stack. The temps then
  // live in one scratch array W, made once per kernel (a kernel calls nothing that could
  // call it back, so one array serves every call).
  const scratch = temps > MAX_LOCALS;
  if (scratch) body = `const w = W;\n${body.replace(/^const t(\d+) = /gm, 'w[$1] = ').replace(/\bt(\d+)\b/g, 'w[$1]')}`;
  const source = `"use strict";\n${body}`;
  // The source is built only from slots, temps, numeric literals and the fixed tables above.
  const run = new Function('R', 'W', `return function kernel(v, out) {\n${source}\n};`)(RUNTIME, scratch ? new Float64Array(temps) : undefined) as Kernel;
  return { run, source, inputs, outputs: exprs.length, ...(scratch ? { scratch: temps } : {}) };
}

/** The u's when e is (u₁² + u₂² + …)^(±1/2), else undefined. */
function hypotOf(e: Expr & { kind: 'pow' }): Expr[] | undefined {
  if (e.exp.kind !== 'num' || e.base.kind !== 'add') return undefined;
  const half = e.exp.value.abs();
  if (!half.equals(Rational.of(1, 2))) return undefined;
  const us: Expr[] = [];
  for (const t of e.base.terms) {
    if (t.kind !== 'pow' || t.exp.kind !== 'num' || !t.exp.value.equals(Rational.of(2))) return undefined;
    us.push(t.base);
  }
  return us;
}

/** A double as a JS literal that parses back to the same value. */
function literal(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '(-Infinity)';
  const s = String(x);
  return x < 0 || Object.is(x, -0) ? `(${s})` : s;
}

/** b^k for a rational k: multiplications for small integers, sqrt for halves. */
function power(b: string, k: Rational): string {
  if (k.isInteger()) {
    const n = Number(k.num);
    const abs = Math.abs(n);
    const body = abs <= 4 ? Array.from({ length: abs }, () => b).join(' * ') : `Math.pow(${b}, ${abs})`;
    return n < 0 ? `1 / (${body})` : body;
  }
  if (k.equals(Rational.of(1, 2))) return `Math.sqrt(${b})`;
  if (k.equals(Rational.of(-1, 2))) return `1 / Math.sqrt(${b})`;
  if (k.equals(Rational.of(3, 2))) return `${b} * Math.sqrt(${b})`;
  return `Math.pow(${b}, ${literal(k.toNumber())})`;
}
