// A progress bar on stderr, drawn only when stderr is a terminal.

import type { IO } from './io.ts';

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

export function progressBar(io: IO, what: string): Progress | undefined {
  if (!io.stderrIsTTY) return undefined;
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const f = Math.min(1, done / total);
      const full = Math.floor(f * width);
      io.stderr(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.floor(100 * f)).padStart(3)}%  ${done}/${total} ${what}`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr('\r\u001b[2K');
    },
  };
}
