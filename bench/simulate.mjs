// Simulation speed: Euler–Maruyama steps per second on the 2D Ornstein–Uhlenbeck
// process (examples/ou2d.yaml), the 3-attractor model (paper Eq. 20,
// examples/attractor3.yaml) and a dense 64-unit rate network (−x + W tanh(x),
// run in array form: one matrix–vector product per step), for
//   - noether's generated simulation loop (src/simulate), one thread and all cores,
//   - a plain C loop for the same models (bench/c/simulate.c, gcc -O2), when gcc
//     is available, on the same random streams: with the polar method for normals
//     (the reference of the goals) and with noether's ziggurat (the same numbers).
// Goals: one thread within 2× of C (issue 5) and at least 0.8× C's speed on the
// small models (issue 13); all cores faster than one C thread.
// Usage: node bench/simulate.mjs   (PATHS=…, STEPS=…, RUNS=… to change the work)
//
// Each run is a full runSimulation call (code generation, worker start-up,
// summary statistics) over PATHS paths of STEPS steps; the best of RUNS runs is
// reported. The main rows keep only the end points of each path (stepping
// speed); one row adds the default summary (101-point grid, 5 quantiles). The C loop does the same stepping with no
// grid, no statistics and one thread. noether and the C ziggurat loop print the
// mean final state, which must agree (same streams, same normals, same arithmetic
// up to libm's last bits, in the tables too).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInternals } from './internals.mjs';
import { machineReference } from './machine.mjs';
import { compileNative } from './native.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PATHS_ALL = Number(process.env.PATHS ?? 20000);
const STEPS = Number(process.env.STEPS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 3);
const H = 0.01;
const SEED = 1;
const CORES = availableParallelism();
const tmp = mkdtempSync(join(tmpdir(), 'noether-bench-sim-'));

const NET = Number(process.env.NET ?? 64);
const netFile = join(tmp, `net${NET}.yaml`);
writeFileSync(netFile, `name: net${NET}\nstate: {x: ${NET}}\nparams:\n  W: {random: normal, scale: 0.3, seed: 3, shape: [${NET}, ${NET}]}\n  D: 0.05\ndrift: "-x + W*tanh(x)"\ndiffusion: D\n`);
const MODELS = [
  { name: 'ou2d', file: 'examples/ou2d.yaml', from: [1, 0] },
  { name: 'attractor3', file: 'examples/attractor3.yaml', from: [0.5, 0.5] },
  // Fewer paths: a step costs N² (the C loop draws W as noether does, from x = 0).
  { name: 'net', label: `net${NET}`, file: netFile, from: Array(NET).fill(0), cArgs: ['0', '0', String(SEED), String(NET)], paths: Math.max(1, Math.round(PATHS_ALL / 20)) },
];

try {
  const lib = await loadInternals();
  const native = compileNative(tmp);
  const notes = [native.note];
  const rows = [];
  for (const m of MODELS) {
    const sim = lib.compileSimulation(lib.loadModelFile(resolve(ROOT, m.file)));
    const PATHS = m.paths ?? PATHS_ALL;
    const label = m.label ?? m.name;
    const options = { from: m.from, T: STEPS * H, dt: H, paths: PATHS, seed: SEED };
    const runC = (method) =>
      execFileSync(native.exe, [m.name, method, String(PATHS), String(STEPS), String(H), ...(m.cArgs ?? [String(m.from[0]), String(m.from[1]), String(SEED)])], {
        encoding: 'utf8',
      })
        .trim()
        .split(/\s+/);
    const runBoth = () => ({ polar: runC('polar'), ziggurat: runC('ziggurat') });
    const cBefore = native.exe ? runBoth() : undefined;
    // Warm-up (JIT, worker start-up paths).
    await lib.runSimulation(sim, { ...options, paths: Math.min(PATHS, 2000), workers: 1 });
    const results = {};
    let mean;
    // Stepping speed: the output grid reduced to the end points, no quantiles.
    for (const workers of [1, CORES]) {
      let best = Infinity;
      for (let r = 0; r < RUNS; r++) {
        const res = await lib.runSimulation(sim, { ...options, workers, samples: 2, quantiles: [] });
        best = Math.min(best, res.wallSeconds);
        mean = res.final.mean;
      }
      results[`noether, ${workers} thread${workers > 1 ? 's' : ''}`] = (best * 1e9) / (PATHS * STEPS);
    }
    // The same with the default summary (101-point grid, mean, std and 5 quantiles per point).
    {
      let best = Infinity;
      for (let r = 0; r < RUNS; r++) best = Math.min(best, (await lib.runSimulation(sim, { ...options, workers: 1 })).wallSeconds);
      results['noether, 1 thread, default summary'] = (best * 1e9) / (PATHS * STEPS);
    }
    let cNs;
    if (native.exe) {
      // Once before the JavaScript runs (above) and once after; the better time counts.
      const cAfter = runBoth();
      const best = (method) => [cBefore[method], cAfter[method]].sort((a, b) => Number(a[1]) - Number(b[1]))[0];
      cNs = Number(best('polar')[1]);
      results['C -O2, 1 thread (polar: reference)'] = cNs;
      const out = best('ziggurat');
      results['C -O2, 1 thread, ziggurat'] = Number(out[1]);
      const cMean = [Number(out[2]), Number(out[3])];
      const diff = Math.max(...cMean.map((x, i) => Math.abs(x - mean[i])));
      notes.push(`${label}: mean final state${mean.length > 2 ? ' (x_1, x_2)' : ''}, noether (${mean.slice(0, 2).map((x) => x.toPrecision(10)).join(', ')}) vs C ziggurat (${cMean.map((x) => x.toPrecision(10)).join(', ')}): largest difference ${diff.toExponential(1)}.`);
    }
    for (const [impl, ns] of Object.entries(results)) {
      rows.push(`| ${label} (${PATHS} paths) | ${impl} | ${fmt(1e3 / ns, 1)} | ${fmt(ns, 1)} | ${cNs === undefined ? '–' : fmt(ns / cNs, 2)} |`);
    }
    if (cNs !== undefined) {
      const one = results['noether, 1 thread'];
      const all = results[`noether, ${CORES} thread${CORES > 1 ? 's' : ''}`];
      const small = m.name !== 'net' ? `; ${fmt(cNs / one, 2)}× C's speed (goal ≥ 0.8×: ${cNs / one >= 0.8 ? 'met' : 'NOT met'})` : '';
      notes.push(
        `${label}: one thread takes ${fmt(one / cNs, 2)}× the time of C (goal ≤ 2×: ${one / cNs <= 2 ? 'met' : 'NOT met'})${small}; ` +
          `${CORES} threads ${all < cNs ? 'are' : 'are NOT'} faster than one C thread (${fmt(cNs / all, 2)}× C's speed).`,
      );
    }
  }
  console.log(`Simulation, Euler–Maruyama: paths × ${STEPS} steps (h = ${H}) per run, best of ${RUNS}; node ${process.version}, ${CORES} cores`);
  console.log(`${machineReference()}\n`);
  console.log('| model | implementation | M steps / s | ns / step | time / C |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
  console.log('');
  for (const n of notes.filter(Boolean)) console.log(`- ${n}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function fmt(x, digits) {
  return x.toFixed(digits);
}
