// JSON Schemas of the reports, generated from their TypeScript types
// (src/api/reports.ts) so that the two cannot disagree: `npm run schemas`
// writes schemas/*.schema.json; test/api/schemas.test.ts regenerates them in
// memory and fails when the committed files differ, then validates real CLI
// output against them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Report type → schema file name (without .schema.json). */
export const SCHEMAS = {
  LagrangianReport: 'lagrangian',
  DerivationReport: 'derivation',
  CheckReport: 'check',
  PathReport: 'path',
  FixedPointReport: 'fixed-points',
  EnsembleReport: 'ensemble',
  SweepReport: 'sweep',
  DriftFieldReport: 'drift-field',
  AnalysisReport: 'analysis',
};

/** The schemas as { file name: JSON text }. */
export function generateSchemas() {
  const generator = createGenerator({
    path: join(ROOT, 'src/api/reports.ts'),
    tsconfig: join(ROOT, 'tsconfig.json'),
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    skipTypeCheck: true,
  });
  const out = {};
  for (const [type, name] of Object.entries(SCHEMAS)) {
    const schema = generator.createSchema(type);
    schema.title = type;
    out[`${name}.schema.json`] = `${JSON.stringify(schema, null, 2)}\n`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(ROOT, 'schemas');
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(generateSchemas())) {
    writeFileSync(join(dir, file), text);
    console.log(`wrote schemas/${file}`);
  }
}
