// Bundles the CLI and the library with esbuild. One bundle starts several times
// faster than Node resolving hundreds of separate ESM files (mathjs alone takes
// over a second that way); heavy modules sit in chunks that load only when a
// command needs them.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/bin.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  // resvg ships a native addon, which cannot be bundled; vega and vega-lite load
  // only when a figure is drawn. All three are dependencies, resolved at run time.
  external: ['@resvg/resvg-js', 'vega', 'vega-lite'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __noetherRequire } from 'node:module'; const require = __noetherRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
