// Whole-process `noether solve` (issue 12): node start-up, model parsing,
// derivation, kernel compilation, the solve, the shooting polish and the charge
// checks, as a user runs it: `node dist/cli.js solve MODEL ... --json`.
// Maier–Stein (β = 10, (−1, 0) → (0, 0), T = 20) and the 3-attractor model
// ((0.8, −0.4) → (−0.4, 0.8), T = 8) at M = 1000 and 8000. Goal: under 0.3 s
// whole process at M = 1000. Build first: node scripts/build.mjs.
//
//   node bench/solve-process.mjs     # median of RUNS (default 3)
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { machineReference } from './machine.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const cases = [
  { name: 'maier-stein', file: 'examples/maier-stein.yaml', from: '[-1,0]', to: '[0,0]', T: '20' },
  { name: 'attractor3', file: 'examples/attractor3.yaml', from: '[0.8,-0.4]', to: '[-0.4,0.8]', T: '8' },
];
console.log(`noether solve, whole process: median of ${RUNS} runs, node ${process.version}`);
console.log(machineReference());
console.log('');
console.log('| model | M | median (s) | min (s) | iterations | method | certificate | polished | action S | max charge drift |');
console.log('| --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |');
for (const c of cases) {
  for (const nodes of ['1000', '8000']) {
    const times = [];
    let report;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      let out;
      try {
        out = execFileSync(process.execPath, ['dist/cli.js', 'solve', c.file, '--from', c.from, '--to', c.to, '--T', c.T, '--nodes', nodes, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      } catch (err) {
        out = err.stdout; // exit 1: a charge failed the tolerance; the report is still there
      }
      times.push((performance.now() - t0) / 1000);
      report = JSON.parse(out);
    }
    times.sort((a, b) => a - b);
    let drift = 0;
    for (const q of report.quantities) drift = Math.max(drift, q.relativeDrift);
    console.log(
      `| ${c.name} | ${nodes} | ${times[RUNS >> 1].toFixed(2)} | ${times[0].toFixed(2)} | ${report.iterations} | ${report.method} | ${report.stationary} | ${report.polished ? 'yes' : 'no'} | ${report.action.toFixed(10)} | ${drift.toExponential(1)} |`,
    );
  }
}
