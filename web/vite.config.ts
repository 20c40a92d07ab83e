// Vite config of the playground: a static site that runs the whole pipeline in
// the browser (a Web Worker), built from the library's public API (../src/index.ts)
// and ../examples.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the built site works from any directory or sub-path.
  base: './',
  worker: { format: 'es' },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The worker bundles the symbolic engine; KaTeX fonts are separate assets.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [here('..')] },
  },
  preview: { host: '127.0.0.1' },
});
