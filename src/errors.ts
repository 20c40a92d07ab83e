// Errors for misuse and bad input. Outcomes such as a broken symmetry are data,
// not errors; a NoetherError means the input itself is wrong, and it carries
// everything needed to point at the mistake.

export type ErrorCode =
  | 'file' // cannot read the file
  | 'syntax' // YAML/JSON syntax
  | 'schema' // missing, extra or mistyped field
  | 'name' // bad, duplicate or reserved name
  | 'expression' // expression syntax or disallowed construct
  | 'symbol' // unknown symbol or function, or a symbol in the wrong place
  | 'shape' // wrong number of entries or matrix shape
  | 'diffusion' // D not symmetric / not positive definite
  | 'domain' // a state outside the model's domain (a path end, a start point, a solved path)
  | 'limit' // input too large or too deeply nested
  | 'request' // a valid model, but a request about it is wrong (a duration outside the model's time, E on a time-dependent model)
  | 'usage' // a wrong option or argument
  | 'dependency' // an optional package that this feature needs is not installed
  | 'internal'; // a bug in noether itself

/**
 * What an error means for the caller: `usage` — the call or request is wrong
 * (a command line exits 2); `input` — the model, rule or data given is wrong
 * (exit 3); `internal` — a bug in noether (exit 4).
 */
export type ErrorKind = 'usage' | 'input' | 'internal';

const KIND: Readonly<Record<ErrorCode, ErrorKind>> = {
  file: 'input',
  syntax: 'input',
  schema: 'input',
  name: 'input',
  expression: 'input',
  symbol: 'input',
  shape: 'input',
  diffusion: 'input',
  domain: 'input',
  limit: 'input',
  request: 'usage',
  usage: 'usage',
  dependency: 'usage',
  internal: 'internal',
};

export interface ErrorLocation {
  /** The file the input came from, when there is one. */
  readonly file?: string;
  /** Field path inside the input, e.g. `drift[1]` or `diffusion[0][1]`. */
  readonly path?: string;
  /** The offending expression text. */
  readonly expression?: string;
  /** 1-based column inside `expression`. */
  readonly column?: number;
  /** 1-based line inside the file (syntax errors). */
  readonly line?: number;
}

/**
 * The one error type of noether. Outcomes (a broken symmetry, a solver that did
 * not converge) are data in the reports; a NoetherError means the input or the
 * request is wrong, and carries everything needed to point at the mistake.
 *
 * @example
 * try {
 *   analyze({ name: 'bad', state: ['x'], drift: '-k*x', diffusion: 1 });
 * } catch (err) {
 *   if (err instanceof NoetherError) console.log(err.kind, err.code, err.where.path); // input symbol drift
 * }
 */
export class NoetherError extends Error {
  override readonly name = 'NoetherError';
  constructor(
    readonly code: ErrorCode,
    /** What is wrong and what was expected, without the location. */
    readonly detail: string,
    readonly where: ErrorLocation = {},
  ) {
    super(formatMessage(detail, where));
  }

  /** usage, input or internal: how a front-end reports it (exit codes 2, 3, 4 on the command line). */
  get kind(): ErrorKind {
    return KIND[this.code];
  }

  /** The same error with an outer location added (inner layers know the column, outer ones the file and field). */
  at(outer: ErrorLocation): NoetherError {
    const path = [outer.path, this.where.path].filter((p) => p !== undefined && p !== '').join('');
    return new NoetherError(this.code, this.detail, {
      ...outer,
      ...this.where,
      file: this.where.file ?? outer.file,
      ...(path ? { path } : {}),
    });
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, kind: this.kind, message: this.detail, ...this.where };
  }
}

/** Control characters from the input are shown escaped, never sent to the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function formatMessage(detail0: string, where: ErrorLocation): string {
  const detail = printable(detail0);
  const head = [where.file, where.line !== undefined ? `line ${where.line}` : undefined, where.path]
    .filter((x) => x !== undefined && x !== '')
    .join(': ');
  let msg = head ? `${head}: ${detail}` : detail;
  if (where.expression !== undefined) {
    // Long expressions are shown as a window around the column.
    const col = where.column ?? 1;
    const start = printable(where.expression).length > 100 ? Math.max(0, Math.min(col - 40, where.expression.length - 80)) : 0;
    const shown = printable(where.expression).slice(start, start + (start > 0 || where.expression.length > 100 ? 80 : 100));
    const lead = start > 0 ? '…' : '';
    const tail = start + shown.length < where.expression.length ? '…' : '';
    msg += `\n    ${lead}${shown}${tail}`;
    if (where.column !== undefined) msg += `\n    ${' '.repeat(col - 1 - start + lead.length)}^ column ${col}`;
  }
  return msg;
}
