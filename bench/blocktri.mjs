// The block Cholesky factorisation behind every Newton step and certificate of a
// fixed-T path (src/solve/blocktri.ts): factor() of a random symmetric positive
// definite block-tridiagonal matrix (M blocks of N×N, as the action's Hessian of an
// N-unit network at M intervals), largestPivotInverse() (the certificate's bound on
// every pivot) and one N×N Cholesky. Median of RUNS, after one warm-up run.
//
//   node bench/blocktri.mjs            # N = 16, 64 at M = 1000; N = 256 at M = 60
import { loadInternals } from './internals.mjs';
import { medianMs } from './machine.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const { BlockTridiagonal, cholesky } = await loadInternals();

/** Seeded uniform numbers in [−½, ½). */
function random(seed) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

/** Diagonal blocks RRᵀ/N + 4I, upper blocks 0.3·(uniform): positive definite for these sizes. */
function system(n, blocks) {
  const nn = n * n;
  const rnd = random(7 + n);
  const diag = new Float64Array(blocks * nn);
  const upper = new Float64Array((blocks - 1) * nn);
  const R = new Float64Array(nn);
  for (let j = 0; j < blocks; j++) {
    for (let a = 0; a < nn; a++) R[a] = rnd();
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += R[a * n + k] * R[b * n + k];
        diag[j * nn + a * n + b] = s / n + (a === b ? 4 : 0);
      }
    }
  }
  for (let a = 0; a < upper.length; a++) upper[a] = 0.3 * rnd();
  return { diag, upper };
}

/** Median time of f after one warm-up call (ms). */
function median(f) {
  f();
  return medianMs(RUNS, f);
}

console.log(`block Cholesky, median of ${RUNS}, node ${process.version}`);
console.log('');
console.log('| N | M | factor (ms) | largestPivotInverse (ms) | N×N Cholesky (µs) |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const [n, blocks] of [[16, 1000], [64, 1000], [256, 60]]) {
  const { diag, upper } = system(n, blocks);
  const solver = new BlockTridiagonal(blocks, n);
  if (!solver.factor(diag, upper)) throw new Error(`N = ${n}: the test matrix is not positive definite`);
  const factor = median(() => solver.factor(diag, upper));
  const inverse = median(() => solver.largestPivotInverse());
  const out = new Float64Array(n * n);
  const block = diag.subarray(0, n * n);
  const repeats = Math.max(1, Math.round(2e6 / n ** 3));
  const chol = median(() => {
    for (let r = 0; r < repeats; r++) cholesky(block, n, out, 0);
  });
  console.log(`| ${n} | ${blocks} | ${factor.toFixed(1)} | ${inverse.toFixed(1)} | ${((chol / repeats) * 1000).toFixed(1)} |`);
}
