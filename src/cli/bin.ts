// The `noether` executable's bundle (dist/noether.cjs, started by launch.ts):
// wires the process to main(). With launch.ts the only place that touches `process`.
import { isMainThread } from 'node:worker_threads';
import { main } from './main.ts';

// A sweep's worker threads start this bundle (sweep-threads.ts): there it serves the sweep.
if (!isMainThread) void import('../api/sweep-threads.ts');

export async function run(): Promise<void> {
  // `noether ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  process.exitCode = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    onInterrupt(cleanup) {
      const handler = (signal: NodeJS.Signals): void => {
        cleanup();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
      return () => {
        process.removeListener('SIGINT', handler);
        process.removeListener('SIGTERM', handler);
      };
    },
  });
}
