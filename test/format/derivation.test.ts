// Output of `noether derive`: golden files for the paper's models (LaTeX document,
// snippet, Markdown), a paper-readiness lint of every formula, KaTeX rendering of
// everything the toolkit emits, the JSON shape, and the conserved quantities
// checked with mathjs as an independent evaluator and differentiator: against
// hand-written formulas, against J = p·ξ − τE − K, and for conservation along
// the Euler–Lagrange flow.
//
// Golden files live in test/golden/<model>.tex, <model>.snippet.tex, <model>.md.
// Regenerate them with
//   UPDATE_GOLDEN=1 npx vitest run test/format/derivation.test.ts
// then READ them before committing. Without UPDATE_GOLDEN a missing golden is a
// failure: it is never created silently.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import katex from 'katex';
import { derivative, evaluate } from 'mathjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { besselI0, besselI1 } from '../../src/expr/special.ts';
import { buildLagrangian, equationsOfMotion } from '../../src/lagrangian/lagrangian.ts';
import { derivationReport } from '../../src/api/project.ts';
import type { DerivationReport } from '../../src/api/reports.ts';
import { fromTree } from '../../src/expr/tree.ts';
import { formatDerivation, latexSnippet } from '../../src/format/derivation.ts';
import { toText } from '../../src/expr/print.ts';
import { loadModelFile } from '../../src/model/file.ts';
import { type Derivation, derive } from '../../src/noether/derive.ts';
import { type RuleSet, builtinRules } from '../../src/symmetry/rules.ts';
import { Rng } from '../../src/random/rng.ts';

const ROOT = join(import.meta.dirname, '../..');
const GOLDEN = join(ROOT, 'test/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FIXTURES = join(ROOT, 'test/fixtures/cas/models');

const models = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
/** Every model the toolkit ships or tests against. */
const ALL_MODELS = [...models(join(ROOT, 'examples')), ...models(FIXTURES)];
const rel = (file: string): string => file.slice(ROOT.length + 1);

/** The paper's models, with golden files. */
const GOLDEN_MODELS: Array<[string, string]> = [
  ['ddm', join(ROOT, 'examples/ddm.yaml')],
  ['ou2d', join(ROOT, 'examples/ou2d.yaml')],
  ['attractor3', join(ROOT, 'examples/attractor3.yaml')],
  ['ring', join(FIXTURES, 'ring.yaml')],
];

// ---------------------------------------------------------------------------
// Derivations (one per model file, shared by the tests of this file)

let rules: RuleSet | undefined;
const derivations = new Map<string, { internal: Derivation; report: DerivationReport }>();

function derived(file: string): { internal: Derivation; report: DerivationReport } {
  let d = derivations.get(file);
  if (!d) {
    rules ??= builtinRules();
    const internal = derive(buildLagrangian(loadModelFile(file)), rules);
    d = { internal, report: derivationReport(internal) };
    derivations.set(file, d);
  }
  return d;
}
/** The derivation report of a model file (what `derive --format json` prints). */
const derivation = (file: string): DerivationReport => derived(file).report;

// The derivations take a few seconds together (ring.yaml alone ~1.5 s); keep them out of per-test timeouts.
beforeAll(() => {
  for (const f of ALL_MODELS) derivation(f);
}, 120_000);

// ---------------------------------------------------------------------------
// JSON types (the documented shape of `derive --format json`)

type DeriveJSON = DerivationReport;
type SymmetryJSON = DerivationReport['symmetries'][number];

/** Exactly what `derive --format json` prints, parsed. */
const json = (file: string): DeriveJSON => JSON.parse(formatDerivation(derivation(file), 'json')) as DeriveJSON;

// ---------------------------------------------------------------------------
// KaTeX and the paper-readiness lint

function katexRenders(s: string, displayMode = false): void {
  expect(() => katex.renderToString(s, { throwOnError: true, displayMode }), s).not.toThrow();
}

/** Function names whose \left( ... \right) is an argument list, not grouping. */
const FUNCTION_BEFORE = /(?:\\(?:sin|cos|tan|sinh|cosh|tanh|log|exp|arctan)|\\operatorname\{[a-z]+\}|I_[01])(?:\^\{[^{}]*\})?$/;

interface Group {
  /** Index of `\left(`. */
  start: number;
  /** Index just after the matching `\right)`. */
  end: number;
  inner: string;
}

/** Every \left( … \right) group, matched. */
function groups(m: string): Group[] {
  const out: Group[] = [];
  const open: number[] = [];
  for (let i = 0; i < m.length; i++) {
    if (m.startsWith('\\left(', i) || m.startsWith('\\left|', i)) open.push(i);
    else if (m.startsWith('\\right)', i) || m.startsWith('\\right|', i)) {
      const start = open.pop();
      if (start === undefined) throw new Error(`unbalanced \\right in ${m}`);
      if (m[start + 5] === '(') out.push({ start, end: i + 7, inner: m.slice(start + 6, i) });
    }
  }
  if (open.length > 0) throw new Error(`unbalanced \\left in ${m}`);
  return out;
}

/** The denominator of every \frac{…}{…}. */
function denominators(m: string): string[] {
  const out: string[] = [];
  const braced = (from: number): number => {
    // Index just after the brace group that opens at `from`.
    let depth = 0;
    for (let i = from; i < m.length; i++) {
      if (m[i] === '{') depth++;
      else if (m[i] === '}' && --depth === 0) return i + 1;
    }
    throw new Error(`unbalanced braces in ${m}`);
  };
  for (const f of m.matchAll(/\\frac(?=\{)/g)) {
    const afterNumer = braced(f.index + 5);
    out.push(m.slice(afterNumer + 1, braced(afterNumer) - 1));
  }
  return out;
}

/** `s` with everything inside \left…\right pairs removed (brace groups stay). */
function outermost(s: string): string {
  let depth = 0;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('\\left', i)) depth++;
    else if (s.startsWith('\\right', i)) depth--;
    else if (depth === 0) out += s[i];
  }
  return out;
}

/** True if `s` has a binary + or − outside every brace and \left…\right pair (the printer writes them as ' + ' / ' - '). */
function topLevelSum(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('\\left', i)) {
      depth++;
      i += 5;
    } else if (s.startsWith('\\right', i)) {
      depth--;
      i += 6;
    } else if (s[i] === '{') depth++;
    else if (s[i] === '}') depth--;
    else if (depth === 0 && (s.startsWith(' + ', i) || s.startsWith(' - ', i))) return true;
  }
  return false;
}

/**
 * Violations of the paper-readiness rules in one formula (math mode, no \text):
 * \dot{x} not x_dot; subscripts for indexed names (\mu_{0} not mu0); Greek
 * letters as commands; \frac instead of negative powers; \cdot only between two
 * numbers; no "+ -"; a rational coefficient inside its fraction; minimal parentheses.
 */
function paperProblems(m: string): string[] {
  const problems: string[] = [];
  if (/_d{1,2}ot\b/.test(m)) problems.push('raw velocity name (x_dot): expected \\dot{x}');
  for (const g of m.matchAll(/(?<![\\A-Za-z])(alpha|beta|gamma|delta|epsilon|zeta|theta|kappa|lambda|mu|nu|xi|rho|sigma|tau|phi|chi|psi|omega)(?![A-Za-z])/g)) {
    problems.push(`Greek name without a backslash: ${g[0]}`);
  }
  for (const g of m.matchAll(/(?<![\\A-Za-z])[A-Za-z]+[0-9]+/g)) problems.push(`indexed name without a subscript: ${g[0]}`);
  for (const g of m.matchAll(/\\cdot/g)) {
    // Between two numbers it is needed (2 \cdot 3^{x}); a dot product p\cdot\xi is prose; a number and a symbol are juxtaposed.
    const i = g.index;
    const numberBefore = /[0-9]\s*$/.test(m.slice(0, i));
    const numberAfter = /^\s*[0-9]/.test(m.slice(i + 5));
    if (numberBefore !== numberAfter) problems.push(`\\cdot between a number and a symbol: …${m.slice(Math.max(0, i - 12), i + 17)}…`);
  }
  for (const g of m.matchAll(/\^\{?\s*-/g)) {
    // e^{-u} is the exponential function; D^{-1} in vector notation (the paper's Eq. 8) is the matrix inverse.
    const before = m.slice(0, g.index);
    const matrixInverse = /(?:^|[^A-Za-z\\])D$/.test(before) && m.includes('\\boldsymbol');
    if (!/(?:^|[^A-Za-z\\])e$/.test(before) && !matrixInverse) problems.push(`negative power: …${m.slice(Math.max(0, g.index - 12), g.index + 8)}…`);
  }
  for (const g of m.matchAll(/[+-]\s*[+-]/g)) problems.push(`adjacent signs '${g[0]}'`);
  if (/^\s*\+/.test(m)) problems.push('leading +');
  // (¼ ẋᵀD⁻¹ẋ and ½[D⁻¹(ẋ − f)]ₐ in vector notation are the paper's own.)
  for (const g of m.matchAll(/\\frac\{[0-9]+\}\{[0-9]+\}\s*(?:[A-Za-z]|\\(?!right|end|\\|left\[|boldsymbol|dot\{\\boldsymbol))/g)) problems.push(`rational coefficient outside its fraction: ${g[0]}`);
  // A fraction in a function's argument is fine; one multiplying the denominator itself is not.
  for (const den of denominators(m)) if (/\\frac/.test(outermost(den))) problems.push(`fraction inside a denominator: {${den}}`);
  for (const g of groups(m)) {
    const before = m.slice(0, g.start);
    const after = m.slice(g.end);
    const what = `\\left(${g.inner}\\right)`;
    if (FUNCTION_BEFORE.test(before)) continue;
    if (/^\\left\(/.test(g.inner) && groups(g.inner).some((h) => h.start === 0 && h.end === g.inner.length)) problems.push(`double parentheses: ${what}`);
    else if (/\{$/.test(before) && /^\}/.test(after)) problems.push(`parentheses around a whole brace group: ${what}`);
    else if (g.start === 0 && g.end === m.length) problems.push(`parentheses around the whole formula: ${what}`);
    else if (!/^\^/.test(after) && !topLevelSum(g.inner) && !g.inner.startsWith('-')) problems.push(`unneeded parentheses around a product or atom: ${what}`);
  }
  return problems;
}

/**
 * The math of a LaTeX document or snippet: each equation of an align block
 * rejoined from its broken lines (label rows and \\notag dropped, `&\\quad`
 * continuations appended), split at its `&=`; and the inline math.
 */
function mathOfLatex(doc: string): string[] {
  const out: string[] = [];
  for (const block of doc.matchAll(/\\begin\{(equation|align)\}\n([\s\S]*?)\n\\end\{\1\}/g)) {
    const equations: string[] = [];
    for (const raw of block[2].split(' \\\\\n')) {
      const line = raw.replace(/ \\notag$/, '').trim();
      if (line.startsWith('&\\text{')) continue;
      if (line.startsWith('&\\quad ') && equations.length > 0) equations[equations.length - 1] += ` ${line.slice('&\\quad '.length)}`;
      else if (line.startsWith('&= ') && equations.length > 0) equations[equations.length - 1] += ` ${line}`;
      else equations.push(line);
    }
    for (const eq of equations) out.push(...eq.split('&=').map((x) => x.trim()).filter((x) => x !== ''));
  }
  for (const inline of doc.matchAll(/(?<!\\)\$([^$]+)\$/g)) out.push(inline[1]);
  return out;
}

/** The math of the Markdown output: every $…$. */
const mathOfMarkdown = (md: string): string[] => [...md.matchAll(/\$([^$]+)\$/g)].map((m) => m[1]);

describe('the paper-readiness lint itself', () => {
  it.each([
    ['x_dot + k x', 'raw velocity'],
    ['\\frac{\\dot{x}}{2 sigma}', 'Greek name'],
    ['mu0 + x', 'indexed name'],
    ['2 \\cdot x', '\\cdot between a number and a symbol'],
    ['x \\cdot 2', '\\cdot between a number and a symbol'],
    ['x^{-1}', 'negative power'],
    ['x + -y', 'adjacent signs'],
    ['\\frac{1}{2} x', 'rational coefficient'],
    ['\\left(\\left(x + y\\right)\\right)^{2}', 'double parentheses'],
    ['\\frac{\\left(x + y\\right)}{2}', 'whole brace group'],
    ['a \\left(k x\\right) + y', 'product or atom'],
    ['\\frac{u}{4 \\frac{\\sigma^{2}}{2}}', 'fraction inside a denominator'],
  ])('flags %s', (bad, problem) => {
    expect(paperProblems(bad).join('; ')).toContain(problem);
  });

  it.each([
    '\\frac{\\left(\\dot{x} + k x\\right)^{2}}{4 D}',
    '2 \\cdot 3^{x}',
    'e^{-x^{2}}',
    '\\tanh\\left(\\frac{x - c}{n}\\right) + \\mu_{0}',
    '\\frac{\\dot{x} \\left(x - t \\dot{x}\\right)}{\\sigma^{2}}',
    '-\\frac{k x}{2 D}',
    '\\frac{\\tau \\left(\\dot{x} - \\frac{a}{2 \\tau}\\right)^{2}}{4 \\sigma^{2}}',
    '\\frac{x}{y I_0\\left(\\frac{R}{t}\\right)}',
    '\\left(-x\\right)^{3}',
    'I_0\\left(x\\right) + \\operatorname{sech}^{2}\\left(x\\right)',
    '\\frac{1}{4} \\dot{\\boldsymbol{x}}^{\\top} D^{-1} \\dot{\\boldsymbol{x}}',
    '\\frac{1}{2} \\left[D^{-1} \\left(\\dot{\\boldsymbol{x}} - \\boldsymbol{f}\\right)\\right]_{x}',
  ])('accepts %s', (good) => {
    expect(paperProblems(good)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Golden files

function golden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (UPDATE) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(
      `missing golden file test/golden/${file}: generate it with \`UPDATE_GOLDEN=1 npx vitest run test/format/derivation.test.ts\`, read it, and commit it`,
    );
  }
  expect(actual, `output differs from test/golden/${file} (if the change is intended: UPDATE_GOLDEN=1, read, commit)`).toBe(
    readFileSync(path, 'utf8'),
  );
}

describe.each(GOLDEN_MODELS)('golden files for %s', (name, file) => {
  const outputs = (): Record<string, string> => ({
    [`${name}.tex`]: formatDerivation(derivation(file), 'latex'),
    [`${name}.snippet.tex`]: formatDerivation(derivation(file), 'latex', { snippet: true }),
    [`${name}.md`]: formatDerivation(derivation(file), 'markdown'),
  });

  it.each(['tex', 'snippet.tex', 'md'])(`matches the committed golden file test/golden/${name}.%s`, (ext) => {
    golden(`${name}.${ext}`, outputs()[`${name}.${ext}`]);
  });

  it('every formula in them is paper-ready', () => {
    const out = outputs();
    const formulas = new Set([...mathOfLatex(out[`${name}.tex`]), ...mathOfLatex(out[`${name}.snippet.tex`]), ...mathOfMarkdown(out[`${name}.md`])]);
    expect(formulas.size).toBeGreaterThan(2);
    const problems = [...formulas].flatMap((m) => paperProblems(m).map((p) => `${p}\n    in ${m}`));
    expect(problems).toEqual([]);
  });

  it('the snippet is the document\'s align block, and its rows are the JSON quantities, each under its label', () => {
    const d = derivation(file);
    const doc = formatDerivation(d, 'latex');
    const snippet = latexSnippet(d);
    expect(snippet).toBe(formatDerivation(d, 'latex', { snippet: true }));
    expect(doc).toContain(snippet.trimEnd());
    expect(doc.startsWith('\\documentclass{article}\n')).toBe(true);
    expect(doc.endsWith('\\end{document}\n')).toBe(true);
    // L as in the JSON, broken or with the drift named where it does not fit the page.
    expect(doc).toMatch(/\n {2}L &= /);
    const quantities = json(file).symmetries.filter((s) => s.quantity);
    const lines = snippet.trimEnd().split('\n');
    let at = 0;
    for (const s of quantities) {
      const row = lines.findIndex((l, i) => i > at && l.startsWith(`  ${s.quantity!.symbolLatex} &= `));
      expect(row, s.quantity!.symbolLatex).toBeGreaterThan(at);
      expect(lines[row - 1]).toMatch(/^ {2}&\\text\{From the .*:\} \\notag \\\\$/);
      // Unbroken rows are the JSON's formulas as they are.
      if (!lines[row + 1]?.startsWith('  &\\quad') && !lines[row + 1]?.startsWith('  &= ')) {
        expect(lines[row].replace(/ \\\\$/, '')).toBe(`  ${s.quantity!.symbolLatex} &= ${s.quantity!.vectorLatex ? `${s.quantity!.vectorLatex} = ` : ''}${s.quantity!.latex}`);
      }
      at = row;
    }
  });
});

describe('the paper\'s models, spot checks against the golden expectations', () => {
  it('ddm: energy, momentum, boost charge (quasi) and scaling charge (quasi), then the special conformal charge J_5 (quasi, discovered)', () => {
    const d = derivation(GOLDEN_MODELS[0][1]);
    const snippet = latexSnippet(d);
    const lines = snippet.split('\n');
    const rows = lines.filter((l) => l.includes('&='));
    const labels = lines.filter((l) => l.startsWith('  &\\text{'));
    const symbols = rows.map((l) => l.trim().split(' &= ')[0]);
    // The rules' charges, unchanged, then the one discovery adds.
    expect(symbols.slice(0, 4)).toEqual(['E', 'p_{x}', 'B_{x}', 'S']);
    expect(symbols.slice(4)).toEqual(['J_{5}']);
    expect(rows[0]).toMatch(/= \\frac\{\\dot\{x\}\^\{2\} - v\^\{2\}\}\{2 \\sigma\^\{2\}\} \\\\$/);
    expect(rows[1]).toContain('= \\frac{\\dot{x} - v}{\\sigma^{2}}');
    expect(rows[2]).toContain('= \\frac{t \\dot{x} - x}{\\sigma^{2}}');
    expect(labels.slice(0, 3)).toEqual(['  &\\text{From the time translation:} \\notag \\\\', '  &\\text{From the translation along x:} \\notag \\\\', '  &\\text{From the boost along x (a quasi-symmetry):} \\notag \\\\']);
    // τ = t²/2, ξ = tx/2: J = p ξ − τE − K = (2txẋ − t²ẋ² − x²)/(4σ²), the drift v cancelling.
    expect(rows[4]).toMatch(/^ {2}J_\{5\} &= \\frac\{2 t x \\dot\{x\} - t\^\{2\} \\dot\{x\}\^\{2\} - x\^\{2\}\}\{4 \\sigma\^\{2\}\}$/);
    expect(labels[4]).toMatch(/^ {2}&\\text\{From the generator \$.*\$ \(a quasi-symmetry\):\} \\notag \\\\$/);
    const conformal = d.symmetries.filter((s) => s.rule === 'discovered');
    expect(conformal).toHaveLength(1);
    expect(conformal[0]).toMatchObject({ params: {}, generator: { dt: 't^2/2', dx: ['t*x/2'] }, status: 'quasi', evidence: 'symbolic', holdsFor: 'all parameter values' });
    expect(d.algebra).toMatchObject({ dimension: 5, complete: true, basis: [0, 1, 2, 3, 4] });
  });

  it('ou2d: energy in the form of paper Eq. 12 and the angular momentum of Eq. 16, then the six discovered charges J_3 … J_8', () => {
    const snippet = latexSnippet(derivation(GOLDEN_MODELS[1][1]));
    const lines = snippet.trimEnd().split('\n');
    // A label row above each of the eight charges.
    expect(lines).toHaveLength(18);
    expect(lines[0]).toBe('\\begin{align}');
    const rows = lines.filter((l) => l.includes('&='));
    expect(rows[0]).toMatch(/^ {2}E &= .*= \\frac\{\\dot\{x\}\^\{2\} \+ \\dot\{y\}\^\{2\} - k\^\{2\} x\^\{2\} - k\^\{2\} y\^\{2\}\}\{4 D\} \\\\$/);
    expect(lines[1]).toBe('  &\\text{From the time translation:} \\notag \\\\');
    expect(rows[1]).toMatch(/^ {2}L_\{x y\} &= .*\\frac\{x \\dot\{y\} - \\dot\{x\} y\}\{2 D\} \\\\$/);
    expect(lines[3]).toBe('  &\\text{From the rotation in the (x, y) plane:} \\notag \\\\');
    expect(rows.slice(2, 8).map((l) => l.trim().split(' &= ')[0])).toEqual(['J_{3}', 'J_{4}', 'J_{5}', 'J_{6}', 'J_{7}', 'J_{8}']);
    // ξ = (e^{∓t}, 0), found at k = 1, D = 1/2 and written there: J_7 = 2p_x e^{−t} = (ẋ + x)e^{−t} (exact),
    // J_5 = (ẋ − x)eᵗ (quasi); the generator is typeset in the label.
    const at = (symbol: string): number => lines.findIndex((l) => l.startsWith(`  ${symbol} &= `));
    expect(lines[at('J_{7}')]).toBe('  J_{7} &= \\left(\\dot{x} + x\\right) e^{-t} \\\\');
    expect(lines[at('J_{7}') - 1]).toBe('  &\\text{From the generator $\\tau = 0,\\ \\boldsymbol{\\xi} = (e^{-t}, 0)$:} \\notag \\\\');
    expect(lines[at('J_{5}')]).toBe('  J_{5} &= \\left(\\dot{x} - x\\right) e^{t} \\\\');
    expect(lines[at('J_{5}') - 1]).toBe('  &\\text{From the generator $\\tau = 0,\\ \\boldsymbol{\\xi} = (e^{t}, 0)$ (a quasi-symmetry):} \\notag \\\\');
    expect(lines[17]).toBe('\\end{align}');
  });

  it('attractor3: only the energy; \\mu_{0}, \\tau, \\sigma as Greek letters', () => {
    const d = derivation(GOLDEN_MODELS[2][1]);
    expect(d.symmetries.filter((s) => s.quantity).map((s) => s.rule)).toEqual(['time']);
    const doc = formatDerivation(d, 'latex');
    for (const s of ['\\mu_{0}', '\\tau', '\\sigma^{2}', '\\tanh\\left(\\frac{x - c}{n}\\right)']) expect(doc).toContain(s);
  });

  it('ring: only the angular momentum, with D = t', () => {
    const d = derivation(GOLDEN_MODELS[3][1]);
    expect(d.symmetries.filter((s) => s.quantity).map((s) => s.rule)).toEqual(['rotation']);
    expect(latexSnippet(d)).toContain('  &\\text{From the rotation in the (x, y) plane:} \\notag \\\\\n  L_{x y} &= x p_{y} - y p_{x} = \\frac{x \\dot{y} - \\dot{x} y}{2 t}\n');
    expect(formatDerivation(d, 'latex')).toContain('s_{0}^{2} + t^{2}');
  });
});

// ---------------------------------------------------------------------------
// KaTeX: every formula the toolkit emits renders

/** Every `latex` field of the JSON (strings, or strings inside a `latex` object), and every symbolLatex. */
function latexFields(value: unknown, path = '$', inLatex = false): Array<[string, string]> {
  if (inLatex && typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => latexFields(v, `${path}[${i}]`, inLatex));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      (k === 'latex' || k.endsWith('Latex')) && typeof v === 'string'
        ? [[`${path}.${k}`, v] as [string, string]]
        : latexFields(v, `${path}.${k}`, inLatex || k === 'latex'),
    );
  }
  return [];
}

describe.each(ALL_MODELS.map((f) => [rel(f), f]))('KaTeX renders everything derive emits for %s', (_name, file) => {
  it('every latex field of --format json (lagrangian, gauge, quantity, symbolLatex, vectorLatex)', () => {
    const j = json(file);
    const fields = latexFields(j);
    const kinds = new Set(fields.map(([p]) => p.replace(/\[\d+\]/g, '[]')));
    expect(kinds.has('$.lagrangian.latex')).toBe(true);
    const charged = j.symmetries.filter((s) => s.quantity).length;
    const gauges = j.symmetries.filter((s) => s.gauge?.latex).length;
    const vectors = j.symmetries.filter((s) => s.quantity?.vectorLatex).length;
    const momentumForms = j.symmetries.filter((s) => s.quantity?.momentum).length;
    const n = j.model.state.length;
    const modelFormulas = n + n * n + (j.model.noise?.flat().length ?? 0);
    // lagrangian + the model's drift, D (and G) + τ and ξ per generator + (latex, symbolLatex)
    // per quantity + vector forms + p·ξ forms + one per known gauge term.
    expect(fields).toHaveLength(1 + modelFormulas + (1 + n) * j.symmetries.length + 2 * charged + vectors + momentumForms + gauges);
    for (const [path, s] of fields) {
      expect(s, path).not.toBe('');
      katexRenders(s);
    }
  });

  it('the snippet: the align block in display mode, each row, and each \\text annotation', () => {
    const snippet = formatDerivation(derivation(file), 'latex', { snippet: true });
    if (snippet.startsWith('%')) {
      expect(snippet).toBe('% no conserved quantities found\n');
      return;
    }
    katexRenders(snippet, true);
    const rows = snippet.trimEnd().split('\n').slice(1, -1);
    expect(rows.length).toBeGreaterThan(0);
    let labels = 0;
    for (const row of rows) {
      const line = row.replace(/ \\\\$/, '');
      katexRenders(`\\begin{align}${line}\\end{align}`, true);
      if (!line.startsWith('  &\\text{')) continue;
      labels++;
      katexRenders(line.replace(/^ {2}&/, '').replace(/ \\notag$/, ''));
    }
    expect(labels).toBeGreaterThan(0);
  });

  it('the LaTeX document\'s Lagrangian block and the Markdown\'s inline math', () => {
    const d = derivation(file);
    const doc = formatDerivation(d, 'latex');
    const align = /\\begin\{align\}\n {2}L &= [\s\S]*?\n\\end\{align\}/.exec(doc);
    expect(align).not.toBeNull();
    katexRenders(align![0], true);
    const md = mathOfMarkdown(formatDerivation(d, 'markdown'));
    expect(md.length).toBeGreaterThan(0);
    for (const m of md) katexRenders(m.replaceAll('\\|', '|'));
  });
});

// ---------------------------------------------------------------------------
// JSON shape

function expectSymmetryShape(s: SymmetryJSON, state: string[]): void {
  const what = `${s.rule} ${JSON.stringify(s.params)}`;
  for (const k of ['rule', 'params', 'generator', 'status', 'evidence', 'counterexample', 'gauge', 'quantity']) {
    expect(Object.hasOwn(s, k), `${what} has ${k}`).toBe(true);
  }
  expect(typeof s.rule).toBe('string');
  expect(Object.keys(s.generator).sort()).toEqual(['dt', 'dx', 'latex', 'tree']);
  // The tree is the expression itself: printed, it is the text.
  expect(toText(fromTree(s.generator.tree.dt))).toBe(s.generator.dt);
  s.generator.tree.dx.forEach((t, i) => expect(toText(fromTree(t))).toBe(s.generator.dx[i]));
  expect(typeof s.generator.dt).toBe('string');
  expect(s.generator.dx).toHaveLength(state.length);
  for (const e of s.generator.dx) expect(typeof e).toBe('string');
  expect(['exact', 'quasi', 'broken']).toContain(s.status);
  expect(['symbolic', 'numeric']).toContain(s.evidence);
  if (s.status === 'broken') {
    expect(s.quantity, what).toBeNull();
    expect(s.gauge, what).toBeNull();
    expect(s.counterexample, what).not.toBeNull();
    expect(typeof s.counterexample!.deltaL).toBe('number');
    expect(s.counterexample!.deltaL).not.toBe(0);
    for (const x of state) {
      expect(typeof s.counterexample!.point[x]).toBe('number');
      expect(typeof s.counterexample!.point[`${x}_dot`]).toBe('number');
    }
  } else {
    expect(s.counterexample, what).toBeNull();
    if (s.status === 'exact') expect(s.gauge, what).toBeNull();
    else {
      expect(s.gauge, what).not.toBeNull();
      expect(Object.hasOwn(s.gauge!, 'expr')).toBe(true);
    }
    if (s.quantity !== null) {
      expect(s.quantity).toEqual({
        name: expect.any(String),
        symbol: expect.any(String),
        expr: expect.any(String),
        latex: expect.any(String),
        tree: expect.any(Object),
        symbolLatex: expect.any(String),
        // The paper's vector notation, for the built-in charges; null for the others.
        vectorLatex: s.quantity.vectorLatex === null ? null : expect.any(String),
        // p·ξ over the momentum symbols, for exact symmetries with τ = 0 (test/format/momentum-form.test.ts).
        momentum: s.quantity.momentum === null ? null : { expr: expect.any(String), latex: expect.any(String), tree: expect.any(Object), momenta: expect.any(Array) },
      });
      expect(toText(fromTree(s.quantity.tree))).toBe(s.quantity.expr);
    }
  }
  if (s.evidence === 'numeric' && s.status !== 'broken') expect(s.points).toBeGreaterThan(0);
}

/**
 * The algebra (solved for by default): a basis of exact or quasi-symmetries,
 * indices into symmetries; the discovered generators last, each in the basis,
 * its charge J_k named by its position k there.
 */
function expectAlgebra(j: DeriveJSON): void {
  const a = j.algebra;
  expect(a, j.model.name).not.toBeNull();
  for (const k of ['dimension', 'complete', 'searched', 'basis', 'note']) expect(Object.hasOwn(a!, k), `algebra.${k}`).toBe(true);
  expect(typeof a!.searched).toBe('string');
  expect(new Set(a!.basis).size).toBe(a!.basis.length);
  for (const i of a!.basis) expect(['exact', 'quasi'], `${j.model.name}: basis index ${i}`).toContain(j.symmetries[i]?.status);
  if (a!.complete) expect(a!.basis).toHaveLength(a!.dimension!);
  const rules = j.symmetries.filter((s) => s.rule !== 'discovered').length;
  j.symmetries.forEach((s, i) => {
    if (s.rule !== 'discovered') {
      expect(i, `${s.description}: a rule instance after a discovered generator`).toBeLessThan(rules);
      return;
    }
    const k = a!.basis.indexOf(i) + 1;
    expect(k, s.description).toBeGreaterThan(0);
    expect(s.quantity).toMatchObject({ symbol: `J_${k}`, symbolLatex: `J_{${k}}`, vectorLatex: null });
  });
}

describe('derive --format json: the documented shape', () => {
  it('top level: {schemaVersion, kind, model, action, lagrangian: {expr, latex, tree}, rules, symmetries, algebra}', () => {
    for (const [, file] of GOLDEN_MODELS) {
      const j = json(file);
      expect(Object.keys(j).sort()).toEqual(['action', 'algebra', 'kind', 'lagrangian', 'model', 'rules', 'schemaVersion', 'symmetries']);
      expect(j.schemaVersion).toBe('1.0');
      expect(j.kind).toBe('derivation');
      expect(j.action).toBe('eq8');
      expect(Object.keys(j.lagrangian).sort()).toEqual(['expr', 'latex', 'tree']);
      expect(j.rules.map((r) => r.rule).sort()).toEqual(['boost', 'rotation', 'scaling', 'time', 'translation']);
      for (const r of j.rules) expect(r).toMatchObject({ file: expect.stringMatching(/rules[\\/]\w+\.yaml$/), status: 'loaded' });
      for (const s of j.symmetries) expectSymmetryShape(s, j.model.state);
      expectAlgebra(j);
      // The report round-trips through JSON unchanged.
      expect(j).toEqual(derivation(file));
    }
  });

  it('ou2d: instances in the paper\'s order with params {}, {axis}, {plane}, then the six discovered generators', () => {
    const j = json(GOLDEN_MODELS[1][1]);
    expect(j.symmetries.slice(0, 7).map((s) => [s.rule, s.params, s.status])).toEqual([
      ['time', {}, 'exact'],
      ['translation', { axis: 'x' }, 'broken'],
      ['translation', { axis: 'y' }, 'broken'],
      ['rotation', { plane: ['x', 'y'] }, 'exact'],
      ['boost', { axis: 'x' }, 'broken'],
      ['boost', { axis: 'y' }, 'broken'],
      ['scaling', {}, 'broken'],
    ]);
    // What solving for the algebra adds (at k = 1, D = 1/2): the 8-dimensional algebra is E, L_xy and these.
    expect(j.symmetries.slice(7).map((s) => [s.rule, s.params, s.generator.dt, s.generator.dx, s.status, s.quantity?.symbol])).toEqual([
      ['discovered', {}, 'exp(2*t)', ['x*exp(2*t)', 'y*exp(2*t)'], 'quasi', 'J_3'],
      ['discovered', {}, 'exp(-2*t)', ['-x*exp(-2*t)', '-y*exp(-2*t)'], 'exact', 'J_4'],
      ['discovered', {}, '0', ['exp(t)', '0'], 'quasi', 'J_5'],
      ['discovered', {}, '0', ['0', 'exp(t)'], 'quasi', 'J_6'],
      ['discovered', {}, '0', ['exp(-t)', '0'], 'exact', 'J_7'],
      ['discovered', {}, '0', ['0', 'exp(-t)'], 'exact', 'J_8'],
    ]);
    // They hold at the model's parameter values (e^{±t} is e^{±kt} at k = 1), and say so.
    for (const s of j.symmetries.slice(7)) expect(s).toMatchObject({ evidence: 'symbolic', holdsFor: 'these parameter values' });
    expect(j.algebra).toMatchObject({ dimension: 8, complete: true, basis: [0, 3, 7, 8, 9, 10, 11, 12] });
    const [time, , , rotation] = j.symmetries;
    expect(time).toMatchObject({ generator: { dt: '1', dx: ['0', '0'] }, evidence: 'symbolic', gauge: null, counterexample: null });
    expect(time.quantity).toMatchObject({ name: 'energy', symbol: 'E', symbolLatex: 'E' });
    expect(rotation).toMatchObject({ generator: { dt: '0', dx: ['-y', 'x'] }, evidence: 'symbolic', gauge: null, counterexample: null });
    expect(rotation.quantity).toMatchObject({ name: 'angular momentum', symbol: 'L_xy', symbolLatex: 'L_{x y}' });
    expect(j.symmetries.find((s) => s.rule === 'boost')!.generator).toMatchObject({ dt: '0', dx: ['t', '0'] });
    expect(j.symmetries.find((s) => s.rule === 'scaling')!.generator).toMatchObject({ dt: '2*t', dx: ['x', 'y'] });
  });

  it('ddm: the boost is a quasi-symmetry with gauge.expr a string, and B_x = t p_x − K', () => {
    const j = json(GOLDEN_MODELS[0][1]);
    const boost = j.symmetries.find((s) => s.rule === 'boost')!;
    expect(boost).toMatchObject({ params: { axis: 'x' }, status: 'quasi', evidence: 'symbolic', counterexample: null });
    expect(typeof boost.gauge!.expr).toBe('string');
    expect(typeof boost.gauge!.latex).toBe('string');
    expect(boost.quantity).toMatchObject({ name: 'boost charge', symbol: 'B_x', symbolLatex: 'B_{x}' });
    const { v, sigma } = j.model.params;
    for (const pt of points(j.model.state, 5, 7)) {
      const s = { ...j.model.params, ...pt };
      // Paper Eq. 18: L = (ẋ − v)²/(2σ²), p = (ẋ − v)/σ², δL = p = d/dt (x − v t)/σ².
      expectClose(num(boost.gauge!.expr!, s), (pt.x - v * pt.t) / sigma ** 2, 'K');
      expectClose(num(boost.quantity!.expr, s), (pt.t * (pt.x_dot - v)) / sigma ** 2 - (pt.x - v * pt.t) / sigma ** 2, 'B_x');
    }
  });
});

// ---------------------------------------------------------------------------
// The quantities, evaluated with mathjs

type Scope = Record<string, number>;
const SPECIAL = { besselI0, besselI1 };

function num(expr: string, scope: Scope): number {
  const v: unknown = evaluate(expr, { ...SPECIAL, ...scope });
  expect(typeof v, `${expr} should evaluate to a number`).toBe('number');
  return v as number;
}

function expectClose(got: number, want: number, what: string, scale = 1): void {
  expect(Number.isFinite(got), `${what}: ${got}`).toBe(true);
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-9 * (scale + Math.abs(want)));
}

/** Seeded points (x, ẋ, t): state in [-0.5, 1.5] (r > 0 for the ring), velocities in [-1, 1], t in [0.3, 1.5]. */
function points(state: string[], count: number, seed: number): Scope[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const p: Scope = { t: 0.3 + 1.2 * rng.uniform() };
    for (const s of state) {
      p[s] = 2 * rng.uniform() - 0.5;
      p[`${s}_dot`] = 2 * rng.uniform() - 1;
    }
    return p;
  });
}

describe('quantity.expr evaluated with mathjs', () => {
  it('ou2d: E = (ẋ² + ẏ² − k²x² − k²y²)/(4D) and L_xy = (x(ẏ + ky) − y(ẋ + kx))/(2D)', () => {
    const j = json(GOLDEN_MODELS[1][1]);
    const E = j.symmetries.find((s) => s.rule === 'time')!.quantity!.expr;
    const L = j.symmetries.find((s) => s.rule === 'rotation')!.quantity!.expr;
    const { k, D } = j.model.params;
    expect({ k, D }).toEqual({ k: 1, D: 0.5 });
    for (const pt of points(['x', 'y'], 8, 11)) {
      const { x, y, x_dot: xd, y_dot: yd } = pt;
      const s = { ...j.model.params, ...pt };
      expectClose(num(E, s), (xd ** 2 + yd ** 2 - k ** 2 * x ** 2 - k ** 2 * y ** 2) / (4 * D), `E at ${JSON.stringify(pt)}`);
      expectClose(num(L, s), (x * (yd + k * y) - y * (xd + k * x)) / (2 * D), `L_xy at ${JSON.stringify(pt)}`);
    }
    // The check is sensitive: another k changes both values.
    const moved = { ...j.model.params, ...points(['x', 'y'], 1, 11)[0], k: 2 };
    expect(Math.abs(num(E, moved) - num(E, { ...moved, k: 1 }))).toBeGreaterThan(1e-3);
  });

  it('ou2d with other parameter values (the formulas hold for all k, D)', () => {
    const j = json(GOLDEN_MODELS[1][1]);
    const E = j.symmetries.find((s) => s.rule === 'time')!.quantity!.expr;
    const L = j.symmetries.find((s) => s.rule === 'rotation')!.quantity!.expr;
    for (const [k, D] of [[0.3, 2], [1.7, 0.1]]) {
      for (const pt of points(['x', 'y'], 4, 12)) {
        const { x, y, x_dot: xd, y_dot: yd } = pt;
        expectClose(num(E, { k, D, ...pt }), (xd ** 2 + yd ** 2 - k ** 2 * x ** 2 - k ** 2 * y ** 2) / (4 * D), 'E');
        expectClose(num(L, { k, D, ...pt }), (x * (yd + k * y) - y * (xd + k * x)) / (2 * D), 'L_xy');
      }
    }
  });

  describe.each(ALL_MODELS.map((f) => [rel(f), f]))('%s', (_name, file) => {
    it('every quantity is ±(p·ξ − τE − K) with p = ∂L/∂ẋ and E = p·ẋ − L (mathjs derivative)', () => {
      const j = json(file);
      const { state, params } = j.model;
      for (const s of j.symmetries.filter((q) => q.quantity)) {
        const sign = s.rule === 'time' ? -1 : 1; // rules/time.yaml reports E = −J
        for (const pt of points(state, 4, 21)) {
          const sc = { ...params, ...pt };
          const p = state.map((x) => derivative(j.lagrangian.expr, `${x}_dot`, { simplify: false }).evaluate({ ...SPECIAL, ...sc }) as number);
          const E = state.reduce((a, x, i) => a + p[i] * pt[`${x}_dot`], 0) - num(j.lagrangian.expr, sc);
          const K = s.gauge?.expr ? num(s.gauge.expr, sc) : 0;
          const J = state.reduce((a, _x, i) => a + p[i] * num(s.generator.dx[i], sc), 0) - num(s.generator.dt, sc) * E - K;
          const scale = Math.abs(E) + p.reduce((a, b) => a + Math.abs(b), 0);
          expectClose(num(s.quantity!.expr, sc), sign * J, `${s.quantity!.symbol} at ${JSON.stringify(pt)}`, scale);
        }
      }
    });

    it('every quantity is constant along the Euler–Lagrange flow (dJ/dt = 0)', () => {
      const d = derived(file).internal;
      const j = json(file);
      const { state, params } = j.model;
      const acc = equationsOfMotion(d.lagrangian).accelerations.map(toText);
      for (const s of j.symmetries.filter((q) => q.quantity)) {
        const J = s.quantity!.expr;
        const dJ = (v: string): string => derivative(J, v, { simplify: false }).toString();
        const parts = { t: dJ('t'), x: state.map((x) => dJ(x)), v: state.map((x) => dJ(`${x}_dot`)) };
        for (const pt of points(state, 4, 31)) {
          const sc = { ...params, ...pt };
          const terms = [num(parts.t, sc), ...state.flatMap((x, i) => [num(parts.x[i], sc) * pt[`${x}_dot`], num(parts.v[i], sc) * num(acc[i], sc)])];
          const scale = terms.reduce((a, b) => a + Math.abs(b), 0);
          const total = terms.reduce((a, b) => a + b, 0);
          expect(Math.abs(total), `d${s.quantity!.symbol}/dt = ${total} at ${JSON.stringify(pt)} (terms ${terms})`).toBeLessThanOrEqual(1e-8 * (1 + scale));
        }
      }
    });
  });
});

describe.each(ALL_MODELS.map((f) => [rel(f), f]))('paper-ready formulas for %s', (_name, file) => {
  it('every formula of the snippet and the JSON latex fields obeys the paper-readiness rules', () => {
    const d = derivation(file);
    const formulas = new Set([...mathOfLatex(formatDerivation(d, 'latex')), ...latexFields(json(file)).map(([, s]) => s)]);
    const problems = [...formulas].flatMap((m) => paperProblems(m).map((p) => `${p}\n    in ${m}`));
    expect(problems).toEqual([]);
  });
});

// A golden file per model name must not collide.
it('golden model names are unique', () => {
  expect(new Set(GOLDEN_MODELS.map(([n]) => n)).size).toBe(GOLDEN_MODELS.length);
  for (const [n, f] of GOLDEN_MODELS) expect(basename(f, '.yaml')).toBe(n);
});
