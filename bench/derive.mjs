// Wall time of `noether derive MODEL --format json` on the paper's models: the
// whole process (what a researcher waits for at the shell), and the derivation
// and the Lagrangian stage in-process (the internals bundled from src/).
// Prints a Markdown table. Build first: node scripts/build.mjs.
//
//   node bench/derive.mjs            # 9 runs each
//   RUNS=15 node bench/derive.mjs
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadInternals } from './internals.mjs';

const RUNS = Number(process.env.RUNS ?? 9);
const models = ['examples/ddm.yaml', 'examples/ou2d.yaml', 'examples/attractor3.yaml', 'test/fixtures/cas/models/ring.yaml'];

if (!existsSync('dist/cli.js')) {
  console.error('dist/ is missing: run `node scripts/build.mjs` first (from the repository root)');
  process.exit(1);
}

const stats = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] };
};
const ms = (t) => (t === undefined ? 'n/a' : t.toFixed(0));

const lib = await loadInternals();
const rules = lib.builtinRules();

/** Times fn RUNS times in this process; the first run (cold: JIT, lazy chunks) is reported separately. */
function inProcess(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return { first: times[0], ...stats(times.slice(1).length > 0 ? times.slice(1) : times) };
}

console.log(`noether derive benchmark: ${RUNS} runs each, node ${process.version}`);
console.log('');
console.log('| model | generators | process median (ms) | process min (ms) | in-process derive first / median (ms) | in-process Lagrangian median (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const model of models) {
  const times = [];
  let out = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    try {
      out = execFileSync(process.execPath, ['dist/cli.js', 'derive', model, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
    } catch (err) {
      console.error(`\nnode dist/cli.js derive ${model} --format json failed (exit ${err.status}):\n${err.stderr}`);
      process.exit(1);
    }
    times.push(performance.now() - t0);
  }
  const generators = JSON.parse(out).symmetries.length;
  const proc = stats(times);
  const lagr = inProcess(() => lib.buildLagrangian(lib.loadModelFile(model)));
  const der = inProcess(() => lib.derive(lib.buildLagrangian(lib.loadModelFile(model)), rules));
  const derCell = `${ms(der.first)} / ${ms(der.median)}`;
  console.log(`| ${model} | ${generators} | ${ms(proc.median)} | ${ms(proc.min)} | ${derCell} | ${ms(lagr.median)} |`);
}
