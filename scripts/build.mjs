// Builds dist/ with esbuild and tsc:
//  - dist/noether.cjs: the CLI as one bundle with its dependencies (one bundle starts
//    several times faster than Node resolving hundreds of separate ESM files), and
//    dist/cli.js, which starts it with V8's code cache (src/cli/launch.ts);
//    dist/noether.cjs.cache, that cache, written by training runs of the CLI.
//  - dist/index.js (environment-free) and dist/node.js (file access): the
//    library, our code bundled, dependencies left to the consumer's resolver.
//  - dist/types/: the declarations of both entries.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
const common = { bundle: true, target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { noether: 'src/cli/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  // A script, not an ES module: only a script can be compiled with a code cache on Node 20.
  format: 'cjs',
  platform: 'node',
  // The optional figure packages (vega, vega-lite, resvg with its native addon) are not
  // bundled: src/runtime-import.ts loads them when a figure is drawn.
  // import.meta.url (the sweep's worker file, KaTeX's fonts) is the bundle's own URL.
  define: { 'import.meta.url': '__noetherUrl' },
  banner: { js: "const __noetherUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: { cli: 'src/cli/launch.ts' }, outdir: 'dist', format: 'esm', platform: 'node' });

await build({
  ...common,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: { index: 'src/index.ts', node: 'src/node.ts' },
  outdir: 'dist/lib',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  packages: 'external',
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
chmodSync('dist/cli.js', 0o755);

// Training runs: each starts from the cache the one before wrote and adds the functions it
// called (reading models, deriving, solving, simulating, formatting).
const training = [
  ['derive', 'examples/attractor3.yaml'],
  ['derive', 'examples/ou2d.yaml', '--format', 'latex'],
  ['solve', 'examples/maier-stein.yaml', '--from', '[-1,0]', '--to', '[0,0]', '--T', '20', '--json'],
  ['solve', 'examples/attractor3.yaml', '--from', '[0.8,-0.4]', '--to', '[-0.4,0.8]', '--T', '8'],
  ['simulate', 'examples/ou2d.yaml', '--from', '[1,0]', '--T', '1', '--dt', '0.01', '--paths', '20', '--workers', '1'],
];
for (const args of training) {
  execFileSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'ignore', env: { ...process.env, NOETHER_CODE_CACHE: 'write' } });
}
