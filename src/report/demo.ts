// The demo: every example of the paper derived, solved and checked, in one
// table — what `npm run demo` prints.

import { join } from 'node:path';
import { solveAndCheck } from '../check/path-report.ts';
import { buildLagrangian } from '../lagrangian/lagrangian.ts';
import { loadModelFile } from '../model/load.ts';
import { derive } from '../noether/derive.ts';
import { type RuleInstance, builtinRulesDir, loadRuleDir } from '../symmetry/rules.ts';

/** A representative most likely path for each example. */
export const DEMO_PATHS: ReadonlyArray<{ file: string; from: number[]; to: number[]; T: number; note: string }> = [
  { file: 'ddm.yaml', from: [0], to: [-1], T: 2, note: 'wrong decision: from 0 to the lower bound (Eq. 19)' },
  { file: 'ou2d.yaml', from: [0.8, -0.4], to: [-0.4, 0.8], T: 8, note: 'transition within the attractor (Fig. 1b)' },
  { file: 'attractor3.yaml', from: [0.797939, -0.398969], to: [-0.398969, 0.797939], T: 8, note: 'change of mind (Fig. 1c)' },
  { file: 'ring-reverse-sde.yaml', from: [0, 4], to: [-1.4142, 1.4142], T: 1.95, note: 'reverse diffusion to the ring (Fig. 2)' },
  { file: 'rnn-equivariant.yaml', from: [1.2, 0], to: [-0.6, 0.9], T: 3, note: 'rotation-equivariant RNN' },
  { file: 'rnn-elementwise.yaml', from: [1.2, 0], to: [-0.6, 0.9], T: 3, note: 'elementwise tanh: no angular momentum' },
  { file: 'free-diffusion.yaml', from: [0, 0], to: [1, 0.5], T: 1, note: 'free diffusion: boost and scaling' },
];

export interface DemoRow {
  readonly model: string;
  readonly note: string;
  readonly symmetries: string[];
  readonly charges: string[];
  readonly maxRelativeDrift: number;
  readonly converged: boolean;
  readonly passed: boolean;
  readonly seconds: number;
}

export function runDemo(examplesDir: string, nodes = 1000): DemoRow[] {
  const rules = loadRuleDir(builtinRulesDir());
  return DEMO_PATHS.map((d) => {
    const start = performance.now();
    const model = loadModelFile(join(examplesDir, d.file));
    const lagrangian = buildLagrangian(model);
    const derivation = derive(lagrangian, rules);
    const report = solveAndCheck(lagrangian, derivation, { from: d.from, to: d.to, T: d.T, t0: model.timeGiven ? model.time[0] : 0, nodes });
    const kept = derivation.symmetries.filter((s) => s.verdict.status !== 'broken');
    return {
      model: model.name,
      note: d.note,
      symmetries: kept.map((s) => `${shortName(s.instance)}${s.verdict.status === 'quasi' ? ' (quasi)' : ''}`),
      charges: kept.filter((s) => s.charge).map((s) => s.charge?.symbol ?? ''),
      maxRelativeDrift: Math.max(0, ...report.quantities.map((q) => q.relativeDrift)),
      converged: report.converged,
      passed: report.passed,
      seconds: (performance.now() - start) / 1000,
    };
  });
}

/** time, translation(x), rotation(x,y), …: a rule and its axes, for a narrow table. */
function shortName(instance: RuleInstance): string {
  const p = instance.params;
  const axes = 'axis' in p ? [p.axis] : 'plane' in p ? p.plane : [];
  return axes.length ? `${instance.rule}(${axes.join(',')})` : instance.rule;
}

export function demoTable(rows: readonly DemoRow[]): string {
  const header = ['model', 'symmetries (exact or quasi)', 'charges', 'max drift', 'ok'];
  const body = rows.map((r) => [
    r.model,
    r.symmetries.join('; ') || '—',
    r.charges.join(', ') || '—',
    r.charges.length ? r.maxRelativeDrift.toExponential(1) : '—',
    r.passed ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
