// `noether merge FILE...`: the reports of the shards of one plain run
// (simulate --shard k/K --out FILE) merged into the whole run's report.

import type { EnsembleReport } from '../../api/reports.ts';
import { mergeEnsembles } from '../../api/merge.ts';
import { NoetherError } from '../../errors.ts';
import { formatEnsemble } from '../../format/ensemble.ts';
import { writeAtomically } from '../../plot/files.ts';
import { parse } from '../args.ts';
import { EXIT, type IO } from '../io.ts';
import { readFileSync } from 'node:fs';

export const help = `Usage: noether merge FILE... [--json] [--out FILE]

Merges the JSON reports of the K shards of one plain simulation (written by
\`noether simulate ... --shard k/K --out FILE\`, run anywhere) into the report of
the whole run: the same numbers, bit for bit, as one \`simulate\` with the same
seed (the paths are added in the same order).

  FILE...            the shard reports (any order; each of 1 … K once)
  --json             print the EnsembleReport (as \`simulate --json\` does)
  --out FILE         also write the merged JSON report to FILE
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, out: { type: 'string' } }, { min: 1, max: 100_000, names: 'the shard reports (noether merge part-*.json)' });
  const parts = positionals.map((file) => {
    const text = readText(file);
    try {
      return JSON.parse(text) as EnsembleReport;
    } catch (err) {
      throw new NoetherError('syntax', `JSON syntax error: ${(err as Error).message}`, { file });
    }
  });
  let report: EnsembleReport;
  try {
    report = mergeEnsembles(parts);
  } catch (err) {
    // Name the file a shard came from instead of its position in the list.
    const at = err instanceof NoetherError ? /^\[(\d+)\]$/.exec(err.where.path ?? '') : null;
    if (err instanceof NoetherError && at) throw new NoetherError(err.code, err.detail, { file: positionals[Number(at[1])] });
    throw err;
  }
  if (values.out !== undefined) writeAtomically(values.out, `${JSON.stringify(report)}\n`);
  io.stdout(values.json ? `${JSON.stringify(report)}\n` : formatEnsemble(report));
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
