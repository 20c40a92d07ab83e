// The reports: everything noether computes leaves the library as one of these
// plain-data values (JSON in, JSON out: no classes, bigints, typed arrays, NaN
// or Infinity), so `JSON.parse(JSON.stringify(r))` gives `r` back. The CLI's
// --json prints them, the web page and the HTML report render them. schemas/
// holds their JSON Schemas, generated from this file (npm run schemas).
//
// Versioning: `schemaVersion` is "MAJOR.MINOR". A new optional field or a new
// enum value raises MINOR; removing or renaming a field or changing its meaning
// raises MAJOR. Consumers should check the major version.

import type { ExprTree } from '../expr/tree.ts';

export type { ExprTree };

/** The version of every report's shape; see the versioning rule above. */
export type SchemaVersion = '1.0';
export const SCHEMA_VERSION: SchemaVersion = '1.0';

// ------------------------------------------------------------------ formulas

/** One expression, in the three forms a reader may want. */
export interface Formula {
  /** The expression in model syntax (mathjs syntax; what noether reads back, e.g. in `check --generator`). */
  readonly expr: string;
  /** LaTeX (math mode, amsmath). */
  readonly latex: string;
  /** The exact expression tree. */
  readonly tree: ExprTree;
}

/** A formula with the symbol it defines, e.g. p_x = … or x_ddot = …. */
export interface NamedFormula extends Formula {
  /** The left-hand side in model syntax, e.g. `p_x`, `x_ddot`, `p_x_dot`. */
  readonly name: string;
}

// ------------------------------------------------------------------ model

export type ActionKind = 'eq8' | 'om';
export type DiffusionStructure = 'isotropic' | 'diagonal' | 'full';

/** The model as noether understood it: every expression in canonical form. */
export interface ModelSummary {
  readonly name: string;
  readonly description: string | null;
  /** State variables, in order; velocities are `<name>_dot`, momenta `p_<name>`. */
  readonly state: string[];
  /** Parameter values by name. */
  readonly params: Record<string, number>;
  /** f, one formula per state variable. */
  readonly drift: Formula[];
  /** Whether f depends on t (with D: whether the Lagrangian does, so whether energy can be conserved). */
  readonly driftDependsOnTime: boolean;
  readonly diffusion: {
    readonly structure: DiffusionStructure;
    /** D as an N×N matrix (also when it was given as a scalar, a diagonal or as G). */
    readonly matrix: Formula[][];
    readonly dependsOnState: boolean;
    readonly dependsOnTime: boolean;
    /** 'exact': proved (constant D); 'sampled': checked at `points` seeded points. */
    readonly positiveDefinite: { readonly evidence: 'exact' | 'sampled'; readonly points: number };
  };
  /** G (N×M) when the model states noise (D = G Gᵀ/2; a scalar s as s·I, a list as the diagonal), else null. */
  readonly noise: Formula[][] | null;
  /** [t0, t1]: where paths may run when `given`, else only where t is sampled. */
  readonly time: { readonly interval: [number, number]; readonly given: boolean };
  /** The open interval (lo, hi) of each state variable; null bounds are infinite ((null, null): unbounded). */
  readonly domain: Record<string, [number | null, number | null]>;
}

/** The name and state of the model a numeric report is about. */
export interface ModelRef {
  readonly name: string;
  readonly state: string[];
}

// ------------------------------------------------------------------ Lagrangian

export interface LagrangianReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'lagrangian';
  readonly model: ModelSummary;
  /** eq8: L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) (paper Eq. 8); om: L + ½∇·f. */
  readonly action: ActionKind;
  readonly lagrangian: Formula;
  /** pᵢ = ∂L/∂ẋᵢ (Eq. 15). */
  readonly momenta: NamedFormula[];
  /** E = p·ẋ − L (Eq. 10). */
  readonly energy: Formula;
  /** H(x, p, t) over the momentum symbols `momenta`. */
  readonly hamiltonian: Formula & { readonly momenta: string[] };
  /** The equations of motion, when they were asked for (they cost most), else null. */
  readonly equationsOfMotion: {
    /** ẍᵢ(x, ẋ, t), named `<x>_ddot`. */
    readonly eulerLagrange: NamedFormula[];
    /** ẋ = ∂H/∂p (named `<x>_dot`), ṗ = −∂H/∂x (named `p_<x>_dot`). */
    readonly hamilton: { readonly xdot: NamedFormula[]; readonly pdot: NamedFormula[] };
  } | null;
}

// ------------------------------------------------------------------ symmetries

export type SymmetryStatus = 'exact' | 'quasi' | 'broken' | 'undecided';
export type EvidenceKind = 'symbolic' | 'numeric';

/** A generator v = τ ∂t + ξ·∂x. */
export interface GeneratorReport {
  /** τ in model syntax. */
  readonly dt: string;
  /** ξ in model syntax, one entry per state variable. */
  readonly dx: string[];
  readonly latex: { readonly dt: string; readonly dx: string[] };
  readonly tree: { readonly dt: ExprTree; readonly dx: ExprTree[] };
}

/** A conserved quantity, as a formula in (x, ẋ, t). */
export interface QuantityReport extends Formula {
  /** What it is called, e.g. "angular momentum". */
  readonly name: string;
  /** Plain symbol, e.g. `L_xy`. */
  readonly symbol: string;
  readonly symbolLatex: string;
  /** The paper's vector notation (Eqs. 10, 12, 14, 16) where there is one, else null. */
  readonly vectorLatex: string | null;
  /**
   * For an exact symmetry with τ = 0 and ξ free of t: J = p·ξ over the momentum
   * symbols p_x, p_y, … (p = ∂L/∂ẋ, as `lagrangian` prints them), e.g.
   * `x_4*p_x_1 - x_3*p_x_2` for ξ = Ωx: the charge pᵀΩx, N terms at most where the
   * components have the drift in every momentum. Null otherwise.
   */
  readonly momentum: (Formula & { readonly momenta: string[] }) | null;
}

/** The verdict on one generator, with its evidence and, for symmetries, the conserved charge. */
export interface SymmetryReport {
  /** The rule it comes from (`claim` for a generator given by the user). */
  readonly rule: string;
  readonly description: string;
  /** Which axis or plane the rule was instantiated for. */
  readonly params: { readonly axis?: string; readonly plane?: [string, string] };
  readonly generator: GeneratorReport;
  /**
   * exact: δL ≡ 0; quasi: δL = dK/dt; broken: δL ≠ 0 at `counterexample`
   * (certified: |δL| exceeds its error bound there); undecided: no certified
   * evaluation was possible (`reason` says why). Never exact without proof or
   * certified numeric evidence.
   */
  readonly status: SymmetryStatus;
  /** symbolic: a proof (a normal form reduced to 0, or for a recognised network the exact matrix identities of network.ts); numeric: zero at `points` seeded points (never called a proof). */
  readonly evidence: EvidenceKind;
  /** Sample points of numeric evidence, else null. */
  readonly points: number | null;
  /** For numeric evidence of zero: the largest certified |δL| at those points, relative to the terms that cancelled; else null. */
  readonly bound: number | null;
  /** Why the verdict is undecided, else null. */
  readonly reason: string | null;
  /** For symbolic evidence: for all parameter values or only the model's, else null. */
  readonly holdsFor: 'all parameter values' | 'these parameter values' | null;
  /** The evidence in words, e.g. "symbolic", "numeric (24 points)", "counterexample", "undecided". */
  readonly evidenceSummary: string;
  /** Where δL ≠ 0 (state, velocities and t; parameters at the model's values), for broken generators. */
  readonly counterexample: { readonly point: Record<string, number>; readonly deltaL: number } | null;
  /**
   * The gauge term K of a quasi-symmetry (δL = dK/dt), else null. `expr` is null
   * when K exists but has no closed form here (`note` says so); then `integral`
   * defines it (∇K = b, ∂K/∂t = c0), the charge holds it as the symbol `symbol`,
   * and path checks evaluate it as a line integral.
   */
  readonly gauge: {
    readonly expr: string | null;
    readonly latex: string | null;
    readonly tree: ExprTree | null;
    readonly note: string | null;
    readonly integral: { readonly symbol: string; readonly b: Formula[]; readonly c0: Formula } | null;
  } | null;
  /** The Noether charge J = p·ξ − τE − K (signed as the rule says), for exact and quasi symmetries with K known. */
  readonly quantity: QuantityReport | null;
}

/** What became of a rule file, or of a rule that does not apply to the model. */
export interface RuleLoadReport {
  readonly file: string;
  /** loaded; skipped (a bad file, or a rule that does not apply; see reason); replaced by a user rule of the same name. */
  readonly status: 'loaded' | 'skipped' | 'replaced';
  readonly rule: string | null;
  readonly reason: string | null;
}

export interface DerivationReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'derivation';
  readonly model: ModelSummary;
  readonly action: ActionKind;
  readonly lagrangian: Formula;
  readonly rules: RuleLoadReport[];
  /**
   * Every generator of the rules, in their order (time, translations, rotations,
   * boosts, scaling, others), then the generators that solving for the algebra
   * added (rule `discovered`).
   */
  readonly symmetries: SymmetryReport[];
  /** The symmetry algebra solved for (null when discovery was turned off). */
  readonly algebra: AlgebraReport | null;
}

/** The (quasi-)symmetry algebra, from the determining equations. */
export interface AlgebraReport {
  /** Its dimension; null when it is not finite or the equations were not solved. */
  readonly dimension: number | null;
  /** The basis is the whole algebra of the class searched (otherwise `note` says why not). */
  readonly complete: boolean;
  /** The class of generators searched, in words. */
  readonly searched: string;
  /** Indices into `symmetries` of a basis. */
  readonly basis: number[];
  readonly note: string | null;
  /**
   * The Lie brackets of the basis generators as vector fields: for each pair of
   * basis symmetries (indices into `symmetries`), [v_a, v_b] = Σ coefficient·v_c
   * (exact rationals "p/q", only the non-zero ones; computed exactly from the
   * generators' matrices when every one is linear, τ constant and ξ = Ωx, else
   * verified symbolically), or null where the coefficients could not be established.
   */
  readonly commutators: Array<{ readonly pair: [number, number]; readonly result: Array<{ readonly symmetry: number; readonly coefficient: string }> | null }>;
  /**
   * The algebra's name where it is recognisable (abelian; the Schrödinger algebra of
   * free diffusion; a compact reductive algebra by its centre and simple ideals, with
   * ℝ ⊕ su(m) also called u(m)), else null.
   */
  readonly name: string | null;
}

/** `check`: one claimed generator. */
export interface CheckReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'check';
  readonly model: ModelRef;
  readonly action: ActionKind;
  readonly symmetry: SymmetryReport;
}

// ------------------------------------------------------------------ paths

export type PathMethod = 'newton' | 'lbfgs';

/** A most likely path request, with every default filled in. */
export interface PathRequestReport {
  readonly from: number[];
  readonly to: number[];
  /** The duration (fixed-time problem), else null. */
  readonly T: number | null;
  /** The energy (fixed-energy problem), else null. */
  readonly E: number | null;
  readonly t0: number;
  readonly nodes: number;
  readonly method: PathMethod;
  readonly polish: boolean;
  readonly driftTolerance: number;
  readonly refine: boolean;
}

/** One conserved charge checked along a path. */
export interface ChargeCheck {
  readonly name: string;
  readonly symbol: string;
  readonly symbolLatex: string;
  readonly rule: string;
  readonly status: 'exact' | 'quasi';
  /** The charge at the path's nodes (fixed T) or interval midpoints (fixed E). */
  readonly values: number[];
  /** (max − min) over the size of the terms the charge is made of. */
  readonly relativeDrift: number;
  /** Relative drift at M, 2M, 4M intervals (one entry without refinement). */
  readonly drifts: number[];
  /** Observed order of convergence of the drift under refinement, or null (at rounding level, or no refinement). */
  readonly order: number | null;
  /** The charge is identically 0 along this path (e.g. L_xy on a radial path): trivially conserved. */
  readonly zeroOnPath: boolean;
  readonly passed: boolean;
}

export interface PathReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'path';
  readonly model: ModelRef;
  readonly request: PathRequestReport;
  /** Node times and states: M + 1 of each, or the integrator's steps when the path was polished by shooting. */
  readonly t: number[];
  readonly x: number[][];
  /** S = ∫ L dt: along the shot path when polished (integrator accuracy), else the midpoint-rule sum of the discrete path. */
  readonly action: number;
  /** Duration: given (fixed T) or the transit time T* (fixed E); see infiniteDuration. */
  readonly T: number;
  /**
   * Fixed E = 0 into (or out of) a fixed point: the true duration is infinite, and T is
   * the time spent outside balls of radius `within` (1 % of |to − from|) around the
   * fixed-point ends listed; null otherwise.
   */
  readonly infiniteDuration: { readonly within: number; readonly ends: ('from' | 'to')[] } | null;
  /** Energy: given (fixed E) or its mean along the path (fixed T). */
  readonly E: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** How it was solved, e.g. "newton", "newton + shooting", "newton (geometric action)". */
  readonly method: string;
  /** max |∂S/∂x| of the discrete action at the solution (when polished: the shot's end-point miss |x(T) − to|). */
  readonly gradientNorm: number;
  /**
   * The second-order certificate of a converged path: 'minimum' when the Hessian
   * of the discrete action (at fixed E: of the geometric action, restricted to
   * moves across the curve) is positive definite (the inertia of its block LDLᵀ
   * factorisation), 'saddle' when it has `morseIndex` negative directions — then
   * this is not the most likely path —, 'degenerate' when it is (nearly) singular
   * without a negative direction before the zero pivot (with one, it is a saddle
   * and morseIndex a lower bound); null when not converged.
   */
  readonly stationary: 'minimum' | 'saddle' | 'degenerate' | null;
  readonly morseIndex: number | null;
  readonly quantities: ChargeCheck[];
  /** Charges that could not be checked, e.g. because their terms (such as e^{kt} at large t) exceed double precision. */
  readonly unchecked: { readonly name: string; readonly symbol: string; readonly reason: string }[];
  /** Whether the path was polished by shooting. */
  readonly polished: boolean;
  /** Why it was not ('' when polished, 'off' when not asked for). */
  readonly polishNote: string;
  /** Why the charges were not also checked at 2M and 4M intervals (drifts, order): '' when they were, 'off' when not asked for. */
  readonly refinementNote: string;
  /** Converged, not a saddle, and every checked charge within tolerance. */
  readonly passed: boolean;
}

// ------------------------------------------------------------------ fixed points

export type Stability = 'stable' | 'saddle' | 'unstable' | 'degenerate';

export interface FixedPointEntry {
  /** Coordinates, in state order. */
  readonly x: number[];
  readonly stability: Stability;
  /** Eigenvalues of ∂f/∂x, sorted by real part, then imaginary part. */
  readonly eigenvalues: { readonly re: number; readonly im: number }[];
  /** max |fᵢ| at x. */
  readonly residual: number;
}

export interface FixedPointReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'fixed-points';
  readonly model: ModelRef & { readonly params: Record<string, number> };
  /** The search box, per state variable. */
  readonly box: Record<string, [number, number]>;
  /** Time at which a time-dependent drift was frozen. */
  readonly t: number;
  readonly fixedPoints: FixedPointEntry[];
}

// ------------------------------------------------------------------ ensembles

/** Values per state variable (statistics are null where undefined, e.g. a standard deviation of one path). */
export type ByState<T> = Record<string, T>;

export interface EnsembleRequestReport {
  readonly from: number[];
  readonly T: number;
  readonly dt: number;
  readonly paths: number;
  readonly t0: number;
  readonly scheme: 'euler' | 'milstein';
  readonly seed: number;
  readonly samples: number;
  readonly quantiles: number[];
  readonly condition: { readonly to: number[]; readonly tol: number; readonly budget: number | null } | null;
  /** Shard `index` of `count` of a plain run (merge the shards with mergeEnsembles), else null. */
  readonly shard: { readonly index: number; readonly count: number } | null;
}

export interface EnsembleReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'ensemble';
  readonly model: ModelRef;
  readonly request: EnsembleRequestReport;
  /**
   * complete: the statistics below are of `paths.used` paths. hopeless: a
   * conditioned run stopped because the budget could not give the paths asked
   * for (`hopeless` has the estimate; the statistics are of the paths accepted
   * so far, possibly none).
   */
  readonly outcome: 'complete' | 'hopeless';
  readonly hopeless: {
    readonly message: string;
    readonly simulated: number;
    readonly accepted: number;
    readonly rate: number;
    readonly needed: number;
    readonly budget: number;
  } | null;
  readonly scheme: 'euler' | 'milstein';
  readonly noise: {
    /** Where G came from: the model's noise, √(2D) for diagonal D, or a Cholesky factor of 2D. */
    readonly source: 'noise' | 'diagonal-diffusion' | 'cholesky';
    readonly wienerProcesses: number;
    readonly structure: 'additive' | 'diagonal' | 'commutative' | 'non-commutative';
    readonly strongOrder: number;
    readonly weakOrder: number;
  };
  readonly seed: number;
  readonly workers: number;
  readonly t0: number;
  readonly T: number;
  /** The step used (T / steps). */
  readonly h: number;
  readonly steps: number;
  readonly paths: {
    readonly requested: number;
    readonly simulated: number;
    /** Paths that ended within tol (all paths when not conditioned). */
    readonly accepted: number;
    /** Paths the statistics are of. */
    readonly used: number;
    /** Paths that blew up (NaN or infinite state) and were left out. */
    readonly diverged: number;
    /** Paths that left the model's domain (e.g. x ≤ 0 for GBM): stopped there and left out of the statistics. */
    readonly leftDomain: number;
  };
  /** accepted / simulated for conditioned runs, else null. */
  readonly acceptanceRate: number | null;
  /** Statistics on the output grid: per time, per state variable. */
  readonly grid: {
    readonly t: number[];
    readonly mean: ByState<(number | null)[]>;
    readonly std: ByState<(number | null)[]>;
    readonly standardError: ByState<(number | null)[]>;
    /** By quantile level ("0.05", …). */
    readonly quantiles: Record<string, ByState<(number | null)[]>>;
    /** Paths the quantiles were computed from (the first ones, when memory would not hold all). */
    readonly quantilePaths: number;
  };
  /**
   * A shard's paths, for mergeEnsembles: its first path number, and the output-grid
   * states of its used paths (paths × grid points × state, little-endian float64,
   * base64); null for a whole run.
   */
  readonly shardData: { readonly firstPath: number; readonly samples: string } | null;
  /** Statistics of the states at t0 + T. */
  readonly final: {
    readonly mean: ByState<number | null>;
    readonly std: ByState<number | null>;
    readonly covariance: (number | null)[][];
    readonly min: ByState<number | null>;
    readonly max: ByState<number | null>;
    readonly quantiles: Record<string, ByState<number | null>>;
  };
  /** Conditioned runs: how far the ensemble mean lies from the most likely path between the same end points. */
  readonly mostLikely: {
    /** max over the grid of |mean(t) − x*(t)|, and where. */
    readonly distance: number;
    readonly at: number;
    /** Standard error of the mean there, and its largest value over the grid. */
    readonly standardError: number;
    readonly maxStandardError: number;
    readonly action: number;
    readonly converged: boolean;
    /** The most likely path on the output grid. */
    readonly path: ByState<number[]>;
  } | null;
  /** Histogram of long-run states (plain runs with a histogram request), else null. */
  readonly histogram: {
    readonly dims: string[];
    readonly bins: number[];
    readonly ranges: [number, number][];
    readonly edges: number[][];
    /** Counts: a list (1D) or rows by the first dimension (2D). */
    readonly counts: number[] | number[][];
    readonly total: number;
    readonly outside: number;
  } | null;
  readonly wallSeconds: number;
}

// ------------------------------------------------------------------ sweeps

/** A sweep request, with every default filled in. */
export interface SweepRequestReport extends Omit<PathRequestReport, 'T' | 'E'> {
  /** The duration of every path (fixed T), else null. */
  readonly T: number | null;
  /** The energies (fixed E), else null. */
  readonly E: number[] | null;
  /** The swept parameters, with their values. */
  readonly params: {
    readonly name: string;
    readonly start: number;
    readonly stop: number;
    readonly count: number;
    readonly values: number[];
  }[];
  /** Shard `index` of `count`: this report holds the points i with i mod count = index − 1 (merge the shards with mergeSweeps); null for a whole sweep. */
  readonly shard: { readonly index: number; readonly count: number } | null;
}

/** What the most likely path at one sweep point came to (the PathReport without the path itself). */
export interface SweepPathSummary
  extends Pick<PathReport, 'action' | 'T' | 'E' | 'converged' | 'iterations' | 'method' | 'gradientNorm' | 'stationary' | 'morseIndex' | 'polished'> {
  /** Fixed E = 0 into or out of a fixed point: the true duration is infinite, and T is the time outside small balls around those ends. */
  readonly infiniteDuration: boolean;
  /** The largest relative drift along the path of a checked charge that is not identically 0 on it (those pass trivially), with its symbol; null when there is none. */
  readonly maxDrift: { readonly symbol: string; readonly relativeDrift: number } | null;
  /** Symbols of the charges whose drift exceeds the tolerance. */
  readonly failedCharges: string[];
  /** Converged, not a saddle, and every checked charge within tolerance (as PathReport.passed). */
  readonly passed: boolean;
}

/** One point of a sweep. */
export interface SweepPoint {
  /** Its place in the whole sweep: the parameter grid in row-major order (the first parameter outermost), energies innermost. */
  readonly index: number;
  /** The swept parameters' values here, by name. */
  readonly params: Record<string, number>;
  /** The energy of this point (fixed E), else null. */
  readonly E: number | null;
  /** The path solved here, or null when the point could not be solved (`error`). */
  readonly path: SweepPathSummary | null;
  /**
   * Why there is no path: the error `noether solve` would give at this point
   * (e.g. an energy below what the path needs, a parameter value that makes D
   * singular, a path that leaves the domain); null when there is a path.
   */
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface SweepReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'sweep';
  /** The model; `params` are its parameter values as written (the swept ones are replaced point by point), `digest` a hash of the model as written, which tells shards of different models apart. */
  readonly model: ModelRef & { readonly params: Record<string, number>; readonly digest: string };
  readonly request: SweepRequestReport;
  /** Points in the whole sweep (the product of the parameter counts and the number of energies). */
  readonly total: number;
  /** The points of this report (all of them, or a shard's), by index. */
  readonly points: SweepPoint[];
  /** Every point of this report has a path that passed. */
  readonly passed: boolean;
}

// ------------------------------------------------------------------ drift field

/** The drift sampled on a grid over two state variables (or t and the state of a 1D model). */
export interface DriftFieldReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'drift-field';
  readonly model: ModelRef;
  /** Horizontal and vertical axes: state names, or "t" for the time axis of a 1D model. */
  readonly axes: [string, string];
  /** Cell centres along each axis. */
  readonly x: number[];
  readonly y: number[];
  /** The drift's components along the axes (1 along a t axis), rows by y: u[j][i] at (x[i], y[j]). */
  readonly u: number[][];
  readonly v: number[][];
  /** |f| (all components). */
  readonly magnitude: number[][];
  /** Cells where f is not finite (a singular point of f): their entries above are 0. */
  readonly nonFinite: number;
  /** Median of ¼ fᵀD⁻¹f over the grid: the scale of the energies that matter. */
  readonly energyScale: number;
}

// ------------------------------------------------------------------ analysis

/** What `analyze` returns: the Lagrangian and its symmetries, and whatever else was asked for. */
export interface AnalysisReport {
  readonly schemaVersion: SchemaVersion;
  readonly kind: 'analysis';
  readonly lagrangian: LagrangianReport;
  readonly derivation: DerivationReport;
  readonly path: PathReport | null;
  readonly fixedPoints: FixedPointReport | null;
  readonly ensemble: EnsembleReport | null;
}

/** Any report. */
export type Report =
  | LagrangianReport
  | DerivationReport
  | CheckReport
  | PathReport
  | FixedPointReport
  | EnsembleReport
  | SweepReport
  | DriftFieldReport
  | AnalysisReport;
