// Raw sample paths to a CSV file that appears only when complete: written to a
// temporary file next to it and renamed at the end, removed if the run fails.

import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NoetherError } from '../errors.ts';
import type { PathBatch } from '../simulate/simulate.ts';

export class CsvWriter {
  private readonly temp: string;
  private readonly fd: number;

  constructor(
    readonly file: string,
    private readonly state: readonly string[],
  ) {
    this.temp = join(dirname(file), `.${basename(file)}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      this.fd = openSync(this.temp, 'wx');
    } catch (err) {
      throw new NoetherError('file', `cannot write ${file}: ${(err as Error).message}`);
    }
    writeSync(this.fd, `path,t,${state.join(',')}\n`);
  }

  write(batch: PathBatch): void {
    const n = this.state.length;
    const K = batch.t.length;
    const lines: string[] = [];
    batch.indices.forEach((path, a) => {
      for (let k = 0; k < K; k++) {
        let line = `${path},${batch.t[k]}`;
        for (let i = 0; i < n; i++) line += `,${batch.values[(a * K + k) * n + i]}`;
        lines.push(line);
        if (lines.length >= 8192) {
          writeSync(this.fd, `${lines.join('\n')}\n`);
          lines.length = 0;
        }
      }
    });
    if (lines.length > 0) writeSync(this.fd, `${lines.join('\n')}\n`);
  }

  commit(): void {
    closeSync(this.fd);
    renameSync(this.temp, this.file);
  }

  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // already gone
    }
  }
}
