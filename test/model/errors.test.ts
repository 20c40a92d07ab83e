// Every class of bad model input gives one NoetherError that names the file,
// the exact field path, (for expressions) the expression and its 1-based
// column, the right code, and says what was expected.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ErrorCode, NoetherError } from '../../src/errors.ts';
import { parseExpression } from '../../src/expr/parse.ts';
import { toText } from '../../src/expr/print.ts';
import { buildModel, modelScope } from '../../src/model/build.ts';
import { parseModelText } from '../../src/model/load.ts';
import { loadModelFile } from '../../src/model/file.ts';

const BAD = fileURLToPath(new URL('../fixtures/bad-models/', import.meta.url));
const fixture = (name: string): string => join(BAD, name);

interface Expected {
  code: ErrorCode;
  /** Exact field path; `null` means the error must carry no path (whole-file problems). */
  path: string | null;
  /** What the message must say (the expectation, not just the location). */
  message: RegExp;
  expression?: string;
  column?: number;
  line?: number;
}

/** Runs `f`, which must throw a NoetherError, and returns it. */
function catchError(f: () => unknown): NoetherError {
  let thrown: unknown;
  try {
    f();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected a NoetherError to be thrown').toBeInstanceOf(NoetherError);
  return thrown as NoetherError;
}

/** Checks every field of the error against `want`, for the model at `file`. */
function expectError(err: NoetherError, file: string, want: Expected): void {
  expect(err.name).toBe('NoetherError');
  expect(err.code).toBe(want.code);
  expect(err.where.file).toBe(file);
  if (want.path === null) expect(err.where.path).toBeUndefined();
  else expect(err.where.path).toBe(want.path);
  expect(err.detail).toMatch(want.message);
  if (want.line !== undefined) expect(err.where.line, 'where.line').toBe(want.line);
  // The formatted message leads with the location, then says what is wrong.
  const head = [file, want.line !== undefined ? `line ${want.line}` : undefined, want.path ?? undefined]
    .filter((x) => x !== undefined)
    .join(': ');
  expect(err.message.startsWith(`${head}: `), err.message).toBe(true);
  expect(err.message).toMatch(want.message);
  if (want.expression !== undefined) expect(err.where.expression).toBe(want.expression);
  if (want.column !== undefined) {
    expect(err.where.column).toBe(want.column);
    expect(err.message).toContain(`^ column ${want.column}`);
  }
}

/** Loads the fixture `name`, which must fail as described. */
function expectLoadError(name: string, want: Expected): NoetherError {
  const file = fixture(name);
  const err = catchError(() => loadModelFile(file));
  expectError(err, file, want);
  return err;
}

// Generated files (too large to keep as fixtures) live in a temporary directory.
const scratch = mkdtempSync(join(tmpdir(), 'noether-bad-models-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function scratchFile(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe('file and syntax errors', () => {
  it('a file that does not exist gives code file', () => {
    const file = fixture('no-such-model.yaml');
    const err = catchError(() => loadModelFile(file));
    expectError(err, file, { code: 'file', path: null, message: /cannot read the model: no such file/ });
  });

  it('a YAML syntax error names the line', () => {
    expectLoadError('yaml-syntax.yaml', {
      code: 'syntax',
      path: null,
      line: 4,
      message: /YAML syntax error: All mapping items must start at the same column/,
    });
  });

  it('a JSON syntax error says JSON and names the line', () => {
    expectLoadError('json-syntax.json', {
      code: 'syntax',
      path: null,
      line: 4,
      message: /JSON syntax error: Missing , between flow map items/,
    });
  });

  it.each([
    ['duplicate-key.yaml', 5],
    ['duplicate-key.json', 6],
  ])('a duplicate key is rejected (%s, line %i)', (name, line) => {
    expectLoadError(name, { code: 'syntax', path: null, line, message: /syntax error: Map keys must be unique/ });
  });

  it.each([
    ['closed', `${'['.repeat(100000)}x${']'.repeat(100000)}`],
    ['unclosed', '['.repeat(100000)],
  ])('100000 nested [ in the YAML structure give code limit, not a stack overflow (%s)', (kind, value) => {
    const file = scratchFile(`deep-${kind}.yaml`, `name: deep\nstate: ${value}\n`);
    const err = catchError(() => loadModelFile(file));
    expectError(err, file, { code: 'limit', path: null, message: /nested too deeply/ });
  });
});

describe('schema errors', () => {
  it.each([
    ['missing-name.yaml', 'name', /missing field: give the model a name/],
    ['missing-state.json', 'state', /missing field: list the state variables/],
    ['missing-drift.yaml', 'drift', /missing field: give 2 drift expressions, one per state variable/],
    ['neither.yaml', 'diffusion', /missing field: give diffusion \(D\) or noise \(G, with D = G Gᵀ\/2\)/],
  ])('a missing field is named (%s)', (name, path, message) => {
    expectLoadError(name, { code: 'schema', path, message });
  });

  it('an unknown field is named, with the list of fields', () => {
    const err = expectLoadError('unknown-field.yaml', {
      code: 'schema',
      path: 'colour',
      message: /unknown field 'colour' \(fields: name, description, state, domain, params, time, drift, diffusion, noise\)/,
    });
    expect(err.detail).not.toMatch(/did you mean/);
  });

  it("a misspelt field gets a 'did you mean' hint", () => {
    expectLoadError('typo-drfit.yaml', { code: 'schema', path: 'drfit', message: /unknown field 'drfit'; did you mean 'drift'\?/ });
  });

  it.each([
    ['state-not-list.yaml', 'state', /expected a list of names, e\.g\. \[x, y\]; got a string/],
    ['params-not-mapping.json', 'params', /expected a mapping from names to numbers, e\.g\. \{k: 1\.0\}; got a list/],
  ])('a field of the wrong type is named (%s)', (name, path, message) => {
    expectLoadError(name, { code: 'schema', path, message });
  });

  it.each([
    ['both.yaml', 'noise', /give exactly one of diffusion \(D\) and noise \(G, with D = G Gᵀ\/2\), not both/],
    ['neither.json', 'diffusion', /missing field: give diffusion \(D\) or noise/],
  ])('exactly one of diffusion and noise (%s)', (name, path, message) => {
    expectLoadError(name, { code: 'schema', path, message });
  });
});

describe('expression errors', () => {
  it.each([
    ['expr-dangling-operator.yaml', 'drift[1]', '-k*', 4, /expression ends too early: expected a number, a name or \(/],
    [
      'expr-implicit-multiplication.yaml',
      'drift[1]',
      '-k*y + 2x',
      9,
      /missing operator: write '\*' for multiplication \(implicit multiplication is not accepted\)/,
    ],
  ])('a syntax error gives its column (%s)', (name, path, expression, column, message) => {
    expectLoadError(name, { code: 'expression', path, expression, column, message });
  });

  it.each([
    ['unknown-symbol.yaml', 'drift[1]', '-k*y + z', 8],
    ['unknown-symbol-in-noise.yaml', 'noise[1][1]', 's*q', 3],
  ])('an unknown symbol gives its column (%s)', (name, path, expression, column) => {
    const symbol = expression[column - 1];
    expectLoadError(name, {
      code: 'symbol',
      path,
      expression,
      column,
      message: new RegExp(`unknown symbol '${symbol}'; expected one of: x \\(state variable\\), y \\(state variable\\)`),
    });
  });

  it('an unknown function gives its column', () => {
    expectLoadError('unknown-function.yaml', {
      code: 'symbol',
      path: 'drift[0]',
      expression: '-k*x + f(x)',
      column: 8,
      message: /unknown function 'f'; the functions are exp, log, sin/,
    });
  });

  it('a velocity inside the drift is rejected', () => {
    expectLoadError('velocity-in-drift.yaml', {
      code: 'symbol',
      path: 'drift[1]',
      expression: '-k*y + x_dot',
      column: 8,
      message: /velocity 'x_dot' may not appear here: drift and noise depend on the state and t only/,
    });
  });

  it('a matrix inside an expression is rejected', () => {
    expectLoadError('matrix-in-expression.yaml', {
      code: 'expression',
      path: 'drift[0]',
      expression: '-k*x + [1, 2]',
      column: 8,
      message: /matrices and vectors are not allowed inside an expression/,
    });
  });

  it('an assignment is rejected', () => {
    expectLoadError('assignment.yaml', {
      code: 'expression',
      path: 'drift[1]',
      expression: 'a = 2',
      column: 3,
      message: /assignments and function definitions are not allowed/,
    });
  });

  it('a function definition is rejected', () => {
    expectLoadError('function-definition.yaml', {
      code: 'expression',
      path: 'diffusion',
      expression: 'f(x) = x^2',
      column: 6,
      message: /assignments and function definitions are not allowed/,
    });
  });

  it('5000 nested parentheses give code limit, not a stack overflow', () => {
    const expression = `${'('.repeat(5000)}x${')'.repeat(5000)}`;
    const file = scratchFile('deep-expression.yaml', `name: deep\nstate: [x]\ndrift: ["${expression}"]\ndiffusion: 1\n`);
    const err = catchError(() => loadModelFile(file));
    expectError(err, file, {
      code: 'limit',
      path: 'drift[0]',
      expression,
      column: 201,
      message: /expression is nested more than 200 levels deep/,
    });
    // The message shows a window around the column, not all 10001 characters.
    expect(err.message.length).toBeLessThan(1000);
  });

  it('an absurdly long expression gives code limit', () => {
    const expression = `${'x+'.repeat(15000)}x`;
    const file = scratchFile('long-expression.yaml', `name: long\nstate: [x]\ndrift: ["${expression}"]\ndiffusion: 1\n`);
    const err = catchError(() => loadModelFile(file));
    expectError(err, file, { code: 'limit', path: 'drift[0]', message: /expression is 30001 characters long; the limit is 20000/ });
    expect(err.message.length).toBeLessThan(1000);
  });
});

describe('shape errors', () => {
  it('a wrong number of drift entries', () => {
    expectLoadError('drift-count.yaml', {
      code: 'shape',
      path: 'drift',
      message: /expected 2 drift expressions \(one per state variable\); got 3/,
    });
  });

  it.each([
    ['diffusion-2x3.yaml', 'diffusion[0]', /2×2 matrix; row 0 has 3 entries, expected 2/],
    ['diffusion-list3.yaml', 'diffusion', /a list gives the diagonal and needs 2 entries \(one per state variable\); got 3/],
  ])('a wrong diffusion shape (%s)', (name, path, message) => {
    expectLoadError(name, { code: 'shape', path, message });
  });

  it('a ragged noise matrix', () => {
    expectLoadError('noise-ragged.yaml', {
      code: 'shape',
      path: 'noise[1]',
      message: /expected an N×M matrix \(N = 2 rows\); row 1 has 2 entries, expected 3/,
    });
  });
});

describe('diffusion errors', () => {
  it('a non-symmetric D names the entry', () => {
    expectLoadError('nonsymmetric.yaml', {
      code: 'diffusion',
      path: 'diffusion[0][1]',
      message: /D is not symmetric: D\[0\]\[1\] = 1\/2 but D\[1\]\[0\] = 1\/5/,
    });
  });

  it.each([
    ['not-positive-definite.yaml', /D is not positive definite: its leading 2×2 minor is negative \(D = \[\[1, 2\], \[2, 1\]\]\)/],
    ['negative-scalar.yaml', /D = -0\.5 is not positive: D must be positive definite/],
  ])('a constant D that is not positive definite is caught exactly (%s)', (name, message) => {
    expectLoadError(name, { code: 'diffusion', path: 'diffusion', message });
  });

  it('a constant D with a parameter inside a function is checked with the parameter value (1 - exp(a) < 0)', () => {
    // 1 - exp(0.5) = -0.6487…: the message must show that value, not NaN.
    expectLoadError('negative-irrational.yaml', { code: 'diffusion', path: 'diffusion', message: /not positive.*-0\.648/ });
  });

  it('a D that divides by zero at the given parameter values is a NoetherError, not a crash', () => {
    expectLoadError('division-by-zero-param.yaml', {
      code: 'diffusion',
      path: 'diffusion',
      message: /division by zero|not finite/,
    });
  });

  it('a state-dependent D that is not positive definite somewhere names the point', () => {
    const err = expectLoadError('not-positive-definite-sampled.yaml', {
      code: 'diffusion',
      path: 'diffusion',
      message: /D is not positive definite at x = -?[0-9.]+, y = -?[0-9.]+/,
    });
    // The point reported really is one where |x| ≥ 1, i.e. det D = 1 - x² ≤ 0.
    const x = Number(/x = (-?[0-9.e-]+)/.exec(err.detail)?.[1]);
    expect(Math.abs(x)).toBeGreaterThanOrEqual(1 - 1e-5);
  });
});

describe('name errors', () => {
  it('a duplicate state name', () => {
    expectLoadError('duplicate-state.yaml', { code: 'name', path: 'state[2]', message: /duplicate state name 'x'/ });
  });

  it('a name that is both a state variable and a parameter', () => {
    expectLoadError('state-param-clash.yaml', {
      code: 'name',
      path: 'params.y',
      message: /'y' is both a state variable and a parameter/,
    });
  });

  it.each([
    ['reserved-t.yaml', 'state[1]', /bad state name 't': 't' is reserved: time is always t/],
    ['reserved-x_dot.yaml', 'state[1]', /bad state name 'x_dot': names ending in _dot are reserved for velocities/],
    ['reserved-sin.json', 'params.sin', /bad parameter name 'sin': 'sin' is reserved: it is a function/],
    ['reserved-pi.yaml', 'params.pi', /bad parameter name 'pi': 'pi' is reserved: it is a constant/],
    ['reserved-p_x.yaml', 'state[1]', /bad state name 'p_x': names starting with p_ are reserved for momenta/],
  ])('a reserved name is rejected (%s)', (name, path, message) => {
    expectLoadError(name, { code: 'name', path, message });
  });

  it.each(['proto-param.yaml', 'proto-param.json'])('__proto__ as a parameter name is rejected cleanly (%s)', (name) => {
    expectLoadError(name, {
      code: 'name',
      path: 'params.__proto__',
      message: /bad parameter name '__proto__': a name starts with a letter/,
    });
    // Nothing leaked into Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('process, constructor and toString are harmless state and parameter names', () => {
    const file = 'harmless.yaml';
    const text = [
      'name: harmless',
      'state: [process, constructor]',
      'params: {toString: 2, valueOf: 0.5, hasOwnProperty: 3}',
      'drift: ["-toString*process + valueOf", "-hasOwnProperty*constructor"]',
      'diffusion: [toString, "valueOf*(1 + process^2)"]',
    ].join('\n');
    const model = buildModel(parseModelText(text, file), { file });
    expect(model.state).toEqual(['process', 'constructor']);
    expect(model.params).toEqual([
      { name: 'toString', value: 2 },
      { name: 'valueOf', value: 0.5 },
      { name: 'hasOwnProperty', value: 3 },
    ]);
    expect(model.diffusion.structure).toBe('diagonal');
    expect(model.diffusion.positiveDefinite.evidence).toBe('sampled');
    const scope = modelScope(model.state, model.params);
    const printed = model.drift.map(toText);
    expect(printed[0]).toMatch(/toString\*process|process\*toString/);
    expect(printed[1]).toMatch(/hasOwnProperty\*constructor|constructor\*hasOwnProperty/);
    // What is printed reads back as the same expression.
    printed.forEach((p, i) => expect(parseExpression(p, scope).key).toBe(model.drift[i].key));
    // The same from a TypeScript object.
    const fromObject = buildModel({
      name: 'harmless',
      state: ['process', 'constructor'],
      params: { toString: 2, valueOf: 0.5, hasOwnProperty: 3 },
      drift: ['-toString*process + valueOf', '-hasOwnProperty*constructor'],
      diffusion: ['toString', 'valueOf*(1 + process^2)'],
    });
    expect(fromObject.drift.map(toText)).toEqual(printed);
  });
});

describe('parameter values', () => {
  it('a non-finite parameter (.inf) is rejected', () => {
    expectLoadError('param-infinite.yaml', { code: 'schema', path: 'params.k', message: /expected a finite number; got Infinity/ });
  });

  it('a non-numeric parameter ("1.5") is rejected', () => {
    expectLoadError('param-string.yaml', {
      code: 'schema',
      path: 'params.k',
      message: /expected a number; got a string \('1\.5'\)/,
    });
  });
});
