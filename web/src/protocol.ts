// Messages between the page and the worker that runs the pipeline. Everything
// here is plain data (structured-clone safe); formulas travel as LaTeX strings.

import type { PathReport, QuantityReport } from '../../src/check/path-report.ts';

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

export type Status = 'exact' | 'quasi' | 'broken';

export interface SymmetryView {
  readonly rule: string;
  readonly description: string;
  readonly status: Status;
  readonly evidence: 'symbolic' | 'numeric';
  /** 'symbolic', 'symbolic (at these parameter values)', 'numeric (n points)' or 'counterexample'. */
  readonly evidenceLabel: string;
  readonly points?: number;
  readonly scope?: string;
  /** τ and ξ of the generator, as LaTeX. */
  readonly generatorLatex: string;
  readonly charge?: {
    readonly name: string;
    readonly symbol: string;
    readonly symbolLatex: string;
    readonly latex: string;
    /** The paper's vector notation, where there is one. */
    readonly vectorLatex?: string;
  };
  readonly counterexample?: { readonly pointLatex: string; readonly deltaL: number };
  /** K of a quasi-symmetry, as LaTeX. */
  readonly gaugeLatex?: string;
  readonly note?: string;
}

export interface FixedPointView {
  readonly x: number[];
  readonly stability: 'stable' | 'saddle' | 'unstable' | 'degenerate';
}

export interface Analysis {
  readonly name: string;
  readonly description?: string;
  readonly state: string[];
  readonly stateLatex: string[];
  readonly params: { name: string; value: number }[];
  readonly time: [number, number];
  readonly timeGiven: boolean;
  /** The Lagrangian depends on t (no energy conservation, no fixed-E paths). */
  readonly timeDependent: boolean;
  /** The drift depends on t (the field plot is a snapshot). */
  readonly driftTimeDependent: boolean;
  readonly diffusion: { structure: string; evidence: string; points: number; latex: string };
  readonly driftLatex: string[];
  readonly lagrangianLatex: string;
  readonly energyLatex: string;
  readonly hamiltonianLatex: string;
  readonly momentaLatex: string[];
  readonly symmetries: SymmetryView[];
  readonly skipped: { rule: string; reason: string }[];
  /** Fixed points of the drift at t0 in the box [-3, 3]^N (capped). */
  readonly fixedPoints: FixedPointView[];
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

/** A checked charge as the library reports it, with its LaTeX symbol for the page. */
export interface QuantityView extends QuantityReport {
  readonly symbolLatex: string;
  /** J vanishes to rounding along this path (e.g. L_xy on a radial path): trivially conserved. */
  readonly zeroOnPath: boolean;
}

/** The library's path report, with the request it answers and how long it took. */
export interface PathView extends Omit<PathReport, 'quantities'> {
  readonly request: SolveRequest;
  readonly quantities: QuantityView[];
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
