// The demo: every example of the paper derived, solved and checked, in one
// table — what `npm run demo` prints.

import { join } from 'node:path';
import { createAnalyzer } from '../api/analyzer.ts';
import type { SymmetryReport } from '../api/reports.ts';
import { readModelFile } from '../model/file.ts';

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
  /** The dimension of the symmetry algebra solved for, with its name where recognisable. */
  readonly algebra: string;
  readonly charges: string[];
  readonly maxRelativeDrift: number;
  readonly converged: boolean;
  readonly passed: boolean;
  readonly seconds: number;
}

export function runDemo(examplesDir: string, nodes = 1000): DemoRow[] {
  return DEMO_PATHS.map((d) => {
    const start = performance.now();
    const file = join(examplesDir, d.file);
    const analyzer = createAnalyzer(readModelFile(file), { file });
    const derivation = analyzer.derivation();
    const report = analyzer.path({ from: d.from, to: d.to, T: d.T, nodes });
    const kept = derivation.symmetries.filter((s) => s.status === 'exact' || s.status === 'quasi');
    const rules = kept.filter((s) => s.rule !== 'discovered');
    const discovered = kept.length - rules.length;
    const a = derivation.algebra;
    return {
      model: derivation.model.name,
      note: d.note,
      symmetries: [...rules.map((s) => `${shortName(s)}${s.status === 'quasi' ? ' (quasi)' : ''}`), ...(discovered > 0 ? [`${discovered} more found by solving`] : [])],
      algebra: a?.dimension == null ? '—' : `${a.dimension}${a.complete ? '' : '?'}${a.name?.startsWith('Schrödinger') ? ' sch' : a.name?.startsWith('abelian') ? ' abelian' : ''}`,
      charges: kept.flatMap((s) => (s.quantity ? [s.quantity.symbol] : [])),
      maxRelativeDrift: report.quantities.reduce((m, q) => Math.max(m, q.relativeDrift), 0),
      converged: report.converged,
      passed: report.passed,
      seconds: (performance.now() - start) / 1000,
    };
  });
}

/** time, translation(x), rotation(x,y), …: a rule and its axes, for a narrow table. */
function shortName(s: SymmetryReport): string {
  const axes = s.params.axis !== undefined ? [s.params.axis] : (s.params.plane ?? []);
  return axes.length ? `${s.rule}(${axes.join(',')})` : s.rule;
}

export function demoTable(rows: readonly DemoRow[]): string {
  const header = ['model', 'algebra', 'symmetries (exact or quasi)', 'charges', 'max drift', 'ok'];
  const body = rows.map((r) => [
    r.model,
    r.algebra,
    r.symmetries.join('; ') || '—',
    r.charges.join(', ') || '—',
    r.charges.length ? r.maxRelativeDrift.toExponential(1) : '—',
    r.passed ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
