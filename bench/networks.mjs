// Whole-process `noether derive` on networks (issue 13): dense tanh networks
// (f = −x + W tanh(x), W random normal, scale 0.3) and radial networks
// (f = −x + tanh(|x|) W x/|x| with W = r(cos θ I + sin θ J), whose symmetry algebra
// is time ⊕ u(N/2)), written in vector form. Models are generated in a temporary
// directory. Prints time, memory, the algebra found and whether it is complete.
// Build first: node scripts/build.mjs.
//
//   DENSE=8,16,32 RADIAL=6,10,16 node bench/networks.mjs     # (the defaults)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dense = (process.env.DENSE ?? '8,16,32').split(',').map(Number);
const radial = (process.env.RADIAL ?? '6,10,16').split(',').map(Number);
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

console.log(`noether derive, whole process, node ${process.version}`);
console.log('');
console.log('| model | N | time (s) | peak RSS (MB) | rule instances | algebra dimension | expected | complete | name |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
const cases = [...dense.map((n) => ['tanh', n, denseModel(n), 1]), ...radial.map((n) => ['radial', n, radialModel(n), 1 + (n / 2) ** 2])];
for (const [kind, n, text, expected] of cases) {
  const file = join(dir, `${kind}${n}.yaml`);
  writeFileSync(file, text);
  const t0 = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'dist/cli.js', 'derive', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t0) / 1000;
  const report = JSON.parse(run.stdout);
  const time = run.stderr;
  const a = report.algebra;
  console.log(`| ${kind} | ${n} | ${seconds.toFixed(2)} | ${(Number(time.trim().split('\n').pop()) / 1024).toFixed(0)} | ${report.symmetries.length} | ${a.dimension} | ${expected} | ${a.complete ? 'yes' : 'no'} | ${a.name} |`);
}
rmSync(dir, { recursive: true, force: true });
