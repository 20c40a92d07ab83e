// `noether merge FILE...`: the reports of the shards of one plain run
// (simulate --shard k/K --out FILE) or of one sweep (sweep --shard k/K --out
// FILE) merged into the report of the whole run or sweep.

import type { EnsembleReport, SweepReport } from '../../api/reports.ts';
import { mergeEnsembles, mergeSweeps } from '../../api/merge.ts';
import { NoetherError } from '../../errors.ts';
import { formatEnsemble } from '../../format/ensemble.ts';
import { formatSweep } from '../../format/sweep.ts';
import { writeAtomically } from '../../plot/files.ts';
import { parse, usageError } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { readFileSync } from 'node:fs';

export const help = `Usage: noether merge FILE... [--json] [--out FILE]

Merges the JSON reports of the K shards of one plain simulation (written by
\`noether simulate ... --shard k/K --out FILE\`, run anywhere) into the report of
the whole run: the same numbers, bit for bit, as one \`simulate\` with the same
seed (the paths are added in the same order).

Or merges the K shards of one sweep (\`noether sweep ... --shard k/K --out FILE\`)
into the whole sweep's report: exactly what \`noether sweep\` without --shard
prints, and its exit status (1 if a point did not pass).

  FILE...            the shard reports (any order; each of 1 … K once)
  --json             print the EnsembleReport or SweepReport (as \`simulate --json\`
                     or \`sweep --json\` does)
  --out FILE         also write the merged JSON report to FILE
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, out: { type: 'string' } }, { min: 1, max: 100_000, names: 'the shard reports (noether merge part-*.json)' });
  const parts = positionals.map((file) => {
    const text = readText(file);
    try {
      return JSON.parse(text) as EnsembleReport | SweepReport;
    } catch (err) {
      throw new NoetherError('syntax', `JSON syntax error: ${(err as Error).message}`, { file });
    }
  });
  const sweeps = parts.filter((p) => p?.kind === 'sweep').length;
  if (sweeps > 0 && sweeps < parts.length) throw usageError('the files mix the shards of a sweep with other reports; merge the shards of one run at a time');
  const named = <T>(merge: () => T): T => {
    try {
      return merge();
    } catch (err) {
      // Name the file a shard came from instead of its position in the list.
      const at = err instanceof NoetherError ? /^\[(\d+)\]$/.exec(err.where.path ?? '') : null;
      if (err instanceof NoetherError && at) throw new NoetherError(err.code, err.detail, { file: positionals[Number(at[1])] });
      throw err;
    }
  };
  const write = (report: object): string => {
    const text = `${JSON.stringify(report)}\n`;
    if (values.out !== undefined) writeAtomically(values.out, text);
    return text;
  };
  if (sweeps > 0) {
    const report = named(() => mergeSweeps(parts as SweepReport[]));
    const text = write(report);
    io.stdout(values.json ? text : formatSweep(report));
    return report.passed ? EXIT.ok : EXIT.checkFailed;
  }
  const report = named(() => mergeEnsembles(parts as EnsembleReport[]));
  const text = write(report);
  io.stdout(values.json ? text : formatEnsemble(report));
  return EXIT.ok;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NoetherError('file', `cannot read the shard: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : (err as Error).message}`, { file });
  }
}
