// Kernel speed: the drift f(x, t) of the 3-attractor model (paper Eq. 20,
// examples/attractor3.yaml) and of the 2D Ornstein–Uhlenbeck process
// (examples/ou2d.yaml), evaluated 1e6 times by
//   - the compiled kernel (src/compile, compileModel(...).drift.run),
//   - mathjs: compile(text).evaluate(scope) on the drift as written in the model,
//   - a hand-written JavaScript function of the same drift,
//   - hand-written C (bench/c/drift.c, -O2), when a C compiler is available.
// Goal: compiled ≥ 100× mathjs and within 1.5× of hand-written JS.
// Usage: node bench/kernels.mjs   (N=… to change the count; the internals are
// bundled from src/ by bench/internals.mjs)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadInternals } from './internals.mjs';
import { compile as mathCompile } from 'mathjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.N ?? 1e6);
const RUNS = Number(process.env.RUNS ?? 5);
const MATHJS_RUNS = Number(process.env.MATHJS_RUNS ?? 2);
const POINTS = 1024;
const tmp = mkdtempSync(join(tmpdir(), 'noether-bench-'));

try {
  const lib = await loadInternals();
  const notes = [];

  // The same 1024 input points for every implementation (and for bench/c/drift.c).
  const pts = new Float64Array(2 * POINTS);
  for (let i = 0; i < POINTS; i++) {
    pts[2 * i] = -0.5 + (2 * ((i * 37) % POINTS)) / POINTS;
    pts[2 * i + 1] = -0.5 + (2 * ((i * 91) % POINTS)) / POINTS;
  }

  const native = runNative(notes);
  const rows = [];
  for (const [file, handWritten] of [
    ['examples/attractor3.yaml', attractor3Hand],
    ['examples/ou2d.yaml', ou2dHand],
  ]) {
    const model = lib.loadModelFile(join(ROOT, file));
    const kernels = lib.compileModel(lib.buildLagrangian(model));
    const p = Object.fromEntries(model.params.map((q) => [q.name, q.value]));
    const impls = {
      compiled: kernels.drift.run,
      'mathjs (Map scope)': mathjsDrift(model, 'map'),
      'mathjs (object scope)': mathjsDrift(model, 'object'),
      'hand-written JS': handWritten(p),
    };
    checkAgreement(impls, pts, model.name);
    const results = {};
    for (const [name, fn] of Object.entries(impls)) {
      // mathjs is slow and its times vary less in relative terms: fewer runs.
      results[name] = measure(fn, pts, N, name.startsWith('mathjs') ? MATHJS_RUNS : RUNS);
    }
    if (native[model.name] !== undefined) results['hand-written C (-O2)'] = native[model.name];
    const base = results.compiled;
    for (const [name, ns] of Object.entries(results)) {
      rows.push(`| ${model.name} | ${name} | ${fmt(ns, 1)} | ${fmt((ns * N) / 1e6, 0)} | ${name === 'compiled' ? '1' : fmt(ns / base, 2)} |`);
    }
    const speedup = Math.min(results['mathjs (Map scope)'], results['mathjs (object scope)']) / base;
    const slowdown = base / results['hand-written JS'];
    notes.push(
      `${model.name}: compiled is ${fmt(speedup, 0)}× faster than mathjs at its fastest (goal ≥ 100×: ${speedup >= 100 ? 'met' : 'NOT met'}) ` +
        `and ${fmt(slowdown, 2)}× the time of hand-written JS (goal ≤ 1.5×: ${slowdown <= 1.5 ? 'met' : 'NOT met'}).`,
    );
  }

  console.log(`Drift kernels, ${N.toExponential(0)} evaluations each (best of ${RUNS} runs; mathjs best of ${MATHJS_RUNS}), node ${process.version}\n`);
  console.log('| model | implementation | ns / evaluation | ms per 1e6 | time / compiled |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
  console.log('');
  for (const n of notes.filter(Boolean)) console.log(`- ${n}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------

/**
 * mathjs on the drift text as written in the model file. With a Map scope
 * (mathjs's own scope type: fastest) or a plain object (which mathjs wraps on
 * every call).
 */
function mathjsDrift(model, kind) {
  const texts = Array.isArray(model.spec.drift) ? model.spec.drift.map(String) : [String(model.spec.drift)];
  const compiled = texts.map((t) => mathCompile(t));
  const params = model.params.map((q) => [q.name, q.value]);
  const [x, y] = model.state;
  if (kind === 'map') {
    const scope = new Map(params);
    return (v, out) => {
      scope.set(x, v[0]);
      scope.set(y, v[1]);
      scope.set('t', v[2]);
      for (let i = 0; i < compiled.length; i++) out[i] = compiled[i].evaluate(scope);
    };
  }
  const scope = Object.fromEntries(params);
  return (v, out) => {
    scope[x] = v[0];
    scope[y] = v[1];
    scope.t = v[2];
    for (let i = 0; i < compiled.length; i++) out[i] = compiled[i].evaluate(scope);
  };
}

function attractor3Hand({ mu0, A, I, c, n, tau }) {
  return (v, out) => {
    const x = v[0];
    const y = v[1];
    const tx = Math.tanh((x - c) / n);
    const ty = Math.tanh((y - c) / n);
    out[0] = (mu0 + (A / 2) * (tx + 1) - (I / 2) * (ty + 1) - x) / tau;
    out[1] = (mu0 + (A / 2) * (ty + 1) - (I / 2) * (tx + 1) - y) / tau;
  };
}

function ou2dHand({ k }) {
  return (v, out) => {
    out[0] = -k * v[0];
    out[1] = -k * v[1];
  };
}

/** The implementations must compute the same drift. */
function checkAgreement(impls, pts, name) {
  const v = new Float64Array(3);
  const ref = new Float64Array(2);
  const out = new Float64Array(2);
  for (let i = 0; i < POINTS; i++) {
    v[0] = pts[2 * i];
    v[1] = pts[2 * i + 1];
    impls.compiled(v, ref);
    for (const [impl, fn] of Object.entries(impls)) {
      fn(v, out);
      for (let j = 0; j < 2; j++) {
        if (Math.abs(out[j] - ref[j]) > 1e-12 * (1 + Math.abs(ref[j]))) {
          throw new Error(`${name}: ${impl} gives ${out[j]} for output ${j} at (${v[0]}, ${v[1]}); compiled gives ${ref[j]}`);
        }
      }
    }
  }
}

/**
 * Best time per evaluation in ns. Each implementation gets its own freshly
 * generated loop, so the call site in the loop sees one function only (a
 * shared loop would turn polymorphic and penalise whichever runs later).
 */
function measure(fn, pts, n, runs) {
  const loop = new Function(
    'fn',
    'pts',
    'n',
    `const v = new Float64Array(3);
     const out = new Float64Array(2);
     let sum = 0;
     for (let i = 0; i < n; i++) {
       const j = (i & ${POINTS - 1}) * 2;
       v[0] = pts[j];
       v[1] = pts[j + 1];
       fn(v, out);
       sum += out[0] + out[1];
     }
     return sum;`,
  );
  loop(fn, pts, Math.min(n, 50_000)); // warm up: let the JIT optimise the loop and the kernel
  let best = Infinity;
  let checksum = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    checksum += loop(fn, pts, n);
    best = Math.min(best, ((performance.now() - t0) * 1e6) / n);
  }
  if (!Number.isFinite(checksum)) throw new Error('non-finite checksum');
  return best;
}

/** Compiles and runs bench/c/drift.c; {} (with a note) when there is no C compiler. */
function runNative(notes) {
  const exe = join(tmp, 'drift');
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    try {
      execFileSync(cc, ['-O2', '-o', exe, join(ROOT, 'bench/c/drift.c'), '-lm'], { stdio: 'pipe' });
      const out = execFileSync(exe, [String(N)], { encoding: 'utf8' });
      notes.push(`hand-written C: bench/c/drift.c built with \`${cc} -O2\`, called through a function pointer.`);
      return Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((line) => line.split(' '))
          .map(([model, ns]) => [model, Number(ns)]),
      );
    } catch {
      // try the next compiler
    }
  }
  notes.push('no C compiler found: the hand-written C row is left out.');
  return {};
}

function fmt(x, digits) {
  return x.toFixed(digits);
}
