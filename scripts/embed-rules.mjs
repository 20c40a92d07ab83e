// Writes src/symmetry/builtin-rules.ts from rules/*.yaml, so that the built-in
// rules travel inside the library (browser and bundles alike) while rules/
// stays the one place they are written. test/symmetry/builtin-rules.test.ts fails when
// the two differ: run `npm run rules` after editing rules/.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'rules';
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
const entries = files.map((f) => `  { file: ${JSON.stringify(`rules/${f}`)}, text: ${JSON.stringify(readFileSync(join(dir, f), 'utf8'))} },`);
writeFileSync(
  'src/symmetry/builtin-rules.ts',
  `// Generated from rules/*.yaml by scripts/embed-rules.mjs (npm run rules): do not edit.\n\n` +
    `export const BUILTIN_RULE_FILES: ReadonlyArray<{ readonly file: string; readonly text: string }> = [\n${entries.join('\n')}\n];\n`,
);
