// The whole derivation for one model: every rule instance tested, and the
// conserved quantity of each symmetry found.

import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { type Verdict, detect } from '../symmetry/detect.ts';
import { type RuleSet, type RuleInstance, type RuleReportEntry, instantiate } from '../symmetry/rules.ts';
import { type Charge, noetherCharge } from './charge.ts';

export interface SymmetryResult {
  readonly instance: RuleInstance;
  readonly verdict: Verdict;
  /** The conserved quantity, for exact and quasi symmetries (undefined if broken or K is not known in closed form). */
  readonly charge?: Charge;
}

export interface Derivation {
  readonly lagrangian: LagrangianResult;
  /** Which rule files were loaded or skipped, and rules that did not apply to this model. */
  readonly rules: readonly RuleReportEntry[];
  readonly symmetries: readonly SymmetryResult[];
}

export function checkInstance(lagr: LagrangianResult, instance: RuleInstance): SymmetryResult {
  const verdict = detect(lagr, instance.generator);
  const charge = noetherCharge(lagr, instance, verdict);
  return { instance, verdict, ...(charge ? { charge } : {}) };
}

/** Built-in families first, in the order the paper introduces them; other rules after, by name. */
const ORDER = ['time', 'translation', 'rotation', 'boost', 'scaling'];
function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

export function derive(lagr: LagrangianResult, rules: RuleSet): Derivation {
  const report: RuleReportEntry[] = [...rules.report];
  const symmetries: SymmetryResult[] = [];
  const ordered = [...rules.rules].sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const rule of ordered) {
    const { instances, skipped } = instantiate(rule, lagr.model);
    if (skipped !== undefined) {
      report.push({ file: rule.file ?? rule.name, status: 'skipped', rule: rule.name, reason: `does not apply to ${lagr.model.name}: ${skipped}` });
      continue;
    }
    for (const instance of instances) symmetries.push(checkInstance(lagr, instance));
  }
  return { lagrangian: lagr, rules: report, symmetries };
}
