// What a command needs from the outside world, so tests can run commands in-process.

export interface IO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars are drawn only then). */
  readonly stderrIsTTY?: boolean;
  /**
   * Registers cleanup to run if the process is interrupted (SIGINT, SIGTERM)
   * before the returned function is called; the entry point then exits.
   */
  onInterrupt?(cleanup: () => void): () => void;
}

/** Exit codes, as documented in the README. */
export const EXIT = {
  ok: 0,
  /** A check failed: a claimed symmetry is broken, a charge drifts, a conditioned run is hopeless, … */
  checkFailed: 1,
  usage: 2,
  invalidInput: 3,
  /** A bug in noether itself. */
  internal: 4,
} as const;
