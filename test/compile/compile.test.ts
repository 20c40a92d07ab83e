// The compiled kernels (src/compile) checked against an independent evaluator,
// mathjs, reading the printed expressions (toText) with a scope of numbers: on
// seeded random expression trees and on every kernel of every model in
// test/fixtures/cas/models and examples, at seeded points. The derivative
// kernels are also checked against central differences of the compiled
// lower-order kernel (which does not rely on noether's differentiator). Plus:
// the generated source contains no user text, Bessel ratios stay finite for huge
// arguments, and common subexpressions are computed once.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type EvalFunction, compile as mathCompile, derivative as mathDerivative } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { type CompiledKernel, compileKernel } from '../../src/compile/compile.ts';
import { type ModelKernels, compileModel } from '../../src/compile/model-kernels.ts';
import { diff } from '../../src/expr/diff.ts';
import { type Expr, FUNCTIONS, add, call, div, mul, num, sym } from '../../src/expr/expr.ts';
import { Rational } from '../../src/expr/rational.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { toText } from '../../src/expr/print.ts';
import { type LagrangianResult, buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import type { Model } from '../../src/model/types.ts';
import { Rng } from '../../src/random/rng.ts';
import { randomExpr } from '../helpers/random-expr.ts';

const ROOT = join(import.meta.dirname, '../..');
const REL = 1e-10;

// ---------------------------------------------------------------------------
// The independent evaluator

/**
 * I0 and I1 for mathjs (which has no Bessel functions), from the plain power
 * series Σ (z/2)^(2k+n) / (k! (k+n)!): all terms have one sign, so the sum is
 * accurate to a few ulps; it overflows to Infinity past |z| ≈ 713 like I0 itself.
 * Independent of src/expr/special.ts (Chebyshev expansions for |z| > 8).
 */
function besselSeries(n: 0 | 1, z: number): number {
  const q = (z * z) / 4;
  let term = n === 0 ? 1 : z / 2;
  let sum = term;
  for (let k = 1; k < 5000; k++) {
    term *= q / (k * (k + n));
    sum += term;
    if (!Number.isFinite(sum) || Math.abs(term) <= 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}
const MATHJS_EXTRA = { besselI0: (z: number) => besselSeries(0, z), besselI1: (z: number) => besselSeries(1, z) };

const mathjsCache = new Map<string, EvalFunction>();
/** mathjs's value of the printed expression; undefined when mathjs gives no real number (e.g. a complex power). */
function mathjsValue(e: Expr, scope: Record<string, number>): number | undefined {
  const text = toText(e);
  let f = mathjsCache.get(text);
  if (!f) mathjsCache.set(text, (f = mathCompile(text)));
  const v: unknown = f.evaluate({ ...MATHJS_EXTRA, ...scope });
  return typeof v === 'number' ? v : undefined;
}


/**
 * First-order bound on the rounding error of evaluating e in doubles, by any
 * evaluation order: each operation contributes a few ulps of its result, and
 * errors of the operands propagate through the exact partial derivatives.
 * Large where the formula itself cancels (1 − tanh(u)² for saturated tanh),
 * tiny (≈ 1e-15 relative) elsewhere; written independently of src/.
 */
function roundingBound(e: Expr, scope: Record<string, number>): number {
  const EPS = 2 ** -52;
  const memo = new Map<string, { v: number; err: number }>();
  const go = (n: Expr): { v: number; err: number } => {
    const hit = memo.get(n.key);
    if (hit) return hit;
    let r: { v: number; err: number };
    switch (n.kind) {
      case 'num': {
        const v = n.value.toNumber();
        r = { v, err: EPS * Math.abs(v) };
        break;
      }
      case 'sym':
        r = { v: n.name === 'pi' && !(n.name in scope) ? Math.PI : n.name === 'e' && !(n.name in scope) ? Math.E : scope[n.name], err: 0 };
        break;
      case 'add': {
        const ts = n.terms.map(go);
        const v = ts.reduce((a, t) => a + t.v, 0);
        r = { v, err: ts.reduce((a, t) => a + t.err + ts.length * EPS * Math.abs(t.v), 0) };
        break;
      }
      case 'mul': {
        const fs = n.factors.map(go);
        const v = fs.reduce((a, f) => a * f.v, 1);
        let err = fs.length * EPS * Math.abs(v);
        fs.forEach((f, i) => {
          err += f.err * fs.reduce((a, g, j) => (j === i ? a : a * Math.abs(g.v)), 1);
        });
        r = { v, err };
        break;
      }
      case 'pow': {
        const b = go(n.base);
        const k = go(n.exp);
        const v = Math.pow(b.v, k.v);
        // A literal exponent is (near enough) exact; a computed one contributes |v ln b| δk.
        const dk = n.exp.kind === 'num' || v === 0 ? 0 : Math.abs(v * Math.log(Math.abs(b.v))) * k.err;
        r = { v, err: Math.abs(k.v * Math.pow(b.v, k.v - 1)) * b.err + dk + 4 * EPS * Math.abs(v) };
        break;
      }
      case 'call': {
        const u = go(n.arg);
        const [v, d] = FUNCTION_AND_DERIVATIVE[n.fn](u.v);
        r = { v, err: Math.abs(d) * u.err + 8 * EPS * Math.abs(v) };
        break;
      }
    }
    memo.set(n.key, r);
    return r;
  };
  return go(e).err;
}

const I0 = (u: number): number => besselSeries(0, u);
const I1 = (u: number): number => besselSeries(1, u);
/** f(u) and f'(u) for the error bound (erf's value only enters as |erf| ≤ 1). */
const FUNCTION_AND_DERIVATIVE: Record<(typeof FUNCTIONS)[number], (u: number) => [number, number]> = {
  exp: (u) => [Math.exp(u), Math.exp(u)],
  log: (u) => [Math.log(u), 1 / u],
  sin: (u) => [Math.sin(u), Math.cos(u)],
  cos: (u) => [Math.cos(u), Math.sin(u)],
  tan: (u) => [Math.tan(u), 1 + Math.tan(u) ** 2],
  sinh: (u) => [Math.sinh(u), Math.cosh(u)],
  cosh: (u) => [Math.cosh(u), Math.sinh(u)],
  tanh: (u) => [Math.tanh(u), 1 / Math.cosh(u) ** 2],
  sech: (u) => [1 / Math.cosh(u), Math.tanh(u) / Math.cosh(u)],
  atan: (u) => [Math.atan(u), 1 / (1 + u * u)],
  erf: (u) => [1, (2 / Math.sqrt(Math.PI)) * Math.exp(-u * u)],
  abs: (u) => [Math.abs(u), 1],
  besselI0: (u) => [I0(u), I1(u)],
  besselI1: (u) => [I1(u), u === 0 ? 0.5 : I0(u) - I1(u) / u],
};

/**
 * got vs want to 1e-10 relative, plus 16 times the rounding bound of the formula
 * (which only matters where the formula loses digits to cancellation).
 */
function expectAgree(got: number, want: number, bound: number, what: string): void {
  expect(Number.isFinite(bound), `${what}: no finite rounding bound`).toBe(true);
  const allowed = REL * Math.max(Math.abs(got), Math.abs(want)) + 16 * bound;
  expect(Math.abs(got - want), `${what}: ${got} vs ${want} (allowed ${allowed})`).toBeLessThanOrEqual(allowed);
}

function runKernel(k: CompiledKernel, inputs: readonly number[]): Float64Array {
  const out = new Float64Array(k.outputs);
  k.run(Float64Array.from(inputs), out);
  return out;
}

// ---------------------------------------------------------------------------
// Random expression trees

describe('compileKernel on random expression trees', () => {
  it('agrees with mathjs to 1e-10 relative on 300 seeded trees', () => {
    const rng = new Rng(20261127);
    const names = ['x', 'y', 'k'];
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const e = randomExpr(rng, names, 4, FUNCTIONS);
      const kernel = compileKernel([e], names);
      const point = names.map(() => rng.between(-1.5, 1.5));
      const got = runKernel(kernel, point)[0];
      const want = mathjsValue(e, Object.fromEntries(names.map((n, j) => [n, point[j]])));
      // Skip points outside the real domain (NaN here, complex or Infinity in mathjs).
      if (want === undefined || !Number.isFinite(want) || !Number.isFinite(got)) continue;
      compared++;
      const bound = roundingBound(e, Object.fromEntries(names.map((n, j) => [n, point[j]])));
      expectAgree(got, want, bound, `${toText(e)} at ${point}`);
    }
    expect(compared).toBeGreaterThanOrEqual(250);
  });

  it('computes several outputs from one pass, in order', () => {
    const scope = { allowed: new Map(['x', 'y'].map((n) => [n, 'state'])) };
    const exprs = ['x + y', 'x*y', 'sin(x)^2 + cos(x)^2', 'exp(x)*exp(-y)'].map((s) => parseExpression(s, scope));
    const out = runKernel(compileKernel(exprs, ['x', 'y']), [0.3, -1.2]);
    expect([...out]).toEqual([0.3 + -1.2, 0.3 * -1.2, expect.closeTo(1, 15), expect.closeTo(Math.exp(1.5), 13)]);
  });

  it('rejects a symbol without an input slot', () => {
    expect(() => compileKernel([sym('z')], ['x'])).toThrow(/symbol 'z' has no input slot/);
  });
});

// ---------------------------------------------------------------------------
// Model kernels

interface Case {
  readonly file: string;
  readonly model: Model;
  readonly lagr: LagrangianResult;
  readonly kernels: ModelKernels;
}

const MODEL_FILES = [
  ...readdirSync(join(ROOT, 'test/fixtures/cas/models')).map((f) => join('test/fixtures/cas/models', f)),
  ...readdirSync(join(ROOT, 'examples')).map((f) => join('examples', f)),
].filter((f) => f.endsWith('.yaml'));

const CASES: Case[] = MODEL_FILES.map((file) => {
  const model = loadModelFile(join(ROOT, file));
  const lagr = buildLagrangian(model);
  return { file, model, lagr, kernels: compileModel(lagr) };
});

/** One seeded point: state in [−1.5, 1.5], velocities and momenta in [−1, 1], t in [0.3, 1.5] (the ring needs t > 0). */
interface Point {
  readonly x: number[];
  readonly v: number[];
  readonly p: number[];
  readonly t: number;
}
function points(n: number, count: number, seed: number): Point[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({
    x: Array.from({ length: n }, () => rng.between(-1.5, 1.5)),
    v: Array.from({ length: n }, () => rng.between(-1, 1)),
    p: Array.from({ length: n }, () => rng.between(-1, 1)),
    t: rng.between(0.3, 1.5),
  }));
}

type Layout = 'state' | 'lagrangian' | 'hamiltonian';
function inputsOf(layout: Layout, pt: Point): number[] {
  if (layout === 'state') return [...pt.x, pt.t];
  return [...pt.x, ...(layout === 'lagrangian' ? pt.v : pt.p), pt.t];
}

/** Scope for mathjs: parameters, state, velocities, momenta and t by name. */
function scopeOf(c: Case, pt: Point): Record<string, number> {
  const s: Record<string, number> = { t: pt.t };
  for (const p of c.model.params) s[p.name] = p.value;
  c.model.state.forEach((name, i) => {
    s[name] = pt.x[i];
    s[c.lagr.symbols.velocities[i]] = pt.v[i];
    s[c.lagr.symbols.momenta[i]] = pt.p[i];
  });
  return s;
}

/**
 * What each kernel should compute, written from the layouts documented in
 * src/compile/model-kernels.ts, with the parameters left as symbols (mathjs
 * gets their values in the scope).
 */
function references(c: Case): Record<keyof Omit<ModelKernels, 'n' | 'state'>, { layout: Layout; exprs: Expr[] }> {
  const { model, lagr } = c;
  const x = model.state;
  const v = lagr.symbols.velocities;
  const p = lagr.symbols.momenta;
  const L = lagr.lagrangian;
  const H = lagr.hamiltonian;
  const grid = (rows: readonly string[], cols: readonly string[], f: (r: string, c: string) => Expr): Expr[] =>
    rows.flatMap((r) => cols.map((col) => f(r, col)));
  return {
    drift: { layout: 'state', exprs: [...model.drift] },
    driftJacobian: { layout: 'state', exprs: model.drift.flatMap((fi) => x.map((xj) => diff(fi, xj))) },
    diffusion: { layout: 'state', exprs: model.diffusion.matrix.flat() },
    lagrangian: { layout: 'lagrangian', exprs: [L] },
    lagrangianGradient: { layout: 'lagrangian', exprs: [...x.map((xi) => diff(L, xi)), ...v.map((vi) => diff(L, vi))] },
    lagrangianHessian: {
      layout: 'lagrangian',
      exprs: [
        ...grid(x, x, (a, b) => diff(diff(L, a), b)),
        ...grid(x, v, (a, b) => diff(diff(L, a), b)),
        ...grid(v, v, (a, b) => diff(diff(L, a), b)),
      ],
    },
    hamiltonian: { layout: 'hamiltonian', exprs: [H] },
    hamiltonianGradient: { layout: 'hamiltonian', exprs: [...x.map((xi) => diff(H, xi)), ...p.map((pi) => diff(H, pi))] },
  };
}

describe.each(CASES.map((c) => [c.file, c] as const))('compileModel(%s)', (_file, c) => {
  const pts = points(c.model.state.length, 6, 4242 + c.model.name.length);

  it('every kernel agrees with mathjs on the symbolic expression, to 1e-10 relative', () => {
    const refs = references(c);
    for (const [name, { layout, exprs }] of Object.entries(refs)) {
      const kernel = c.kernels[name as keyof typeof refs];
      expect(kernel.outputs, name).toBe(exprs.length);
      for (const pt of pts) {
        const got = runKernel(kernel, inputsOf(layout, pt));
        const scope = scopeOf(c, pt);
        exprs.forEach((e, i) => {
          const want = mathjsValue(e, scope);
          expect(want, `${name}[${i}] = ${toText(e)}: mathjs gives no number`).toBeTypeOf('number');
          expect(Number.isFinite(got[i]), `${name}[${i}] = ${got[i]}`).toBe(true);
          expectAgree(got[i], want as number, roundingBound(e, scope), `${name}[${i}] = ${toText(e)} at ${JSON.stringify(pt)}`);
        });
      }
    }
  });

  it('gradients agree with mathjs derivative (its own differentiator) where mathjs knows every function', () => {
    const text = [c.lagr.lagrangian, c.lagr.hamiltonian].map(toText).join(' ');
    if (/erf|bessel/.test(text)) return; // mathjs cannot differentiate these
    const x = c.model.state;
    const cases: [CompiledKernel, Layout, Expr, readonly string[]][] = [
      [c.kernels.lagrangianGradient, 'lagrangian', c.lagr.lagrangian, [...x, ...c.lagr.symbols.velocities]],
      [c.kernels.hamiltonianGradient, 'hamiltonian', c.lagr.hamiltonian, [...x, ...c.lagr.symbols.momenta]],
      [c.kernels.driftJacobian, 'state', c.model.drift[0], x],
    ];
    for (const [kernel, layout, f, vars] of cases) {
      const d = vars.map((name) => mathDerivative(toText(f), name, { simplify: false }));
      for (const pt of pts.slice(0, 3)) {
        const got = runKernel(kernel, inputsOf(layout, pt));
        const scope = scopeOf(c, pt);
        d.forEach((node, i) => {
          const want = node.evaluate({ ...scope }) as number;
          // The rounding bound of our formula for the derivative covers the kernel's error.
          expectAgree(got[i], want, roundingBound(diff(f, vars[i]), scope), `∂/∂${vars[i]} of ${toText(f)}`);
        });
      }
    }
  });

  it('derivative kernels agree with central differences of the lower-order kernel', () => {
    const n = c.model.state.length;
    // [derivative kernel, lower-order kernel, layout, which outputs of the lower kernel, how many inputs to vary]
    const pairs: [CompiledKernel, CompiledKernel, Layout, number[], number][] = [
      [c.kernels.driftJacobian, c.kernels.drift, 'state', range(n), n],
      [c.kernels.lagrangianGradient, c.kernels.lagrangian, 'lagrangian', [0], 2 * n],
      [c.kernels.hamiltonianGradient, c.kernels.hamiltonian, 'hamiltonian', [0], 2 * n],
    ];
    for (const [deriv, lower, layout, outputs, vary] of pairs) {
      for (const pt of pts.slice(0, 3)) {
        const base = inputsOf(layout, pt);
        const got = runKernel(deriv, base);
        outputs.forEach((o, r) => {
          for (let j = 0; j < vary; j++) {
            const fd = centralDifference((u) => runKernel(lower, u)[o], base, j);
            const g = got[r * vary + j];
            expect(Math.abs(g - fd), `output ${r * vary + j}: ${g} vs ${fd}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(fd)));
          }
        });
      }
    }
    // The Hessian from the gradient: block XX[i][j] = ∂(∂L/∂xᵢ)/∂xⱼ, XV[i][j] = ∂(∂L/∂xᵢ)/∂ẋⱼ, VV[i][j] = ∂(∂L/∂ẋᵢ)/∂ẋⱼ.
    for (const pt of pts.slice(0, 3)) {
      const base = inputsOf('lagrangian', pt);
      const hess = runKernel(c.kernels.lagrangianHessian, base);
      const block = (b: number, i: number, j: number): number => hess[b * n * n + i * n + j];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const grad = (u: number[]): Float64Array => runKernel(c.kernels.lagrangianGradient, u);
          const want = [
            [block(0, i, j), centralDifference((u) => grad(u)[i], base, j)],
            [block(1, i, j), centralDifference((u) => grad(u)[i], base, n + j)],
            [block(2, i, j), centralDifference((u) => grad(u)[n + i], base, n + j)],
          ];
          for (const [g, fd] of want) expect(Math.abs(g - fd), `hessian (${i}, ${j}): ${g} vs ${fd}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(fd)));
        }
      }
    }
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * ∂f/∂u_j by the fourth-order central difference (8(f₊ₕ − f₋ₕ) − (f₊₂ₕ − f₋₂ₕ))/(12h):
 * truncation ~h⁴, rounding ~ε/h, so about 1e-10 relative for smooth f and h = 1e-3.
 */
function centralDifference(f: (u: number[]) => number, u: readonly number[], j: number): number {
  const h = 1e-3 * Math.max(1, Math.abs(u[j]));
  const at = (d: number): number => {
    const w = [...u];
    w[j] += d;
    return f(w);
  };
  return (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
}

// ---------------------------------------------------------------------------
// The generated source

/** Identifiers the generated code may contain: its own slots, temps, the fixed function tables. */
const MEMBERS = new Set(['sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'atan', 'abs', 'exp', 'log', 'sqrt', 'pow', 'erf', 'besselI0e', 'besselI1e']);

/** Throws unless the source consists only of: v[i], out[i] =, const tN =, tN, numbers, Math.f, R.f, operators. */
function expectOnlyAllowedTokens(source: string): void {
  const body = source.replace(/^"use strict";\n/, ''); // the fixed prologue
  let rest = body;
  rest = rest.replace(/\b(?:Math|R)\.([A-Za-z0-9]+)/g, (m, member: string) => {
    expect(MEMBERS.has(member), `unexpected member in ${m}`).toBe(true);
    return ' ';
  });
  rest = rest
    .replace(/\bconst t\d+ =/g, ' ')
    .replace(/\bout\[\d+\] =/g, ' ')
    .replace(/\bv\[\d+\]/g, ' ')
    .replace(/\bt\d+\b/g, ' ')
    .replace(/\b(?:NaN|Infinity)\b/g, ' ')
    .replace(/(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/g, ' ')
    .replace(/[-+*/(),;\s]/g, '');
  expect(rest, `leftover text in the generated source:\n${source}`).toBe('');
}

describe('generated source', () => {
  const evil = buildModel({
    name: 'evil',
    state: ['process', 'v', 'out'],
    params: { constructor: 0.7, toString: 1.3, Math: 0.4, R: 2 },
    drift: ['-constructor*process + toString*sin(v)', 'Math*exp(out) - v', '-out + R*tanh(process*v)'],
    diffusion: ['constructor', 'toString*(1 + process^2)', 'R'],
  });
  const lagr = buildLagrangian(evil);
  const kernels = compileModel(lagr);
  const all = Object.entries(kernels).filter((e): e is [string, CompiledKernel] => typeof e[1] === 'object' && 'source' in e[1]);

  it('contains no user text, only slots, temps, numbers and the fixed function tables', () => {
    expect(all.length).toBe(8);
    for (const [name, k] of all) {
      for (const word of ['process', 'constructor', 'toString', 'evil']) expect(k.source, `${name} mentions ${word}`).not.toContain(word);
      expectOnlyAllowedTokens(k.source);
    }
    // The random trees use every function: their sources obey the same rule.
    const rng = new Rng(5);
    for (let i = 0; i < 100; i++) expectOnlyAllowedTokens(compileKernel([randomExpr(rng, ['x', 'y'], 4)], ['x', 'y']).source);
  });

  it('still computes the right values when names collide with the words of the generated code', () => {
    const pt: Point = { x: [0.3, -0.8, 0.5], v: [0.2, 0.1, -0.4], p: [0.6, -0.2, 0.3], t: 0.7 };
    const refs = references({ file: 'evil', model: evil, lagr, kernels });
    for (const [name, { layout, exprs }] of Object.entries(refs)) {
      const got = runKernel(kernels[name as keyof typeof refs], inputsOf(layout, pt));
      const scope = scopeOf({ file: 'evil', model: evil, lagr, kernels }, pt);
      exprs.forEach((e, i) => {
        // mathjs refuses some of these names (constructor, toString); evaluate
        // with them renamed, which leaves the value unchanged.
        const renamed = toText(e).replace(/\b(constructor|toString|process|Math|out|v|R)\b/g, 'n_$1');
        const s = Object.fromEntries(Object.entries(scope).map(([k, val]) => [/^(constructor|toString|process|Math|out|v|R)$/.test(k) ? `n_${k}` : k, val]));
        const want = mathCompile(renamed).evaluate(s) as number;
        expectAgree(got[i], want, roundingBound(e, scope), `${name}[${i}]`);
      });
    }
  });
});

// ---------------------------------------------------------------------------
// Numerics and common subexpressions

describe('very long sums and products', () => {
  it('a sum of 100 000 terms and a product of 2000 factors run (one statement each overflowed the stack); the sum adds left to right', () => {
    const terms = Array.from({ length: 100_000 }, (_, k) => call('sin', mul(num(k + 1), sym('x'))));
    const factors = Array.from({ length: 2000 }, (_, k) => add(num(1), mul(num(Rational.of(1, 1000 + k)), sym('x'))));
    const sum = add(...terms);
    const kernel = compileKernel([sum, mul(...factors)], ['x']);
    const out = new Float64Array(2);
    const x = 0.7;
    kernel.run(Float64Array.from([x]), out);
    // sin(k·x) term by term in the sum's own order, added left to right: what one long statement would compute.
    let expected = 0;
    (sum.kind === 'add' ? sum.terms : []).forEach((t, i) => {
      // sin(x) for k = 1, sin(k*x) otherwise.
      const k = t.kind !== 'call' ? NaN : t.arg.kind === 'sym' ? 1 : t.arg.kind === 'mul' && t.arg.factors[0].kind === 'num' ? t.arg.factors[0].value.toNumber() : NaN;
      expected = i === 0 ? Math.sin(k * x) : expected + Math.sin(k * x);
    });
    expect(out[0]).toBe(expected);
    let product = 1;
    for (let k = 0; k < 2000; k++) product *= 1 + x / (1000 + k);
    expect(Math.abs(out[1] - product)).toBeLessThan(1e-12 * Math.abs(product));
  });
});

describe('Bessel ratios for huge arguments', () => {
  const scope = { allowed: new Map([['z', 'state']]) };
  const ratio = compileKernel([div(call('besselI1', sym('z')), call('besselI0', sym('z')))], ['z']);
  const logI0 = compileKernel([parseExpression('log(besselI0(z))', scope)], ['z']);

  it.each([1e4, 1e6])('I1(z)/I0(z) at z = %d is finite and ≈ 1 − 1/(2z)', (z) => {
    const r = runKernel(ratio, [z])[0];
    expect(Number.isFinite(r)).toBe(true);
    // I1/I0 = 1 − 1/(2z) − 1/(8z²) − …
    expect(Math.abs(r - (1 - 1 / (2 * z)))).toBeLessThanOrEqual(1 / (z * z));
    expect(runKernel(ratio, [-z])[0]).toBe(-r);
  });

  it.each([1e4, 1e6])('log(I0(z)) at z = %d is finite and ≈ z − ½ log(2πz)', (z) => {
    const l = runKernel(logI0, [z])[0];
    expect(Number.isFinite(l)).toBe(true);
    expect(Math.abs(l - (z - 0.5 * Math.log(2 * Math.PI * z)))).toBeLessThanOrEqual(1 / z);
  });

  it('keeps the ring drift finite where the Bessel functions themselves overflow', () => {
    const ring = CASES.find((c) => c.model.name === 'ring') as Case;
    // z = R r/(s0² + t²) = 2·1000/0.26 ≈ 7.7e3: I0(z) alone would be Infinity.
    const out = runKernel(ring.kernels.drift, [1000, 0, 0.1]);
    expect([...out].every(Number.isFinite)).toBe(true);
    // Far out the score is ≈ −(r − R)/v·(x/r): drift = −t·score ≈ t (r − R)/v along x.
    expect(out[0]).toBeCloseTo((0.1 * (1000 - 2)) / 0.26, 0);
  });
});

describe('common subexpressions', () => {
  it('computes tanh((x − c)/n) and tanh((y − c)/n) once each in the attractor3 drift', () => {
    const c = CASES.find((k) => k.file === 'examples/attractor3.yaml') as Case;
    const calls = c.kernels.drift.source.match(/Math\.tanh\(/g) ?? [];
    expect(calls.length, c.kernels.drift.source).toBe(2);
  });

  /** Right-hand sides that occur more than once in one kernel, per kernel. */
  function repeatedRightHandSides(c: Case): string[] {
    const found: string[] = [];
    for (const [name, k] of Object.entries(c.kernels)) {
      if (typeof k !== 'object' || !('source' in k)) continue;
      const rhs = [...(k as CompiledKernel).source.matchAll(/^const t\d+ = (.*);$/gm)].map((m) => m[1]);
      const seen = new Map<string, number>();
      for (const r of rhs) seen.set(r, (seen.get(r) ?? 0) + 1);
      for (const [r, count] of seen) if (count > 1) found.push(`${name}: '${r}' ×${count}`);
    }
    return found;
  }
  /** Models whose kernels use exp or a Bessel function, i.e. the scaled m·e^s values of compile.ts. */
  const scaled = (c: Case): boolean => Object.values(c.kernels).some((k) => typeof k === 'object' && 'source' in k && /Math\.exp|R\.bessel/.test(k.source));

  it('never computes the same right-hand side twice in any kernel (models without exp or Bessel functions)', () => {
    const plainCases = CASES.filter((c) => !scaled(c));
    expect(plainCases.length).toBeGreaterThanOrEqual(8);
    for (const c of plainCases) expect(repeatedRightHandSides(c), c.file).toEqual([]);
  });

  it('never computes the same right-hand side twice in any kernel (models with exp or Bessel functions)', () => {
    for (const c of CASES.filter(scaled)) expect(repeatedRightHandSides(c), c.file).toEqual([]);
  });
});
