// What a caller may ask of a model, and the checks on it. Every front-end (the
// CLI, the web page, a program) gets the same message for the same mistake:
// a NoetherError with code 'request' naming the field.

import { NoetherError } from '../errors.ts';
import type { Model } from '../model/types.ts';

/** A state: numbers in state order, or values by state name. */
export type StatePoint = readonly number[] | Readonly<Record<string, number>>;

/** A most likely path between two states, in a fixed time T or at a fixed energy E. */
export interface PathRequest {
  readonly from: StatePoint;
  readonly to: StatePoint;
  /** Duration (fixed-time problem). Give exactly one of T and E. */
  readonly T?: number;
  /** Energy (fixed-energy problem; time-independent models only). */
  readonly E?: number;
  /** Start time (default: the start of the model's time interval when it has one, else 0). */
  readonly t0?: number;
  /** Intervals M of the discretisation (default 1000). */
  readonly nodes?: number;
  /** The discrete minimiser: newton (default) or lbfgs (first order, for comparison). Fixed T only. */
  readonly method?: 'newton' | 'lbfgs';
  /**
   * Polish the discrete path by shooting on Hamilton's equations (default true):
   * the path, its action ∫ L dt and its charges then hold to integrator accuracy.
   * Where shooting fails (e.g. long, unstable transits) the discrete path is kept.
   */
  readonly polish?: boolean;
  /** The pass rule: a conserved charge passes when its relative drift is at most this (default 1e-6). */
  readonly driftTolerance?: number;
  /** For a path left discrete, also solve at 2M and 4M to measure convergence orders (default true). */
  readonly refine?: boolean;
}

/** One swept parameter: `count` evenly spaced values from start to stop (both included). */
export interface SweepAxis {
  /** A scalar parameter of the model. */
  readonly name: string;
  readonly start: number;
  readonly stop: number;
  /** At least 1; one value needs start = stop. */
  readonly count: number;
}

/**
 * Most likely paths over a grid of parameter values and/or a list of energies,
 * one path per point; the other fields are those of a PathRequest, shared by
 * every point.
 */
export interface SweepRequest extends Omit<PathRequest, 'E'> {
  /** Energies, one path each (fixed-energy problems; time-independent models only). Give exactly one of T and E. */
  readonly E?: readonly number[];
  /** The swept parameters; several form their product (the first outermost, energies innermost). */
  readonly params?: readonly SweepAxis[];
  /** Solve only shard `index` of `count` (1-based): the points i with i mod count = index − 1; merge the reports with mergeSweeps. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Where to look for fixed points of the drift. */
export interface FixedPointRequest {
  /** [lo, hi] per state variable by name; variables left out get [−3, 3]. */
  readonly box?: Readonly<Record<string, readonly [number, number]>>;
  /** Time at which a time-dependent drift is frozen (default 0). */
  readonly t?: number;
  /** Upper bound on the number of Newton starts (default 2000). */
  readonly maxStarts?: number;
}

/** An ensemble of sample paths of the SDE. */
export interface EnsembleRequest {
  readonly from: StatePoint;
  readonly T: number;
  /** Largest time step; the step used is T / ⌈T/dt⌉. */
  readonly dt: number;
  /** Paths wanted: simulated (plain runs) or accepted (conditioned runs). */
  readonly paths: number;
  readonly t0?: number;
  /** euler (Euler–Maruyama, default) or milstein (strong order 1 for commutative noise). */
  readonly scheme?: 'euler' | 'milstein';
  /** Integer seed, 0 … 2³² − 1 (default 1): the same seed gives the same numbers for any number of workers. */
  readonly seed?: number;
  /** Worker threads (default: every core in Node; 1 in a browser). */
  readonly workers?: number;
  /** Points of the output grid (default 101). */
  readonly samples?: number;
  /** Quantile levels (default 0.05, 0.25, 0.5, 0.75, 0.95). */
  readonly quantiles?: readonly number[];
  /** Keep only paths that end within tol of `to` (rejection sampling). */
  readonly condition?: {
    readonly to: StatePoint;
    readonly tol: number;
    /** At most this many simulated paths (default: 2·10⁹ steps' worth, at least 10× the paths wanted). */
    readonly budget?: number;
  };
  /** Compare a conditioned ensemble's mean with the most likely path (default true). */
  readonly compare?: boolean;
  /** Simulate only shard `index` of `count` (1-based) of a plain run or a histogram run; merge the reports with mergeEnsembles. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Histogram of long-run states (plain runs). */
  readonly histogram?: {
    /** One or two state variables (default the first two). */
    readonly dims?: readonly string[];
    /** Bins per dimension (default 50), one number or one per dimension. */
    readonly bins?: number | readonly number[];
    /** [lo, hi] by state name (default: from a pilot run). */
    readonly ranges?: Readonly<Record<string, readonly [number, number]>>;
    /** Time before states are binned (default T/2). */
    readonly burnIn?: number;
  };
}

/** Where to sample the drift: two state variables (or "t" and the state of a 1D model). */
export interface DriftFieldRequest {
  readonly axes: readonly [string, string];
  readonly lo: readonly [number, number];
  readonly hi: readonly [number, number];
  /** Cells per axis. */
  readonly nx: number;
  readonly ny: number;
  /** Time of a time-dependent drift (ignored on a t axis; default 0). */
  readonly t?: number;
  /** Values of the state variables not on an axis (default 0). */
  readonly slice?: Readonly<Record<string, number>>;
}

export function requestError(path: string, detail: string): NoetherError {
  return new NoetherError('request', detail, { path });
}

export function finiteNumber(value: unknown, path: string, what = 'a finite number'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw requestError(path, `expected ${what}; got ${shown(value)}`);
  return value;
}

export function positiveNumber(value: unknown, path: string): number {
  const x = finiteNumber(value, path, 'a positive number');
  if (!(x > 0)) throw requestError(path, `expected a positive number; got ${x}`);
  return x;
}

export function integerIn(value: unknown, path: string, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw requestError(path, `expected an integer from ${lo} to ${hi}; got ${shown(value)}`);
  }
  return value;
}

/** A state as numbers in state order. */
export function statePoint(value: unknown, model: Model, path: string): number[] {
  const s = model.state;
  if (Array.isArray(value)) {
    if (value.length !== s.length) throw requestError(path, `expected ${s.length} numbers (state: ${s.join(', ')}); got ${value.length}`);
    return value.map((v, i) => finiteNumber(v, `${path}.${s[i]}`));
  }
  if (typeof value !== 'object' || value === null) {
    throw requestError(path, `expected a state such as {"${s[0]}": 0} or a list of ${s.length} numbers; got ${shown(value)}`);
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!s.includes(k)) throw requestError(path, `'${k}' is not a state variable (state: ${s.join(', ')})`);
  return s.map((name) => {
    if (!Object.hasOwn(obj, name)) throw requestError(path, `missing ${name} (state: ${s.join(', ')})`);
    return finiteNumber(obj[name], `${path}.${name}`);
  });
}

/** [lo, hi] with finite lo < hi. */
export function interval(value: unknown, path: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw requestError(path, `expected [lo, hi], two finite numbers; got ${shown(value)}`);
  }
  const [lo, hi] = value as [number, number];
  if (!(lo < hi)) throw requestError(path, `expected lo < hi; got [${lo}, ${hi}]`);
  return [lo, hi];
}

/** Checks that the keys of a by-name record are state variables. */
export function stateKeys(value: unknown, model: Model, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw requestError(path, `expected an object by state name, e.g. {"${model.state[0]}": [-1, 1]}; got ${shown(value)}`);
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!model.state.includes(k)) throw requestError(path, `'${k}' is not a state variable (state: ${model.state.join(', ')})`);
  return obj;
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  try {
    // Infinity and NaN inside a list would print as null.
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)) ?? String(v);
  } catch {
    return String(v);
  }
}
