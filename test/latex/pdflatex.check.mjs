#!/usr/bin/env node
// The LaTeX check of issue 14: every example's `derive --format latex` and
// `lagrangian --format latex --document` (and those of the networks of up to 10
// units in test/fixtures/latex/) compile with pdflatex (amsmath and
// amssymb only) with no overfull box wider than 5 pt on a standard article page.
// Needs a build (dist/cli.js) and pdflatex (Debian: texlive-latex-base,
// texlive-latex-recommended; .ci/run installs them when missing).
//
// Run: npm run test:latex

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIMIT = 5;
const dir = mkdtempSync(join(tmpdir(), 'noether-latex-'));
const failures = [];
let compiled = 0;
let worstSeen = 0;
try {
  const models = ['examples', 'test/fixtures/latex'].flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.yaml')).sort().map((f) => [f, join(ROOT, d, f)]));
  for (const [file, model] of models) {
    const documents = {
      derive: ['derive', model, '--format', 'latex'],
      lagrangian: ['lagrangian', model, '--format', 'latex', '--document'],
    };
    for (const [kind, args] of Object.entries(documents)) {
      const name = `${file.replace(/\.yaml$/, '')}-${kind}`;
      writeFileSync(join(dir, `${name}.tex`), execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }));
      const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', `${name}.tex`], { cwd: dir, encoding: 'utf8' });
      if (run.error) throw new Error(`pdflatex could not be run (${run.error.message}): install texlive-latex-base and texlive-latex-recommended`);
      const log = readFileSync(join(dir, `${name}.log`), 'utf8');
      compiled++;
      if (run.status !== 0) failures.push(`${name}: pdflatex failed:\n${log.split('\n').filter((l) => l.startsWith('!')).slice(0, 3).join('\n')}`);
      for (const m of log.matchAll(/Overfull \\hbox \(([0-9.]+)pt too wide\)[^\n]*line (\d+)/g)) {
        worstSeen = Math.max(worstSeen, Number(m[1]));
        if (Number(m[1]) > LIMIT) failures.push(`${name}.tex line ${m[2]}: overfull by ${m[1]} pt`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`✗ LaTeX check: ${failures.length} problem(s) in ${compiled} documents:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`✓ LaTeX: ${compiled} documents compile with pdflatex; widest overfull box ${worstSeen.toFixed(2)} pt (limit ${LIMIT} pt)`);
