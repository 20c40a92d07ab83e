// The sweep report as text: what was swept, then one table row per point.

import type { SweepPoint, SweepReport } from '../api/reports.ts';

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));

/**
 * A sweep report as a table, one row per point (`--json` prints the report itself).
 *
 * @example
 * const r = await sweep(spec, { from: [1, 0], to: [0, 1], T: 2, params: [{ name: 'k', start: 0.5, stop: 1.5, count: 3 }] });
 * console.log(formatSweep(r)); // Sweep of ou2d: 3 points, k from 0.5 to 1.5 (3 values); T = 2 …
 */
export function formatSweep(r: SweepReport): string {
  const q = r.request;
  const vec = (xs: readonly number[]): string => `(${xs.map(fmt).join(', ')})`;
  const swept = [
    ...q.params.map((a) => (a.count === 1 ? `${a.name} = ${fmt(a.start)}` : `${a.name} from ${fmt(a.start)} to ${fmt(a.stop)} (${a.count} values)`)),
    ...(q.E ? [q.E.length <= 8 ? `E = ${q.E.map(fmt).join(', ')}` : `E: ${q.E.length} values from ${fmt(q.E[0])} to ${fmt(q.E[q.E.length - 1])}`] : [`T = ${fmt(q.T as number)}`]),
  ];
  const lines = [`Sweep of ${r.model.name}: ${r.total} point${r.total === 1 ? '' : 's'}, ${swept.join(', ')}; from ${vec(q.from)} to ${vec(q.to)}`];
  if (q.shard) lines.push(`  shard ${q.shard.index} of ${q.shard.count}: its ${r.points.length} points (index mod ${q.shard.count} = ${q.shard.index - 1}); \`noether merge\` the shards for the whole sweep`);
  lines.push('');

  const head = ['#', ...q.params.map((a) => a.name), 'E', 'T', 'action S', 'converged', 'stationary', 'iterations', 'max drift', 'ok'];
  const rows = r.points.map((p) => [String(p.index), ...q.params.map((a) => fmt(p.params[a.name])), ...cells(p)]);
  const width = head.map((h, c) => Math.max(h.length, ...rows.filter((row) => row.length > c + 1).map((row) => row[c].length)));
  const line = (row: string[]): string => `  ${row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(width[c]))).join('  ')}`.trimEnd();
  lines.push(line(head), ...rows.map(line), '');

  const passed = r.points.filter((p) => p.path?.passed).length;
  const failed = r.points.filter((p) => p.error).length;
  lines.push(
    `${passed} of ${r.points.length} points passed (converged, not a saddle, every charge's relative drift ≤ ${q.driftTolerance})` +
      `${failed > 0 ? `; ${failed} could not be solved` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The cells after the parameters: the path's numbers, or the error in one cell. */
function cells(p: SweepPoint): string[] {
  if (!p.path) return [...(p.E !== null ? [fmt(p.E)] : []), `error: ${(p.error?.message ?? '').split('\n')[0]}`];
  const s = p.path;
  const stationary = s.stationary === null ? '—' : s.stationary === 'saddle' ? `SADDLE (${s.morseIndex})` : s.stationary;
  return [
    fmt(s.E),
    s.infiniteDuration ? `∞ (${fmt(s.T)})` : fmt(s.T),
    fmt(s.action),
    s.converged ? 'yes' : 'NO',
    stationary,
    String(s.iterations),
    s.maxDrift ? `${s.maxDrift.relativeDrift.toExponential(2)} (${s.maxDrift.symbol})` : '—',
    s.passed ? 'yes' : `FAIL${s.failedCharges.length > 0 ? ` (${s.failedCharges.join(', ')})` : ''}`,
  ];
}
