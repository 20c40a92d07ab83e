// Whole-process commands on networks (issue 13), written in vector form and
// generated in a temporary directory:
//  - dense tanh networks f = −x + W tanh(x) (W random normal, scale 0.3), D = 0.05;
//  - radial networks f = −x + tanh(|x|) W x/|x| with W = r(cos θ I + sin θ J),
//    whose symmetry algebra is time ⊕ u(N/2).
// Prints wall time and peak memory of `lagrangian`, `derive` (with discovery:
// the algebra found and whether it is complete), `solve` (M = 1000, T = 5,
// from 0 to (−½, ½, −½, …), with its certificate, polish and energy drift) and
// `simulate` (10 000 paths × 1 000 steps from 0 on every core, the default
// summary), the last against the plain C loop on one core (bench/c/simulate.c:
// the same network, W drawn as the model spec draws it; polar normals), whose
// time for the same work is its nanoseconds per path-step, measured on fewer paths.
// Build first: node scripts/build.mjs.
//
//   LAGRANGIAN=16,64,256 DENSE=8,16,32,64,128,256 RADIAL=6,10,16 SOLVE=16,32,64 SIMULATE=16,64,256 node bench/networks.mjs   # (the defaults)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineReference } from './machine.mjs';
import { compileNative } from './native.mjs';

const list = (name, fallback) => (process.env[name] ?? fallback).split(',').filter(Boolean).map(Number);
const lagrangian = list('LAGRANGIAN', '16,64,256');
const dense = list('DENSE', '8,16,32,64,128,256');
const radial = list('RADIAL', '6,10,16');
const solve = list('SOLVE', '16,32,64');
const simulate = list('SIMULATE', '16,64,256');
const dir = mkdtempSync(join(tmpdir(), 'noether-networks-'));

function denseModel(n) {
  return `name: tanh${n}\nstate: {x: ${n}}\nparams:\n  W: {random: normal, scale: 0.3, seed: 3, shape: [${n}, ${n}]}\n  D: 0.05\ndrift: "-x + W*tanh(x)"\ndiffusion: D\n`;
}
function radialModel(n) {
  const W = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    if (i === j) return 1.5;
    if (i >> 1 === j >> 1) return i % 2 === 0 ? -0.5 : 0.5;
    return 0;
  }));
  return `name: radial${n}\nstate: {x: ${n}}\nparams:\n  W: ${JSON.stringify(W)}\n  D: 0.05\ndrift: "-x + tanh(norm(x))*(W*x)/norm(x)"\ndiffusion: D\n`;
}
function file(kind, n) {
  const path = join(dir, `${kind}${n}.yaml`);
  writeFileSync(path, kind === 'tanh' ? denseModel(n) : radialModel(n));
  return path;
}

/** Runs the CLI under /usr/bin/time: wall seconds, peak RSS in MB, stdout. */
function run(args) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'dist/cli.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t0) / 1000;
  const rss = Number(r.stderr.trim().split('\n').pop()) / 1024;
  return { seconds, rss, stdout: r.stdout, status: r.status };
}

console.log(`noether on networks, whole process, node ${process.version}`);
console.log(machineReference());

if (lagrangian.length > 0) {
  console.log('\n`lagrangian` (text; the equations of motion are left out past 16 state variables)\n');
  console.log('| model | N | time (s) | peak RSS (MB) | output (kB) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const n of lagrangian) {
    const r = run(['lagrangian', file('tanh', n)]);
    console.log(`| tanh | ${n} | ${r.seconds.toFixed(2)} | ${r.rss.toFixed(0)} | ${(r.stdout.length / 1024).toFixed(0)} |`);
  }
}

if (dense.length + radial.length > 0) {
  console.log('\n`derive --format json` (with discovery)\n');
  console.log('| model | N | time (s) | peak RSS (MB) | rule instances | algebra dimension | expected | complete | name |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  const cases = [...dense.map((n) => ['tanh', n, 1]), ...radial.map((n) => ['radial', n, 1 + (n / 2) ** 2])];
  for (const [kind, n, expected] of cases) {
    const r = run(['derive', file(kind, n), '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const a = report.algebra;
    console.log(`| ${kind} | ${n} | ${r.seconds.toFixed(2)} | ${r.rss.toFixed(0)} | ${report.symmetries.length} | ${a.dimension} | ${expected} | ${a.complete ? 'yes' : 'no'} | ${a.name} |`);
  }
}

if (solve.length > 0) {
  console.log('\n`solve --json`, M = 1000, T = 5, from 0 to (−½, ½, −½, …)\n');
  console.log('| model | N | time (s) | peak RSS (MB) | iterations | method | certificate | polished | action S | E drift |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |');
  for (const n of solve) {
    const from = JSON.stringify(Array(n).fill(0));
    const to = JSON.stringify(Array.from({ length: n }, (_, i) => (i % 2 ? 0.5 : -0.5)));
    const r = run(['solve', file('tanh', n), '--from', from, '--to', to, '--T', '5', '--json']);
    const p = JSON.parse(r.stdout);
    const E = p.quantities.find((q) => q.symbol === 'E');
    console.log(`| tanh | ${n} | ${r.seconds.toFixed(2)} | ${r.rss.toFixed(0)} | ${p.iterations} | ${p.method} | ${p.stationary} | ${p.polished ? 'yes' : 'no'} | ${p.action.toFixed(6)} | ${E ? E.relativeDrift.toExponential(1) : '—'} |`);
  }
}
if (simulate.length > 0) {
  const paths = 10000;
  const steps = 1000;
  const native = compileNative(dir);
  console.log(`\n\`simulate --json\`, ${paths} paths × ${steps} steps (T = 10, dt = 0.01) from 0, every core, the default summary; C: one thread\n`);
  console.log('| model | N | time (s) | peak RSS (MB) | workers | ns per path-step | C ns per path-step | C time, same work (s) | speed vs C |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of simulate) {
    const r = run(['simulate', file('tanh', n), '--from', JSON.stringify(Array(n).fill(0)), '--T', '10', '--dt', '0.01', '--paths', String(paths), '--json']);
    const report = JSON.parse(r.stdout);
    const ns = (r.seconds * 1e9) / (paths * steps);
    // C: enough paths for about 0.1 s a run (it reports its best of four runs).
    const cPaths = Math.max(20, Math.round(4e7 / (n * n * steps)));
    const cNs = native.exe ? Number(execFileSync(native.exe, ['net', 'polar', String(cPaths), String(steps), '0.01', '0', '0', '1', String(n)], { encoding: 'utf8' }).trim().split(/\s+/)[1]) : NaN;
    const cSeconds = (cNs * paths * steps) / 1e9;
    console.log(`| tanh | ${n} | ${r.seconds.toFixed(2)} | ${r.rss.toFixed(0)} | ${report.workers} | ${ns.toFixed(0)} | ${cNs.toFixed(0)} | ${cSeconds.toFixed(2)} | ${(cSeconds / r.seconds).toFixed(2)}× |`);
  }
  if (native.note) console.log(`\n${native.note}`);
}
rmSync(dir, { recursive: true, force: true });
