// The plain C reference loops (bench/c/simulate.c) that the simulation goals are
// measured against, compiled with gcc -O2 when gcc is there.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** gcc -O2 bench/c/simulate.c into `dir`: { exe } or { exe: undefined, note } saying why not. */
export function compileNative(dir) {
  const exe = join(dir, 'simulate');
  try {
    execFileSync('gcc', ['-O2', '-o', exe, join(ROOT, 'bench/c/simulate.c'), '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { exe, note: '' };
  } catch (err) {
    const why = err.code === 'ENOENT' ? 'gcc not found' : `gcc failed: ${String(err.stderr ?? err.message).trim().split('\n')[0]}`;
    return { exe: undefined, note: `C baseline skipped (${why}).` };
  }
}
