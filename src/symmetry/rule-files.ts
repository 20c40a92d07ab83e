// Reads a folder of rule files (Node only; the rules themselves are parsed by
// rules.ts, which the browser uses too).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoetherError } from '../errors.ts';
import { type RuleFile, type RuleReportEntry, type RuleSet, parseRules } from './rules.ts';

/**
 * Loads every *.yaml / *.yml / *.json file in `dir`, in name order; files that
 * fail are skipped with the reason in the report.
 *
 * @example
 * const mine = loadRuleDir('my-rules');
 * const rules = mergeRules(builtinRules(), mine);
 */
export function loadRuleDir(dir: string): RuleSet {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
  } catch (err) {
    throw new NoetherError('file', `cannot read the rules folder: ${(err as Error).message}`, { file: dir });
  }
  const readable: RuleFile[] = [];
  const unreadable: RuleReportEntry[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      readable.push({ file, text: readFileSync(file, 'utf8') });
    } catch (err) {
      unreadable.push({ file, status: 'skipped', reason: `cannot read the file: ${(err as Error).message}` });
    }
  }
  const set = parseRules(readable);
  return { rules: set.rules, report: [...set.report, ...unreadable] };
}
