// Symmetry discovery at larger N (issue 11, item 8): whole-process time of
// `noether derive MODEL --format json` (discovery on) for 10-dimensional models,
// with the dimension of the algebra found. Goal: under 2 s for N = 10.
// Build first: node scripts/build.mjs.
//
//   node bench/discover.mjs          # 3 runs each, median
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.RUNS ?? 3);
const N = 10;
const x = Array.from({ length: N }, (_, i) => `x${i + 1}`);
const models = [
  { name: 'ou10', expected: (N * N + 3 * N + 6) / 2, spec: { name: 'ou10', state: x, params: { k: 1, D: 0.5 }, drift: x.map((s) => `-k*${s}`), diffusion: 'D' } },
  { name: 'free10', expected: (N * N + 3 * N + 6) / 2, spec: { name: 'free10', state: x, params: { D: 0.5 }, drift: x.map(() => '0'), diffusion: 'D' } },
  // A gradient of a nonlinear potential coupling neighbours: only time translation survives.
  { name: 'chain10', expected: 1, spec: { name: 'chain10', state: x, params: { D: 0.5 }, drift: x.map((s, i) => `-${s}^3 + tanh(${x[(i + 1) % N]})`), diffusion: 'D' } },
];

const dir = mkdtempSync(join(tmpdir(), 'noether-bench-discover-'));
try {
  console.log(`noether derive with discovery, N = ${N}: median of ${RUNS} whole-process runs, node ${process.version}`);
  console.log('');
  console.log('| model | algebra found | expected | complete | median (s) | min (s) |');
  console.log('| --- | ---: | ---: | --- | ---: | ---: |');
  for (const m of models) {
    const file = join(dir, `${m.name}.json`);
    writeFileSync(file, JSON.stringify(m.spec));
    const times = [];
    let out = '';
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      out = execFileSync(process.execPath, ['dist/cli.js', 'derive', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    const a = JSON.parse(out).algebra;
    console.log(`| ${m.name} | ${a.dimension} | ${m.expected} | ${a.complete ? 'yes' : 'no'} | ${times[Math.floor(times.length / 2)].toFixed(2)} | ${times[0].toFixed(2)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
