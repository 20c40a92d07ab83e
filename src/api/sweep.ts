// Sweeps: the most likely path at every point of a grid of parameter values
// and/or a list of energies. Points are independent of one another, so they may
// be solved in any order, on any thread (sweep-threads.ts) or machine (shards),
// and a report lists them by index: the same numbers whatever solved them.

import { NoetherError } from '../errors.ts';
import type { ModelSpec } from '../model/types.ts';
import { type Analyzer, type AnalyzerOptions, createAnalyzer } from './analyzer.ts';
import { withoutNegativeZeros } from './project.ts';
import { type PathReport, SCHEMA_VERSION, type SweepPathSummary, type SweepPoint, type SweepReport, type SweepRequestReport } from './reports.ts';
import { type SweepRequest, finiteNumber, integerIn, requestError } from './requests.ts';

/** Most points one sweep may have. */
export const MAX_SWEEP_POINTS = 1_000_000;

/** How each point's model is built: plain data, so that a worker thread can be given it. */
export type SweepModelOptions = Pick<AnalyzerOptions, 'action' | 'discover' | 'file'>;

/** A checked sweep: its request with every default filled in, and the points this run solves. */
export interface SweepPlan {
  readonly spec: ModelSpec;
  readonly options: SweepModelOptions;
  /** The model as written; it solves the points of a sweep that varies no parameter. */
  readonly base: Analyzer;
  readonly digest: string;
  readonly request: SweepRequestReport;
  readonly total: number;
  /** This run's points (a shard's, or all), in groups that share parameter values and so one derivation. */
  readonly groups: number[][];
}

/**
 * Checks a sweep request against the model, before anything is solved: a
 * mistake shared by every point (a bad end point, duration or option, an
 * unknown or non-scalar parameter, a malformed axis) is a NoetherError naming
 * the field (`params[1].count`, `E[2]`, `from`, …).
 */
export function planSweep(spec: ModelSpec, r: SweepRequest, options: SweepModelOptions = {}): SweepPlan {
  const base = createAnalyzer(spec, options);
  if (typeof r !== 'object' || r === null) throw requestError('', 'expected a sweep request such as {from, to, T, params: [{name, start, stop, count}]}');
  if ((r.T === undefined) === (r.E === undefined)) throw requestError('T', 'give exactly one of T (fixed duration) and E (a list of energies)');
  const E = r.E === undefined ? null : energies(r.E);
  if (r.params !== undefined && !Array.isArray(r.params)) throw requestError('params', 'expected a list of {name, start, stop, count}');
  const params = (r.params ?? []).map((a, i) => axis(a, `params[${i}]`, spec, base.model.params));
  params.forEach((a, i) => {
    if (params.findIndex((b) => b.name === a.name) < i) throw requestError(`params[${i}].name`, `'${a.name}' is swept twice`);
  });
  if (params.length === 0 && E === null) throw requestError('params', 'nothing to sweep: give parameters to vary, or a list of energies E');
  const total = params.reduce((n, a) => n * a.count, E?.length ?? 1);
  if (total > MAX_SWEEP_POINTS) throw requestError('params', `the sweep has ${total} points; at most ${MAX_SWEEP_POINTS}`);
  // The fields every point shares, checked as `solve` checks them (for an E list, at its first energy).
  const path = base.pathRequest({
    from: r.from,
    to: r.to,
    ...(E ? { E: E[0] } : { T: r.T as number }),
    ...(r.t0 !== undefined ? { t0: r.t0 } : {}),
    ...(r.nodes !== undefined ? { nodes: r.nodes } : {}),
    ...(r.method !== undefined ? { method: r.method } : {}),
    ...(r.polish !== undefined ? { polish: r.polish } : {}),
    ...(r.driftTolerance !== undefined ? { driftTolerance: r.driftTolerance } : {}),
    ...(r.refine !== undefined ? { refine: r.refine } : {}),
  });
  const shard = r.shard === undefined ? null : shardOf(r.shard, total);
  const request: SweepRequestReport = {
    from: path.from,
    to: path.to,
    T: path.T,
    E,
    params,
    t0: path.t0,
    nodes: path.nodes,
    method: path.method,
    polish: path.polish,
    driftTolerance: path.driftTolerance,
    refine: path.refine,
    shard,
  };
  const perGroup = E?.length ?? 1;
  const groups: number[][] = [];
  for (let g = 0; g < total / perGroup; g++) {
    const group = Array.from({ length: perGroup }, (_, e) => g * perGroup + e).filter((i) => shard === null || i % shard.count === shard.index - 1);
    if (group.length > 0) groups.push(group);
  }
  return { spec, options, base, digest: digestOf(spec), request, total, groups };
}

/**
 * Solves points of a plan one at a time. Consecutive points with the same
 * parameter values share one analyzer (one derivation, one compilation); the
 * numbers do not depend on which points came before.
 */
export function pointSolver(plan: SweepPlan): (index: number) => SweepPoint {
  const r = plan.request;
  let cached: { key: string; analyzer: Analyzer } | undefined;
  const analyzerFor = (params: Record<string, number>): Analyzer => {
    if (r.params.length === 0) return plan.base;
    const key = JSON.stringify(params);
    if (cached?.key !== key) cached = { key, analyzer: createAnalyzer({ ...plan.spec, params: { ...plan.spec.params, ...params } }, plan.options) };
    return cached.analyzer;
  };
  return (index) => {
    const { params, E } = coordinates(r, index);
    try {
      const path = analyzerFor(params).path({
        from: r.from,
        to: r.to,
        ...(E === null ? { T: r.T as number } : { E }),
        t0: r.t0,
        nodes: r.nodes,
        method: r.method,
        polish: r.polish,
        driftTolerance: r.driftTolerance,
        refine: r.refine,
      });
      return { index, params, E, path: summary(path), error: null };
    } catch (err) {
      // What `solve` refuses at this point (an energy below what the path needs, a
      // value that makes D singular, a path leaving the domain) is this point's
      // outcome, not the sweep's end; bugs still end it.
      if (err instanceof NoetherError && err.kind !== 'internal') return { index, params, E, path: null, error: { code: err.code, message: err.message } };
      throw err;
    }
  };
}

/** The report of a plan's points (in any order). */
export function sweepReport(plan: SweepPlan, points: readonly SweepPoint[]): SweepReport {
  const { base } = plan;
  const model = { name: base.model.name, state: [...base.model.state], params: { ...base.model.params }, digest: plan.digest };
  return assembleSweep(model, structuredClone(plan.request), plan.total, points);
}

/** A sweep report; the one constructor of both a run's report and merged shards', so both print the same JSON. */
export function assembleSweep(model: SweepReport['model'], request: SweepRequestReport, total: number, points: readonly SweepPoint[]): SweepReport {
  const ordered = [...points].sort((a, b) => a.index - b.index);
  return withoutNegativeZeros({
    schemaVersion: SCHEMA_VERSION,
    kind: 'sweep',
    model,
    request,
    total,
    points: ordered,
    passed: ordered.every((p) => p.path?.passed === true),
  } satisfies SweepReport);
}

/** The parameter values and energy of point `index`: the grid in row-major order, energies innermost. */
function coordinates(r: SweepRequestReport, index: number): { params: Record<string, number>; E: number | null } {
  const perGroup = r.E?.length ?? 1;
  let rest = Math.floor(index / perGroup);
  const values: [string, number][] = [];
  for (let a = r.params.length - 1; a >= 0; a--) {
    const { name, count, values: grid } = r.params[a];
    values.unshift([name, grid[rest % count]]);
    rest = Math.floor(rest / count);
  }
  return { params: Object.fromEntries(values), E: r.E ? r.E[index % perGroup] : null };
}

function summary(p: PathReport): SweepPathSummary {
  // A charge identically 0 on the path passes trivially; its relative drift measures nothing.
  const measured = p.quantities.filter((q) => !q.zeroOnPath);
  const worst = measured.reduce<(typeof measured)[number] | undefined>((w, q) => (w === undefined || q.relativeDrift > w.relativeDrift ? q : w), undefined);
  return {
    action: p.action,
    T: p.T,
    infiniteDuration: p.infiniteDuration !== null,
    E: p.E,
    converged: p.converged,
    iterations: p.iterations,
    method: p.method,
    gradientNorm: p.gradientNorm,
    stationary: p.stationary,
    morseIndex: p.morseIndex,
    polished: p.polished,
    maxDrift: worst ? { symbol: worst.symbol, relativeDrift: worst.relativeDrift } : null,
    failedCharges: p.quantities.filter((q) => !q.passed).map((q) => q.symbol),
    passed: p.passed,
  };
}

function energies(value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) throw requestError('E', 'expected a non-empty list of energies, e.g. [-0.5, 0, 0.5]');
  return value.map((e, i) => finiteNumber(e, `E[${i}]`));
}

function axis(value: unknown, path: string, spec: ModelSpec, scalars: Readonly<Record<string, number>>): SweepRequestReport['params'][number] {
  if (typeof value !== 'object' || value === null) throw requestError(path, 'expected {name, start, stop, count}');
  const { name, start, stop, count } = value as Record<string, unknown>;
  const names = Object.keys(scalars);
  const known = `the model's scalar parameters: ${names.length > 0 ? names.join(', ') : 'none'}`;
  if (typeof name !== 'string') throw requestError(`${path}.name`, `expected a parameter name (${known})`);
  if (!Object.hasOwn(scalars, name)) {
    const given = spec.params !== undefined && Object.hasOwn(spec.params, name) ? spec.params[name] : undefined;
    if (given !== undefined) throw requestError(`${path}.name`, `${name} is ${arrayKind(given)}; a sweep varies a scalar parameter (${known})`);
    throw requestError(`${path}.name`, `'${name}' is not a parameter of the model (${known})`);
  }
  const lo = finiteNumber(start, `${path}.start`);
  const hi = finiteNumber(stop, `${path}.stop`);
  const n = integerIn(count, `${path}.count`, 1, MAX_SWEEP_POINTS);
  if (n === 1 && lo !== hi) throw requestError(`${path}.count`, `one value needs start = stop; got start ${lo}, stop ${hi}`);
  // The last value is `stop` itself, not start + (stop − start), which may round differently.
  const values = Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
  return { name, start: lo, stop: hi, count: n, values };
}

function arrayKind(v: unknown): string {
  if (Array.isArray(v)) return Array.isArray(v[0]) ? `a ${v.length}×${v[0].length} matrix` : `a vector of ${v.length} entries`;
  return 'a vector or matrix parameter';
}

function shardOf(value: unknown, total: number): { index: number; count: number } {
  if (typeof value !== 'object' || value === null) throw requestError('shard', 'expected {index, count}, e.g. {index: 3, count: 16}');
  const s = value as { index?: unknown; count?: unknown };
  const count = integerIn(s.count, 'shard.count', 1, total);
  return { index: integerIn(s.index, 'shard.index', 1, count), count };
}

/** cyrb53 of the model as written: 53 bits, enough to tell the models of shards apart. */
function digestOf(spec: ModelSpec): string {
  const text = JSON.stringify(spec);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
