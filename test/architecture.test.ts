// The pipeline's shape (DESIGN.md): one folder per stage, imports flowing one way,
// mathjs and nerdamer only behind src/expr, katex only in src/latex.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const ORDER = ['errors.ts', 'random', 'expr', 'model', 'lagrangian', 'symmetry', 'noether', 'latex', 'compile', 'solve', 'check', 'simulate', 'plot', 'report', 'cli', 'index.ts'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const stageOf = (path: string): string => relative(SRC, path).split('/')[0];

describe('architecture', () => {
  const all = files(SRC);
  it('every source file belongs to a known stage', () => {
    for (const f of all) expect(ORDER, f).toContain(stageOf(f));
  });
  it('imports flow one way: a stage never imports a later one', () => {
    const violations: string[] = [];
    for (const f of all) {
      const from = stageOf(f);
      for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const to = stageOf(normalize(join(dirname(f), m[1])));
        if (ORDER.indexOf(to) > ORDER.indexOf(from)) violations.push(`${relative(SRC, f)} imports ${m[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
  it('mathjs and nerdamer stay behind src/expr; katex behind src/latex and src/report', () => {
    for (const f of all) {
      const text = readFileSync(f, 'utf8');
      if (/from 'mathjs'|from 'nerdamer'/.test(text)) expect(stageOf(f), f).toBe('expr');
      if (/from 'katex'/.test(text)) expect(['latex', 'report'], f).toContain(stageOf(f));
    }
  });
});
