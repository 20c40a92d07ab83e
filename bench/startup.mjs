// Whole-process wall time of `noether lagrangian` on the paper's models: what a
// researcher waits for at the shell. Prints median and min over repeated runs.
// Goal (issue 2): under 0.5 s per run on a paper model.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.RUNS ?? 15);
const models = ['examples/ddm.yaml', 'examples/ou2d.yaml', 'examples/attractor3.yaml'];
const commands = [['lagrangian'], ['lagrangian', '--format', 'latex'], ['lagrangian', '--format', 'json']];

console.log(`noether start-up benchmark: ${RUNS} runs each, node ${process.version}`);
console.log('| command | model | median (ms) | min (ms) |');
console.log('| --- | --- | ---: | ---: |');
for (const model of models) {
  for (const cmd of commands) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, ['dist/cli.js', ...cmd.slice(0, 1), model, ...cmd.slice(1)], { stdio: 'pipe' });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`| ${cmd.join(' ')} | ${model} | ${median.toFixed(0)} | ${times[0].toFixed(0)} |`);
  }
}
