// The ensemble report as text: the run, the final states, the mean and
// quantile paths on a few grid points, and the comparison with theory.

import type { EnsembleReport } from '../api/reports.ts';

const fmt = (x: number | null): string => (x === null ? '—' : Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
const fmtRate = (r: number): string => (r >= 0.01 ? `${(100 * r).toPrecision(3)}%` : r.toExponential(2));

/**
 * A summary of a simulated ensemble, for people (`--json` prints the report itself).
 *
 * @example
 * const r = await createAnalyzer(ou).simulate({ from: [1, 0], T: 5, dt: 0.01, paths: 1000 });
 * console.log(formatEnsemble(r)); // Simulated ou2d: 1000 paths from (1, 0) …
 */
export function formatEnsemble(r: EnsembleReport, csvFile?: string): string {
  const state = r.model.state;
  const vec = (xs: readonly (number | null)[]): string => `(${xs.map(fmt).join(', ')})`;
  const byState = (o: Record<string, number | null>): (number | null)[] => state.map((s) => o[s]);
  const schemeName = r.scheme === 'euler' ? 'Euler–Maruyama' : 'Milstein';
  const cond = r.request.condition;
  const lines: string[] = [];
  if (cond) {
    lines.push(
      `Simulated ${r.model.name}: ${r.paths.used} paths from ${vec(r.request.from)} ending within ${fmt(cond.tol)} of ${vec(cond.to)} ` +
        `(accepted ${r.paths.accepted} of ${r.paths.simulated} simulated, rate ${fmtRate(r.acceptanceRate ?? 0)})`,
    );
  } else {
    lines.push(`Simulated ${r.model.name}: ${r.paths.used} paths from ${vec(r.request.from)}${r.paths.used < r.paths.requested ? ` (of ${r.paths.requested})` : ''}`);
  }
  lines.push(`  ${schemeName}, T = ${fmt(r.T)}, step ${fmt(r.h)} (${r.steps} steps), seed ${r.seed}, ${r.workers} worker${r.workers > 1 ? 's' : ''}, ${r.wallSeconds.toFixed(2)} s`);
  const gFrom = { noise: 'G as given by the model', 'diagonal-diffusion': 'G = √(2D), D diagonal', cholesky: 'G = chol(2D)' }[r.noise.source];
  lines.push(`  noise: ${r.noise.structure}, ${gFrom}, ${r.noise.wienerProcesses} Wiener process${r.noise.wienerProcesses > 1 ? 'es' : ''}; strong order ${r.noise.strongOrder}, weak order ${r.noise.weakOrder}`);
  if (r.paths.leftDomain > 0) lines.push(`  warning: ${r.paths.leftDomain} paths left the model's domain and were stopped there and left out; try a smaller dt`);
  if (r.paths.diverged > 0) lines.push(`  warning: ${r.paths.diverged} paths blew up (NaN or infinite state) and were left out; try a smaller dt`);
  if (r.hopeless) lines.push(`  stopped early: ${r.hopeless.message}`);
  if (r.paths.used === 0) {
    lines.push('No paths to summarise.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('', `Final state at t = ${fmt(r.t0 + r.T)}: mean ${vec(byState(r.final.mean))}, std ${vec(byState(r.final.std))}`, '');
  const S = r.grid.t.length;
  const rows = Math.min(S, 11);
  const picks = Array.from({ length: rows }, (_, k) => Math.round((k * (S - 1)) / Math.max(1, rows - 1)));
  const levels = Object.keys(r.grid.quantiles);
  const preferred = levels.filter((q) => q === '0.05' || q === '0.5' || q === '0.95');
  const shown = preferred.length > 0 ? preferred : levels.slice(0, 3);
  lines.push(`Mean path${shown.length > 0 ? ` and quantiles (${shown.join(', ')})` : ''}, ${rows} of ${S} grid points:`);
  const header = ['t', ...state.flatMap((s) => [`${s} mean`, ...shown.map((q) => `${s} q${q}`)])];
  const table = picks.map((k) => [fmt(r.grid.t[k]), ...state.flatMap((s) => [fmt(r.grid.mean[s][k]), ...shown.map((q) => fmt(r.grid.quantiles[q][s][k]))])]);
  const widths = header.map((h, c) => table.reduce((w, row) => Math.max(w, row[c].length), h.length));
  lines.push(`  ${header.map((h, c) => h.padStart(widths[c])).join('  ')}`);
  for (const row of table) lines.push(`  ${row.map((x, c) => x.padStart(widths[c])).join('  ')}`);
  const ml = r.mostLikely;
  if (ml) {
    lines.push(
      '',
      `Most likely path (solve, action ${fmt(ml.action)}${ml.converged ? '' : ', NOT converged'}): largest distance from the ensemble mean ${fmt(ml.distance)} ` +
        `at t = ${fmt(ml.at)} (standard error of the mean there ${fmt(ml.standardError)})`,
    );
  }
  const hg = r.histogram;
  if (hg) {
    lines.push(
      '',
      `Histogram of ${hg.dims.join(', ')}: ${hg.bins.join(' × ')} bins over ` +
        `${hg.ranges.map(([lo, hi], a) => `${hg.dims[a]} ∈ [${fmt(lo)}, ${fmt(hi)}]`).join(', ')}; ${hg.total} states binned, ${hg.outside} outside (--json for the counts)`,
    );
  }
  if (csvFile !== undefined) lines.push('', `Raw paths written to ${csvFile}`);
  return `${lines.join('\n')}\n`;
}
