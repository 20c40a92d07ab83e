// The pipeline, off the page's thread: parse and build the model, the
// Lagrangian, every rule's verdict and charge, the drift field, and most likely
// paths with their charge checks. The page terminates and restarts this worker
// when a new model arrives while an old one is still being derived.

import { solveAndCheck } from '../../src/check/path-report.ts';
import { type ModelKernels, compileModel } from '../../src/compile/model-kernels.ts';
import { NoetherError } from '../../src/errors.ts';
import { type Expr, dependsOn } from '../../src/expr/expr.ts';
import { type LagrangianResult, buildLagrangian, isTimeDependent } from '../../src/lagrangian/lagrangian.ts';
import { chargeSymbolLatex, vectorForm } from '../../src/latex/derive-output.ts';
import { latexSymbol, toLatex } from '../../src/latex/latex.ts';
import { buildModel } from '../../src/model/build.ts';
import { parseModelText } from '../../src/model/load.ts';
import type { Model } from '../../src/model/types.ts';
import { type Derivation, type SymmetryResult, derive } from '../../src/noether/derive.ts';
import { solveDense } from '../../src/solve/dense.ts';
import { findFixedPoints } from '../../src/solve/fixed-points.ts';
import { type LoadedRules, type Rule, parseRule } from '../../src/symmetry/rules.ts';
import type { Analysis, ErrorInfo, FieldData, FieldView, PathView, Request, Response, SolveRequest, SymmetryView } from './protocol.ts';

interface WorkerScope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: Response, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

// ------------------------------------------------------------------ rules

const ruleTexts = import.meta.glob<string>('../../rules/*.yaml', { query: '?raw', import: 'default', eager: true });

function loadRules(): LoadedRules {
  const rules: Rule[] = [];
  const report: { file: string; status: 'loaded' | 'skipped'; rule?: string; reason?: string }[] = [];
  for (const [path, text] of Object.entries(ruleTexts).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = `rules/${path.split('/').pop()}`;
    try {
      const rule = parseRule(text, file);
      rules.push(rule);
      report.push({ file, status: 'loaded', rule: rule.name });
    } catch (err) {
      report.push({ file, status: 'skipped', reason: (err as Error).message });
    }
  }
  return { rules, report };
}
const RULES = loadRules();

// ------------------------------------------------------------------ state

interface Current {
  readonly model: Model;
  readonly lagr: LagrangianResult;
  readonly derivation: Derivation;
  readonly kernels: ModelKernels;
}
let current: Current | undefined;

scope.onmessage = (e) => {
  const req = e.data;
  try {
    if (req.type === 'analyze') {
      const analysis = analyze(req.text);
      scope.postMessage({ type: 'analyze', id: req.id, ok: true, analysis });
    } else if (req.type === 'field') {
      const field = sampleField(req.view);
      scope.postMessage({ type: 'field', id: req.id, ok: true, field }, [field.u.buffer, field.v.buffer, field.mag.buffer]);
    } else {
      const path = solve(req.request);
      scope.postMessage({ type: 'solve', id: req.id, ok: true, path });
    }
  } catch (err) {
    scope.postMessage({ type: req.type, id: req.id, ok: false, error: errorInfo(err) });
  }
};

function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof NoetherError) {
    const w = err.where;
    return {
      code: err.code,
      detail: err.detail,
      ...(w.path !== undefined ? { path: w.path } : {}),
      ...(w.column !== undefined ? { column: w.column } : {}),
      ...(w.line !== undefined ? { line: w.line } : {}),
      ...(w.expression !== undefined ? { expression: w.expression } : {}),
    };
  }
  if (err instanceof RangeError) return { code: 'request', detail: err.message };
  return { code: 'internal', detail: err instanceof Error ? err.message : String(err) };
}

// ------------------------------------------------------------------ analysis

const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  const s = Number(v.toPrecision(4)).toString();
  return s.includes('e') ? s.replace(/e\+?(-?\d+)/, ' \\times 10^{$1}') : s;
};

function analyze(text: string): Analysis {
  const start = performance.now();
  current = undefined;
  const model = buildModel(parseModelText(text));
  const lagr = buildLagrangian(model);
  const derivation = derive(lagr, RULES);
  const kernels = compileModel(lagr);
  current = { model, lagr, derivation, kernels };

  const t0 = model.timeGiven ? model.time[0] : 0;
  const { points: fixedPoints, continuum } = fixedPointsOf(kernels, model.state.length, t0);
  const D = model.diffusion;
  const matrixLatex = (m: readonly (readonly Expr[])[]): string =>
    `\\begin{pmatrix}${m.map((row) => row.map(toLatex).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
  const diffusionLatex =
    D.structure === 'isotropic' ? `D = ${toLatex(D.matrix[0][0])}\\,I` : `D = ${matrixLatex(D.matrix)}`;

  return {
    name: model.name,
    ...(model.description !== undefined ? { description: model.description } : {}),
    state: [...model.state],
    stateLatex: model.state.map(latexSymbol),
    params: model.params.map((p) => ({ name: p.name, value: p.value })),
    time: [model.time[0], model.time[1]],
    timeGiven: model.timeGiven,
    timeDependent: isTimeDependent(lagr),
    driftTimeDependent: model.drift.some((f) => dependsOn(f, ['t'])),
    diffusion: { structure: D.structure, evidence: D.positiveDefinite.evidence, points: D.positiveDefinite.points, latex: diffusionLatex },
    driftLatex: model.drift.map(toLatex),
    lagrangianLatex: toLatex(lagr.lagrangian),
    energyLatex: toLatex(lagr.energy),
    hamiltonianLatex: toLatex(lagr.hamiltonian),
    momentaLatex: lagr.momenta.map(toLatex),
    symmetries: derivation.symmetries.map((s) => symmetryView(s, lagr)),
    skipped: derivation.rules
      .filter((r) => r.status === 'skipped')
      .map((r) => ({ rule: r.rule ?? r.file, reason: r.reason ?? '' })),
    fixedPoints,
    fixedPointContinuum: continuum,
    ms: performance.now() - start,
  };
}

function evidenceLabel(s: SymmetryResult): string {
  const v = s.verdict;
  if (v.status === 'broken') return v.counterexample ? 'counterexample' : 'numeric';
  if (v.evidence === 'numeric') return `numeric (${v.points} points)`;
  return v.scope === 'these parameter values' ? 'symbolic (at these parameter values)' : 'symbolic';
}

function symmetryView(s: SymmetryResult, lagr: LagrangianResult): SymmetryView {
  const { instance, verdict: v, charge } = s;
  const state = lagr.model.state;
  const xi = instance.generator.dx.map(toLatex);
  const generatorLatex = `\\tau = ${toLatex(instance.generator.dt)},\\quad \\xi = \\left(${xi.join(',\\ ')}\\right)`;
  let counterexample: SymmetryView['counterexample'];
  if (v.counterexample) {
    const p = v.counterexample.point;
    const names = [...state, ...state.map((x) => `${x}_dot`), 't'].filter((k) => k in p);
    const rest = Object.keys(p).filter((k) => !names.includes(k));
    const pointLatex = [...names, ...rest].map((k) => `${latexSymbol(k)} = ${fmt(p[k])}`).join(',\\ ');
    counterexample = { pointLatex, deltaL: v.counterexample.deltaL };
  }
  const vector = charge ? vectorForm(s, lagr) : undefined;
  return {
    rule: instance.rule,
    description: instance.description,
    status: v.status,
    evidence: v.evidence,
    evidenceLabel: evidenceLabel(s),
    ...(v.points !== undefined ? { points: v.points } : {}),
    ...(v.scope !== undefined ? { scope: v.scope } : {}),
    generatorLatex,
    ...(charge
      ? {
          charge: {
            name: charge.name,
            symbol: charge.symbol,
            symbolLatex: chargeSymbolLatex(s),
            latex: toLatex(charge.expr),
            ...(vector ? { vectorLatex: vector } : {}),
          },
        }
      : {}),
    ...(counterexample ? { counterexample } : {}),
    ...(v.status === 'quasi' && v.gauge?.K ? { gaugeLatex: toLatex(v.gauge.K) } : {}),
    ...(v.gauge?.note ? { note: v.gauge.note } : {}),
  };
}

/** Most fixed points worth drawing; more means a continuum (a ring, or f ≡ 0). */
const MAX_FIXED_POINTS = 24;

function fixedPointsOf(kernels: ModelKernels, n: number, t: number): { points: Analysis['fixedPoints']; continuum: boolean } {
  if (n > 3) return { points: [], continuum: false };
  try {
    // A root where the Jacobian blows up is a singularity of f (e.g. x/|x| at 0), not a fixed point to start paths from.
    const found = findFixedPoints(kernels, { lo: Array(n).fill(-3), hi: Array(n).fill(3) }, { t, maxStarts: n === 1 ? 64 : 225 }).filter((p) =>
      p.eigenvalues.every((e) => Number.isFinite(e.re) && Number.isFinite(e.im) && Math.hypot(e.re, e.im) < 1e6),
    );
    if (found.length > MAX_FIXED_POINTS) return { points: found.slice(0, 200).map((p) => ({ x: p.x, stability: p.stability })), continuum: true };
    return { points: found.map((p) => ({ x: readable(kernels, p.x, t), stability: p.stability })), continuum: false };
  } catch {
    return { points: [], continuum: false };
  }
}

/**
 * A root rounded for display and as a default end point: 4 digits, 1e-47 as 0 —
 * unless f is not finite there (x/|x| at 0 is a removable singularity that the
 * root sits next to), when it moves off by 1e-3.
 */
function readable(kernels: ModelKernels, x: number[], t: number): number[] {
  const finiteAt = (p: number[]): boolean => {
    const f = new Float64Array(p.length);
    kernels.drift.run(Float64Array.from([...p, t]), f);
    return f.every(Number.isFinite);
  };
  const r = x.map((v) => (Math.abs(v) < 1e-9 ? 0 : Number(v.toPrecision(4))));
  if (finiteAt(r)) return r;
  const nudged = r.map((v) => v + 1e-3);
  return finiteAt(nudged) ? nudged : x;
}

// ------------------------------------------------------------------ field

function need(): Current {
  if (!current) throw new NoetherError('request', 'no valid model loaded');
  return current;
}

function sampleField(view: FieldView): FieldData {
  const { kernels, model } = need();
  const n = model.state.length;
  const { nx, ny, lo, hi, axes } = view;
  const u = new Float64Array(nx * ny);
  const v = new Float64Array(nx * ny);
  const mag = new Float64Array(nx * ny);
  const input = new Float64Array(n + 1);
  const f = new Float64Array(n);
  const D = new Float64Array(n * n);
  const energies: number[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const a = lo[0] + ((i + 0.5) / nx) * (hi[0] - lo[0]);
      const b = lo[1] + ((j + 0.5) / ny) * (hi[1] - lo[1]);
      for (let k = 0; k < n; k++) input[k] = view.slice[k] ?? 0;
      input[n] = view.t;
      if (axes[0] < 0) {
        input[n] = a;
        input[axes[1]] = b;
      } else {
        input[axes[0]] = a;
        input[axes[1]] = b;
      }
      kernels.drift.run(input, f);
      const k = j * nx + i;
      u[k] = axes[0] < 0 ? 1 : f[axes[0]];
      v[k] = f[axes[1]];
      let m2 = 0;
      for (let c = 0; c < n; c++) m2 += f[c] * f[c];
      mag[k] = Math.sqrt(m2);
      kernels.diffusion.run(input, D);
      const y = solveDense(D, f, n);
      if (!y) continue;
      let w = 0;
      for (let c = 0; c < n; c++) w += f[c] * y[c];
      if (Number.isFinite(w)) energies.push(w / 4);
    }
  }
  energies.sort((a, b) => a - b);
  const energyScale = energies.length > 0 ? energies[Math.floor(energies.length / 2)] : 1;
  return { view, u, v, mag, energyScale };
}

// ------------------------------------------------------------------ paths

function solve(req: SolveRequest): PathView {
  const start = performance.now();
  const { model, lagr, derivation, kernels } = need();
  const n = model.state.length;
  if (req.from.length !== n || req.to.length !== n) throw new NoetherError('request', `the end points need ${n} coordinates`);
  if (req.T !== undefined) {
    if (!(req.T > 0)) throw new NoetherError('request', 'the duration T must be positive', { path: 'T' });
    if (model.timeGiven && (req.t0 < model.time[0] || req.t0 + req.T > model.time[1] + 1e-12)) {
      throw new NoetherError('request', `the path [${req.t0}, ${fmtPlain(req.t0 + req.T)}] leaves the model's time interval [${model.time.join(', ')}]`, { path: 'T' });
    }
  } else if (isTimeDependent(lagr)) {
    throw new NoetherError('request', 'fixed-energy paths need a time-independent Lagrangian (E is not conserved here)', { path: 'E' });
  }
  for (const [which, x] of [['from', req.from], ['to', req.to]] as const) {
    const input = Float64Array.from([...x, which === 'from' ? req.t0 : req.t0 + (req.T ?? 0)]);
    const f = new Float64Array(n);
    kernels.drift.run(input, f);
    if (!f.every(Number.isFinite)) {
      throw new NoetherError('request', `the drift is not finite at the ${which === 'from' ? 'start' : 'end'} point (${x.map(fmtPlain).join(', ')}); move it off the singularity`, { path: which });
    }
  }
  let report;
  try {
    report = solveAndCheck(lagr, derivation, {
      from: req.from,
      to: req.to,
      ...(req.T !== undefined ? { T: req.T } : { E: req.E as number }),
      t0: req.t0,
      nodes: req.nodes,
    });
  } catch (err) {
    if (err instanceof NoetherError && err.where.path === undefined) throw err.at({ path: req.T !== undefined ? 'T' : 'E' });
    throw err;
  }
  // A charge that vanishes identically on this path (L_xy on a radial path) has only rounding
  // noise to divide its spread by; its relative drift means nothing, and it is conserved.
  const reference = Math.max(Math.abs(report.action), Math.abs(report.E * report.T), ...report.quantities.map((q) => maxAbs(q.values)));
  const latexOf = new Map(derivation.symmetries.filter((s) => s.charge).map((s) => [`${s.instance.rule}/${s.charge?.symbol}`, chargeSymbolLatex(s)]));
  return {
    ...report,
    request: req,
    quantities: report.quantities.map((q) => ({
      ...q,
      symbolLatex: latexOf.get(`${q.rule}/${q.symbol}`) ?? q.symbol,
      zeroOnPath: maxAbs(q.values) <= 1e-11 * reference,
    })),
    ms: performance.now() - start,
  };
}

function maxAbs(values: readonly number[]): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

function fmtPlain(v: number): string {
  return String(Number(v.toPrecision(6)));
}
