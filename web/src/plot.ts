// The plane of the most likely path: the drift as a quiver (a slope field for
// 1D models, over t and x), the fixed points, the path with equal-time ticks,
// and its end points, which are set by clicking and moved by dragging.

import type { Stability } from '../../src/index.ts';
import type { FieldData } from './protocol.ts';
import { fmt } from './util.ts';

const SVG = 'http://www.w3.org/2000/svg';
const W = 540;
const H = 500;
const M = { left: 50, right: 14, top: 14, bottom: 42 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

export type Which = 'from' | 'to';
export type P2 = [number, number];

export interface PlotEvents {
  /** An end point was placed (click) or moved (drag; final on release). */
  onPoint(which: Which, p: P2, final: boolean): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Round tick positions covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 6): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const RAMP = ['#a5c8e4', '#7fb0d8', '#5a96c9', '#3d7db8', '#2b64a0', '#1f4d85', '#173a69', '#102a4f'];

export class Plot {
  readonly svg: SVGSVGElement;
  private lo: P2 = [-2, -2];
  private hi: P2 = [2, 2];
  private readonly gAxes: SVGGElement;
  private readonly gField: SVGGElement;
  private readonly gFixed: SVGGElement;
  private readonly pathEl: SVGPathElement;
  private readonly gTicks: SVGGElement;
  private readonly gEnds: SVGGElement;
  private readonly readout: SVGTextElement;
  private readonly area: SVGRectElement;
  private from: P2 | undefined;
  private to: P2 | undefined;
  private labels: [string, string] = ['x', 'y'];
  /** Which end point the next click sets. */
  next: Which = 'from';
  private drag: Which | undefined;
  private downAt: { x: number; y: number } | undefined;

  constructor(
    root: HTMLElement,
    private readonly events: PlotEvents,
  ) {
    this.svg = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'plot', role: 'img', 'aria-label': 'drift field and most likely path' });
    const defs = svg('defs');
    const clip = svg('clipPath', { id: 'plot-clip' });
    clip.append(svg('rect', { x: M.left, y: M.top, width: PW, height: PH }));
    defs.append(clip);
    this.area = svg('rect', { x: M.left, y: M.top, width: PW, height: PH, class: 'plot-area' });
    this.gAxes = svg('g', { class: 'axes' });
    this.gField = svg('g', { class: 'field', 'clip-path': 'url(#plot-clip)' });
    this.gFixed = svg('g', { class: 'fixed', 'clip-path': 'url(#plot-clip)' });
    this.pathEl = svg('path', { class: 'ml-path', 'clip-path': 'url(#plot-clip)', d: '' });
    this.gTicks = svg('g', { class: 'time-ticks', 'clip-path': 'url(#plot-clip)' });
    this.gEnds = svg('g', { class: 'ends' });
    this.readout = svg('text', { x: W - M.right - 4, y: M.top + 14, class: 'readout', 'text-anchor': 'end' });
    this.svg.append(defs, this.area, this.gField, this.gAxes, this.gFixed, this.pathEl, this.gTicks, this.gEnds, this.readout);
    root.append(this.svg);
    this.svg.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.svg.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.svg.addEventListener('pointerup', (e) => this.pointerUp(e));
    this.svg.addEventListener('pointerleave', () => (this.readout.textContent = ''));
  }

  // ---------------------------------------------------------------- mapping

  px(x: number): number {
    return M.left + ((x - this.lo[0]) / (this.hi[0] - this.lo[0])) * PW;
  }
  py(y: number): number {
    return M.top + (1 - (y - this.lo[1]) / (this.hi[1] - this.lo[1])) * PH;
  }
  private toData(e: PointerEvent): P2 & { inside?: boolean } {
    const ctm = this.svg.getScreenCTM();
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm ? ctm.inverse() : new DOMMatrix());
    return [this.lo[0] + ((pt.x - M.left) / PW) * (this.hi[0] - this.lo[0]), this.lo[1] + (1 - (pt.y - M.top) / PH) * (this.hi[1] - this.lo[1])];
  }
  private inside(p: P2): boolean {
    return p[0] >= this.lo[0] && p[0] <= this.hi[0] && p[1] >= this.lo[1] && p[1] <= this.hi[1];
  }

  // ---------------------------------------------------------------- content

  setFrame(lo: P2, hi: P2, labels: [string, string]): void {
    this.lo = lo;
    this.hi = hi;
    this.labels = labels;
    this.drawAxes();
  }

  private drawAxes(): void {
    const g = this.gAxes;
    g.innerHTML = '';
    g.append(svg('rect', { x: M.left, y: M.top, width: PW, height: PH, class: 'frame' }));
    for (const v of ticks(this.lo[0], this.hi[0])) {
      const x = this.px(v);
      g.append(svg('line', { x1: x, x2: x, y1: M.top + PH, y2: M.top + PH + 5, class: 'tick' }));
      const t = svg('text', { x, y: M.top + PH + 18, 'text-anchor': 'middle', class: 'tick-label' });
      t.textContent = fmt(v, 3);
      g.append(t);
    }
    for (const v of ticks(this.lo[1], this.hi[1])) {
      const y = this.py(v);
      g.append(svg('line', { x1: M.left - 5, x2: M.left, y1: y, y2: y, class: 'tick' }));
      const t = svg('text', { x: M.left - 8, y: y + 4, 'text-anchor': 'end', class: 'tick-label' });
      t.textContent = fmt(v, 3);
      g.append(t);
    }
    const xl = svg('text', { x: M.left + PW / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis-label' });
    xl.textContent = this.labels[0];
    const yl = svg('text', { x: 14, y: M.top + PH / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 14 ${M.top + PH / 2})` });
    yl.textContent = this.labels[1];
    g.append(xl, yl);
  }

  /** The quiver: arrow colour and length by |f| (relative to the 95th percentile), direction from (u, v). */
  setField(field: FieldData | undefined): void {
    this.gField.innerHTML = '';
    if (!field) return;
    const { nx, ny, lo, hi } = field.view;
    const sx = PW / (hi[0] - lo[0]);
    const sy = PH / (hi[1] - lo[1]);
    const cell = Math.min(PW / nx, PH / ny);
    const finite = Array.from(field.mag).filter(Number.isFinite).sort((a, b) => a - b);
    const top = finite.length ? finite[Math.floor(0.95 * (finite.length - 1))] : 0;
    const slope = field.view.axes[0] < 0;
    const buckets: string[] = RAMP.map(() => '');
    let dots = '';
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const k = j * nx + i;
        const cx = M.left + ((i + 0.5) / nx) * PW;
        const cy = M.top + (1 - (j + 0.5) / ny) * PH;
        const du = field.u[k] * sx;
        const dv = -field.v[k] * sy;
        const norm = Math.hypot(du, dv);
        const rel = top > 0 && Number.isFinite(field.mag[k]) ? Math.min(1, field.mag[k] / top) : 0;
        if (!(norm > 0) || !Number.isFinite(norm) || (!slope && rel < 1e-9)) {
          dots += `M${(cx - 0.8).toFixed(1)},${cy.toFixed(1)}h1.6`;
          continue;
        }
        const len = cell * (slope ? 0.7 : 0.3 + 0.55 * Math.sqrt(rel));
        const ux = du / norm;
        const uy = dv / norm;
        const x0 = cx - (ux * len) / 2;
        const y0 = cy - (uy * len) / 2;
        const x1 = cx + (ux * len) / 2;
        const y1 = cy + (uy * len) / 2;
        const hl = Math.min(5, len * 0.38);
        const hw = hl * 0.55;
        const bx = x1 - ux * hl;
        const by = y1 - uy * hl;
        const b = Math.min(RAMP.length - 1, Math.floor(rel * RAMP.length));
        buckets[b] +=
          `M${x0.toFixed(1)},${y0.toFixed(1)}L${bx.toFixed(1)},${by.toFixed(1)}` +
          `M${x1.toFixed(1)},${y1.toFixed(1)}L${(bx - uy * hw).toFixed(1)},${(by + ux * hw).toFixed(1)}L${(bx + uy * hw).toFixed(1)},${(by - ux * hw).toFixed(1)}Z`;
      }
    }
    buckets.forEach((d, b) => {
      if (d) this.gField.append(svg('path', { d, stroke: RAMP[b], fill: RAMP[b], class: 'arrows' }));
    });
    if (dots) this.gField.append(svg('path', { d: dots, class: 'dots' }));
  }

  setFixedPoints(points: { p: P2; stability: Stability }[]): void {
    this.gFixed.innerHTML = '';
    for (const { p, stability } of points) {
      if (!this.inside(p)) continue;
      const x = this.px(p[0]);
      const y = this.py(p[1]);
      let m: SVGElement;
      if (stability === 'saddle') m = svg('path', { d: `M${x},${y - 6}L${x + 6},${y}L${x},${y + 6}L${x - 6},${y}Z`, class: 'fp saddle' });
      else m = svg('circle', { cx: x, cy: y, r: 5, class: `fp ${stability}` });
      const title = svg('title');
      title.textContent = `${stability} fixed point (${p.map((v) => fmt(v)).join(', ')})`;
      m.append(title);
      this.gFixed.append(m);
    }
  }

  setEnds(from: P2 | undefined, to: P2 | undefined): void {
    this.from = from;
    this.to = to;
    this.gEnds.innerHTML = '';
    const mark = (p: P2, which: Which): void => {
      const x = this.px(p[0]);
      const y = this.py(p[1]);
      const g = svg('g', { class: `end ${which}`, 'data-which': which });
      g.append(svg('circle', { cx: x, cy: y, r: 7 }));
      const t = svg('text', { x: x + 10, y: y - 9, class: 'end-label' });
      t.textContent = which === 'from' ? 'start' : 'end';
      g.append(t);
      this.gEnds.append(g);
    };
    if (from) mark(from, 'from');
    if (to) mark(to, 'to');
  }

  /** The path in plot coordinates, with a tick every tenth of its duration. */
  setPath(points: P2[] | undefined, times?: number[], stale = false): void {
    this.gTicks.innerHTML = '';
    if (!points || points.length === 0) {
      this.pathEl.setAttribute('d', '');
      return;
    }
    const d = points
      .filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))
      .map((p, k) => `${k === 0 ? 'M' : 'L'}${this.px(p[0]).toFixed(2)},${this.py(p[1]).toFixed(2)}`)
      .join('');
    this.pathEl.setAttribute('d', d);
    this.pathEl.classList.toggle('stale', stale);
    if (times && times.length === points.length) {
      const t0 = times[0];
      const T = times[times.length - 1] - t0;
      let k = 0;
      for (let j = 1; j < 10; j++) {
        const target = t0 + (j / 10) * T;
        while (k < times.length - 2 && times[k + 1] < target) k++;
        const f = (target - times[k]) / (times[k + 1] - times[k] || 1);
        const p: P2 = [points[k][0] + f * (points[k + 1][0] - points[k][0]), points[k][1] + f * (points[k + 1][1] - points[k][1])];
        if (Number.isFinite(p[0]) && Number.isFinite(p[1])) this.gTicks.append(svg('circle', { cx: this.px(p[0]), cy: this.py(p[1]), r: 2.6 }));
      }
    }
  }

  // ---------------------------------------------------------------- interaction

  private near(e: PointerEvent): Which | undefined {
    const ctm = this.svg.getScreenCTM();
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm ? ctm.inverse() : new DOMMatrix());
    const dist = (p: P2 | undefined): number => (p ? Math.hypot(this.px(p[0]) - pt.x, this.py(p[1]) - pt.y) : Infinity);
    const a = dist(this.from);
    const b = dist(this.to);
    if (Math.min(a, b) > 11) return undefined;
    return a <= b ? 'from' : 'to';
  }

  private pointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.downAt = { x: e.clientX, y: e.clientY };
    this.drag = this.near(e);
    if (this.drag) {
      this.svg.setPointerCapture(e.pointerId);
      this.svg.classList.add('dragging');
      e.preventDefault();
    }
  }

  private pointerMove(e: PointerEvent): void {
    const p = this.toData(e);
    this.readout.textContent = this.inside(p) ? `${this.labels[0]} = ${fmt(p[0], 3)}, ${this.labels[1]} = ${fmt(p[1], 3)}` : '';
    this.svg.classList.toggle('over-end', !this.drag && this.near(e) !== undefined);
    if (this.drag && this.inside(p)) this.events.onPoint(this.drag, p, false);
  }

  private pointerUp(e: PointerEvent): void {
    const p = this.toData(e);
    const moved = this.downAt ? Math.hypot(e.clientX - this.downAt.x, e.clientY - this.downAt.y) : 0;
    if (this.drag) {
      this.svg.releasePointerCapture(e.pointerId);
      this.svg.classList.remove('dragging');
      const which = this.drag;
      this.drag = undefined;
      if (this.inside(p)) this.events.onPoint(which, p, true);
      else if (moved < 4) this.events.onPoint(which, which === 'from' ? (this.from as P2) : (this.to as P2), true);
      return;
    }
    if (this.downAt && moved < 6 && this.inside(p)) {
      const which = this.next;
      this.next = which === 'from' ? 'to' : 'from';
      this.events.onPoint(which, p, true);
    }
    this.downAt = undefined;
  }
}
