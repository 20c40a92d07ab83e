// What a command needs from the outside world, so tests can run commands in-process.

export interface IO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes, as documented in the README. */
export const EXIT = {
  ok: 0,
  /** A check failed: a claimed symmetry is broken, a charge drifts, … */
  checkFailed: 1,
  usage: 2,
  invalidInput: 3,
  /** A bug in noether itself. */
  internal: 4,
} as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
