// The pipeline, off the page's thread, through the library's public API: the
// model text in, reports out (the Lagrangian, every verdict and charge, fixed
// points, the drift field, most likely paths with their charge checks). The
// page terminates and restarts this worker when a new model arrives while an
// old one is still being derived.

import { type Analyzer, type FixedPointEntry, NoetherError, createAnalyzer, parseModelText } from '../../src/index.ts';
import type { Analysis, ErrorInfo, FieldData, FieldView, PathView, Request, Response, SolveRequest } from './protocol.ts';

interface WorkerScope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: Response, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let current: Analyzer | undefined;

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
  return { code: 'internal', detail: err instanceof Error ? err.message : String(err) };
}

// ------------------------------------------------------------------ analysis

function analyze(text: string): Analysis {
  const start = performance.now();
  current = undefined;
  const analyzer = createAnalyzer(parseModelText(text));
  const lagrangian = analyzer.lagrangian();
  const derivation = analyzer.derivation();
  current = analyzer;
  const { time } = analyzer.model;
  const { points: fixedPoints, continuum } = fixedPointsOf(analyzer, time.given ? time.interval[0] : 0);
  return { lagrangian, derivation, fixedPoints, fixedPointContinuum: continuum, ms: performance.now() - start };
}

/** Most fixed points worth drawing; more means a continuum (a ring, or f ≡ 0). */
const MAX_FIXED_POINTS = 24;

function fixedPointsOf(analyzer: Analyzer, t: number): { points: FixedPointEntry[]; continuum: boolean } {
  const n = analyzer.model.state.length;
  if (n > 3) return { points: [], continuum: false };
  try {
    const report = analyzer.fixedPoints({ t, maxStarts: n === 1 ? 64 : 225 });
    // A root where the Jacobian blows up is a singularity of f (e.g. x/|x| at 0), not a fixed point to start paths from.
    const found = report.fixedPoints.filter((p) => p.eigenvalues.every((e) => Number.isFinite(e.re) && Number.isFinite(e.im) && Math.hypot(e.re, e.im) < 1e6));
    if (found.length > MAX_FIXED_POINTS) return { points: found.slice(0, 200), continuum: true };
    return { points: found.map((p) => ({ ...p, x: readable(analyzer, p.x, t) })), continuum: false };
  } catch {
    return { points: [], continuum: false };
  }
}

/**
 * A root rounded for display and as a default end point: 4 digits, 1e-47 as 0 —
 * unless f is not finite there (x/|x| at 0 is a removable singularity that the
 * root sits next to), when it moves off by 1e-3.
 */
function readable(analyzer: Analyzer, x: number[], t: number): number[] {
  const state = analyzer.model.state;
  const finiteAt = (p: number[]): boolean => {
    // The drift at one point: a 1×1 field over the first axis (and t for 1D models).
    const axes: [string, string] = state.length === 1 ? ['t', state[0]] : [state[0], state[1]];
    const slice = Object.fromEntries(state.map((s, i) => [s, p[i]]));
    const a = state.length === 1 ? t : p[0];
    const b = state.length === 1 ? p[0] : p[1];
    const f = analyzer.driftField({ axes, lo: [a - 1e-12, b - 1e-12], hi: [a + 1e-12, b + 1e-12], nx: 1, ny: 1, t, slice });
    return f.nonFinite === 0;
  };
  const r = x.map((v) => (Math.abs(v) < 1e-9 ? 0 : Number(v.toPrecision(4))));
  if (finiteAt(r)) return r;
  const nudged = r.map((v) => v + 1e-3);
  return finiteAt(nudged) ? nudged : x;
}

// ------------------------------------------------------------------ field

function need(): Analyzer {
  if (!current) throw new NoetherError('request', 'no valid model loaded');
  return current;
}

function sampleField(view: FieldView): FieldData {
  const analyzer = need();
  const state = analyzer.model.state;
  const axes: [string, string] = view.axes[0] < 0 ? ['t', state[view.axes[1]]] : [state[view.axes[0]], state[view.axes[1]]];
  const report = analyzer.driftField({
    axes,
    lo: view.lo,
    hi: view.hi,
    nx: view.nx,
    ny: view.ny,
    t: view.t,
    slice: Object.fromEntries(state.map((s, i) => [s, view.slice[i] ?? 0])),
  });
  // Rows by y of the report, flattened for transfer to the page.
  return {
    view,
    u: Float64Array.from(report.u.flat()),
    v: Float64Array.from(report.v.flat()),
    mag: Float64Array.from(report.magnitude.flat()),
    energyScale: report.energyScale,
  };
}

// ------------------------------------------------------------------ paths

function solve(req: SolveRequest): PathView {
  const start = performance.now();
  const report = need().path({
    from: req.from,
    to: req.to,
    ...(req.T !== undefined ? { T: req.T } : { E: req.E as number }),
    t0: req.t0,
    nodes: req.nodes,
  });
  return { ...report, ms: performance.now() - start };
}
