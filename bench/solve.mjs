// Fixed-duration most likely path of the 3-attractor network (paper Eq. 20,
// examples/attractor3.yaml: μ₀ = 0, A = 0.8, I = 0.4, c = 0.5, n = 0.1, τ = 1,
// σ = 0.1) from (0.8, −0.4) to (−0.4, 0.8) in T = 8: wall time of
// solveFixedTime (Newton with the block-tridiagonal Hessian) at M = 1000 … 8000
// intervals, and L-BFGS at M = 1000 for comparison. Kernels are compiled once,
// outside the timing. Goal: |∂S/∂x| ≤ 1e-9 in under 50 ms at M = 1000, cost
// about linear in M. Prints a Markdown table.
//
// L-BFGS is slow (about a minute per solve at the 20000-iteration cap), so it
// runs once by default, without a separate warm-up (the Newton runs before it
// have warmed up the shared kernels).
//
//   node bench/solve.mjs                 # Newton: median of 5 after a warm-up; L-BFGS: 1 run
//   RUNS=9 LBFGS_RUNS=3 node bench/solve.mjs
//   LBFGS_RUNS=0 node bench/solve.mjs    # Newton only
import { performance } from 'node:perf_hooks';
import { loadInternals } from './internals.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const LBFGS_RUNS = Number(process.env.LBFGS_RUNS ?? 1);
const MODEL = 'examples/attractor3.yaml';
const FROM = [0.8, -0.4];
const TO = [-0.4, 0.8];
const T = 8;
const NODES = [1000, 2000, 4000, 8000];
const LBFGS_CAP = 20000;

const lib = await loadInternals();

const tCompile = performance.now();
const kernels = lib.compileModel(lib.buildLagrangian(lib.loadModelFile(MODEL)));
const compileMs = performance.now() - tCompile;

/** An optional warm-up run, then `runs` timed runs; the result of the last run. */
function time(runs, fn, warmUp = true) {
  if (warmUp) fn();
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], result };
}

// Let the JIT settle on the kernels and the solver before anything is timed.
for (let i = 0; i < 5; i++) lib.solveFixedTime(kernels, FROM, TO, T, { nodes: 1000 });

const rows = [];
for (const m of NODES) {
  const r = time(RUNS, () => lib.solveFixedTime(kernels, FROM, TO, T, { nodes: m }));
  rows.push({ m, label: 'newton', ...r });
}
if (LBFGS_RUNS > 0) {
  const r = time(LBFGS_RUNS, () => lib.solveFixedTime(kernels, FROM, TO, T, { nodes: 1000, method: 'lbfgs', maxIterations: LBFGS_CAP }), false);
  rows.push({ m: 1000, label: `lbfgs (cap ${LBFGS_CAP})`, ...r });
}

console.log(`solveFixedTime benchmark: ${MODEL}, (${FROM}) → (${TO}), T = ${T}; Newton median of ${RUNS} after a warm-up, L-BFGS ${LBFGS_RUNS} run(s); node ${process.version}`);
console.log(`kernel compilation (once, not timed below): ${compileMs.toFixed(0)} ms`);
console.log('');
console.log('| M | method | median (ms) | min (ms) | µs per interval | iterations | ms per iteration | action S | max \\|∂S/∂x\\| | converged |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) {
  const s = row.result;
  const method = s.method === row.label || row.label.startsWith(s.method) ? row.label : `${row.label} → ${s.method}`;
  console.log(
    `| ${row.m} | ${method} | ${row.median.toFixed(1)} | ${row.min.toFixed(1)} | ${((1000 * row.median) / row.m).toFixed(1)} | ${s.iterations} | ${(row.median / Math.max(s.iterations, 1)).toFixed(2)} | ${s.action.toPrecision(12)} | ${s.gradientNorm.toExponential(2)} | ${s.converged ? 'yes' : 'no'} |`,
  );
}
const newton = rows.filter((r) => r.label === 'newton');
const first = newton[0];
const last = newton[newton.length - 1];
console.log('');
console.log(
  `Goal at M = ${first.m}: converged to 1e-9 in < 50 ms — ${first.result.converged && first.result.gradientNorm <= 1e-9 && first.median < 50 ? 'met' : 'NOT met'} ` +
    `(${first.median.toFixed(1)} ms, |∂S/∂x| = ${first.result.gradientNorm.toExponential(2)}).`,
);
console.log(
  `Scaling: M × ${last.m / first.m} costs × ${(last.median / first.median).toFixed(2)} in time ` +
    `(× ${(last.median / last.result.iterations / (first.median / first.result.iterations)).toFixed(2)} per Newton iteration).`,
);
