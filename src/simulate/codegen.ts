// Generates the per-path simulation loop as JavaScript SOURCE: the model's
// coefficients (drift, noise, Milstein terms) as straight-line code from the
// kernel compiler, the random number generator in local variables, every size
// and constant of the run as a literal. The same source runs in-process (one
// worker) and in worker threads started with `new Worker(source, { eval: true })`,
// so the numbers cannot depend on where a path runs. No allocation happens per
// step or per path; each chunk allocates its result arrays once.
//
// Random numbers: path i uses stream i of the seed (src/random/rng.ts); each step
// draws the M normals of ΔW = √h·z in column order from that stream (the
// ziggurat method, Rng.zigguratNormal(), inline).
//
// A drift too large for straight-line code (a dense network: N² terms, which V8
// would not optimise) with constant noise is run in array form instead: the state
// in a Float64Array, the drift as C·a(x, t) + c (src/compile/structured.ts), i.e.
// the atoms' short kernel and one matrix–vector product per step (C's dense
// columns as a dense block, by a WebAssembly SIMD function where the engine runs
// one, else four rows at a time in JavaScript, to the same bits; the rest by
// sparse rows).

import { compileKernel } from '../compile/compile.ts';
import { atomicDrift } from '../compile/structured.ts';
import type { Expr } from '../expr/expr.ts';
import type { Model } from '../model/types.ts';
import { RNG_LOCALS, normalSource, rngHelpers, seedSource } from '../random/source.ts';
import { type NoisePlan, type Scheme, isZeroExpr, substituteParameters } from './noise.ts';
import { RUNTIME_SOURCE } from './runtime.ts';
import { MATVEC_ROW_BLOCK, MATVEC_WASM } from './wasm-matvec.ts';

/** Everything fixed for one run; it is compiled into the source as literals. */
export interface RunLayout {
  readonly seed: number;
  readonly x0: readonly number[];
  readonly t0: number;
  /** Step size and number of steps. */
  readonly h: number;
  readonly steps: number;
  /** Step indices of the output grid (increasing, first 0, last `steps`). */
  readonly sampleSteps: readonly number[];
  /** Keep every stride-th state (and the last) of accepted paths; 0: none. */
  readonly stride: number;
  /** Accept a path when |x(T) − to| ≤ tol (Euclidean). */
  readonly condition?: { readonly to: readonly number[]; readonly tol: number };
  /** Bin the states at steps burnSteps, burnSteps + every, … into a 1D or 2D histogram. */
  readonly histogram?: {
    readonly dims: readonly number[];
    readonly ranges: readonly (readonly [number, number])[];
    readonly bins: readonly number[];
    readonly burnSteps: number;
    readonly every: number;
  };
}

/** What one call of the generated ensemble(first, count) returns. */
export interface ChunkResult {
  readonly first: number;
  readonly count: number;
  /** Paths that ended finite and (when conditioned) within tol of the target, in order. */
  readonly accepted: number;
  /** Paths whose state became NaN or infinite. */
  readonly diverged: number;
  /** Paths that left the model's domain (stopped there, not continued). */
  readonly leftDomain: number;
  /** Path numbers of the accepted paths (first `accepted` entries; the arrays may be longer than needed). */
  readonly indices: Int32Array;
  /** Output-grid states of the accepted paths: accepted × S × N. */
  readonly samples: Float64Array;
  /** Thinned paths of the accepted paths: accepted × K × N (stride > 0). */
  readonly thin: Float64Array | null;
  /** Histogram counts (row-major bins[0] × bins[1]) and the count of binned states outside the ranges. */
  readonly hist: Float64Array | null;
  readonly outside: number;
}

/** The model-dependent part: coefficient kernel and how to use its outputs. */
export interface CompiledModel {
  readonly n: number;
  /** The open interval each state variable lives in; a path that leaves it is stopped and counted. */
  readonly domain: readonly (readonly [number, number])[];
  readonly m: number;
  readonly scheme: Scheme;
  readonly noise: NoisePlan;
  /** Straight-line body of the coefficient kernel (inputs v = [x, t], outputs out). */
  readonly kernelBody: string;
  /** Length of the scratch array W the inlined kernel body (kernelBody, or the atoms' in array form) uses; 0 for none. */
  readonly scratch: number;
  readonly outputs: number;
  /** Non-constant G entries: [i, k, output offset]. */
  readonly gTerms: readonly (readonly [number, number, number])[];
  /** Milstein terms: [i, j, k, output offset] for non-zero C[i][j][k]. */
  readonly cTerms: readonly (readonly [number, number, number, number])[];
  /** For a per-step Cholesky factorisation: output offset of D's lower triangle (row by row). */
  readonly dOffset: number;
  /**
   * Array form (large drifts, constant noise): f = C·a + c with the atoms' kernel
   * body (v = [x, t] → out = a). C's dense columns (atoms most rows use, tanh(x_j)
   * of a dense W) are a dense row-major block; the rest of C is by sparse rows.
   */
  readonly atomic?: {
    readonly body: string;
    readonly atoms: number;
    readonly rowStart: Int32Array;
    readonly column: Int32Array;
    readonly coefficient: Float64Array;
    readonly constant: Float64Array;
    /** Atom of each dense column, and the n × columns block (zeros where a row does not use the atom). */
    readonly denseColumns: Int32Array;
    readonly dense: Float64Array;
  };
}

/** Straight-line drift code longer than this (characters) is run in array form (V8 leaves huge functions unoptimised). */
export const MAX_STRAIGHT_LINE_DRIFT = 24_000;

export function compileModelForSimulation(model: Model, noise: NoisePlan, scheme: Scheme): CompiledModel {
  const n = model.state.length;
  const m = noise.m;
  const exprs: Expr[] = model.drift.map((f) => substituteParameters(f, model));
  const gTerms: [number, number, number][] = [];
  const cTerms: [number, number, number, number][] = [];
  let dOffset = -1;
  if (noise.G && !noise.constantG) {
    noise.G.forEach((row, i) =>
      row.forEach((g, k) => {
        if (isZeroExpr(g)) return;
        gTerms.push([i, k, exprs.length]);
        exprs.push(g);
      }),
    );
  }
  if (scheme === 'milstein' && noise.milstein) {
    noise.milstein.forEach((rows, i) =>
      rows.forEach((row, j) =>
        row.forEach((c, k) => {
          if (isZeroExpr(c)) return;
          cTerms.push([i, j, k, exprs.length]);
          exprs.push(c);
        }),
      ),
    );
  }
  if (noise.source === 'cholesky' && noise.D) {
    dOffset = exprs.length;
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) exprs.push(noise.D[i][j]);
  }
  const kernel = compileKernel(exprs, [...model.state, 't']);
  const kernelBody = kernel.source.replace(/^"use strict";\n/, '');
  const base = { n, m, scheme, noise, kernelBody, scratch: kernel.scratch ?? 0, outputs: exprs.length, gTerms, cTerms, dOffset, domain: model.domain };
  if (kernelBody.length <= MAX_STRAIGHT_LINE_DRIFT || !noise.constantG || exprs.length !== n) return base;
  const drift = atomicDrift(exprs, model.state);
  const body = drift.atomKernel.source.replace(/^"use strict";\n/, '');
  const split = splitDenseColumns(n, drift.atoms.length, drift.rowStart, drift.column, drift.coefficient);
  return { ...base, scratch: drift.atomKernel.scratch ?? 0, atomic: { body, atoms: drift.atoms.length, constant: drift.constant, ...split } };
}

/** A column of C that at least this share of the rows use goes into the dense block. */
const DENSE_COLUMN_SHARE = 0.5;

/**
 * Splits the sparse rows of C into a dense block of its dense columns and the
 * sparse rest. Dense rows are summed four at a time, each row its own chain of
 * additions: four independent chains keep the floating-point units busy where
 * one waits on each addition (3–4× the speed of the sparse loop at N = 64).
 */
function splitDenseColumns(n: number, atoms: number, rowStart: Int32Array, column: Int32Array, coefficient: Float64Array) {
  const uses = new Int32Array(atoms);
  for (const k of column) uses[k]++;
  const denseIndex = new Int32Array(atoms).fill(-1);
  const denseColumns: number[] = [];
  for (let k = 0; k < atoms; k++) if (uses[k] >= DENSE_COLUMN_SHARE * n) denseIndex[k] = denseColumns.push(k) - 1;
  const d = denseColumns.length;
  const dense = new Float64Array(n * d);
  const restStart = new Int32Array(n + 1);
  const restColumn: number[] = [];
  const restCoefficient: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const c = denseIndex[column[e]];
      if (c >= 0) dense[i * d + c] += coefficient[e];
      else {
        restColumn.push(column[e]);
        restCoefficient.push(coefficient[e]);
      }
    }
    restStart[i + 1] = restColumn.length;
  }
  return {
    rowStart: restStart,
    column: Int32Array.from(restColumn),
    coefficient: Float64Array.from(restCoefficient),
    denseColumns: Int32Array.from(denseColumns),
    dense,
  };
}

/**
 * The kernel body with its input slots v[i] and outputs out[j] replaced by the
 * locals X<i> (state), TNOW (time, slot n) and C<j>, so that the state and the
 * coefficients stay in registers; undefined if the body uses v or out in any
 * other way (then the generated loop goes through the arrays).
 */
export function localKernelBody(body: string, n: number): string | undefined {
  const local = body
    .replace(/\bv\[(\d+)\]/g, (m, i: string) => (Number(i) === n ? 'TNOW' : Number(i) < n ? `X${i}` : m))
    .replace(/\bout\[(\d+)\]/g, (_, j: string) => `C${j}`);
  if (/\bv\[|\bout\[|\b(X\d+|TNOW)\s*(=[^=]|\+=|-=|\+\+|--)/.test(local)) return undefined;
  return local;
}

/** A double as a JS literal that parses back to the same value. */
export function literal(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '(-Infinity)';
  const s = String(x);
  return x < 0 || Object.is(x, -0) ? `(${s})` : s;
}

/** Number of states kept per path at stride k: steps 0, k, 2k, … and the last. */
export function thinCount(steps: number, stride: number): number {
  return stride > 0 ? Math.ceil(steps / stride) + 1 : 0;
}

/**
 * The source of a function body that returns a Program
 * `{ ensemble(first, count), release(result) }`. Evaluate with `new Function(source)()`.
 */
export function generateProgram(cm: CompiledModel, run: RunLayout): string {
  const { n, m } = cm;
  const S = run.sampleSteps.length;
  const K = thinCount(run.steps, run.stride);
  const h = run.h;
  const sqh = Math.sqrt(h);
  const L: string[] = [];
  const emit = (s: string): void => {
    L.push(s);
  };
  const atomic = cm.atomic;
  const G = cm.noise.constantG;
  // Array form: the state in X[i] and the drift in F[i]; else locals X<i> and coefficients C<j>.
  const arrays = atomic !== undefined && G !== undefined;
  const needsRuntime = /\bR\./.test(arrays ? atomic.body : cm.kernelBody);
  const unrollNormals = !arrays && m <= 8;
  const local = arrays ? undefined : localKernelBody(cm.kernelBody, n);
  const X = (i: number): string => (arrays ? `X[${i}]` : `X${i}`);
  const C = (j: number): string => (arrays ? `F[${j}]` : `C${j}`);
  const states = Array.from({ length: n }, (_, i) => X(i));
  const domain = cm.domain;
  const numbers = (kind: 'Float64Array' | 'Int32Array', values: ArrayLike<number>): string => `new ${kind}([${Array.from(values, literal).join(', ')}])`;

  emit('"use strict";');
  if (needsRuntime) emit(RUNTIME_SOURCE);
  if (cm.scratch > 0) emit(`const W = new Float64Array(${cm.scratch});`);
  emit(rngHelpers());
  emit(`const SAMPLE_STEPS = new Int32Array([${run.sampleSteps.join(', ')}]);`);
  if (arrays) {
    // f = C·a + c (rows RS, columns CI, coefficients CO, constant CC) and G by sparse rows (GS, GC, GV).
    emit(`const X0 = ${numbers('Float64Array', run.x0)};`);
    emit(`const RS = ${numbers('Int32Array', atomic.rowStart)}, CI = ${numbers('Int32Array', atomic.column)};`);
    emit(`const CO = ${numbers('Float64Array', atomic.coefficient)}, CC = ${numbers('Float64Array', atomic.constant)};`);
    emit(`const DC = ${numbers('Int32Array', atomic.denseColumns)}, DM = ${numbers('Float64Array', atomic.dense)};`);
    if (atomic.denseColumns.length > 0) emitMatvec(emit, n, atomic.denseColumns.length);
    const gs = [0];
    const gc: number[] = [];
    const gv: number[] = [];
    G.forEach((row) => {
      row.forEach((g, k) => {
        if (g === 0) return;
        gc.push(k);
        gv.push(g);
      });
      gs.push(gc.length);
    });
    emit(`const GS = ${numbers('Int32Array', gs)}, GC = ${numbers('Int32Array', gc)}, GV = ${numbers('Float64Array', gv)};`);
  }
  const hist = run.histogram;
  const histSize = hist ? hist.bins.reduce((a, b) => a * b, 1) : 0;
  // The hot loop fills arrays and counters only: building the result object in
  // it would leave V8 without type feedback there when the loop is compiled
  // on-stack, and every chunk would end in a deoptimisation.
  // Result arrays are recycled (release) rather than allocated per chunk: fresh
  // large arrays cost a page fault per 4 KiB on first touch.
  emit('const pool = [];');
  emit('function ensemble(first, count) {');
  emit('  let b = pool.pop();');
  emit('  if (b === undefined || b.indices.length < count) {');
  emit(`    b = { samples: new Float64Array(count * ${S * n}), indices: new Int32Array(count), ` +
    `thin: ${K > 0 ? `new Float64Array(count * ${K * n})` : 'null'}, hist: ${hist ? `new Float64Array(${histSize})` : 'null'} };`);
  emit('  } else if (b.hist !== null) b.hist.fill(0);');
  emit('  const counters = new Float64Array(4);');
  emit('  simulatePaths(first, count, b.samples, b.indices, b.thin, b.hist, counters);');
  emit('  return { first, count, accepted: counters[0], diverged: counters[1], leftDomain: counters[3], indices: b.indices, samples: b.samples, thin: b.thin, hist: b.hist, outside: counters[2] };');
  emit('}');
  emit('function release(r) {');
  emit('  if (pool.length < 4) pool.push({ samples: r.samples, indices: r.indices, thin: r.thin, hist: r.hist });');
  emit('}');
  emit('function simulatePaths(first, count, samples, indices, thin, hist, counters) {');
  emit('  let outside = 0, accepted = 0, diverged = 0, leftDomain = 0;');
  // The state, time and coefficients live in locals; the arrays serve kernels that need them.
  if (arrays) {
    // The tables as locals: V8 optimises the loops over them several times better than over the enclosing constants.
    emit('  const rs = RS, ci = CI, co = CO, cc = CC, dc = DC, dm = DM, gs = GS, gc = GC, gv = GV;');
    emit(`  const X = new Float64Array(${n}), F = new Float64Array(${n});`);
    // The dense block's input A and output MG: views of the WebAssembly memory when MV runs.
    const d = atomic.denseColumns.length;
    if (d > 0) emit(`  const mv = MV === null ? null : MV.mv, A = MV === null ? new Float64Array(${d}) : MV.a, MG = MV === null ? new Float64Array(0) : MV.g;`);
    emit('  let TNOW = 0;');
  } else {
    emit(`  let ${states.map((x) => `${x} = 0`).join(', ')}, TNOW = 0;`);
    if (cm.outputs > 0) emit(`  let ${Array.from({ length: cm.outputs }, (_, j) => `${C(j)} = 0`).join(', ')};`);
  }
  emit(`  const v = new Float64Array(${n + 1});`);
  emit(`  const out = new Float64Array(${Math.max(1, arrays ? atomic.atoms : cm.outputs)});`);
  if (!unrollNormals) emit(`  const dw = new Float64Array(${m});`);
  if (cm.dOffset >= 0) emit(`  const chol = new Float64Array(${n * n});`);
  emit('  const st = new Int32Array(4);');
  emit(`  ${RNG_LOCALS}`);
  emit('  for (let p = 0; p < count; p++) {');
  emit('    const path = first + p;');
  emit(`    ${seedSource(literal(run.seed >>> 0), 'path', 'st')}`);
  if (arrays) emit('    X.set(X0);');
  else run.x0.forEach((x, i) => emit(`    ${X(i)} = ${literal(x)};`));
  emit(`    const sbase = accepted * ${S * n};`);
  if (K > 0) emit(`    const tbase = accepted * ${K * n};`);
  emit('    let si = 0, nextSample = 0, ok = true, inDomain = true;');
  if (K > 0) emit('    let ti = 0, nextThin = 0;');
  if (hist) emit(`    let nextBin = ${hist.burnSteps};`);
  emit('    for (let step = 0; ; step++) {');
  // Output grid (and the finiteness check).
  emit('      if (step === nextSample) {');
  if (arrays) {
    emit('        let finite = true;');
    emit(`        for (let i = 0; i < ${n}; i++) { const xi = X[i]; samples[sbase + si * ${n} + i] = xi; if (!(xi - xi === 0)) finite = false; }`);
    emit('        if (!finite) { ok = false; break; }');
  } else {
    for (let i = 0; i < n; i++) emit(`        samples[sbase + si * ${n} + ${i}] = ${X(i)};`);
    emit(`        if (!(${states.map((x) => `${x} - ${x} === 0`).join(' && ')})) { ok = false; break; }`);
  }
  emit(`        si++; nextSample = si < ${S} ? SAMPLE_STEPS[si] : -1;`);
  emit('      }');
  if (K > 0) {
    emit('      if (step === nextThin) {');
    if (arrays) emit(`        for (let i = 0; i < ${n}; i++) thin[tbase + ti * ${n} + i] = X[i];`);
    else for (let i = 0; i < n; i++) emit(`        thin[tbase + ti * ${n} + ${i}] = ${X(i)};`);
    emit(`        ti++; nextThin = step === ${run.steps} ? -1 : Math.min(step + ${run.stride}, ${run.steps});`);
    emit('      }');
  }
  if (hist) {
    emit('      if (step === nextBin) {');
    const idx = hist.dims.map((d, a) => {
      const [lo, hi] = hist.ranges[a];
      const scale = hist.bins[a] / (hi - lo);
      emit(`        const b${a} = Math.floor((${X(d)} - ${literal(lo)}) * ${literal(scale)});`);
      return `b${a} >= 0 && b${a} < ${hist.bins[a]}`;
    });
    const flat = hist.dims.length === 1 ? 'b0' : `b0 * ${hist.bins[1]} + b1`;
    emit(`        if (${idx.join(' && ')}) hist[${flat}]++; else outside++;`);
    emit(`        nextBin += ${hist.every};`);
    emit('      }');
  }
  emit(`      if (step === ${run.steps}) break;`);
  emit(`      TNOW = ${literal(run.t0)} + step * ${literal(h)};`);
  // Coefficients C = [f, non-constant G, Milstein C, D lower triangle].
  emit('      {');
  if (arrays) {
    emit(`        for (let i = 0; i < ${n}; i++) v[i] = X[i];`);
    emit(`        v[${n}] = TNOW;`);
    emit(atomic.body.replace(/^/gm, '        '));
    // Sparse rest: four partial sums, since the additions of one sum wait on each other.
    emit(`        for (let i = 0; i < ${n}; i++) {`);
    emit('          let s0 = cc[i], s1 = 0, s2 = 0, s3 = 0, e = rs[i];');
    emit('          const end = rs[i + 1];');
    emit('          for (; e + 3 < end; e += 4) { s0 += co[e] * out[ci[e]]; s1 += co[e + 1] * out[ci[e + 1]]; s2 += co[e + 2] * out[ci[e + 2]]; s3 += co[e + 3] * out[ci[e + 3]]; }');
    emit('          for (; e < end; e++) s0 += co[e] * out[ci[e]];');
    emit('          F[i] = s0 + s1 + (s2 + s3);');
    emit('        }');
    const d = atomic.denseColumns.length;
    if (d > 0) {
      // Dense block: by MV, else four rows at a time, each row one chain over the columns in order.
      emit(`        for (let c = 0; c < ${d}; c++) A[c] = out[dc[c]];`);
      const mvLayout = matvecLayout(n, d);
      emit(`        if (mv !== null) { mv(0, ${mvLayout.a}, ${mvLayout.g}, ${mvLayout.rows}, ${d}); for (let i = 0; i < ${n}; i++) F[i] += MG[i]; } else {`);
      emit('        let i = 0;');
      emit(`        for (; i + 3 < ${n}; i += 4) {`);
      emit(`          const r0 = i * ${d}, r1 = r0 + ${d}, r2 = r1 + ${d}, r3 = r2 + ${d};`);
      emit('          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;');
      emit(`          for (let c = 0; c < ${d}; c++) { const a = A[c]; s0 += dm[r0 + c] * a; s1 += dm[r1 + c] * a; s2 += dm[r2 + c] * a; s3 += dm[r3 + c] * a; }`);
      emit('          F[i] += s0; F[i + 1] += s1; F[i + 2] += s2; F[i + 3] += s3;');
      emit('        }');
      emit(`        for (; i < ${n}; i++) { const r = i * ${d}; let s = 0; for (let c = 0; c < ${d}; c++) s += dm[r + c] * A[c]; F[i] += s; }`);
      emit('        }');
    }
  } else if (local !== undefined) {
    emit(local.replace(/^/gm, '        '));
  } else {
    for (let i = 0; i < n; i++) emit(`        v[${i}] = ${X(i)};`);
    emit(`        v[${n}] = TNOW;`);
    emit(cm.kernelBody.replace(/^/gm, '        '));
    for (let j = 0; j < cm.outputs; j++) emit(`        ${C(j)} = out[${j}];`);
  }
  emit('      }');
  // Normals and Wiener increments.
  const dW = (k: number): string => (unrollNormals ? `w${k}` : `dw[${k}]`);
  if (unrollNormals) {
    for (let k = 0; k < m; k++) {
      emit(`      let w${k} = 0;`);
      emit(indent(normalSource(`w${k}`), 6));
      emit(`      w${k} *= ${literal(sqh)};`);
    }
  } else {
    emit(`      for (let k = 0; k < ${m}; k++) { let z = 0;`);
    emit(indent(normalSource('z'), 8));
    emit(`        dw[k] = z * ${literal(sqh)}; }`);
  }
  // Noise matrix for this step.
  const gEntry: (i: number, k: number) => string | undefined = (() => {
    if (cm.noise.constantG) {
      const G = cm.noise.constantG;
      return (i, k) => (G[i][k] === 0 ? undefined : literal(G[i][k]));
    }
    if (cm.dOffset >= 0) {
      const entries = (n * (n + 1)) / 2;
      for (let j = 0; j < entries; j++) emit(`      out[${cm.dOffset + j}] = ${C(cm.dOffset + j)};`);
      emitCholesky(emit, n, cm.dOffset);
      return (i, k) => (k <= i ? `chol[${i * n + k}]` : undefined);
    }
    const at = new Map(cm.gTerms.map(([i, k, o]) => [`${i},${k}`, C(o)]));
    return (i, k) => at.get(`${i},${k}`);
  })();
  // Update: x += f h + G ΔW (+ Milstein).
  if (arrays) emit(`      for (let i = 0; i < ${n}; i++) { let d = F[i] * ${literal(h)}; const end = gs[i + 1]; for (let e = gs[i]; e < end; e++) d += gv[e] * dw[gc[e]]; X[i] += d; }`);
  for (let i = 0; i < n && !arrays; i++) {
    const terms = [`${C(i)} * ${literal(h)}`];
    for (let k = 0; k < m; k++) {
      const g = gEntry(i, k);
      if (g !== undefined) terms.push(`${g} * ${dW(k)}`);
    }
    for (const [ci, j, k, o] of cm.cTerms) {
      if (ci !== i) continue;
      terms.push(j === k ? `0.5 * ${C(o)} * (${dW(j)} * ${dW(j)} - ${literal(h)})` : `0.5 * ${C(o)} * ${dW(j)} * ${dW(k)}`);
    }
    emit(`      const dx${i} = ${terms.join(' + ')};`);
  }
  for (let i = 0; i < n && !arrays; i++) emit(`      ${X(i)} += dx${i};`);
  // A path that leaves the domain (x ≤ 0 for GBM) is stopped and counted, never continued.
  const bounds = domain.flatMap(([lo, hi], i) => [
    ...(Number.isFinite(lo) ? [`${X(i)} > ${literal(lo)}`] : []),
    ...(Number.isFinite(hi) ? [`${X(i)} < ${literal(hi)}`] : []),
  ]);
  if (bounds.length > 0) emit(`      if (!(${bounds.join(' && ')})) { inDomain = false; break; }`);
  emit('    }');
  emit('    if (!inDomain) { leftDomain++; continue; }');
  emit('    if (!ok) { diverged++; continue; }');
  if (run.condition) {
    const d2 = run.condition.to.map((y, i) => `(${X(i)} - ${literal(y)}) * (${X(i)} - ${literal(y)})`).join(' + ');
    emit(`    if (!(${d2} <= ${literal(run.condition.tol * run.condition.tol)})) continue;`);
  }
  emit('    indices[accepted++] = path;');
  emit('  }');
  emit('  counters[0] = accepted; counters[1] = diverged; counters[2] = outside; counters[3] = leftDomain;');
  emit('}');
  // Warm-up: one path into scratch arrays, so that every site of the hot loop has
  // type feedback before V8 optimises it (results are discarded; paths are pure).
  emit(
    `simulatePaths(0, 1, new Float64Array(${S * n}), new Int32Array(1), ${K > 0 ? `new Float64Array(${K * n})` : 'null'}, ` +
      `${hist ? `new Float64Array(${histSize})` : 'null'}, new Float64Array(4));`,
  );
  emit(`return { ensemble, release, wasm: ${arrays && atomic.denseColumns.length > 0 ? 'MV !== null' : 'false'} };`);
  return L.join('\n');
}

/** Byte offsets of the WebAssembly product's operands: W (rows × d, column-major) at 0, then a (d), then g (rows, 16-byte aligned). */
function matvecLayout(n: number, d: number): { rows: number; a: number; g: number; bytes: number } {
  const rows = Math.ceil(n / MATVEC_ROW_BLOCK) * MATVEC_ROW_BLOCK;
  const a = rows * d * 8;
  const g = Math.ceil((a + d * 8) / 16) * 16;
  return { rows, a, g, bytes: g + rows * 8 };
}

/**
 * MV: the dense block's product instantiated from MATVEC_WASM, with DM copied into its
 * memory column-major ({ mv, a, g }), or null where the engine runs no WebAssembly
 * SIMD (e.g. node --jitless): the loop then takes its JavaScript form.
 */
function emitMatvec(emit: (s: string) => void, n: number, d: number): void {
  const layout = matvecLayout(n, d);
  emit('const MV = (() => {');
  emit("  if (typeof WebAssembly !== 'object') return null;");
  emit('  try {');
  emit(`    const memory = new WebAssembly.Memory({ initial: ${Math.ceil(layout.bytes / 65536)} });`);
  emit(`    const mv = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([${MATVEC_WASM.join(', ')}])), { env: { memory } }).exports.mv;`);
  emit(`    const w = new Float64Array(memory.buffer, 0, ${layout.rows * d});`);
  emit(`    for (let i = 0; i < ${n}; i++) for (let c = 0; c < ${d}; c++) w[c * ${layout.rows} + i] = DM[i * ${d} + c];`);
  emit(`    return { mv, a: new Float64Array(memory.buffer, ${layout.a}, ${d}), g: new Float64Array(memory.buffer, ${layout.g}, ${layout.rows}) };`);
  emit('  } catch {');
  emit('    return null;');
  emit('  }');
  emit('})();');
}

/** chol = lower-triangular L with L Lᵀ = 2D, D's lower triangle in out[offset…]; NaN where 2D is not positive definite. */
function emitCholesky(emit: (s: string) => void, n: number, offset: number): void {
  emit(`      for (let i = 0, o = ${offset}; i < ${n}; i++) {`);
  emit(`        for (let j = 0; j <= i; j++, o++) {`);
  emit(`          let s = 2 * out[o];`);
  emit(`          for (let k = 0; k < j; k++) s -= chol[i * ${n} + k] * chol[j * ${n} + k];`);
  emit(`          chol[i * ${n} + j] = i === j ? (s > 0 ? Math.sqrt(s) : NaN) : s / chol[j * ${n} + j];`);
  emit('        }');
  emit('      }');
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.replace(/^/gm, pad);
}

export interface Program {
  /** Simulates paths first … first + count − 1. */
  ensemble(first: number, count: number): ChunkResult;
  /** Hands a result's arrays back for reuse by a later chunk (the result must not be used afterwards). */
  release(result: Pick<ChunkResult, 'samples' | 'indices' | 'thin' | 'hist'>): void;
  /** Whether a dense block's product runs in WebAssembly (false: in JavaScript, or no dense block). */
  readonly wasm: boolean;
}

/** Programs evaluated in this thread, by source: a rerun (a sweep, a benchmark) reuses the optimised code. */
const programs = new Map<string, Program>();
const KEPT_PROGRAMS = 8;

/** Evaluates a generated program in this thread (once per source). */
export function instantiate(source: string): Program {
  let program = programs.get(source);
  if (program === undefined) {
    program = new Function(source)() as Program;
    if (programs.size >= KEPT_PROGRAMS) programs.delete(programs.keys().next().value as string);
    programs.set(source, program);
  }
  return program;
}
