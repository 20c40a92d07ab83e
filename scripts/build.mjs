// Builds dist/ with esbuild and tsc:
//  - dist/cli.js: the CLI as one bundle with its dependencies (one bundle starts
//    several times faster than Node resolving hundreds of separate ESM files);
//    heavy modules sit in chunks that load only when a command needs them.
//  - dist/index.js (environment-free) and dist/node.js (file access): the
//    library, our code bundled, dependencies left to the consumer's resolver.
//  - dist/types/: the declarations of both entries.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
const common = { bundle: true, splitting: true, format: 'esm', target: 'node20', sourcemap: true, chunkNames: 'chunks/[name]-[hash]', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts' },
  outdir: 'dist',
  platform: 'node',
  // resvg ships a native addon, which cannot be bundled; vega and vega-lite load
  // only when a figure is drawn. All three are optional dependencies, resolved at run time.
  external: ['@resvg/resvg-js', 'vega', 'vega-lite'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __noetherRequire } from 'node:module'; const require = __noetherRequire(import.meta.url);" },
});

await build({
  ...common,
  entryPoints: { index: 'src/index.ts', node: 'src/node.ts' },
  outdir: 'dist/lib',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  packages: 'external',
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
chmodSync('dist/cli.js', 0o755);
