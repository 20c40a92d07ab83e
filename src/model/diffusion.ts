// Builds the diffusion tensor D (from D itself or from G via D = G Gᵀ/2), finds
// its structure, and checks that it is symmetric and positive definite: exactly
// (rational arithmetic) when D is constant, at seeded sample points otherwise,
// reporting the point where it fails.

import { NoetherError } from '../errors.ts';
import { type Expr, ZERO, add, dependsOn, isRational, mul, num, square, substitute, sub } from '../expr/expr.ts';
import { compileScalar, evaluateRational } from '../expr/evaluate.ts';
import { isZeroSymbolic } from '../expr/normal.ts';
import { toText } from '../expr/print.ts';
import { Rational } from '../expr/rational.ts';
import { Rng } from '../random/rng.ts';
import type { MatrixEntries } from './build.ts';
import { type Interval, WHOLE_LINE, samplingInterval, typicalValue } from './domain.ts';
import type { Diffusion, DiffusionStructure, Parameter } from './types.ts';

/** Half-width of the sampling box for the state (before it is moved inside the domain). */
const STATE_HALF_WIDTH = 3;
/** Sample points used to check a state- or time-dependent D. */
export const PD_SAMPLES = 256;
const SAMPLE_SEED = 20240917;

/** Where D is checked: t in the model's time interval, each state variable inside its domain. */
export interface Region {
  readonly time: readonly [number, number];
  readonly domain: readonly Interval[];
}

export function buildDiffusion(
  entries: MatrixEntries,
  field: 'diffusion' | 'noise',
  state: readonly string[],
  params: readonly Parameter[],
  region: Region,
): Diffusion {
  const n = state.length;
  const half = num(Rational.of(1, 2));
  let matrix: Expr[][];
  let structure: DiffusionStructure;
  const diag = (values: readonly Expr[]): Expr[][] =>
    values.map((v, i) => values.map((_, j) => (i === j ? v : ZERO)));

  if (entries.kind === 'scalar') {
    const d = field === 'noise' ? mul(half, square(entries.value)) : entries.value;
    matrix = diag(Array.from({ length: n }, () => d));
    structure = 'isotropic';
  } else if (entries.kind === 'diagonal') {
    matrix = diag(field === 'noise' ? entries.values.map((g) => mul(half, square(g))) : entries.values);
    structure = 'diagonal';
  } else {
    const g = entries.rows;
    matrix =
      field === 'noise'
        ? g.map((gi) => g.map((gj) => mul(half, add(...gi.map((gik, k) => mul(gik, gj[k]))))))
        : g.map((row) => [...row]);
    structure = 'full';
  }

  if (field === 'diffusion' && entries.kind === 'matrix') checkSymmetric(matrix, state, params, region);
  if (structure === 'full' && matrix.every((row, i) => row.every((d, j) => i === j || isZeroSymbolic(d)))) {
    matrix = diag(matrix.map((row, i) => row[i]));
    structure = 'diagonal';
  }
  if (structure === 'diagonal' && matrix.every((row, i) => row[i].key === matrix[0][0].key)) structure = 'isotropic';

  const names = [...state, 't'];
  const dependsOnState = matrix.some((row) => row.some((d) => dependsOn(d, state)));
  const dependsOnTime = matrix.some((row) => row.some((d) => dependsOn(d, ['t'])));
  const positiveDefinite =
    dependsOnState || dependsOnTime
      ? checkSampled(matrix, names, params, field, region)
      : checkConstant(matrix, params, field);
  return Object.freeze({ structure, matrix, dependsOnState, dependsOnTime, positiveDefinite });
}

function checkSymmetric(matrix: Expr[][], state: readonly string[], params: readonly Parameter[], region: Region): void {
  const n = matrix.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diff = sub(matrix[i][j], matrix[j][i]);
      if (isZeroSymbolic(diff)) continue;
      // Not provably equal: look for a point where they differ.
      const sampler = makeSampler([diff], [...state, 't'], params, region);
      for (let k = 0; k < PD_SAMPLES; k++) {
        const { values, describe } = sampler.point(k);
        const v = sampler.fns[0](values);
        if (!(Math.abs(v) <= 1e-12)) {
          throw new NoetherError(
            'diffusion',
            `D is not symmetric: D[${i}][${j}] = ${toText(matrix[i][j])} but D[${j}][${i}] = ${toText(matrix[j][i])}` +
              (k === 0 && dependsOn(diff, [...state, 't']) ? '' : ` (they differ at ${describe()})`),
            { path: `diffusion[${i}][${j}]` },
          );
        }
      }
    }
  }
}

/** Exact check for constant D: LDLᵀ pivots in rational arithmetic are all > 0 iff D is positive definite. */
function checkConstant(matrix: Expr[][], params: readonly Parameter[], field: string): Diffusion['positiveDefinite'] {
  const values = new Map(params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  let concrete: Expr[][];
  try {
    concrete = matrix.map((row) => row.map((d) => substitute(d, values)));
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new NoetherError('diffusion', `D is not finite at the given parameter values (${err.message})`, { path: field });
  }
  if (concrete.every((row) => row.every(isRational))) {
    const original = concrete.map((row) => row.map((d) => evaluateRational(d, new Map()) as Rational));
    const a = original.map((row) => [...row]);
    const n = a.length;
    const shown = (): string => formatMatrix(original.map((r) => r.map((x) => x.toNumber())));
    for (let k = 0; k < n; k++) {
      const pivot = a[k][k];
      if (pivot.sign() <= 0) {
        throw new NoetherError(
          'diffusion',
          n === 1
            ? `D = ${pivot.toNumber()} is not positive: D must be positive definite`
            : `D is not positive definite: its leading ${k + 1}×${k + 1} minor is ${pivot.sign() === 0 ? 'zero' : 'negative'}` +
                ` (D = ${shown()})`,
          { path: field },
        );
      }
      for (let i = k + 1; i < n; i++) {
        if (a[i][k].isZero()) continue; // nothing to eliminate (a diagonal D: all of them)
        const f = a[i][k].div(pivot);
        for (let j = k; j < n; j++) a[i][j] = a[i][j].sub(f.mul(a[k][j]));
      }
    }
    return { evidence: 'exact', points: 0 };
  }
  // Irrational constants (sqrt(2), exp(k), …): one double-precision Cholesky.
  const sampler = makeSampler(matrix.flat(), [], params, { time: [0, 1], domain: [] });
  const { values: at } = sampler.point(0);
  const entries = sampler.fns.map((f) => f(at));
  if (!entries.every(Number.isFinite)) {
    throw new NoetherError('diffusion', `D is not finite at the given parameter values (D = ${formatMatrix(chunk(entries, matrix.length))})`, { path: field });
  }
  const failure = cholesky(entries, matrix.length);
  if (failure) throw new NoetherError('diffusion', `D is not positive definite (${failure})`, { path: field });
  return { evidence: 'exact', points: 1 };
}

function checkSampled(
  matrix: Expr[][],
  names: readonly string[],
  params: readonly Parameter[],
  field: string,
  region: Region,
): Diffusion['positiveDefinite'] {
  const n = matrix.length;
  const sampler = makeSampler(matrix.flat(), names, params, region);
  for (let k = 0; k < PD_SAMPLES; k++) {
    const { values, describe } = sampler.point(k);
    const entries = sampler.fns.map((f) => f(values));
    const bad = entries.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new NoetherError(
        'diffusion',
        `D is not finite at ${describe()}: D[${Math.floor(bad / n)}][${bad % n}] = ${entries[bad]}`,
        { path: field },
      );
    }
    const failure = cholesky(entries, n);
    if (failure) {
      throw new NoetherError(
        'diffusion',
        `D is not positive definite at ${describe()} (${failure}; D there = ${formatMatrix(chunk(entries, n))})`,
        { path: field },
      );
    }
  }
  return { evidence: 'sampled', points: PD_SAMPLES };
}

/** Returns a description of the failure, or undefined if the row-major n×n matrix is positive definite. */
function cholesky(a: number[], n: number): string | undefined {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] ** 2;
    const scale = Math.abs(a[j * n + j]) || 1;
    if (!(d > 1e-14 * scale)) return n === 1 ? `D = ${a[0]}` : `leading ${j + 1}×${j + 1} minor is not positive`;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return undefined;
}

interface Sampler {
  readonly fns: Array<(v: ArrayLike<number>) => number>;
  point(k: number): { values: Float64Array; describe: () => string };
}

/**
 * Double-precision evaluators of `exprs` over `names` (the state variables in
 * order, then t; parameters fixed to their values) and a deterministic sequence
 * of sample points: the origin (or a typical point of the domain) at the middle
 * of the time interval first, then seeded uniform points with each state
 * variable in [-3, 3] moved inside its domain and t in the time interval.
 */
function makeSampler(
  exprs: readonly Expr[],
  names: readonly string[],
  params: readonly Parameter[],
  region: Region,
): Sampler {
  const { time } = region;
  const box = names.map((_, i) => samplingInterval(region.domain[i] ?? WHOLE_LINE, STATE_HALF_WIDTH));
  const typical = names.map((_, i) => typicalValue(region.domain[i] ?? WHOLE_LINE, STATE_HALF_WIDTH));
  const index = new Map<string, number>(names.map((n, i) => [n, i]));
  params.forEach((p, i) => index.set(p.name, names.length + i));
  const fns = exprs.map((e) => compileScalar(e, (name) => index.get(name)));
  const rng = new Rng(SAMPLE_SEED);
  return {
    fns,
    point(k) {
      const values = new Float64Array(names.length + params.length);
      names.forEach((name, i) => {
        values[i] = name === 't' ? (k === 0 ? 0.5 * (time[0] + time[1]) : rng.between(...time)) : k === 0 ? typical[i] : rng.between(...box[i]);
      });
      params.forEach((p, i) => (values[names.length + i] = p.value));
      const describe = (): string => names.map((name, i) => `${name} = ${round(values[i])}`).join(', ');
      return { values, describe };
    },
  };
}

function round(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function chunk(a: number[], n: number): number[][] {
  return Array.from({ length: n }, (_, i) => a.slice(i * n, i * n + n));
}

function formatMatrix(m: number[][]): string {
  return m.length === 1 ? round(m[0][0]) : `[${m.map((r) => `[${r.map(round).join(', ')}]`).join(', ')}]`;
}
