// The command-line front door, run in-process through main() with a capturing io:
// help, version, unknown commands, usage errors and the exit-code mapping.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../src/cli/io.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const OU2D = join(ROOT, 'examples/ou2d.yaml');

const run = runCli;

/** A usage error of `noether lagrangian`: exit 2, nothing on stdout, the message and a pointer to --help on stderr. */
async function expectLagrangianUsageError(argv: string[], message: RegExp): Promise<void> {
  const r = await run(argv);
  expect(r.code, r.stderr).toBe(EXIT.usage);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('noether lagrangian: '), r.stderr).toBe(true);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain('Run `noether lagrangian --help` for usage.');
  // A usage error is not a crash: no stack trace.
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

// The first command run loads the command's heavy modules; keep that out of the per-test timeout.
beforeAll(async () => {
  await import('../../src/cli/commands/lagrangian.ts');
}, 60_000);

describe('noether (no command)', () => {
  it('with no arguments prints the usage on stdout and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: noether <command> [options]');
    expect(r.stdout).toMatch(/^\s+lagrangian\s+\S/m);
  });

  it.each([['--help'], ['-h'], ['help']])('%s prints the usage on stdout, lists lagrangian and exits 0', async (flag) => {
    const r = await run([flag]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: noether <command> [options]');
    // The command list: one line per command with its summary.
    expect(r.stdout).toMatch(/^\s+lagrangian\s+print the Lagrangian/m);
    expect(r.stdout).toContain('noether <command> --help');
    // The exit codes, as in the README.
    expect(r.stdout).toContain('0 ok, 1 a check failed, 2 usage error, 3 invalid input, 4 internal error');
  });

  it.each([['--version'], ['-v']])('%s prints the package version and exits 0', async (flag) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await run([flag]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('an unknown command exits 2, names the command on stderr and prints nothing on stdout', async () => {
    const r = await run(['frobnicate', 'examples/ou2d.yaml']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^noether: unknown command 'frobnicate'\n/);
    // It then shows what the commands are.
    expect(r.stderr).toContain('lagrangian');
  });

  it.each([['constructor'], ['toString'], ['__proto__'], ['hasOwnProperty'], ['LAGRANGIAN'], ['']])(
    'the command name %j is not looked up on Object.prototype (exit 2)',
    async (name) => {
      const r = await run([name]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`unknown command '${name}'`);
    },
  );
});

describe('noether lagrangian --help', () => {
  it.each([[['lagrangian', '--help']], [['lagrangian', '-h']], [['lagrangian', OU2D, '--help']]])(
    '%j prints the options and exits 0',
    async (argv) => {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: noether lagrangian MODEL/);
      expect(r.stdout).toContain('--format');
      expect(r.stdout).toContain('--action');
      for (const word of ['text', 'latex', 'json', 'eq8', 'om']) expect(r.stdout).toContain(word);
      // Help, not the derivation.
      expect(r.stdout).not.toContain('Euler–Lagrange equations:');
    },
  );
});

describe('noether lagrangian: usage errors exit 2 with a clear message', () => {
  it('missing MODEL', async () => {
    await expectLagrangianUsageError(['lagrangian'], /missing the model file \(noether lagrangian MODEL\)/);
    await expectLagrangianUsageError(['lagrangian', '--format', 'json'], /missing the model file/);
  });

  it('two positionals', async () => {
    await expectLagrangianUsageError(['lagrangian', OU2D, 'second.yaml'], /unexpected argument 'second\.yaml'/);
  });

  it('an unknown option', async () => {
    await expectLagrangianUsageError(['lagrangian', OU2D, '--frobnicate'], /unknown option '--frobnicate'/i);
  });

  it('--format xml lists the formats', async () => {
    await expectLagrangianUsageError(['lagrangian', OU2D, '--format', 'xml'], /--format must be one of text, latex, json; got 'xml'/);
  });

  it('-f xml and --format=xml are the same error', async () => {
    await expectLagrangianUsageError(['lagrangian', OU2D, '-f', 'xml'], /--format must be one of text, latex, json; got 'xml'/);
    await expectLagrangianUsageError(['lagrangian', OU2D, '--format=xml'], /--format must be one of text, latex, json; got 'xml'/);
  });

  it('--action foo lists the actions', async () => {
    await expectLagrangianUsageError(['lagrangian', OU2D, '--action', 'foo'], /--action must be one of eq8, om; got 'foo'/);
  });

  it('an option without its value', async () => {
    await expectLagrangianUsageError(['lagrangian', OU2D, '--format'], /--format/);
  });

  it('is reported before the model file is read (a missing file with a bad option is still exit 2)', async () => {
    await expectLagrangianUsageError(['lagrangian', join(ROOT, 'does-not-exist.yaml'), '--format', 'xml'], /--format must be one of/);
  });
});

describe('exit codes of main()', () => {
  it('a good model exits 0 and writes nothing on stderr', async () => {
    const r = await run(['lagrangian', OU2D]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('L = ');
  });

  it('a model file that does not exist exits 3 with `error: FILE: …`', async () => {
    const missing = join(ROOT, 'no-such-model.yaml');
    const r = await run(['lagrangian', missing]);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${missing}: cannot read the model: no such file\n`);
  });

  it('a directory instead of a file exits 3', async () => {
    const r = await run(['lagrangian', join(ROOT, 'examples')]);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*examples: cannot read the model: is a directory/);
  });
});

// These tests replace the model reader the commands use (readModelFile, which
// every command calls through src/cli/model.ts). vi.resetModules() makes main()
// import fresh copies of the modules (the statically imported `main` above would
// then meet a different NoetherError class), so they use a freshly imported
// main() and come last.
const MODEL_FILE = '../../src/model/file.ts';

/** Replaces readModelFile by `read`, keeping the module's other exports. */
function mockReadModelFile(read: () => Promise<() => never> | (() => never)): void {
  vi.doMock(MODEL_FILE, async (importOriginal) => ({
    ...(await importOriginal<typeof import('../../src/model/file.ts')>()),
    readModelFile: await read(),
  }));
}

describe('exit codes of main() for failures inside a command', () => {
  beforeEach(() => {
    vi.resetModules();
  });
  afterAll(() => {
    vi.doUnmock(MODEL_FILE);
    vi.resetModules();
  });

  it('an unexpected exception is an internal error: exit 4 and a request to report it', async () => {
    mockReadModelFile(() => () => {
      throw new TypeError('simulated bug');
    });
    const fresh = (await import('../../src/cli/main.ts')).main;
    const r = await run(['lagrangian', OU2D], fresh);
    expect(r.code).toBe(EXIT.internal);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^noether: internal error: TypeError: simulated bug/);
    expect(r.stderr).toContain('Please report this');
  });

  it('a NoetherError with code usage is a usage error (exit 2, with --help), one of kind usage exits 2, any other exits 3, internal exits 4', async () => {
    let code: 'usage' | 'request' | 'schema' | 'internal' = 'usage';
    // Throw the NoetherError class of the fresh module graph, the one main() checks against.
    mockReadModelFile(async () => {
      const errors = await import('../../src/errors.ts');
      return () => {
        throw new errors.NoetherError(code, 'simulated', { file: 'm.yaml' });
      };
    });
    const fresh = (await import('../../src/cli/main.ts')).main;
    // code 'usage': a mistake on the command line, printed with the command and a pointer to --help.
    let r = await run(['lagrangian', OU2D], fresh);
    expect(r.code).toBe(EXIT.usage);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('noether lagrangian: m.yaml: simulated\nRun `noether lagrangian --help` for usage.\n');
    // code 'request' (kind 'usage'): a wrong request about a valid model, `error: <where>: <message>`, exit 2.
    code = 'request';
    r = await run(['lagrangian', OU2D], fresh);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: m.yaml: simulated\n');
    // Any input error: exit 3.
    code = 'schema';
    r = await run(['lagrangian', OU2D], fresh);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: m.yaml: simulated\n');
    // A NoetherError with code 'internal' is a bug like any other exception: exit 4.
    code = 'internal';
    r = await run(['lagrangian', OU2D], fresh);
    expect(r.code).toBe(EXIT.internal);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^noether: internal error: NoetherError: m\.yaml: simulated/);
    expect(r.stderr).toContain('Please report this');
  });
});
