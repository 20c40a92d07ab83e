// Figures as Vega-Lite specifications, rendered to SVG by vega (loaded only
// when a figure is drawn; files.ts writes them, with PNGs, in Node). The same
// specs can drive the web page.

import { NoetherError } from '../errors.ts';
import { runtimeImport } from '../runtime-import.ts';
import type { ConditionedFigure, RingFigure, TransitionFigure } from './figures.ts';

/** A Vega-Lite spec (plain JSON). */
export type Spec = Record<string, unknown>;

/** A density on a regular grid, for heat maps: value at (x[i], y[j]) is values[i][j]. */
export interface DensityGrid {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly values: readonly (readonly number[])[];
}

const SIZE = 380;

function heatmapLayer(density: DensityGrid, title: string): Spec {
  const dx = density.x.length > 1 ? density.x[1] - density.x[0] : 1;
  const dy = density.y.length > 1 ? density.y[1] - density.y[0] : 1;
  const values = density.x.flatMap((x, i) =>
    density.y.map((y, j) => ({ x0: x - dx / 2, x1: x + dx / 2, y0: y - dy / 2, y1: y + dy / 2, density: density.values[i][j] })),
  );
  return {
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: 'x', scale: { zero: false, nice: false }, axis: { tickCount: 5 } },
      x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative', title: 'y', scale: { zero: false, nice: false } },
      y2: { field: 'y1' },
      color: { field: 'density', type: 'quantitative', title, scale: { scheme: 'greys' }, legend: { gradientLength: 120, format: '.2~g' } },
    },
  };
}

function pathValues(curves: ReadonlyArray<{ label: string; value: number; x: number[][] }>, stride: number): Record<string, unknown>[] {
  return curves.flatMap((c) =>
    c.x.filter((_, k) => k % stride === 0 || k === c.x.length - 1).map((p, k) => ({ curve: c.label, value: c.value, order: k, x: p[0], y: p[1] })),
  );
}

/** Figs. 1b/1c: transitions at several energies over a density, with the fixed points. */
export function transitionSpec(fig: TransitionFigure, title: string, density?: DensityGrid): Spec {
  const layers: Spec[] = [];
  if (density) layers.push(heatmapLayer(density, 'stationary density'));
  layers.push({
    data: { values: pathValues(fig.curves, 4) },
    mark: { type: 'line', strokeWidth: 2.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      order: { field: 'order' },
      detail: { field: 'curve' },
      color: { field: 'value', type: 'quantitative', title: 'energy E', scale: { type: 'log', scheme: 'viridis' } },
    },
  });
  layers.push({
    data: { values: fig.fixedPoints.map((p) => ({ x: p.x[0], y: p.x[1], stability: p.stability })) },
    mark: { type: 'point', filled: true, size: 90 },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      shape: { field: 'stability', type: 'nominal', title: 'fixed point' },
      color: { value: '#d62728' },
    },
  });
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: SIZE, height: SIZE, layer: layers, resolve: { scale: { color: 'independent' } } };
}

/** Fig. 2: the probability-flow path (dashed) and most likely reverse-SDE paths coloured by angular momentum. */
export function ringSpec(fig: RingFigure, title: string, density?: DensityGrid): Spec {
  const layers: Spec[] = [];
  if (density) layers.push(heatmapLayer(density, 'data density'));
  const paths = pathValues(fig.curves.map((c) => ({ ...c, value: c.charge ?? 0 })), 4);
  const along = { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'order' }, detail: { field: 'curve' } };
  // A dark outline under each path keeps the light middle of the diverging map (L ≈ 0) visible.
  layers.push({ data: { values: paths }, mark: { type: 'line', strokeWidth: 4.5, color: '#333' }, encoding: along });
  layers.push({
    data: { values: paths },
    mark: { type: 'line', strokeWidth: 2.5 },
    // Blue–orange: diverging and colour-blind safe, centred on L = 0.
    encoding: { ...along, color: { field: 'value', type: 'quantitative', title: 'angular momentum L', scale: { scheme: 'blueorange', domainMid: 0 } } },
  });
  layers.push({
    data: { values: fig.flow.x.map((p, k) => ({ order: k, x: p[0], y: p[1] })) },
    mark: { type: 'line', strokeDash: [6, 4], color: 'black', strokeWidth: 2 },
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'order' } },
  });
  layers.push({
    data: { values: [{ x: fig.start[0], y: fig.start[1] }] },
    mark: { type: 'point', filled: true, size: 120, color: 'black' },
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  });
  // Equal aspect: a circle should look like one.
  const xs = density ? [density.x[0], density.x[density.x.length - 1]] : [-1, 1];
  const ys = density ? [density.y[0], density.y[density.y.length - 1]] : [-1, 1];
  const height = Math.round((SIZE * (ys[1] - ys[0])) / (xs[1] - xs[0]));
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: SIZE, height, layer: layers, resolve: { scale: { color: 'independent' } } };
}

/** Fig. 1a: conditioned sample paths (grey), their mean (dashed) and the most likely path (blue), x against t. */
export function conditionedSpec(fig: ConditionedFigure, title: string): Spec {
  const samples = fig.samples.flatMap((p, i) => p.t.map((t, k) => ({ path: i, order: k, x: t, y: p.x[k][0] })));
  const lines = fig.t.flatMap((t, k) => [
    { order: k, x: t, y: fig.mostLikely[k][0], curve: 'most likely path' },
    { order: k, x: t, y: fig.mean[k][0], curve: 'mean of conditioned samples' },
  ]);
  const axes = { x: { field: 'x', type: 'quantitative', title: 't' }, y: { field: 'y', type: 'quantitative', title: 'x' } };
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: 480, height: 300, layer: samplesAndCurves(samples, lines, axes) };
}

/**
 * Sample paths in thin grey under two highlighted curves (a mean, dashed, and a
 * most likely path), with one legend for colour and dash inside the plot. Rows:
 * samples {path, order, x, y}; curves {curve, order, x, y}.
 */
export function samplesAndCurves(samples: readonly Record<string, unknown>[], curves: readonly Record<string, unknown>[], axes: Spec): Spec[] {
  return [
    { data: { values: samples }, mark: { type: 'line', strokeWidth: 0.6, opacity: 0.35, color: '#888' }, encoding: { ...axes, order: { field: 'order' }, detail: { field: 'path' } } },
    {
      data: { values: curves },
      mark: { type: 'line', strokeWidth: 3 },
      encoding: {
        ...axes,
        order: { field: 'order' },
        color: { field: 'curve', type: 'nominal', scale: { range: ['#d62728', '#1f77b4'] }, title: null, legend: { orient: 'top-right', symbolType: 'stroke', symbolStrokeWidth: 3, fillColor: 'white', padding: 6, labelLimit: 0 } },
        strokeDash: { field: 'curve', type: 'nominal', scale: { range: [[6, 4], [1, 0]] }, title: null },
      },
    },
  ];
}

/** A path to draw: its samples, and for a family the value that tells it apart (E, T, …). */
export interface PlottedPath {
  readonly t: readonly number[];
  readonly x: readonly (readonly number[])[];
  readonly value?: number;
}

export interface PathSpecOptions {
  /** The plane to draw, as indices into the state (default: the first two); for N > 2 a projection. */
  readonly axes?: readonly [number, number];
  /** The legend title of `value` when several paths are drawn (default 'value'). */
  readonly valueTitle?: string;
}

/**
 * A Vega-Lite spec of one solved path or a family of them: the curve in a plane
 * for two state variables (or a projection on two axes), over the drift's
 * direction field and fixed points when `context` has them, with start and end
 * marked; else each coordinate against t (one variable, or N > 2 without axes).
 *
 * @example
 * const svg = await toSvg(pathSpec(pathReport, pathReport.model.state));
 */
export function pathSpec(paths: PlottedPath | readonly PlottedPath[], state: readonly string[], context: PathContext = {}, options: PathSpecOptions = {}): Spec {
  const list: readonly PlottedPath[] = Array.isArray(paths) ? paths : [paths as PlottedPath];
  const family = list.length > 1;
  const title = family ? 'most likely paths' : 'most likely path';
  const keepOf = (p: PlottedPath) => {
    const stride = Math.max(1, Math.floor(p.t.length / 400));
    return (k: number): boolean => k % stride === 0 || k === p.t.length - 1;
  };
  // Values spread over decades (energies 0.001 … 1) get a log colour scale.
  const values = list.map((p) => p.value ?? 0);
  const spread = values.every((v) => v > 0) && values.reduce((a, b) => Math.max(a, b)) > 20 * values.reduce((a, b) => Math.min(a, b));
  const scale = { scheme: 'viridis', ...(spread ? { type: 'log' } : {}) };
  const colour = family ? { color: { field: 'value', type: 'quantitative', title: options.valueTitle ?? 'value', scale } } : {};
  const plane = state.length === 2 || options.axes !== undefined || (family && state.length > 2);
  if (plane && state.length >= 2) {
    const [a, b] = options.axes ?? [0, 1];
    const axes = { x: { field: 'x', type: 'quantitative', title: state[a], scale: { zero: false } }, y: { field: 'y', type: 'quantitative', title: state[b], scale: { zero: false } } };
    const layers: Spec[] = [];
    if (context.field) layers.push(...fieldLayers(context.field));
    layers.push({
      data: { values: list.flatMap((p, c) => p.x.filter((_, k) => keepOf(p)(k)).map((q, k) => ({ curve: c, order: k, x: q[a], y: q[b], value: p.value ?? 0 }))) },
      mark: { type: 'line', strokeWidth: 2.5, ...(family ? {} : { color: '#1f4e9c' }) },
      encoding: { ...axes, order: { field: 'order' }, detail: { field: 'curve' }, ...colour },
    });
    const markers = [
      ...list.flatMap((p) => [
        { x: p.x[0][a], y: p.x[0][b], point: 'start' },
        { x: p.x[p.x.length - 1][a], y: p.x[p.x.length - 1][b], point: 'end' },
      ]),
      ...(context.fixedPoints ?? []).map((f) => ({ x: f.x[a], y: f.x[b], point: `${f.stability} fixed point` })),
    ];
    layers.push({
      data: { values: markers },
      mark: { type: 'point', filled: true, size: 80, opacity: 1 },
      encoding: { ...axes, shape: { field: 'point', type: 'nominal', title: null }, color: { field: 'point', type: 'nominal', title: null, scale: { scheme: 'dark2' } } },
    });
    const projected = state.length > 2 ? ` (projection on ${state[a]}, ${state[b]})` : '';
    return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 360, height: 360, title: `${title}${projected}`, layer: layers, resolve: { scale: { color: 'independent', shape: 'independent' } } };
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 480,
    height: 260,
    title,
    data: { values: list.flatMap((p, c) => p.x.flatMap((q, k) => (keepOf(p)(k) ? q.map((v, i) => ({ curve: c, t: p.t[k], value: v, variable: state[i], family: p.value ?? 0 })) : []))) },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 't', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: state.length === 1 ? state[0] : 'state' },
      detail: { field: 'curve' },
      ...(family && state.length === 1
        ? { color: { field: 'family', type: 'quantitative', title: options.valueTitle ?? 'value', scale } }
        : { color: { field: 'variable', type: 'nominal', title: null } }),
    },
  };
}

/** What a 2D path is drawn over: the drift as a direction field (a DriftFieldReport) and the fixed points. */
export interface PathContext {
  readonly field?: { readonly x: readonly number[]; readonly y: readonly number[]; readonly u: readonly (readonly number[])[]; readonly v: readonly (readonly number[])[] };
  readonly fixedPoints?: ReadonlyArray<{ readonly x: readonly number[]; readonly stability: string }>;
}

/** The drift's direction at each cell: a short grey segment with a triangle at its head. */
function fieldLayers(field: NonNullable<PathContext['field']>): Spec[] {
  const dx = field.x.length > 1 ? Math.abs(field.x[1] - field.x[0]) : 1;
  const dy = field.y.length > 1 ? Math.abs(field.y[1] - field.y[0]) : 1;
  const arrows = field.y.flatMap((y, j) =>
    field.x.flatMap((x, i) => {
      const [u, v] = [field.u[j][i], field.v[j][i]];
      // Lengths in cell units, so that the arrows look alike whatever the axes' scales.
      const norm = Math.hypot(u / dx, v / dy);
      if (!(norm > 0) || !Number.isFinite(norm)) return [];
      const [ex, ey] = [(0.4 * u) / norm, (0.4 * v) / norm];
      return [{ x: x - ex / 2, y: y - ey / 2, x2: x + ex / 2, y2: y + ey / 2, angle: ((Math.atan2(ex / dx, ey / dy) * 180) / Math.PI + 360) % 360 }];
    }),
  );
  const style = { color: '#9a9a9a', opacity: 0.8 };
  return [
    { data: { values: arrows }, mark: { type: 'rule', strokeWidth: 1, ...style }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, x2: { field: 'x2' }, y2: { field: 'y2' } } },
    {
      data: { values: arrows },
      mark: { type: 'point', shape: 'triangle-up', filled: true, size: 14, ...style },
      encoding: { x: { field: 'x2', type: 'quantitative' }, y: { field: 'y2', type: 'quantitative' }, angle: { field: 'angle', type: 'quantitative', scale: null } },
    },
  ];
}

/**
 * A Vega-Lite spec of each conserved charge along a path, as its deviation
 * from its mean.
 *
 * @example
 * const svg = await toSvg(chargesSpec(pathReport.t, pathReport.quantities));
 */
export function chargesSpec(t: readonly number[], quantities: ReadonlyArray<{ symbol: string; values: readonly number[] }>): Spec {
  const values = quantities.flatMap((q) => {
    const mean = q.values.reduce((a, b) => a + b, 0) / q.values.length;
    const stride = Math.max(1, Math.floor(q.values.length / 400));
    // Midpoint values (fixed-energy paths) have one entry fewer than the nodes.
    const times = q.values.length === t.length ? t : t.slice(1).map((tk, k) => 0.5 * (tk + t[k]));
    return q.values.filter((_, k) => k % stride === 0).map((v, j) => ({ t: times[j * stride], deviation: v - mean, charge: q.symbol }));
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 480,
    height: 220,
    title: 'charges along the path (value − mean)',
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 't', type: 'quantitative' },
      y: { field: 'deviation', type: 'quantitative', axis: { format: '.1e' } },
      color: { field: 'charge', type: 'nominal' },
    },
  };
}

/**
 * A Vega-Lite spec rendered to an SVG string (needs the optional dependencies
 * vega and vega-lite).
 *
 * @example
 * writeFileSync('path.svg', await toSvg(pathSpec(pathReport, ['x', 'y'])));
 */
export async function toSvg(spec: Spec): Promise<string> {
  const [vega, vl] = await Promise.all([optional<typeof import('vega')>('vega'), optional<typeof import('vega-lite')>('vega-lite')]);
  // ARIA labels on every mark (thousands of heat-map cells) would be most of the file.
  const view = new vega.View(vega.parse(vl.compile({ ...spec, config: { aria: false, ...(spec.config as object) } } as never).spec), { renderer: 'none' });
  return compactSvg(await view.toSVG());
}

/** Geometry rounded to 1/100 px (invisible at any zoom a figure is read at) and colours as hex: a third of the bytes. */
function compactSvg(svg: string): string {
  const round = (text: string): string => text.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => String(Math.round(Number(n) * 100) / 100));
  const hex = (c: string): string => Number(c).toString(16).padStart(2, '0');
  return svg
    .replace(/rgb\((\d+), (\d+), (\d+)\)/g, (_, r: string, g: string, b: string) => `#${hex(r)}${hex(g)}${hex(b)}`)
    .replace(/ d="([^"]*)"/g, (_, d: string) => ` d="${round(d)}"`)
    .replace(/ (x|y|x1|x2|y1|y2|width|height|transform)="([^"]*)"/g, (_, k: string, v: string) => ` ${k}="${round(v)}"`);
}

/** Loads an optional dependency, or says how to install it. */
export async function optional<T>(name: string): Promise<T> {
  try {
    return await runtimeImport<T>(name);
  } catch {
    throw new NoetherError('dependency', `figures need the optional package ${name}: npm install vega vega-lite @resvg/resvg-js`);
  }
}
