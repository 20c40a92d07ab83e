// The command line: parse arguments, run one command, map outcomes to exit codes.
// Commands are imported on demand so that each loads only the code it needs.

import { NoetherError } from '../errors.ts';
import { EXIT, type IO } from './io.ts';

interface Command {
  readonly summary: string;
  load(): Promise<{ run(args: string[], io: IO): Promise<number>; help: string }>;
}

const COMMANDS: Record<string, Command> = {
  lagrangian: {
    summary: 'print the Lagrangian, momenta, energy, Hamiltonian and equations of motion',
    load: () => import('./commands/lagrangian.ts'),
  },
  derive: {
    summary: 'find the symmetries of the Lagrangian and their conserved quantities',
    load: () => import('./commands/derive.ts'),
  },
  check: {
    summary: 'check whether a claimed generator is a (quasi-)symmetry',
    load: () => import('./commands/check.ts'),
  },
  solve: {
    summary: 'solve a most likely path (fixed T or E) and check the charges along it',
    load: () => import('./commands/solve.ts'),
  },
  'fixed-points': {
    summary: 'find and classify the fixed points of the drift',
    load: () => import('./commands/fixed-points.ts'),
  },
  simulate: {
    summary: 'simulate seeded ensembles of sample paths (plain or conditioned on the end state)',
    load: () => import('./commands/simulate.ts'),
  },
  sweep: {
    summary: 'solve most likely paths over a grid of parameter values and/or energies, on every core',
    load: () => import('./commands/sweep.ts'),
  },
  merge: {
    summary: 'merge the reports of the shards of one simulation or sweep (--shard k/K) into the whole run',
    load: () => import('./commands/merge.ts'),
  },
  figure: {
    summary: "regenerate the paper's figures (SVG and PNG)",
    load: () => import('./commands/figure.ts'),
  },
  report: {
    summary: 'write a self-contained HTML report of a model (symmetries, charges, a solved path)',
    load: () => import('./commands/report.ts'),
  },
  demo: {
    summary: "derive, solve and check every paper example; write the figures and a report",
    load: () => import('./commands/demo.ts'),
  },
};

export const VERSION = '0.1.0';

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'noether — Noether\'s theorem for noisy dynamical systems',
    '',
    'Usage: noether <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    'Run `noether <command> --help` for the options of a command.',
    'Exit codes: 0 ok, 1 a check failed, 2 usage error, 3 invalid input, 4 internal error.',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], io: IO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`noether: unknown command '${name}'\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const mod = await command.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(mod.help);
      return EXIT.ok;
    }
    return await mod.run(rest, io);
  } catch (err) {
    if (err instanceof NoetherError && err.kind !== 'internal') {
      if (err.code === 'usage') {
        io.stderr(`noether ${name}: ${err.message}\nRun \`noether ${name} --help\` for usage.\n`);
        return EXIT.usage;
      }
      io.stderr(`error: ${err.message}\n`);
      return err.kind === 'usage' ? EXIT.usage : EXIT.invalidInput;
    }
    io.stderr(`noether: internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this with the command and model that caused it.\n`);
    return EXIT.internal;
  }
}
