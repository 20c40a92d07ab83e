// Every public function of both entries (noether, noether/node) has a doc
// comment with an example, and no internal leaks out.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const ENTRIES = ['src/index.ts', 'src/node.ts'].map((f) => join(ROOT, f));
const program = ts.createProgram(ENTRIES, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true, strict: true });
const checker = program.getTypeChecker();

function exportsOf(entry: string): ts.Symbol[] {
  const file = program.getSourceFile(entry);
  if (!file) throw new Error(`cannot read ${entry}`);
  const module = checker.getSymbolAtLocation(file);
  if (!module) throw new Error(`${entry} is not a module`);
  return checker.getExportsOfModule(module).map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s));
}

describe.each(ENTRIES.map((e) => [e.slice(ROOT.length + 1), e]))('the public API of %s', (_name, entry) => {
  const symbols = exportsOf(entry);
  it('has the functions a user needs', () => {
    const names = symbols.map((s) => s.name);
    for (const f of ['analyze', 'createAnalyzer', 'parseModelText', 'builtinRules', 'formatDerivation']) expect(names).toContain(f);
  });
  it('documents every function and class with a doc comment that has an @example', () => {
    const missing: string[] = [];
    for (const s of symbols) {
      if (!(s.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class))) continue;
      const doc = ts.displayPartsToString(s.getDocumentationComment(checker)).trim();
      const example = s.getJsDocTags(checker).some((t) => t.name === 'example');
      if (doc === '' || !example) missing.push(`${s.name}${doc === '' ? ' (no doc comment)' : ''}${example ? '' : ' (no @example)'}`);
    }
    expect(missing).toEqual([]);
  });
  it('exports no internals (kernels, solvers, expression trees as classes)', () => {
    const names = symbols.map((s) => s.name);
    for (const internal of ['compileKernel', 'solveFixedTime', 'cholesky', 'strongOrder', 'integrate', 'diff', 'buildLagrangian', 'derive', 'detect']) {
      expect(names, internal).not.toContain(internal);
    }
  });
});
