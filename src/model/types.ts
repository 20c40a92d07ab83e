// The validated model every later stage works from.

import type { Expr } from '../expr/expr.ts';

/** A model as a person writes it (YAML, JSON or a TypeScript object). */
export interface ModelSpec {
  name: string;
  description?: string;
  /** Names, or vectors by name with their number of components ({x: 3}: x_1 … x_3), or a list of both. */
  state: Array<string | Record<string, number>> | Record<string, number>;
  /** Numbers, vectors (lists) and matrices (lists of rows); vectors and matrices are used in vector expressions. */
  params?: Record<string, number | number[] | number[][]>;
  /**
   * One expression per state variable (mathjs syntax; may use the state, the parameters and t),
   * or, with vector entries in the state, one per declared entry ("-x + W*tanh(x) + b").
   */
  drift: Array<string | number> | string | number;
  /** D: a scalar (D·I), a list (diagonal) or an N×N matrix. Exactly one of diffusion and noise. */
  diffusion?: Entry | Entry[] | Entry[][];
  /** G with D = G Gᵀ/2: a scalar (G = s·I), a list (diagonal) or an N×M matrix. */
  noise?: Entry | Entry[] | Entry[][];
  /** The time interval [t0, t1] on which the model is defined (e.g. where D stays positive). */
  time?: [number, number];
  /** Open intervals per state variable, e.g. {x: [0, inf]} (bounds: numbers, inf, -inf); others are unbounded. */
  domain?: Record<string, [number | string, number | string]>;
}
type Entry = string | number;

/** How D is built: the Lagrangian stage takes a fast path for isotropic and diagonal D. */
export type DiffusionStructure = 'isotropic' | 'diagonal' | 'full';

export interface Diffusion {
  readonly structure: DiffusionStructure;
  /** The full N×N matrix D (also for isotropic and diagonal D). */
  readonly matrix: readonly (readonly Expr[])[];
  readonly dependsOnState: boolean;
  readonly dependsOnTime: boolean;
  /** How positive definiteness was established. */
  readonly positiveDefinite: { readonly evidence: 'exact' | 'sampled'; readonly points: number };
}

export interface Parameter {
  readonly name: string;
  readonly value: number;
}

export interface Model {
  readonly name: string;
  readonly description?: string;
  /** The file the model came from, if any (used in messages). */
  readonly file?: string;
  readonly state: readonly string[];
  readonly params: readonly Parameter[];
  readonly drift: readonly Expr[];
  readonly diffusion: Diffusion;
  /** Where t may be sampled and paths may run; the default is DEFAULT_TIME_RANGE. */
  readonly time: readonly [number, number];
  /** Whether `time` was given in the model (and so bounds paths) or is the default sampling range. */
  readonly timeGiven: boolean;
  /** The open interval (lo, hi) each state variable lives in, in state order; (−∞, ∞) unless the model says otherwise. */
  readonly domain: readonly (readonly [number, number])[];
  readonly domainGiven: boolean;
  /** G (N×M) when the model states noise rather than diffusion: a scalar s as s·I, a list as the diagonal. */
  readonly noise?: readonly (readonly Expr[])[];
  /** The model as written, for reports and reproduction. */
  readonly spec: ModelSpec;
}

/** Sampling interval for t when a model does not state its time interval. */
export const DEFAULT_TIME_RANGE: readonly [number, number] = [0.05, 3];

/** Name of the velocity symbol of a state variable (x → x_dot). */
export function velocityName(state: string): string {
  return `${state}_dot`;
}
/** Name of the acceleration symbol of a state variable (x → x_ddot). */
export function accelerationName(state: string): string {
  return `${state}_ddot`;
}
/** Name of the momentum symbol conjugate to a state variable (x → p_x). */
export function momentumName(state: string): string {
  return `p_${state}`;
}
