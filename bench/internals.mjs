// The internals the benchmarks time (solvers, kernels, the detector), bundled
// from src/ with esbuild into a temporary directory: the package's public API
// (dist/lib) deliberately does not export them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The modules every benchmark may use, by export. */
const MODULES = [
  "export { buildLagrangian } from './src/lagrangian/lagrangian.ts';",
  "export { loadModelFile } from './src/model/file.ts';",
  "export { derive } from './src/noether/derive.ts';",
  "export { builtinRules } from './src/symmetry/rules.ts';",
  "export { compileModel } from './src/compile/model-kernels.ts';",
  "export { solveFixedTime } from './src/solve/fixed-time.ts';",
  "export { BlockTridiagonal, cholesky } from './src/solve/blocktri.ts';",
  "export { compileSimulation, runSimulation } from './src/simulate/simulate.ts';",
];

/** Imports the internals; the temporary bundle is removed when the process exits. */
export async function loadInternals() {
  const dir = mkdtempSync(join(tmpdir(), 'noether-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'internals.mjs');
  await build({
    stdin: { contents: MODULES.join('\n'), resolveDir: ROOT, loader: 'ts' },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@resvg/resvg-js', 'vega', 'vega-lite'],
    banner: { js: "import { createRequire as __noetherRequire } from 'node:module'; const require = __noetherRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}
