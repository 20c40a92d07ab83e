// A/B of two CLI builds (or of one build with and without something), as the
// whole-process figures of bench/RESULTS.md compare changes: the two commands run
// interleaved, so both see the same minutes of this machine, whose speed drifts
// by 2× and more between hours. Each side is a `dist/cli.js` path (e.g. a second
// checkout's build), optionally with environment settings before it.
//
//   node bench/ab.mjs A B -- solve examples/attractor3.yaml --from '[0.8,-0.4]' --to '[-0.4,0.8]' --T 8 --json
//   node bench/ab.mjs dist/cli.js NOETHER_CODE_CACHE=off:dist/cli.js -- derive examples/ou2d.yaml
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { machineReference } from './machine.mjs';

const RUNS = Number(process.env.RUNS ?? 15);
const split = process.argv.indexOf('--');
const sides = process.argv.slice(2, split);
const args = process.argv.slice(split + 1);
if (split < 0 || sides.length !== 2) {
  console.error('usage: node bench/ab.mjs [ENV=VALUE:]A/cli.js [ENV=VALUE:]B/cli.js -- COMMAND ARGS...');
  process.exit(2);
}
const parsed = sides.map((side) => {
  const parts = side.split(':');
  const cli = parts.pop();
  return { side, cli, env: { ...process.env, ...Object.fromEntries(parts.map((p) => p.split('='))) } };
});
const times = parsed.map(() => []);
for (let r = 0; r < RUNS; r++) {
  parsed.forEach(({ cli, env }, i) => {
    const t0 = performance.now();
    try {
      execFileSync(process.execPath, [cli, ...args], { stdio: 'ignore', env });
    } catch {
      // exit 1 (a charge failed its tolerance) still ran the whole command
    }
    times[i].push(performance.now() - t0);
  });
}
console.log(`noether ${args.join(' ')}: ${RUNS} interleaved runs each, node ${process.version}`);
console.log(machineReference());
parsed.forEach(({ side }, i) => {
  const t = times[i].sort((a, b) => a - b);
  console.log(`${side}: median ${t[RUNS >> 1].toFixed(0)} ms, min ${t[0].toFixed(0)} ms`);
});
