// The one place where the stages' results (expression trees with exact
// rationals, typed arrays, compiled kernels) become reports (plain data): every
// formula as {expr, latex, tree}, every undefined statistic as null.

import type { PathCheck } from '../check/path-report.ts';
import { type Expr, add, dependsOn, isNum, mul, num, sym } from '../expr/expr.ts';
import { toText } from '../expr/print.ts';
import { type ExprTree, toTree } from '../expr/tree.ts';
import type { EquationsOfMotion, LagrangianResult } from '../lagrangian/lagrangian.ts';
import { chargeSymbolLatex, vectorForm } from '../latex/charges.ts';
import { toLatex } from '../latex/latex.ts';
import type { Model } from '../model/types.ts';
import type { Algebra, Derivation, SymmetryResult } from '../noether/derive.ts';
import type { MostLikelyComparison } from '../simulate/most-likely.ts';
import type { EnsembleResult, HopelessEstimate } from '../simulate/simulate.ts';
import type { FixedPoint } from '../solve/fixed-points.ts';
import {
  type ByState,
  type AlgebraReport,
  type DerivationReport,
  type EnsembleReport,
  type EnsembleRequestReport,
  type FixedPointReport,
  type Formula,
  type LagrangianReport,
  type ModelRef,
  type ModelSummary,
  type NamedFormula,
  type PathReport,
  type PathRequestReport,
  type QuantityReport,
  type RuleLoadReport,
  SCHEMA_VERSION,
  type SymmetryReport,
} from './reports.ts';

/**
 * The report with every −0 written as 0: JSON has no −0, and a report must come
 * back from JSON unchanged. (Reports are fresh objects, so this edits in place.)
 */
export function withoutNegativeZeros<T>(report: T): T {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (Object.is(v[i], -0)) v[i] = 0;
        else if (typeof v[i] === 'object' && v[i] !== null) visit(v[i]);
      }
    } else if (typeof v === 'object' && v !== null && !lazyFormulas.has(v)) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (Object.is(o[k], -0)) o[k] = 0;
        else if (typeof o[k] === 'object' && o[k] !== null) visit(o[k]);
      }
    }
  };
  visit(report);
  return report;
}

/**
 * The formula of e, with plain fields before and after it (in JSON key order). Its
 * text, LaTeX and tree are made on first read and kept: a network's L runs to
 * megabytes in each form, and most commands print one of them (JSON.stringify
 * and structured clones read them all).
 */
function formulaWith<B extends object, A extends object>(before: B, e: Expr, after: A): B & Formula & A {
  const out: object = { ...before };
  let text: string | undefined;
  let latex: string | undefined;
  let tree: ExprTree | undefined;
  Object.defineProperties(out, {
    expr: { enumerable: true, get: () => (text ??= toText(e)) },
    latex: { enumerable: true, get: () => (latex ??= toLatex(e)) },
    tree: { enumerable: true, get: () => (tree ??= toTree(e)) },
  });
  Object.assign(out, after);
  lazyFormulas.add(out);
  return out as B & Formula & A;
}
/** Formulas hold strings and trees of strings only: withoutNegativeZeros need not read them. */
const lazyFormulas = new WeakSet<object>();

export function formula(e: Expr): Formula {
  return formulaWith({}, e, {});
}

function named(name: string, e: Expr): NamedFormula {
  return formulaWith({ name }, e, {});
}

export function modelRef(model: Pick<Model, 'name' | 'state'>): ModelRef {
  return { name: model.name, state: [...model.state] };
}

function paramValues(model: Model): Record<string, number> {
  return Object.fromEntries(model.params.map((p) => [p.name, p.value]));
}

export function modelSummary(model: Model): ModelSummary {
  const d = model.diffusion;
  return {
    name: model.name,
    description: model.description ?? null,
    state: [...model.state],
    params: paramValues(model),
    drift: model.drift.map(formula),
    driftDependsOnTime: model.drift.some((f) => dependsOn(f, ['t'])),
    diffusion: {
      structure: d.structure,
      matrix: d.matrix.map((row) => row.map(formula)),
      dependsOnState: d.dependsOnState,
      dependsOnTime: d.dependsOnTime,
      positiveDefinite: { ...d.positiveDefinite },
    },
    noise: model.noise ? model.noise.map((row) => row.map(formula)) : null,
    time: { interval: [model.time[0], model.time[1]], given: model.timeGiven },
    domain: Object.fromEntries(model.state.map((s, i) => [s, model.domain[i].map((b) => (Number.isFinite(b) ? b : null)) as [number | null, number | null]])),
  };
}

export function lagrangianReport(r: LagrangianResult, eom: EquationsOfMotion | undefined): LagrangianReport {
  const { symbols } = r;
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'lagrangian',
    model: modelSummary(r.model),
    action: r.action,
    lagrangian: formula(r.lagrangian),
    momenta: r.momenta.map((p, i) => named(symbols.momenta[i], p)),
    energy: formula(r.energy),
    hamiltonian: formulaWith({}, r.hamiltonian, { momenta: [...symbols.momenta] }),
    equationsOfMotion: eom
      ? {
          eulerLagrange: eom.accelerations.map((a, i) => named(symbols.accelerations[i], a)),
          hamilton: {
            xdot: eom.hamilton.xdot.map((e, i) => named(symbols.velocities[i], e)),
            pdot: eom.hamilton.pdot.map((e, i) => named(`${symbols.momenta[i]}_dot`, e)),
          },
        }
      : null,
  };
}

/** The evidence of a verdict in words: the one wording every front-end shows. */
export function evidenceSummary(s: Pick<SymmetryReport, 'status' | 'evidence' | 'points' | 'holdsFor' | 'counterexample'>): string {
  if (s.status === 'undecided') return 'undecided';
  if (s.status === 'broken') return s.counterexample ? 'counterexample' : 'numeric';
  if (s.evidence === 'numeric') return `numeric (${s.points} points)`;
  return s.holdsFor === 'these parameter values' ? 'symbolic (at these parameter values)' : 'symbolic';
}

export function symmetryReport(s: SymmetryResult, lagr: LagrangianResult): SymmetryReport {
  const { instance, verdict: v, charge } = s;
  const { dt, dx } = instance.generator;
  const p = instance.params;
  const base = {
    status: v.status,
    evidence: v.evidence,
    points: v.points ?? null,
    bound: v.bound ?? null,
    reason: v.reason ?? null,
    holdsFor: v.scope ?? null,
    counterexample: v.counterexample ? { point: orderedPoint(v.counterexample.point, lagr.model.state), deltaL: v.counterexample.deltaL } : null,
  };
  return {
    rule: instance.rule,
    description: instance.description,
    params: 'axis' in p ? { axis: p.axis } : 'plane' in p ? { plane: [p.plane[0], p.plane[1]] } : {},
    generator: {
      dt: toText(dt),
      dx: dx.map(toText),
      latex: { dt: toLatex(dt), dx: dx.map(toLatex) },
      tree: { dt: toTree(dt), dx: dx.map(toTree) },
    },
    ...base,
    evidenceSummary: evidenceSummary(base),
    gauge:
      v.status !== 'quasi'
        ? null
        : v.gauge?.K
          ? formulaWith({}, v.gauge.K, { note: null, integral: null })
          : {
              expr: null,
              latex: null,
              tree: null,
              note: v.gauge?.note ?? 'K was not found in closed form',
              integral: charge?.gauge ? { symbol: charge.gauge.symbol, b: charge.gauge.b.map(formula), c0: formula(charge.gauge.c0) } : null,
            },
    quantity: charge
      ? formulaWith({ name: charge.name, symbol: charge.symbol, symbolLatex: chargeSymbolLatex(s) }, charge.expr, {
          vectorLatex: vectorForm(s, lagr) ?? null,
          momentum: momentumForm(s, lagr),
        })
      : null,
  };
}

/** J = ±p·ξ over the momentum symbols, for an exact symmetry with τ = 0 and ξ free of t (QuantityReport.momentum). */
function momentumForm(s: SymmetryResult, lagr: LagrangianResult): QuantityReport['momentum'] {
  const { dt, dx } = s.instance.generator;
  if (!s.charge || s.verdict.status !== 'exact' || !isNum(dt, 0) || dx.some((e) => dependsOn(e, ['t']))) return null;
  const J = add(...dx.map((xi, i) => mul(xi, sym(lagr.symbols.momenta[i]))));
  return formulaWith({}, s.instance.charge.sign === 1 ? J : mul(num(-1), J), { momenta: [...lagr.symbols.momenta] });
}

/** A point in reading order: the state, then the velocities, then t. */
function orderedPoint(point: Readonly<Record<string, number>>, state: readonly string[]): Record<string, number> {
  const order = [...state, ...state.map((x) => `${x}_dot`), 't'];
  const keys = [...order.filter((k) => k in point), ...Object.keys(point).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, point[k]]));
}

function algebraReport(a: Algebra): AlgebraReport {
  const at = (i: number): number => a.basis[i];
  return {
    dimension: a.dimension,
    complete: a.complete,
    searched: a.searched,
    basis: [...a.basis],
    note: a.note ?? null,
    commutators: a.brackets.map((b) => ({
      pair: [at(b.a), at(b.b)],
      result: b.result === null ? null : b.result.map((t) => ({ symmetry: at(t.index), coefficient: t.coefficient.toString() })),
    })),
    name: a.name,
  };
}

export function derivationReport(d: Derivation): DerivationReport {
  const lagr = d.lagrangian;
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'derivation',
    model: modelSummary(lagr.model),
    action: lagr.action,
    lagrangian: formula(lagr.lagrangian),
    rules: d.rules.map((r): RuleLoadReport => ({ file: r.file, status: r.status, rule: r.rule ?? null, reason: r.reason ?? null })),
    symmetries: d.symmetries.map((s) => symmetryReport(s, lagr)),
    algebra: d.algebra ? algebraReport(d.algebra) : null,
  };
}

export function pathReport(model: Model, request: PathRequestReport, check: PathCheck, symbolLatex: (rule: string, symbol: string) => string): PathReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'path',
    model: modelRef(model),
    request,
    t: check.t,
    x: check.x,
    action: check.action,
    T: check.T,
    infiniteDuration: check.infiniteDuration ? { within: check.infiniteDuration.within, ends: [...check.infiniteDuration.ends] } : null,
    E: check.E,
    converged: check.converged,
    iterations: check.iterations,
    method: check.method,
    gradientNorm: check.gradientNorm,
    stationary: check.stationary ?? null,
    morseIndex: check.morseIndex ?? null,
    quantities: check.quantities.map((q) => ({
      name: q.name,
      symbol: q.symbol,
      symbolLatex: symbolLatex(q.rule, q.symbol),
      rule: q.rule,
      status: q.status,
      values: q.values,
      relativeDrift: q.relativeDrift,
      drifts: q.drifts,
      order: q.order,
      zeroOnPath: q.zeroOnPath,
      passed: q.passed,
    })),
    unchecked: check.unchecked,
    polished: check.polished,
    polishNote: check.polishNote,
    refinementNote: check.refinementNote,
    passed: check.passed,
  };
}

export function fixedPointReport(model: Model, box: { lo: readonly number[]; hi: readonly number[] }, t: number, points: readonly FixedPoint[]): FixedPointReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'fixed-points',
    model: { ...modelRef(model), params: paramValues(model) },
    box: Object.fromEntries(model.state.map((s, i) => [s, [box.lo[i], box.hi[i]]])),
    t,
    fixedPoints: points.map((p) => ({ x: [...p.x], stability: p.stability, eigenvalues: p.eigenvalues.map((e) => ({ re: e.re, im: e.im })), residual: p.residual })),
  };
}

/** A number, or null where it is undefined (NaN) or infinite: JSON has neither. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function ensembleReport(
  model: Pick<Model, 'name' | 'state'>,
  request: EnsembleRequestReport,
  r: EnsembleResult,
  hopeless: (HopelessEstimate & { message: string }) | undefined,
  comparison: MostLikelyComparison | undefined,
): EnsembleReport {
  const s = model.state;
  const byState = <T>(values: readonly T[]): ByState<T> => Object.fromEntries(s.map((name, i) => [name, values[i]]));
  const columns = (grid: readonly (readonly number[])[]): ByState<(number | null)[]> =>
    Object.fromEntries(s.map((name, i) => [name, grid.map((row) => finite(row[i]))]));
  const finals = (values: readonly number[]): ByState<number | null> => byState(values.map(finite));
  const h = r.histogram;
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'ensemble',
    model: modelRef(model),
    request,
    outcome: hopeless ? 'hopeless' : 'complete',
    hopeless: hopeless ? { ...hopeless } : null,
    scheme: r.scheme,
    noise: { ...r.noise },
    seed: r.seed,
    workers: r.workers,
    t0: r.t0,
    T: r.T,
    h: r.h,
    steps: r.steps,
    paths: { requested: request.paths, simulated: r.simulated, accepted: r.acceptedTotal, used: r.paths, diverged: r.diverged, leftDomain: r.leftDomain },
    acceptanceRate: r.acceptanceRate === null ? null : finite(r.acceptanceRate),
    grid: {
      t: [...r.t],
      mean: columns(r.mean),
      std: columns(r.std),
      standardError: columns(r.standardError),
      quantiles: Object.fromEntries(r.quantiles.map((q) => [String(q.level), columns(q.x)])),
      quantilePaths: r.quantilePaths,
    },
    final: {
      mean: finals(r.final.mean),
      std: finals(r.final.std),
      covariance: r.final.covariance.map((row) => row.map(finite)),
      min: finals(r.final.min),
      max: finals(r.final.max),
      quantiles: Object.fromEntries(r.final.quantiles.map((q) => [String(q.level), finals(q.x)])),
    },
    shardData: r.samples && request.shard ? { firstPath: r.firstPath ?? 0, samples: float64ToBase64(r.samples) } : null,
    mostLikely: comparison
      ? {
          distance: comparison.distance,
          at: comparison.at,
          standardError: comparison.standardError,
          maxStandardError: comparison.maxStandardError,
          action: comparison.action,
          converged: comparison.converged,
          path: Object.fromEntries(s.map((name, i) => [name, comparison.path.map((row) => row[i])])),
        }
      : null,
    histogram: h
      ? {
          dims: h.dims.map((d) => s[d]),
          bins: [...h.bins],
          ranges: h.ranges.map(([lo, hi]): [number, number] => [lo, hi]),
          edges: h.edges.map((e) => [...e]),
          counts: h.bins.length === 1 ? Array.from(h.counts) : Array.from({ length: h.bins[0] }, (_, a) => Array.from(h.counts.subarray(a * h.bins[1], (a + 1) * h.bins[1]))),
          total: h.total,
          outside: h.outside,
        }
      : null,
    wallSeconds: r.wallSeconds,
  };
}

/** Little-endian float64 values as base64 (no Buffer: the library runs in browsers too). */
export function float64ToBase64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The inverse of float64ToBase64; undefined if the text is not base64 of whole float64 values. */
export function base64ToFloat64(text: string): Float64Array | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  if (binary.length % 8 !== 0) return undefined;
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  return Float64Array.from({ length: binary.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}
