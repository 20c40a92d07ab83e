// Validates a model spec and turns it into a Model. Every problem becomes one
// NoetherError naming the field path (drift[1], diffusion[0][1], …) and, for
// expressions, the column.

import { NoetherError } from '../errors.ts';
import { type Expr, ZERO } from '../expr/expr.ts';
import { type Scope, parseExpression } from '../expr/parse.ts';
import { buildDiffusion } from './diffusion.ts';
import { type StateEntry, arrayField, readArrayParams, readStateEntries, readVectorDrift, tensorNames } from './vectors.ts';
import { type Interval, WHOLE_LINE } from './domain.ts';
import { nameProblem } from './names.ts';
import { DEFAULT_TIME_RANGE, type Model, type ModelSpec, type Parameter, momentumName, velocityName } from './types.ts';

const FIELDS = ['name', 'description', 'state', 'domain', 'params', 'time', 'drift', 'diffusion', 'noise'] as const;
// Networks of 256 units are in scope (issue 13); a 256×256 W is MAX_ARRAY_ENTRIES.
export const MAX_STATE = 256;
export const MAX_PARAMS = 1000;

export interface Origin {
  /** The file the spec was read from, for messages. */
  readonly file?: string;
}

/** Validates `raw` (parsed YAML/JSON or a TypeScript object) and builds the Model. */
export function buildModel(raw: unknown, origin: Origin = {}): Model {
  try {
    return build(raw, origin);
  } catch (err) {
    if (err instanceof NoetherError) throw err.where.file || !origin.file ? err : err.at({ file: origin.file });
    throw err;
  }
}

function build(raw: unknown, origin: Origin): Model {
  if (!isRecord(raw)) throw schema('', `a model is a mapping with fields ${FIELDS.join(', ')}; got ${kindOf(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      const hint = closest(key, FIELDS);
      throw schema(key, `unknown field '${key}'${hint ? `; did you mean '${hint}'?` : ''} (fields: ${FIELDS.join(', ')})`);
    }
  }

  const name = raw.name;
  if (name === undefined) throw schema('name', 'missing field: give the model a name');
  if (typeof name !== 'string' || name.trim() === '') throw schema('name', `expected a non-empty string; got ${kindOf(name)}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw schema('name', 'control characters are not allowed in the name');
  const description = raw.description;
  if (description !== undefined && typeof description !== 'string') {
    throw schema('description', `expected a string; got ${kindOf(description)}`);
  }

  // Vector entries (state: {x: 3}) are expanded to components x_1 … x_3; array parameters to numbers.
  const entries = readStateEntries(raw.state);
  const state = readState(entries ? entries.flatMap((e) => e.components) : raw.state);
  const { scalars, arrays } = readArrayParams(raw.params);
  const params = readParams(scalars, state);
  for (const name of arrays.keys()) checkArrayName(name, state, entries);
  for (const e of entries ?? []) {
    if (e.size === null) continue;
    const problem = nameProblem(e.name);
    if (problem) throw new NoetherError('name', `bad state name '${e.name}': ${problem}`, { path: `state.${e.name}` });
    if (params.some((p) => p.name === e.name)) throw new NoetherError('name', `'${e.name}' is both a state vector and a parameter`, { path: `params.${e.name}` });
  }
  const time = readTime(raw.time);
  const domain = readDomain(raw.domain, state);

  const scope = modelScope(state, params, entries ?? [], arrays);
  const names = tensorNames(entries ?? [], arrays);
  const tensorScope: Scope = { allowed: new Map([...scope.allowed, ...[...names].map(([n, t]): [string, string] => [n, t.shape.length === 1 ? 'vector' : 'matrix'])]), forbidden: scope.forbidden };
  const drift = (entries && readVectorDrift(raw.drift, entries, names, tensorScope)) ?? readDrift(raw.drift, state.length, scope);

  const hasDiffusion = raw.diffusion !== undefined;
  const hasNoise = raw.noise !== undefined;
  if (hasDiffusion && hasNoise) {
    throw schema('noise', 'give exactly one of diffusion (D) and noise (G, with D = G Gᵀ/2), not both');
  }
  if (!hasDiffusion && !hasNoise) {
    throw schema('diffusion', 'missing field: give diffusion (D) or noise (G, with D = G Gᵀ/2)');
  }
  const field = hasDiffusion ? 'diffusion' : 'noise';
  const matrix = arrayField(raw[field], field, arrays, state.length, hasNoise) ?? readMatrixField(raw[field], field, state.length, scope, hasNoise);
  const diffusion = buildDiffusion(matrix, hasNoise ? 'noise' : 'diffusion', state, params, { time: time ?? DEFAULT_TIME_RANGE, domain: domain ?? state.map(() => WHOLE_LINE) });

  const spec = raw as unknown as ModelSpec;
  return Object.freeze({
    name,
    ...(description !== undefined ? { description } : {}),
    ...(origin.file !== undefined ? { file: origin.file } : {}),
    state,
    params,
    time: time ?? DEFAULT_TIME_RANGE,
    timeGiven: time !== undefined,
    domain: domain ?? state.map(() => WHOLE_LINE),
    domainGiven: domain !== undefined,
    drift,
    diffusion,
    ...(hasNoise ? { noise: noiseMatrix(matrix, state.length) } : {}),
    spec,
  });
}

function readTime(value: unknown): [number, number] | undefined {
  if (value === undefined || value === null) return undefined;
  const ok = Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) throw schema('time', `expected [t0, t1], two finite numbers (the interval on which the model is defined); got ${kindOf(value)}`);
  const [a, b] = value as [number, number];
  if (!(a < b)) throw schema('time', `expected t0 < t1; got [${a}, ${b}]`);
  return [a, b];
}

/**
 * `domain: {x: [0, inf]}`: an open interval per state variable (those left out
 * are unbounded). Bounds are numbers, YAML's .inf / -.inf, or the strings inf,
 * +inf, -inf, infinity.
 */
function readDomain(value: unknown, state: readonly string[]): Interval[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw schema('domain', `expected a mapping from state variables to intervals, e.g. {x: [0, inf]}; got ${kindOf(value)}`);
  const out = state.map((): Interval => WHOLE_LINE);
  for (const [name, interval] of Object.entries(value)) {
    const path = `domain.${name}`;
    const i = state.indexOf(name);
    if (i < 0) throw schema(path, `'${name}' is not a state variable (state: ${state.join(', ')})`);
    if (!Array.isArray(interval) || interval.length !== 2) throw schema(path, `expected [lo, hi], an open interval such as [0, inf]; got ${kindOf(interval)}`);
    const [lo, hi] = interval.map((v, j) => bound(v, `${path}[${j}]`));
    if (!(lo < hi)) throw schema(path, `expected lo < hi; got [${lo}, ${hi}]`);
    out[i] = [lo, hi];
  }
  return out;
}

function bound(v: unknown, path: string): number {
  if (typeof v === 'number' && !Number.isNaN(v)) return v;
  if (typeof v === 'string') {
    const word = v.trim().toLowerCase();
    if (word === 'inf' || word === '+inf' || word === 'infinity' || word === '+infinity') return Infinity;
    if (word === '-inf' || word === '-infinity') return -Infinity;
  }
  throw schema(path, `expected a number, inf or -inf; got ${kindOf(v)}${typeof v === 'string' ? ` ('${v}')` : ''}`);
}

function readState(value: unknown): string[] {
  if (value === undefined) throw schema('state', 'missing field: list the state variables, e.g. state: [x, y]');
  if (!Array.isArray(value)) throw schema('state', `expected a list of names, e.g. [x, y]; got ${kindOf(value)}`);
  if (value.length === 0) throw schema('state', 'expected at least one state variable');
  if (value.length > MAX_STATE) throw new NoetherError('limit', `at most ${MAX_STATE} state variables; got ${value.length}`, { path: 'state' });
  const seen = new Set<string>();
  return value.map((v, i) => {
    const path = `state[${i}]`;
    if (typeof v !== 'string') throw schema(path, `expected a name; got ${kindOf(v)}`);
    const problem = nameProblem(v);
    if (problem) throw new NoetherError('name', `bad state name '${v}': ${problem}`, { path });
    if (seen.has(v)) throw new NoetherError('name', `duplicate state name '${v}'`, { path });
    seen.add(v);
    return v;
  });
}

function readParams(value: unknown, state: readonly string[]): Parameter[] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw schema('params', `expected a mapping from names to numbers, e.g. {k: 1.0}; got ${kindOf(value)}`);
  const keys = Object.keys(value);
  if (keys.length > MAX_PARAMS) throw new NoetherError('limit', `at most ${MAX_PARAMS} parameters; got ${keys.length}`, { path: 'params' });
  return keys.map((name) => {
    const path = `params.${name}`;
    const problem = nameProblem(name);
    if (problem) throw new NoetherError('name', `bad parameter name '${name}': ${problem}`, { path });
    if (state.includes(name)) throw new NoetherError('name', `'${name}' is both a state variable and a parameter`, { path });
    const v = value[name];
    if (typeof v !== 'number') throw schema(path, `expected a number; got ${kindOf(v)}${typeof v === 'string' ? ` ('${v}')` : ''}`);
    if (!Number.isFinite(v)) throw schema(path, `expected a finite number; got ${v}`);
    return Object.freeze({ name, value: v });
  });
}

/** An array parameter's name may not be a state name, a state vector's or a component's. */
function checkArrayName(name: string, state: readonly string[], entries: readonly StateEntry[] | undefined): void {
  const path = `params.${name}`;
  const problem = nameProblem(name);
  if (problem) throw new NoetherError('name', `bad parameter name '${name}': ${problem}`, { path });
  if (state.includes(name) || entries?.some((e) => e.name === name)) throw new NoetherError('name', `'${name}' is both a state variable and a parameter`, { path });
}

/**
 * Names allowed in drift, diffusion and noise: state, parameters, t. Velocities and momenta are named as forbidden,
 * and so are vectors and matrices where one scalar expression is expected.
 */
export function modelScope(state: readonly string[], params: readonly Parameter[], entries: readonly StateEntry[] = [], arrays: ReadonlyMap<string, unknown> = new Map()): Scope {
  const allowed = new Map<string, string>();
  for (const s of state) allowed.set(s, 'state variable');
  for (const p of params) allowed.set(p.name, 'parameter');
  allowed.set('t', 'time');
  const forbidden = new Map<string, string>();
  for (const s of state) {
    forbidden.set(velocityName(s), `velocity '${velocityName(s)}' may not appear here: drift and noise depend on the state and t only`);
    forbidden.set(momentumName(s), `momentum '${momentumName(s)}' may not appear here`);
  }
  for (const e of entries) {
    if (e.size !== null) forbidden.set(e.name, `'${e.name}' is a vector (${e.components[0]} … ${e.components[e.components.length - 1]}): use its components in a per-component expression, or write one vector expression for it`);
  }
  for (const name of arrays.keys()) forbidden.set(name, `'${name}' is a vector or matrix parameter: use it in a vector expression (drift per state entry), not in a per-component one`);
  return { allowed, forbidden };
}

function readExpression(value: unknown, path: string, scope: Scope): Expr {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw schema(path, `expected a finite number or an expression; got ${value}`);
    return parseExpression(String(value), scope);
  }
  if (typeof value !== 'string') throw schema(path, `expected an expression (a string or number); got ${kindOf(value)}`);
  if (value.trim() === '') throw new NoetherError('expression', 'empty expression', { path, expression: value });
  try {
    return parseExpression(value, scope);
  } catch (err) {
    if (err instanceof NoetherError) throw err.at({ path });
    throw err;
  }
}

function readDrift(value: unknown, n: number, scope: Scope): Expr[] {
  if (value === undefined) throw schema('drift', `missing field: give ${n} drift expression${n > 1 ? 's' : ''}, one per state variable`);
  if (!Array.isArray(value)) {
    if (n === 1 && (typeof value === 'string' || typeof value === 'number')) return [readExpression(value, 'drift', scope)];
    throw schema('drift', `expected a list of ${n} expressions; got ${kindOf(value)}`);
  }
  if (value.length !== n) {
    throw new NoetherError('shape', `expected ${n} drift expression${n > 1 ? 's' : ''} (one per state variable); got ${value.length}`, { path: 'drift' });
  }
  return value.map((v, i) => readExpression(v, `drift[${i}]`, scope));
}

export type MatrixEntries =
  | { kind: 'scalar'; value: Expr }
  | { kind: 'diagonal'; values: Expr[] }
  | { kind: 'matrix'; rows: Expr[][] };

function readMatrixField(value: unknown, field: string, n: number, scope: Scope, isNoise: boolean): MatrixEntries {
  const what = isNoise ? `an N×M matrix (N = ${n} rows)` : `an ${n}×${n} matrix`;
  if (!Array.isArray(value)) return { kind: 'scalar', value: readExpression(value, field, scope) };
  if (value.length === 0) throw new NoetherError('shape', `expected a scalar, a list of ${n} entries or ${what}; got an empty list`, { path: field });
  if (!value.some(Array.isArray)) {
    if (value.length !== n) {
      throw new NoetherError('shape', `a list gives the diagonal and needs ${n} entries (one per state variable); got ${value.length}`, { path: field });
    }
    return { kind: 'diagonal', values: value.map((v, i) => readExpression(v, `${field}[${i}]`, scope)) };
  }
  if (value.length !== n) throw new NoetherError('shape', `expected ${what}; got ${value.length} rows`, { path: field });
  let m = -1;
  const rows = value.map((row, i) => {
    if (!Array.isArray(row)) throw new NoetherError('shape', `expected row ${i} to be a list; got ${kindOf(row)}`, { path: `${field}[${i}]` });
    if (m === -1) m = row.length;
    const want = isNoise ? m : n;
    if (row.length !== want || row.length === 0) {
      throw new NoetherError('shape', `expected ${what}; row ${i} has ${row.length} entries, expected ${want}`, { path: `${field}[${i}]` });
    }
    return row.map((v, j) => readExpression(v, `${field}[${i}][${j}]`, scope));
  });
  if (isNoise && m > 4 * MAX_STATE) throw new NoetherError('limit', `noise has ${m} columns; at most ${4 * MAX_STATE}`, { path: field });
  return { kind: 'matrix', rows };
}

/** G as an N×M matrix, from a scalar (s·I), a list (diagonal) or the matrix given. */
function noiseMatrix(entries: MatrixEntries, n: number): Expr[][] {
  if (entries.kind === 'matrix') return entries.rows;
  const diagonal = entries.kind === 'scalar' ? Array.from({ length: n }, () => entries.value) : entries.values;
  return diagonal.map((g, i) => diagonal.map((_, j) => (i === j ? g : ZERO)));
}

function schema(path: string, detail: string): NoetherError {
  return new NoetherError('schema', detail, path ? { path } : {});
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'a string';
  return `${typeof v === 'number' ? 'the number' : typeof v} ${String(v)}`.trim();
}

/** The closest field name by edit distance, if it is a plausible typo. */
function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o);
    if (d < bestD) [best, bestD] = [o, d];
  }
  return bestD <= 2 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (a.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
