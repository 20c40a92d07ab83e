// Vector models: a state may declare vectors (`state: {x: 3}` or `[{x: 3}, y]`,
// components x_1 … x_3), parameters may be vectors and matrices (inline lists),
// and the drift may be one vector expression per declared entry ("-x +
// W*tanh(x) + b"). Everything is expanded here into the component form the
// later stages work with: component names in state order, array parameters as
// their numbers, one scalar drift expression per component.

import { NoetherError } from '../errors.ts';
import { type Expr, num, sym } from '../expr/expr.ts';
import { parseWith, requireDoubleRange, type Scope } from '../expr/parse.ts';
import { Rational } from '../expr/rational.ts';
import { Rng } from '../random/rng.ts';
import { type Tensor, describeShape, tensorAlgebra } from '../expr/vector.ts';
import type { MatrixEntries } from './build.ts';

/** One declared state entry: a scalar (size null) or a vector of `size` components. */
export interface StateEntry {
  readonly name: string;
  readonly size: number | null;
  readonly components: readonly string[];
}

/** Largest number of entries in one array parameter. */
export const MAX_ARRAY_ENTRIES = 65536;

/** The component names of a vector: x_1 … x_n. */
export function componentNames(name: string, size: number): string[] {
  return Array.from({ length: size }, (_, i) => `${name}_${i + 1}`);
}

/**
 * The declared entries: a list of names and `{name: size}` mappings, or one
 * mapping of names to sizes. Names are checked by the caller (components too).
 */
export function readStateEntries(value: unknown): StateEntry[] | undefined {
  const vector = (name: string, size: unknown, path: string): StateEntry => {
    if (!(typeof size === 'number' && Number.isInteger(size) && size >= 1)) {
      throw new NoetherError('schema', `expected the number of components of vector '${name}', a positive integer; got ${JSON.stringify(size)}`, { path });
    }
    return { name, size, components: componentNames(name, size) };
  };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) throw new NoetherError('schema', 'expected at least one state variable', { path: 'state' });
    return entries.map(([name, size]) => vector(name, size, `state.${name}`));
  }
  if (!Array.isArray(value) || !value.some((v) => v !== null && typeof v === 'object')) return undefined; // a plain list of names
  return value.map((v, i) => {
    if (typeof v === 'string') return { name: v, size: null, components: [v] };
    const keys = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    if (keys.length !== 1) throw new NoetherError('schema', 'expected a name or {name: number of components}, e.g. {x: 3}', { path: `state[${i}]` });
    return vector(keys[0], (v as Record<string, unknown>)[keys[0]], `state[${i}]`);
  });
}

/** Splits params into numbers (the scalar parameters) and vectors and matrices (their entries as numbers). */
export function readArrayParams(value: unknown): { scalars: unknown; arrays: Map<string, Tensor> } {
  const arrays = new Map<string, Tensor>();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { scalars: value, arrays };
  // No prototype: a parameter named __proto__ stays a key (and is rejected by name later).
  const scalars: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, given] of Object.entries(value as Record<string, unknown>)) {
    const path = `params.${name}`;
    const v = isSpecial(given) ? generated(given, path) : given;
    if (!Array.isArray(v)) {
      scalars[name] = v;
      continue;
    }
    const number = (x: unknown, at: string): Expr => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new NoetherError('schema', `expected a finite number; got ${JSON.stringify(x) ?? String(x)}`, { path: at });
      return num(Rational.fromNumber(x));
    };
    if (v.length === 0) throw new NoetherError('shape', 'expected a vector or a matrix; got an empty list', { path });
    if (v.some(Array.isArray)) {
      const cols = Array.isArray(v[0]) ? v[0].length : -1;
      const entries = v.flatMap((row, i) => {
        if (!Array.isArray(row) || row.length !== cols || cols === 0) {
          throw new NoetherError('shape', `a matrix needs rows of equal length: row 0 has ${cols} entries, row ${i} ${Array.isArray(row) ? row.length : 'is not a list'}`, { path: `${path}[${i}]` });
        }
        return row.map((x, j) => number(x, `${path}[${i}][${j}]`));
      });
      if (entries.length > MAX_ARRAY_ENTRIES) throw new NoetherError('limit', `${entries.length} entries; at most ${MAX_ARRAY_ENTRIES}`, { path });
      arrays.set(name, { shape: [v.length, cols], entries, label: name });
    } else {
      if (v.length > MAX_ARRAY_ENTRIES) throw new NoetherError('limit', `${v.length} entries; at most ${MAX_ARRAY_ENTRIES}`, { path });
      arrays.set(name, { shape: [v.length], entries: v.map((x, i) => number(x, `${path}[${i}]`)), label: name });
    }
  }
  return { scalars, arrays };
}

/** `{random: …}` or `{file: …}`: an array given by how to make it rather than inline. */
function isSpecial(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && ('random' in v || 'file' in v);
}

/**
 * A seeded random vector or matrix, `{random: normal | uniform, shape: [n] or [r, c],
 * scale: s (default 1), seed: k (default 1)}`: normal entries N(0, s²), uniform ones
 * in [−s, s], drawn row by row from the seed's generator (new Rng(seed)), so the same spec gives the
 * same numbers everywhere. Files (`{file: W.csv}`) are read by readModelFile before
 * the model is built; here one is an error.
 */
function generated(spec: Record<string, unknown>, path: string): number[] | number[][] {
  if ('file' in spec) {
    throw new NoetherError('schema', `a matrix from a file is read when the model is read from a file (readModelFile, the command line); give it inline here`, { path });
  }
  const allowed = ['random', 'shape', 'scale', 'seed'];
  const extra = Object.keys(spec).find((k) => !allowed.includes(k));
  if (extra) throw new NoetherError('schema', `unknown field '${extra}' (fields: ${allowed.join(', ')})`, { path: `${path}.${extra}` });
  const kind = spec.random;
  if (kind !== 'normal' && kind !== 'uniform') throw new NoetherError('schema', `expected normal or uniform; got ${JSON.stringify(kind)}`, { path: `${path}.random` });
  const shape = spec.shape;
  const dims = Array.isArray(shape) && (shape.length === 1 || shape.length === 2) && shape.every((d) => Number.isInteger(d) && d >= 1) ? (shape as number[]) : undefined;
  if (!dims) throw new NoetherError('schema', `expected [n] or [rows, columns], positive integers; got ${JSON.stringify(shape)}`, { path: `${path}.shape` });
  if (dims.reduce((a, b) => a * b, 1) > MAX_ARRAY_ENTRIES) throw new NoetherError('limit', `${dims.join('×')} entries; at most ${MAX_ARRAY_ENTRIES}`, { path: `${path}.shape` });
  const scale = spec.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new NoetherError('schema', `expected a finite number; got ${JSON.stringify(scale)}`, { path: `${path}.scale` });
  const seed = spec.seed ?? 1;
  if (!(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) < 2 ** 32)) throw new NoetherError('schema', `expected an integer in [0, 2^32); got ${JSON.stringify(seed)}`, { path: `${path}.seed` });
  const rng = new Rng(seed as number);
  const draw = (): number => scale * (kind === 'normal' ? rng.normal() : rng.between(-1, 1));
  return dims.length === 1 ? Array.from({ length: dims[0] }, draw) : Array.from({ length: dims[0] }, () => Array.from({ length: dims[1] }, draw));
}

/** Names that stand for vectors and matrices in a vector expression: the state vectors and the array parameters. */
export function tensorNames(entries: readonly StateEntry[], arrays: ReadonlyMap<string, Tensor>): Map<string, Tensor> {
  const names = new Map(arrays);
  for (const e of entries) {
    if (e.size !== null) names.set(e.name, { shape: [e.size], entries: e.components.map((c) => sym(c)), label: e.name });
  }
  return names;
}

/**
 * The drift written per declared entry (a vector expression for a vector, a scalar
 * one for a scalar; one string when the state is a single vector), expanded to
 * components; undefined when it is written per component.
 */
export function readVectorDrift(value: unknown, entries: readonly StateEntry[], names: ReadonlyMap<string, Tensor>, scope: Scope): Expr[] | undefined {
  if (!entries.some((e) => e.size !== null)) return undefined;
  const perEntry = entries.length === 1 && (typeof value === 'string' || typeof value === 'number') ? [value] : Array.isArray(value) && value.length === entries.length ? value : undefined;
  if (!perEntry) return undefined;
  const algebra = tensorAlgebra(names);
  return entries.flatMap((entry, i) => {
    const path = entries.length === 1 && !Array.isArray(value) ? 'drift' : `drift[${i}]`;
    const text = perEntry[i];
    if (typeof text !== 'string' && typeof text !== 'number') throw new NoetherError('schema', `expected an expression; got ${typeof text}`, { path });
    let t: Tensor;
    try {
      t = parseWith(String(text), scope, algebra);
      t.entries.forEach((e) => requireDoubleRange(e, String(text)));
    } catch (err) {
      throw err instanceof NoetherError ? err.at({ path }) : err;
    }
    const want = entry.size === null ? 'a scalar' : `${entry.size} components`;
    // A one-component vector also takes a scalar expression (its component's drift).
    const fits = t.shape.length === 0 ? entry.size === null || entry.size === 1 : t.shape.length === 1 && t.shape[0] === entry.size;
    if (!fits) throw new NoetherError('shape', `the drift of ${entry.name} needs ${want}, but ${describeShape({ ...t, label: 'this expression' })}`, { path, expression: String(text) });
    return [...t.entries];
  });
}

/** D or G given as the name of a vector (the diagonal) or matrix parameter; undefined otherwise. */
export function arrayField(value: unknown, field: string, arrays: ReadonlyMap<string, Tensor>, n: number, isNoise: boolean): MatrixEntries | undefined {
  if (typeof value !== 'string') return undefined;
  const t = arrays.get(value.trim());
  if (!t) return undefined;
  if (t.shape.length === 1) {
    if (t.shape[0] !== n) throw new NoetherError('shape', `${describeShape(t)}; as the diagonal of ${isNoise ? 'G' : 'D'} it needs ${n} (one per state variable)`, { path: field });
    return { kind: 'diagonal', values: [...t.entries] };
  }
  const [rows, cols] = t.shape;
  if (rows !== n || (!isNoise && cols !== n)) throw new NoetherError('shape', `${describeShape(t)}; ${isNoise ? 'G' : 'D'} needs ${n} rows${isNoise ? '' : ` and ${n} columns`} (the state has ${n} components)`, { path: field });
  return { kind: 'matrix', rows: Array.from({ length: rows }, (_, i) => t.entries.slice(i * cols, i * cols + cols)) };
}
