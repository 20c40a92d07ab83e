// How fast this machine runs right now: its speed drifts by 2× and more between
// hours (the same build's Maier–Stein solve took 0.82 s one night and 0.35 s the next afternoon),
// so each benchmark prints this reference with its figures, to compare recordings.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Median of `runs` timings of `work`, in milliseconds. */
export function medianMs(runs, work) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1];
}

/** One line: `node -e 0` wall time and a fixed floating-point loop (10⁸ multiply–adds), both medians of 5. */
export function machineReference() {
  const start = medianMs(5, () => execFileSync(process.execPath, ['-e', '0']));
  const loop = medianMs(5, () => {
    let s = 0;
    for (let i = 0; i < 1e8; i++) s = s * 0.999999 + 1e-9 * i;
    if (!Number.isFinite(s)) throw new Error('unreachable');
  });
  return `machine reference: \`node -e 0\` ${start.toFixed(0)} ms, 10⁸ multiply–adds ${loop.toFixed(0)} ms (medians of 5)`;
}
