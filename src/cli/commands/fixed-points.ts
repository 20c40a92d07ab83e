// `noether fixed-points MODEL`: the fixed points of the drift in a box, with
// their linear stability (stable, saddle, unstable, degenerate).

import { compileModel } from '../../compile/model-kernels.ts';
import { buildLagrangian } from '../../lagrangian/lagrangian.ts';
import { loadModelFile } from '../../model/load.ts';
import { type FixedPoint, findFixedPoints } from '../../solve/fixed-points.ts';
import { parse } from '../args.ts';
import { EXIT, type IO, UsageError } from '../io.ts';

export const DEFAULT_HALF_WIDTH = 3;
/** From this many degenerate points on, the text output says they probably form a continuum. */
const CONTINUUM_HINT = 10;

export const help = `Usage: noether fixed-points MODEL [--box JSON] [--t T] [--json]

Finds the fixed points of the drift, f(x, t) = 0, inside a box (damped Newton
from a seeded grid of starts), and classifies each by the eigenvalues of the
drift Jacobian ∂f/∂x: stable (all real parts < 0), unstable (all > 0), saddle
(mixed signs) or degenerate (a real part within 1e-9 of 0).

  MODEL              a model file (.yaml, .yml or .json)
  --box JSON         the search box per state variable, e.g. '{"x": [-2, 2], "y": [-1, 1]}';
                     variables left out get [-${DEFAULT_HALF_WIDTH}, ${DEFAULT_HALF_WIDTH}]
  --t T              time at which a time-dependent drift is frozen (default 0);
                     write --t=-1 for negative times
  --json             print JSON: {model, box, t, fixedPoints: [{x, stability, eigenvalues, residual}]}
  --help, -h         this help
`;

export async function run(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { box: { type: 'string' }, t: { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1, names: 'the model file (noether fixed-points MODEL)' },
  );
  const boxSpec = values.box === undefined ? {} : parseBoxOption(values.box);
  const t = parseTime(values.t);
  const model = loadModelFile(positionals[0]);
  const state = model.state;
  for (const name of Object.keys(boxSpec)) {
    if (!state.includes(name)) {
      throw new UsageError(`--box names '${name}', which is not a state variable of ${model.name} (state: ${state.join(', ')})`);
    }
  }
  const bounds = state.map((name) => boxSpec[name] ?? [-DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH]);
  const box = { lo: bounds.map((b) => b[0]), hi: bounds.map((b) => b[1]) };

  const kernels = compileModel(buildLagrangian(model));
  const points = findFixedPoints(kernels, box, { t });

  if (values.json) {
    const out = {
      model: { name: model.name, state, params: Object.fromEntries(model.params.map((p) => [p.name, p.value])) },
      box: Object.fromEntries(state.map((name, i) => [name, bounds[i]])),
      t,
      fixedPoints: points,
    };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout(formatTable(model.name, state, bounds, t, points));
  }
  return EXIT.ok;
}

/** Reads --box: a JSON object mapping state names to [lo, hi] with finite lo < hi. */
export function parseBoxOption(text: string): Record<string, [number, number]> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--box is not valid JSON (${(err as Error).message}); expected e.g. '{"x": [-2, 2], "y": [-1, 1]}'`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`--box must be a JSON object mapping state variables to [lo, hi], e.g. '{"x": [-2, 2]}'`);
  }
  const box: Record<string, [number, number]> = Object.create(null);
  for (const [name, value] of Object.entries(raw)) {
    if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new UsageError(`--box: the bounds of '${name}' must be a pair of finite numbers [lo, hi]; got ${JSON.stringify(value)}`);
    }
    const [lo, hi] = value as [number, number];
    if (!(lo < hi)) throw new UsageError(`--box: the bounds of '${name}' need lo < hi; got [${lo}, ${hi}]`);
    box[name] = [lo, hi];
  }
  return box;
}

function parseTime(text: string | undefined): number {
  if (text === undefined) return 0;
  const t = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(t)) throw new UsageError(`--t must be a finite number; got '${text}'`);
  return t;
}

/** A number for the table: 6 significant digits, no negative zero. */
function fmt(v: number): string {
  const r = Number(v.toPrecision(6));
  return String(r === 0 ? 0 : r);
}

function formatEigenvalue({ re, im }: { re: number; im: number }): string {
  if (im === 0) return fmt(re);
  return `${fmt(re)}${im < 0 ? '-' : '+'}${fmt(Math.abs(im))}i`;
}

function formatTable(name: string, state: readonly string[], bounds: readonly (readonly number[])[], t: number, points: readonly FixedPoint[]): string {
  const where = state.map((s, i) => `${s} in [${fmt(bounds[i][0])}, ${fmt(bounds[i][1])}]`).join(', ');
  const lines = [`${name}: ${points.length} fixed point${points.length === 1 ? '' : 's'} of the drift with ${where}, t = ${fmt(t)}`];
  if (points.length > 0) {
    const header = [...state, 'stability', 'eigenvalues of df/dx', 'residual'];
    const rows = points.map((p) => [
      ...p.x.map(fmt),
      p.stability,
      p.eigenvalues.map(formatEigenvalue).join(', '),
      p.residual.toExponential(1),
    ]);
    const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
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
