// Runs the CLI in-process with both streams captured.
import { expect } from 'vitest';
import type { IO } from '../../src/cli/io.ts';
import { EXIT } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** main(argv) (or another entry with the same signature) with an io that captures stdout and stderr. */
export async function runCli(argv: readonly string[], entry: typeof main = main): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: IO = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  };
  const code = await entry(argv, io);
  return { code, stdout, stderr };
}

/** Runs the command, expects exit 0 with nothing on stderr, returns stdout. */
export async function runOk(argv: readonly string[]): Promise<string> {
  const r = await runCli(argv);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(EXIT.ok);
  return r.stdout;
}
