// The fixed-points report as a table.

import type { FixedPointReport } from '../api/reports.ts';

/** From this many degenerate points on, the table says they probably form a continuum. */
const CONTINUUM_HINT = 10;

/** A number for the table: 6 significant digits, no negative zero. */
function fmt(v: number): string {
  const r = Number(v.toPrecision(6));
  return String(r === 0 ? 0 : r);
}

function formatEigenvalue({ re, im }: { re: number; im: number }): string {
  if (im === 0) return fmt(re);
  return `${fmt(re)}${im < 0 ? '-' : '+'}${fmt(Math.abs(im))}i`;
}

/**
 * The fixed points, their stability and eigenvalues, as a text table.
 *
 * @example
 * console.log(formatFixedPoints(createAnalyzer(ou).fixedPoints({ box: { x: [-2, 2], y: [-2, 2] } })));
 * // ou2d: 1 fixed point of the drift with x in [-2, 2], y in [-2, 2], t = 0 …
 */
export function formatFixedPoints(r: FixedPointReport): string {
  const { state, name } = r.model;
  const points = r.fixedPoints;
  const where = state.map((s) => `${s} in [${fmt(r.box[s][0])}, ${fmt(r.box[s][1])}]`).join(', ');
  const lines = [`${name}: ${points.length} fixed point${points.length === 1 ? '' : 's'} of the drift with ${where}, t = ${fmt(r.t)}`];
  if (points.length > 0) {
    const header = [...state, 'stability', 'eigenvalues of df/dx', 'residual'];
    const rows = points.map((p) => [...p.x.map(fmt), p.stability, p.eigenvalues.map(formatEigenvalue).join(', '), p.residual.toExponential(1)]);
    const widths = header.map((h, j) => rows.reduce((w, row) => Math.max(w, row[j].length), h.length));
    const line = (cells: readonly string[]): string => `  ${cells.map((c, j) => c.padEnd(widths[j])).join('  ')}`.trimEnd();
    lines.push('', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
    const counts = (['stable', 'saddle', 'unstable', 'degenerate'] as const)
      .map((s) => [s, points.filter((p) => p.stability === s).length] as const)
      .filter(([, c]) => c > 0)
      .map(([s, c]) => `${c} ${s}`);
    lines.push('', counts.join(', '));
    const degenerate = points.filter((p) => p.stability === 'degenerate').length;
    if (degenerate >= CONTINUUM_HINT) {
      lines.push(`note: ${degenerate} degenerate fixed points usually mean a curve or surface of fixed points; the list only samples it`);
    }
  }
  return `${lines.join('\n')}\n`;
}
