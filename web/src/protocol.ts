// Messages between the page and the worker that runs the pipeline. Everything
// here is plain data (structured-clone safe); formulas travel as LaTeX strings.

import type { DerivationReport, FixedPointEntry, LagrangianReport, PathReport } from '../../src/index.ts';

/** A NoetherError (or any other failure) as the page shows it. */
export interface ErrorInfo {
  readonly code: string;
  readonly detail: string;
  /** Field path in the model, e.g. `drift[1]`, `params.k`. */
  readonly path?: string;
  /** 1-based column inside `expression`. */
  readonly column?: number;
  /** 1-based line of a YAML syntax error. */
  readonly line?: number;
  readonly expression?: string;
}

/** The library's reports on a model, and the fixed points worth drawing. */
export interface Analysis {
  readonly lagrangian: LagrangianReport;
  readonly derivation: DerivationReport;
  /** Fixed points of the drift at t0 in the box [-3, 3]^N (capped; rounded for display). */
  readonly fixedPoints: FixedPointEntry[];
  /** Whether the fixed points form a continuum (many roots found), so they are not drawn. */
  readonly fixedPointContinuum: boolean;
  readonly ms: number;
}

/** Where the drift is sampled: two state axes (or t and the one axis of a 1D model). */
export interface FieldView {
  /** Indices of the state variables on the horizontal and vertical axes; for 1D models [-1, 0] (t horizontal). */
  readonly axes: [number, number];
  readonly lo: [number, number];
  readonly hi: [number, number];
  /** Time at which a time-dependent drift is sampled (ignored on a t axis). */
  readonly t: number;
  /** Values of the state variables not on an axis. */
  readonly slice: number[];
  readonly nx: number;
  readonly ny: number;
}

export interface FieldData {
  readonly view: FieldView;
  /** Per grid point (row-major, ny rows of nx): the horizontal and vertical components of the direction. */
  readonly u: Float64Array;
  readonly v: Float64Array;
  /** |f| at each grid point (all components). */
  readonly mag: Float64Array;
  /** A typical ¼ fᵀD⁻¹f over the grid: the scale of the energies that matter. */
  readonly energyScale: number;
}

export interface SolveRequest {
  readonly from: number[];
  readonly to: number[];
  readonly T?: number;
  readonly E?: number;
  readonly t0: number;
  readonly nodes: number;
}

/** The library's path report, with how long it took. */
export interface PathView extends PathReport {
  readonly ms: number;
}

export type Request =
  | { readonly type: 'analyze'; readonly id: number; readonly text: string }
  | { readonly type: 'field'; readonly id: number; readonly view: FieldView }
  | { readonly type: 'solve'; readonly id: number; readonly request: SolveRequest };

export type Response =
  | { readonly type: 'analyze'; readonly id: number; readonly ok: true; readonly analysis: Analysis }
  | { readonly type: 'field'; readonly id: number; readonly ok: true; readonly field: FieldData }
  | { readonly type: 'solve'; readonly id: number; readonly ok: true; readonly path: PathView }
  | { readonly type: 'analyze' | 'field' | 'solve'; readonly id: number; readonly ok: false; readonly error: ErrorInfo };
