// The pipeline's shape (DESIGN.md): one folder per stage, imports flowing one way
// (static and dynamic), mathjs and nerdamer only in the tests, katex only in
// src/report (and the web page), an environment-free main entry, the web page on
// the public API only, and `process` touched by the CLI's entry points alone.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const WEB = join(ROOT, 'web', 'src');
const ORDER = [
  'errors.ts', 'runtime-import.ts', 'random', 'expr', 'model', 'lagrangian', 'symmetry', 'noether', 'latex', 'compile', 'solve', 'check', 'simulate',
  'api', 'format', 'plot', 'report', 'cli', 'index.ts', 'node.ts',
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const stageOf = (path: string): string => relative(SRC, path).split('/')[0];

/** Module specifiers of static imports/exports and of dynamic imports with a literal specifier. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
}
/** The same, without type-only imports (`import type …`, `typeof import(…)`): those are gone at run time. */
function runtimeSpecifiers(text: string): string[] {
  return specifiers(text.replace(/^import type [^;]*;/gm, '').replace(/typeof import\('[^']+'\)/g, ''));
}
const resolveFrom = (file: string, spec: string): string => normalize(join(dirname(file), spec));

describe('architecture', () => {
  const all = files(SRC);
  it('every source file belongs to a known stage', () => {
    for (const f of all) expect(ORDER, f).toContain(stageOf(f));
  });
  it('imports flow one way: a stage never imports a later one, statically or dynamically', () => {
    const violations: string[] = [];
    for (const f of all) {
      const from = stageOf(f);
      for (const spec of specifiers(readFileSync(f, 'utf8')).filter((s) => s.startsWith('.'))) {
        const to = stageOf(resolveFrom(f, spec));
        if (ORDER.indexOf(to) > ORDER.indexOf(from)) violations.push(`${relative(SRC, f)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });
  it('the import scanner sees dynamic imports (so the rule above covers them)', () => {
    expect(specifiers("const m = await import('../plot/render.ts');")).toEqual(['../plot/render.ts']);
    expect(specifiers("import type { A } from './a.ts';\nexport { b } from './b.ts';")).toEqual(['./a.ts', './b.ts']);
  });
  it('mathjs and nerdamer are test oracles only; katex is in src/report only', () => {
    for (const f of all) {
      const text = readFileSync(f, 'utf8');
      expect(/from 'mathjs'|from 'nerdamer'|import\('mathjs'\)|import\('nerdamer'\)/.test(text), f).toBe(false);
      if (/from 'katex'/.test(text)) expect(stageOf(f), f).toBe('report');
    }
  });
  it('the main entry (src/index.ts) reaches no Node built-in: it runs in a browser', () => {
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of runtimeSpecifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) visit(resolveFrom(file, spec));
        else if (spec.startsWith('node:') || ['fs', 'path', 'url', 'os', 'worker_threads', 'child_process'].includes(spec)) {
          nodeImports.push(`${relative(SRC, file)} imports ${spec}`);
        }
      }
    };
    visit(join(SRC, 'index.ts'));
    expect(seen.size).toBeGreaterThan(30);
    expect(nodeImports).toEqual([]);
  });
  it('`process` is touched only by the CLI entry points (src/cli/launch.ts, src/cli/bin.ts)', () => {
    const users = all.filter((f) => /\bprocess\.|\bprocess\)/.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')));
    expect(users.map((f) => relative(SRC, f)).sort()).toEqual(['cli/bin.ts', 'cli/launch.ts']);
  });
  it('CLI commands stay thin: parse, call the library, print (each under 150 lines)', () => {
    for (const f of files(join(SRC, 'cli', 'commands'))) {
      expect(readFileSync(f, 'utf8').trimEnd().split('\n').length, relative(SRC, f)).toBeLessThan(150);
    }
  });
  it('the web page imports the library through its public API only, and no Node built-in', () => {
    const deep: string[] = [];
    for (const f of files(WEB)) {
      for (const spec of specifiers(readFileSync(f, 'utf8'))) {
        if (spec.startsWith('node:')) deep.push(`${relative(ROOT, f)} imports ${spec}`);
        if (!spec.startsWith('.')) continue;
        const target = resolveFrom(f, spec);
        if (target.startsWith(SRC) && target !== join(SRC, 'index.ts')) deep.push(`${relative(ROOT, f)} imports ${spec}`);
      }
    }
    expect(deep).toEqual([]);
  });
});
