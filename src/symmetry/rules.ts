// Generator families as data (rules/*.yaml), loaded with a report: every file
// is either loaded or skipped with the reason, and a bad file never stops the
// run. A rule is instantiated per model: once, per state axis, or per plane.
// The built-in rules travel inside the library (builtin-rules.ts); reading a
// folder of rule files is in rule-files.ts, for Node.

import { parseDocument } from 'yaml';
import { NoetherError } from '../errors.ts';
import type { Expr } from '../expr/expr.ts';
import { ZERO } from '../expr/expr.ts';
import { parseExpression } from '../expr/parse.ts';
import { modelScope } from '../model/build.ts';
import type { Model } from '../model/types.ts';
import { BUILTIN_RULE_FILES } from './builtin-rules.ts';

export type Over = 'none' | 'axes' | 'planes';

export interface RuleCharge {
  /** What the conserved quantity is called, e.g. "angular momentum". */
  readonly name: string;
  /** Plain symbol with placeholders, e.g. "L_$a$b". */
  readonly symbol: string;
  /** LaTeX symbol with placeholders, e.g. "L_{$a $b}". */
  readonly latex: string;
  /** Reported quantity = sign · J (the time rule reports E = −J). */
  readonly sign: 1 | -1;
}

/** One generator family, as read from a rule file. */
export interface Rule {
  readonly name: string;
  readonly description: string;
  readonly over: Over;
  /** τ as written, with placeholders. */
  readonly dt: string;
  /** ξ as written: keys are $a, $b, * (every axis, $i being that axis) or a state name. */
  readonly dx: ReadonlyArray<readonly [string, string]>;
  readonly charge: RuleCharge;
  readonly file?: string;
}

/** What became of one rule file (or of a rule that does not apply to a model). */
export interface RuleReportEntry {
  readonly file: string;
  /** loaded; skipped (with the reason); replaced by a later rule of the same name (mergeRules). */
  readonly status: 'loaded' | 'skipped' | 'replaced';
  readonly rule?: string;
  readonly reason?: string;
}

/** Rules with the report of how they were loaded. */
export interface RuleSet {
  readonly rules: readonly Rule[];
  readonly report: readonly RuleReportEntry[];
}

/** A rule file's name (for messages) and text. */
export interface RuleFile {
  readonly file: string;
  readonly text: string;
}

const RULE_FIELDS = ['name', 'description', 'over', 'dt', 'dx', 'charge'];
const CHARGE_FIELDS = ['name', 'symbol', 'latex', 'sign'];

/**
 * The rules shipped with noether (time, translation, rotation, boost, scaling).
 *
 * @example
 * const { rules } = builtinRules();
 * rules.map((r) => r.name); // ['boost', 'rotation', 'scaling', 'time', 'translation']
 */
export function builtinRules(): RuleSet {
  return parseRules(BUILTIN_RULE_FILES);
}

/**
 * Parses rule files given as text, in order; a file that fails is skipped with
 * its reason in the report, and so is a second rule of the same name.
 *
 * @example
 * const set = parseRules([{ file: 'shear.yaml', text: 'name: shear\nover: none\ndx: {x: "y"}\n' }]);
 * set.report[0].status; // 'loaded'
 */
export function parseRules(files: readonly RuleFile[]): RuleSet {
  const rules: Rule[] = [];
  const report: RuleReportEntry[] = [];
  for (const { file, text } of files) {
    try {
      const rule = parseRule(text, file);
      if (rules.some((r) => r.name === rule.name)) throw new Error(`a rule named '${rule.name}' is already loaded`);
      rules.push(rule);
      report.push({ file, status: 'loaded', rule: rule.name });
    } catch (err) {
      report.push({ file, status: 'skipped', reason: err instanceof NoetherError ? err.detail : (err as Error).message });
    }
  }
  return { rules, report };
}

/**
 * Merges rule sets; a later rule with the same name replaces an earlier one
 * (user rules override built-ins), and the report says so.
 *
 * @example
 * const rules = mergeRules(builtinRules(), parseRules([{ file: 'boost.yaml', text: myBoost }]));
 */
export function mergeRules(...sets: RuleSet[]): RuleSet {
  const byName = new Map<string, Rule>();
  for (const s of sets) for (const r of s.rules) byName.set(r.name, r);
  const report = sets.flatMap((s) =>
    s.report.map((entry): RuleReportEntry => {
      const winner = entry.status === 'loaded' && entry.rule !== undefined ? byName.get(entry.rule) : undefined;
      if (!winner || winner.file === entry.file) return entry;
      return { ...entry, status: 'replaced', reason: `replaced by the rule of the same name in ${winner.file ?? 'a later rule set'}` };
    }),
  );
  return { rules: [...byName.values()], report };
}

/** Validates one rule file; throws with the key that is wrong. */
export function parseRule(text: string, file: string): Rule {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`syntax error: ${doc.errors[0].message.split('\n')[0]}`);
  const raw = doc.toJS() as unknown;
  const fail = (key: string, detail: string): never => {
    throw new Error(`${key}: ${detail}`);
  };
  if (!isRecord(raw)) return fail('(file)', 'a rule is a mapping with fields ' + RULE_FIELDS.join(', '));
  for (const k of Object.keys(raw)) if (!RULE_FIELDS.includes(k)) fail(k, `unknown field (fields: ${RULE_FIELDS.join(', ')})`);
  const name = raw.name;
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) fail('name', 'expected a rule name (letters, digits, _ and -)');
  const over = raw.over ?? 'none';
  if (over !== 'none' && over !== 'axes' && over !== 'planes') return fail('over', `expected none, axes or planes; got ${String(over)}`);
  const description = raw.description ?? name;
  if (typeof description !== 'string') fail('description', 'expected a string');
  const dt = expressionText(raw.dt ?? '0', 'dt', fail);
  const dxRaw = raw.dx ?? {};
  if (!isRecord(dxRaw)) return fail('dx', 'expected a mapping from axes ($a, $b, * or a state name) to expressions');
  const dx = Object.entries(dxRaw).map(([k, v]): [string, string] => {
    if (!/^(\$a|\$b|\*|[A-Za-z][A-Za-z0-9_]*)$/.test(k)) fail(`dx.${k}`, 'keys are $a, $b, * or a state name');
    if (k === '$a' && over === 'none') fail(`dx.${k}`, '$a needs over: axes or planes');
    if (k === '$b' && over !== 'planes') fail(`dx.${k}`, '$b needs over: planes');
    return [k, expressionText(v, `dx.${k}`, fail)];
  });
  const charge = parseCharge(raw.charge, name as string, fail);
  // Syntax check now (symbols depend on the model and are checked when instantiated).
  for (const [key, text] of [['dt', dt], ...dx.map(([k, v]) => [`dx.${k}`, v])] as Array<[string, string]>) {
    try {
      parseExpression(fillPlaceholders(text, { a: 'a', b: 'b', i: 'i' }), { allowed: new Map(), anyName: true });
    } catch (err) {
      if (err instanceof NoetherError) fail(key, `${err.detail} (column ${err.where.column}) in "${text}"`);
      throw err;
    }
  }
  return { name: name as string, description: description as string, over, dt, dx, charge, file };
}

function parseCharge(raw: unknown, rule: string, fail: (key: string, detail: string) => never): RuleCharge {
  if (raw === undefined) return { name: 'Noether charge', symbol: `J_${rule}`, latex: `J_{\\mathrm{${rule}}}`, sign: 1 };
  if (!isRecord(raw)) return fail('charge', 'expected a mapping with name, symbol, latex, sign');
  for (const k of Object.keys(raw)) if (!CHARGE_FIELDS.includes(k)) fail(`charge.${k}`, `unknown field (fields: ${CHARGE_FIELDS.join(', ')})`);
  const str = (k: string, fallback: string): string => {
    const v = raw[k] ?? fallback;
    return typeof v === 'string' ? v : fail(`charge.${k}`, 'expected a string');
  };
  const sign = raw.sign ?? 1;
  if (sign !== 1 && sign !== -1) fail('charge.sign', 'expected 1 or -1');
  const symbol = str('symbol', `J_${rule}`);
  return { name: str('name', 'Noether charge'), symbol, latex: str('latex', symbol), sign: sign as 1 | -1 };
}

function expressionText(v: unknown, key: string, fail: (key: string, detail: string) => never): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  return fail(key, 'expected an expression (a string or number)');
}

/** Replaces $a, $b and $i by names (validated identifiers, so the text stays a safe expression). */
export function fillPlaceholders(text: string, names: { a?: string; b?: string; i?: string }): string {
  return text.replace(/\$([abi])/g, (m, k: 'a' | 'b' | 'i') => names[k] ?? m);
}

// ---------------------------------------------------------------- instances

export type InstanceParams = Record<string, never> | { axis: string } | { plane: [string, string] };

export interface Generator {
  /** τ(x, t). */
  readonly dt: Expr;
  /** ξ(x, t), one entry per state variable. */
  readonly dx: readonly Expr[];
}

export interface RuleInstance {
  readonly rule: string;
  readonly description: string;
  readonly params: InstanceParams;
  readonly generator: Generator;
  readonly charge: RuleCharge;
}

/** The instances of a rule for a model, or the reason it does not apply. */
export function instantiate(rule: Rule, model: Model): { instances: RuleInstance[]; skipped?: string } {
  const s = model.state;
  const choices: Array<{ params: InstanceParams; a?: string; b?: string }> =
    rule.over === 'none'
      ? [{ params: {} }]
      : rule.over === 'axes'
        ? s.map((a) => ({ params: { axis: a }, a }))
        : s.flatMap((a, i) => s.slice(i + 1).map((b) => ({ params: { plane: [a, b] as [string, string] }, a, b })));
  const scope = modelScope(model.state, model.params);
  const instances: RuleInstance[] = [];
  for (const { params, a, b } of choices) {
    try {
      const parse = (text: string, key: string, i?: string): Expr => {
        try {
          return parseExpression(fillPlaceholders(text, { a, b, i }), scope);
        } catch (err) {
          if (err instanceof NoetherError) throw new Error(`${key}: ${err.detail}`);
          throw err;
        }
      };
      const dx: Expr[] = s.map(() => ZERO);
      for (const [key, text] of rule.dx) {
        if (key === '*') s.forEach((axis, i) => (dx[i] = parse(text, 'dx.*', axis)));
        else {
          const axis = key === '$a' ? a : key === '$b' ? b : key;
          const i = s.indexOf(axis as string);
          if (i < 0) throw new Error(`dx.${key}: '${axis}' is not a state variable of this model`);
          dx[i] = parse(text, `dx.${key}`);
        }
      }
      instances.push({
        rule: rule.name,
        description: fillPlaceholders(rule.description, { a, b }),
        params,
        generator: { dt: parse(rule.dt, 'dt'), dx },
        charge: rule.charge,
      });
    } catch (err) {
      return { instances: [], skipped: (err as Error).message };
    }
  }
  return { instances };
}

/**
 * A generator v = τ ∂t + ξ·∂x as a person writes it: expressions in the model's
 * syntax (state, parameters, t). `dx` is a list in state order or a mapping from
 * state names; whatever is left out is 0.
 */
export interface GeneratorSpec {
  readonly dt?: string | number;
  readonly dx?: ReadonlyArray<string | number> | Readonly<Record<string, string | number>>;
}

/**
 * A claimed generator as a rule instance. Mistakes are 'request' errors whose
 * path starts with `prefix` (e.g. "generator." for the library, "--generator "
 * on the command line).
 */
export function claimedGenerator(spec: unknown, model: Model, prefix = 'generator.'): RuleInstance {
  const fail = (detail: string, path?: string): never => {
    throw new NoetherError('request', detail, { path: `${prefix}${path ?? ''}`.replace(/[.\s]$/, '') });
  };
  if (!isRecord(spec)) return fail('a generator is an object such as {"dt": "0", "dx": ["-y", "x"]}');
  for (const k of Object.keys(spec)) if (k !== 'dt' && k !== 'dx') fail(`unknown field '${k}' (fields: dt, dx)`);
  const scope = modelScope(model.state, model.params);
  const parse = (v: unknown, path: string): Expr => {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) return fail('expected an expression (a string or number)', path);
    try {
      return parseExpression(String(v), scope);
    } catch (err) {
      if (err instanceof NoetherError) throw err.at({ path: `${prefix}${path}` });
      throw err;
    }
  };
  const n = model.state.length;
  const dx: Expr[] = Array.from({ length: n }, () => ZERO);
  const rawDx = spec.dx;
  if (Array.isArray(rawDx)) {
    if (rawDx.length !== n) fail(`needs ${n} entries (one per state variable: ${model.state.join(', ')}); got ${rawDx.length}`, 'dx');
    rawDx.forEach((v, i) => (dx[i] = parse(v, `dx[${i}]`)));
  } else if (isRecord(rawDx)) {
    for (const [k, v] of Object.entries(rawDx)) {
      const i = model.state.indexOf(k);
      if (i < 0) fail(`'${k}' is not a state variable (state: ${model.state.join(', ')})`, 'dx');
      dx[i] = parse(v, `dx.${k}`);
    }
  } else if (rawDx !== undefined) fail('must be a list or a mapping from state names to expressions', 'dx');
  return {
    rule: 'claim',
    description: 'claimed generator',
    params: {},
    generator: { dt: spec.dt === undefined ? ZERO : parse(spec.dt, 'dt'), dx },
    charge: { name: 'Noether charge', symbol: 'J', latex: 'J', sign: 1 },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
