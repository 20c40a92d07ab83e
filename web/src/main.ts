// The playground page: wires the model editor (form and YAML), the pipeline
// worker, the results and the path panel together.

import 'katex/dist/katex.min.css';
import './style.css';
import { type Document, parseDocument } from 'yaml';
import { Engine } from './engine.ts';
import { ModelForm, errorHtml } from './form.ts';
import { type P2, Plot } from './plot.ts';
import type { Analysis, ErrorInfo, FieldData, FieldView, PathView, Response, SolveRequest } from './protocol.ts';
import { markStale, renderResults } from './results.ts';
import { debounce, el, escapeHtml, fmt, tex, texSpan } from './util.ts';
import { YamlEditor } from './yaml-editor.ts';

// The worker starts first: loading it overlaps with building the page.
const engine = new Engine({
  onResponse,
  onCrash(message) {
    setStatus('error', 'error');
    showAnalysisError({ code: 'internal', detail: message });
  },
  onBusy(busy, kind) {
    if (busy && kind === 'solve') setPathState('solving');
  },
});

// ------------------------------------------------------------------ examples

const EXAMPLE_TEXTS = import.meta.glob<string>('../../examples/*.yaml', { query: '?raw', import: 'default', eager: true });
const EXAMPLES = Object.entries(EXAMPLE_TEXTS)
  .map(([path, text]) => ({ name: (path.split('/').pop() as string).replace(/\.yaml$/, ''), text }))
  .sort((a, b) => (a.name < b.name ? -1 : 1));
const DEFAULT_EXAMPLE = 'ou2d';

const $ = <T extends HTMLElement>(sel: string): T => document.querySelector(sel) as T;

// ------------------------------------------------------------------ state

interface PathState {
  from?: number[];
  to?: number[];
  mode: 'T' | 'E';
  T: number;
  E?: number;
  /** Horizontal and vertical state axes (a 1D model: [-1, 0], t horizontal). */
  axes: [number, number];
  lo: P2;
  hi: P2;
  /** Values of the coordinates off the plotted axes (N ≥ 3) and the field's time. */
  slice: number[];
  fieldT: number;
}

let doc: Document | undefined;
let analysis: Analysis | undefined;
let analysisError: ErrorInfo | undefined;
let field: FieldData | undefined;
let path: PathView | undefined;
let pathError: ErrorInfo | undefined;
let resetView = true;
/** Counts analyses: a path belongs to the model of one generation. */
let generation = 0;
let pathGeneration = -1;
let analyzeStart = 0;
let firstChargesAt: number | undefined;
const ps: PathState = { mode: 'T', T: 1, axes: [0, 1], lo: [-2, -2], hi: [2, 2], slice: [], fieldT: 0 };

// ------------------------------------------------------------------ layout

const statusEl = $<HTMLElement>('#status');
const resultsEl = $<HTMLElement>('#results');
const picker = $<HTMLSelectElement>('#example');
for (const ex of EXAMPLES) picker.append(el('option', { value: ex.name, text: ex.name }));
picker.append(el('option', { value: '', text: '(edited)', disabled: 'true' }));

function setStatus(text: string, kind: 'busy' | 'ok' | 'error'): void {
  statusEl.textContent = text;
  statusEl.dataset.kind = kind;
}

// Tabs: the form and the YAML are two views of one model file.
const tabs = [...document.querySelectorAll<HTMLButtonElement>('.tab')];
function showTab(name: string): void {
  for (const t of tabs) t.setAttribute('aria-selected', String(t.dataset.tab === name));
  $('#form-pane').hidden = name !== 'form';
  $('#yaml-pane').hidden = name !== 'yaml';
  if (name === 'form') form.fit();
}
for (const t of tabs) t.addEventListener('click', () => showTab(t.dataset.tab as string));

const editor = new YamlEditor($('#yaml-pane'), (text) => setText(text, 'yaml'));
const form = new ModelForm($('#form-pane'), (raw) => {
  if (!doc || doc.errors.length > 0) return;
  syncDoc(doc, raw);
  setText(doc.toString({ flowCollectionPadding: false, lineWidth: 0 }), 'form');
});

// ------------------------------------------------------------------ model text

let modelText = '';

function setText(text: string, source: 'example' | 'yaml' | 'form'): void {
  modelText = text;
  if (source !== 'yaml') editor.setText(text);
  if (source !== 'example') picker.value = '';
  doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const line = doc.errors[0].linePos?.[0].line;
    form.disable(`The YAML has a syntax error${line ? ` on line ${line}` : ''}; fix it in the YAML tab.`);
  } else if (source !== 'form') {
    form.render(doc.toJS());
  }
  scheduleAnalyze();
  if (source === 'example') scheduleAnalyze.flush();
}

const scheduleAnalyze = debounce(() => {
  analyzeStart = performance.now();
  setStatus('deriving…', 'busy');
  engine.analyze(modelText);
}, 250);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k, i) => Object.keys(b)[i] === k && same(a[k], b[k]));
  }
  if (isRecord(a) || isRecord(b) || Array.isArray(a) || Array.isArray(b)) return false;
  return String(a) === String(b);
}

/** Writes the form's model into the YAML document, touching only what changed (comments and quoting stay). */
function syncDoc(d: Document, raw: Record<string, unknown>): void {
  const old = d.toJS() as Record<string, unknown>;
  for (const key of Object.keys(old)) if (!(key in raw)) d.delete(key);
  const set = (path: (string | number)[], before: unknown, after: unknown): void => {
    if (same(before, after)) return;
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
      after.forEach((v, i) => set([...path, i], before[i], v));
    } else if (isRecord(before) && isRecord(after) && same(Object.keys(before), Object.keys(after))) {
      for (const k of Object.keys(after)) set([...path, k], before[k], after[k]);
    } else if (Array.isArray(after) || isRecord(after)) {
      d.setIn(path, d.createNode(after, { flow: true }));
    } else d.setIn(path, after);
  };
  for (const [k, v] of Object.entries(raw)) set([k], old[k], v);
}

// ------------------------------------------------------------------ engine

function onResponse(r: Response): void {
  try {
    handle(r);
  } catch (err) {
    // A bug in the page must not leave it blank: say so where the results go (and in the console).
    console.error(err);
    pageError(err);
  }
}

function pageError(err: unknown): void {
  setStatus('page error', 'error');
  const box = el('section', { class: 'card page-error' });
  box.append(el('h2', { text: 'Something went wrong in the page' }), el('p', { text: err instanceof Error ? err.message : String(err) }), el('p', { class: 'muted', text: 'Edit the model or pick an example to try again.' }));
  resultsEl.prepend(box);
}

function handle(r: Response): void {
  if (r.type === 'analyze') {
    if (r.ok) onAnalysis(r.analysis);
    else {
      setStatus(r.error.code === 'syntax' ? 'YAML syntax error' : 'model error', 'error');
      showAnalysisError(r.error);
    }
  } else if (r.type === 'field') {
    if (r.ok) onField(r.field);
  } else if (r.ok) onPath(r.path);
  else onPathError(r.error);
}

function showAnalysisError(err: ErrorInfo): void {
  analysisError = err;
  generation++;
  form.showError(err);
  editor.showError(err, err.code === 'syntax' ? 'YAML syntax error' : 'Model error');
  $('.tab-dot').hidden = false;
  markStale(resultsEl, err);
  pathPanel.classList.add('stale');
}

function onAnalysis(a: Analysis): void {
  const previous = analysis;
  generation++;
  analysis = a;
  analysisError = undefined;
  form.showError(undefined);
  editor.showError(undefined);
  $('.tab-dot').hidden = true;
  pathPanel.classList.remove('stale');
  renderResults(resultsEl, a);
  const ms = performance.now() - analyzeStart;
  setStatus(`derived in ${Math.round(ms)} ms`, 'ok');
  if (firstChargesAt === undefined && resultsEl.querySelector('.charge .katex')) {
    firstChargesAt = performance.now();
    document.documentElement.dataset.firstCharges = String(Math.round(firstChargesAt));
  }
  const sameState = previous !== undefined && previous.derivation.model.state.join(',') === a.derivation.model.state.join(',');
  if (resetView || !sameState) {
    resetView = false;
    defaultView(a);
  }
  setupControls(a);
  requestField();
  requestSolve();
}

// ------------------------------------------------------------------ path panel

const pathRoot = $<HTMLElement>('#path');
const pathPanel = el('section', { class: 'card path-card' });
pathRoot.append(pathPanel);
pathPanel.innerHTML = `
  <h2>Most likely path</h2>
  <p class="hint" id="pick-hint"></p>
  <div id="plot-box" class="plot-box"></div>
  <div class="legend">
    <span><svg width="22" height="10"><path d="M1 5h14" stroke="#3d7db8" stroke-width="1.6"/><path d="M21 5l-6 -3.5v7z" fill="#3d7db8"/></svg> drift f (darker = stronger)</span>
    <span class="fp-legend"><svg width="12" height="12"><circle cx="6" cy="6" r="4.5" class="fp stable"/></svg> stable <svg width="12" height="12"><path d="M6 1L11 6L6 11L1 6Z" class="fp saddle"/></svg> saddle <svg width="12" height="12"><circle cx="6" cy="6" r="4.5" class="fp unstable"/></svg> unstable</span>
    <span><svg width="22" height="10"><path d="M1 5h20" class="legend-path"/></svg> path (dots every T/10)</span>
  </div>
  <div class="row ends">
    <label for="from">start</label><input id="from" type="text" data-path="from" spellcheck="false" autocomplete="off" />
    <label for="to">end</label><input id="to" type="text" data-path="to" spellcheck="false" autocomplete="off" />
  </div>
  <div class="row mode" role="radiogroup" aria-label="problem">
    <label><input type="radio" name="mode" value="T" checked /> fixed duration <i>T</i></label>
    <label id="mode-E-label"><input type="radio" name="mode" value="E" /> fixed energy <i>E</i></label>
  </div>
  <div class="row slider" id="T-row">
    <label for="T-slider" class="math-label">T</label>
    <input id="T-slider" type="range" min="0" max="1000" step="1" aria-label="duration T (log scale)" />
    <input id="T" type="text" inputmode="decimal" data-path="T" aria-label="duration T" />
  </div>
  <div class="row slider" id="E-row" hidden>
    <label for="E-slider" class="math-label">E</label>
    <input id="E-slider" type="range" min="0" max="1000" step="1" aria-label="energy E" />
    <input id="E" type="text" inputmode="decimal" data-path="E" aria-label="energy E" />
  </div>
  <div id="path-error" class="path-error" role="alert" hidden></div>
  <div id="path-result" class="path-result" data-state="idle"></div>
  <details class="view-controls">
    <summary>View</summary>
    <div id="view-box"></div>
  </details>`;

const plot = new Plot($('#plot-box'), {
  onPoint(which, p, final) {
    if (!analysis) return;
    const n = analysis.derivation.model.state.length;
    let v: number[];
    if (n === 1) v = [p[1]];
    else {
      v = [...((which === 'from' ? ps.from : ps.to) ?? ps.slice)];
      v[ps.axes[0]] = p[0];
      v[ps.axes[1]] = p[1];
    }
    v = v.map((c) => Number(c.toPrecision(4)));
    if (which === 'from') ps.from = v;
    else ps.to = v;
    updateEnds();
    updateHint();
    // A drag sends many requests; the engine keeps only the latest waiting one.
    void final;
    requestSolve();
  },
});

const fromInput = $<HTMLInputElement>('#from');
const toInput = $<HTMLInputElement>('#to');
const tSlider = $<HTMLInputElement>('#T-slider');
const tInput = $<HTMLInputElement>('#T');
const eSlider = $<HTMLInputElement>('#E-slider');
const eInput = $<HTMLInputElement>('#E');
const pathResult = $<HTMLElement>('#path-result');
const pathErrorEl = $<HTMLElement>('#path-error');

const T_MIN = 0.02;
function tMax(): number {
  if (!analysis) return 20;
  return analysis.derivation.model.time.given ? analysis.derivation.model.time.interval[1] - t0() : 20;
}
function t0(): number {
  return analysis?.derivation.model.time.given ? analysis.derivation.model.time.interval[0] : 0;
}
const sliderToT = (s: number): number => Number((T_MIN * (tMax() / T_MIN) ** (s / 1000)).toPrecision(3));
const tToSlider = (T: number): number => (1000 * Math.log(T / T_MIN)) / Math.log(tMax() / T_MIN);
function eRange(): [number, number] {
  const scale = field && field.energyScale > 0 && Number.isFinite(field.energyScale) ? field.energyScale : 1;
  return [-scale, 6 * scale];
}

function point(v: number[] | undefined): string {
  return v ? v.map((c) => fmt(c)).join(', ') : '';
}

function updateEnds(): void {
  fromInput.value = point(ps.from);
  toInput.value = point(ps.to);
  if (!analysis) return;
  if (analysis.derivation.model.state.length === 1) {
    plot.setEnds(ps.from ? [t0(), ps.from[0]] : undefined, ps.to ? [pathEndTime(), ps.to[0]] : undefined);
  } else {
    const [a, b] = ps.axes;
    plot.setEnds(ps.from ? [ps.from[a], ps.from[b]] : undefined, ps.to ? [ps.to[a], ps.to[b]] : undefined);
  }
}

function pathEndTime(): number {
  return t0() + (ps.mode === 'T' ? ps.T : (path?.T ?? 1));
}

function updateHint(): void {
  const hint = $('#pick-hint');
  const which = plot.next === 'from' ? 'start' : 'end';
  hint.textContent =
    analysis?.derivation.model.state.length === 1
      ? `Click the plot to set the ${which} value of ${analysis.derivation.model.state[0]} (the height); drag the markers to move them.`
      : `Click the plot to set the ${which} point; drag the markers to move them.`;
}

function parsePoint(text: string, n: number): number[] | string {
  const parts = text.split(/[,\s]+/).filter((s) => s !== '');
  if (parts.length !== n) return `expected ${n} number${n > 1 ? 's' : ''} (${analysis?.derivation.model.state.join(', ')}), separated by commas`;
  const v = parts.map(Number);
  if (!v.every(Number.isFinite)) return 'expected numbers';
  return v;
}

for (const [input, which] of [
  [fromInput, 'from'],
  [toInput, 'to'],
] as const) {
  input.addEventListener('change', () => {
    if (!analysis) return;
    const v = parsePoint(input.value, analysis.derivation.model.state.length);
    if (typeof v === 'string') {
      showPathError({ code: 'request', detail: v, path: which });
      return;
    }
    if (which === 'from') ps.from = v;
    else ps.to = v;
    updateEnds();
    requestSolve();
  });
}

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  radio.addEventListener('change', () => {
    if (!radio.checked) return;
    ps.mode = radio.value as 'T' | 'E';
    syncModeRows();
    if (analysis?.derivation.model.state.length === 1) frameAndField();
    requestSolve();
  });
}
function syncModeRows(): void {
  $('#T-row').hidden = ps.mode !== 'T';
  $('#E-row').hidden = ps.mode !== 'E';
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) r.checked = r.value === ps.mode;
}

const solveSoon = debounce(() => requestSolve(), 60);
tSlider.addEventListener('input', () => {
  ps.T = sliderToT(Number(tSlider.value));
  tInput.value = String(ps.T);
  if (analysis?.derivation.model.state.length === 1) frameAndField();
  solveSoon();
});
tInput.addEventListener('change', () => {
  const v = Number(tInput.value);
  if (!(v > 0) || !Number.isFinite(v)) {
    showPathError({ code: 'request', detail: 'T must be a positive number', path: 'T' });
    return;
  }
  ps.T = v;
  tSlider.value = String(tToSlider(v));
  if (analysis?.derivation.model.state.length === 1) frameAndField();
  requestSolve();
});
eSlider.addEventListener('input', () => {
  const [lo, hi] = eRange();
  ps.E = Number((lo + (Number(eSlider.value) / 1000) * (hi - lo)).toPrecision(3));
  eInput.value = String(ps.E);
  solveSoon();
});
eInput.addEventListener('change', () => {
  const v = Number(eInput.value);
  if (!Number.isFinite(v) || eInput.value.trim() === '') {
    showPathError({ code: 'request', detail: 'E must be a number', path: 'E' });
    return;
  }
  ps.E = v;
  syncESlider();
  requestSolve();
});
function syncESlider(): void {
  const [lo, hi] = eRange();
  if (ps.E !== undefined) eSlider.value = String(Math.round((1000 * (ps.E - lo)) / (hi - lo)));
}

/** The view of a model just loaded: a square around its fixed points, its end points at landmarks. */
/** The Lagrangian depends on t: no energy conservation, no fixed-E paths. */
function timeDependent(a: Analysis): boolean {
  const m = a.derivation.model;
  return m.driftDependsOnTime || m.diffusion.dependsOnTime;
}

function defaultView(a: Analysis): void {
  const n = a.derivation.model.state.length;
  const fps = a.fixedPoints;
  path = undefined;
  plot.setPath(undefined);
  plot.next = 'from';
  ps.slice = Array(n).fill(0);
  ps.fieldT = t0();
  ps.T = Math.min(1, tMax());
  if (n === 1) {
    ps.axes = [-1, 0];
    const xs = fps.map((p) => p.x[0]);
    const [c, half] = xs.length > 0 && !a.fixedPointContinuum ? centre(Math.min(...xs), Math.max(...xs)) : [0, 2];
    ps.lo = [t0(), c - half];
    ps.hi = [t0() + ps.T, c + half];
    const stable = fps.filter((p) => p.stability === 'stable');
    ps.from = [stable.length > 0 && !a.fixedPointContinuum ? stable[0].x[0] : round(c - 0.5 * half)];
    ps.to = [round(c + 0.5 * half)];
  } else {
    ps.axes = [0, 1];
    // A continuum of roots (f ≡ 0, a ring) says nothing about where to look.
    const pts = a.fixedPointContinuum ? [] : fps.map((p) => p.x);
    let cx = 0;
    let cy = 0;
    let half = 2;
    if (pts.length > 0) {
      const [ax, hx] = centre(Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0])));
      const [ay, hy] = centre(Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1])));
      [cx, cy, half] = [ax, ay, Math.max(hx, hy)];
    }
    ps.lo = [cx - half, cy - half];
    ps.hi = [cx + half, cy + half];
    const stable = a.fixedPointContinuum ? [] : fps.filter((p) => p.stability === 'stable');
    const at = (dx: number, dy: number): number[] => {
      const v = Array(n).fill(0);
      v[0] = round(cx + dx * half);
      v[1] = round(cy + dy * half);
      return v;
    };
    if (stable.length >= 2) {
      ps.from = [...stable[0].x];
      ps.to = [...stable[1].x];
    } else if (stable.length === 1) {
      ps.from = [...stable[0].x];
      ps.to = [...ps.from];
      ps.to[0] = round(ps.from[0] + 0.55 * half);
      ps.to[1] = round(ps.from[1] + 0.35 * half);
    } else {
      ps.from = at(-0.55, 0.15);
      ps.to = at(0.45, 0.6);
    }
  }
  ps.E = undefined;
  if (timeDependent(a) && ps.mode === 'E') ps.mode = 'T';
  tInput.value = String(ps.T);
  tSlider.value = String(tToSlider(ps.T));
  syncModeRows();
  updateHint();
}

function centre(lo: number, hi: number): [number, number] {
  const extent = hi - lo;
  return [(lo + hi) / 2, extent > 1e-9 ? Math.max(0.8 * extent, 0.5) : 2];
}
function round(v: number): number {
  return Number(v.toPrecision(3));
}

/** Controls that depend on the model: E available or not, T range, the view box. */
function setupControls(a: Analysis): void {
  const eRadio = document.querySelector<HTMLInputElement>('input[name="mode"][value="E"]') as HTMLInputElement;
  eRadio.disabled = timeDependent(a);
  $('#mode-E-label').title = timeDependent(a) ? 'The Lagrangian depends on t: energy is not conserved, so there are no fixed-energy paths.' : '';
  if (timeDependent(a) && ps.mode === 'E') {
    ps.mode = 'T';
    syncModeRows();
  }
  if (ps.T > tMax()) ps.T = round(tMax());
  tInput.value = String(ps.T);
  tSlider.value = String(tToSlider(ps.T));
  buildViewControls(a);
  frame();
}

function buildViewControls(a: Analysis): void {
  const box = $('#view-box');
  box.innerHTML = '';
  const n = a.derivation.model.state.length;
  const num = (value: number, label: string, set: (v: number) => void): HTMLInputElement => {
    const input = el('input', { type: 'text', class: 'num', inputmode: 'decimal', 'aria-label': label });
    input.value = fmt(value);
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (Number.isFinite(v)) {
        set(v);
        frameAndField();
      }
    });
    return input;
  };
  if (n >= 2) {
    const [a0, a1] = ps.axes;
    box.append(
      el('div', { class: 'row' }, el('span', { text: `${a.derivation.model.state[a0]} ∈ [` }), num(ps.lo[0], `${a.derivation.model.state[a0]} from`, (v) => (ps.lo[0] = v)), el('span', { text: ',' }), num(ps.hi[0], `${a.derivation.model.state[a0]} to`, (v) => (ps.hi[0] = v)), el('span', { text: ']' })),
      el('div', { class: 'row' }, el('span', { text: `${a.derivation.model.state[a1]} ∈ [` }), num(ps.lo[1], `${a.derivation.model.state[a1]} from`, (v) => (ps.lo[1] = v)), el('span', { text: ',' }), num(ps.hi[1], `${a.derivation.model.state[a1]} to`, (v) => (ps.hi[1] = v)), el('span', { text: ']' })),
    );
    if (n >= 3) {
      const sel = (value: number, label: string, set: (v: number) => void): HTMLSelectElement => {
        const s = el('select', { 'aria-label': label });
        a.derivation.model.state.forEach((name, i) => s.append(el('option', { value: String(i), text: name })));
        s.value = String(value);
        s.addEventListener('change', () => {
          set(Number(s.value));
          if (ps.axes[0] === ps.axes[1]) ps.axes[1] = (ps.axes[0] + 1) % n;
          buildViewControls(a);
          frameAndField();
          updateEnds();
          drawPath();
        });
        return s;
      };
      box.append(el('div', { class: 'row' }, el('span', { text: 'axes' }), sel(a0, 'horizontal axis', (v) => (ps.axes[0] = v)), sel(a1, 'vertical axis', (v) => (ps.axes[1] = v))));
      a.derivation.model.state.forEach((name, i) => {
        if (i === a0 || i === a1) return;
        box.append(el('div', { class: 'row' }, el('span', { text: `slice ${name} =` }), num(ps.slice[i] ?? 0, `${name} on the slice`, (v) => (ps.slice[i] = v))));
      });
    }
    if (a.derivation.model.driftDependsOnTime) {
      box.append(el('div', { class: 'row' }, el('span', { text: 'drift shown at t =' }), num(ps.fieldT, 'time of the drift field', (v) => (ps.fieldT = v))));
    }
  } else {
    box.append(el('div', { class: 'row' }, el('span', { text: `${a.derivation.model.state[0]} ∈ [` }), num(ps.lo[1], 'from', (v) => (ps.lo[1] = v)), el('span', { text: ',' }), num(ps.hi[1], 'to', (v) => (ps.hi[1] = v)), el('span', { text: ']' })));
  }
  const reset = el('button', { type: 'button', class: 'small', text: 'reset view' });
  reset.addEventListener('click', () => {
    if (!analysis) return;
    const keep = { from: ps.from, to: ps.to, T: ps.T, mode: ps.mode };
    defaultView(analysis);
    Object.assign(ps, keep);
    setupControls(analysis);
    requestField();
    updateEnds();
    drawPath();
  });
  box.append(reset);
}

/** Plot frame from the view state (a 1D model's t axis follows T). */
function frame(): void {
  if (!analysis) return;
  const n = analysis.derivation.model.state.length;
  if (n === 1) {
    // A margin on the t axis keeps the end markers inside the frame.
    const span = pathEndTime() - t0();
    ps.lo[0] = t0() - 0.04 * span;
    ps.hi[0] = pathEndTime() + 0.04 * span;
    plot.setFrame([ps.lo[0], ps.lo[1]], [ps.hi[0], ps.hi[1]], ['t', analysis.derivation.model.state[0]]);
    plot.setFixedPoints([]);
  } else {
    const [a, b] = ps.axes;
    plot.setFrame([ps.lo[0], ps.lo[1]], [ps.hi[0], ps.hi[1]], [analysis.derivation.model.state[a], analysis.derivation.model.state[b]]);
    plot.setFixedPoints(n === 2 && !analysis.fixedPointContinuum ? analysis.fixedPoints.map((p) => ({ p: [p.x[a], p.x[b]] as P2, stability: p.stability })) : []);
  }
  updateEnds();
  drawPath();
}

function frameAndField(): void {
  frame();
  requestField();
}

function requestField(): void {
  if (!analysis || analysisError) return;
  const n = analysis.derivation.model.state.length;
  const view: FieldView = {
    axes: n === 1 ? [-1, 0] : [ps.axes[0], ps.axes[1]],
    lo: [ps.lo[0], ps.lo[1]],
    hi: [ps.hi[0], ps.hi[1]],
    t: n === 1 ? t0() : ps.fieldT,
    slice: [...ps.slice],
    nx: n === 1 ? 24 : 21,
    ny: n === 1 ? 18 : 21,
  };
  engine.field(view);
}

function onField(f: FieldData): void {
  field = f;
  plot.setField(f);
  if (ps.E === undefined) {
    ps.E = round(Math.max(f.energyScale, 0) || 1);
    eInput.value = String(ps.E);
  }
  syncESlider();
}

function requestSolve(): void {
  if (!analysis || analysisError || !ps.from || !ps.to) return;
  if (ps.mode === 'E' && ps.E === undefined) ps.E = 1;
  const req: SolveRequest = {
    from: [...ps.from],
    to: [...ps.to],
    ...(ps.mode === 'T' ? { T: ps.T } : { E: ps.E as number }),
    t0: t0(),
    nodes: 200,
  };
  engine.solve(req);
}

function setPathState(state: 'idle' | 'solving' | 'done' | 'error'): void {
  pathResult.dataset.state = state;
  pathPanel.dataset.state = state;
  if (state === 'solving') pathResult.classList.add('busy');
  else pathResult.classList.remove('busy');
}

function showPathError(err: ErrorInfo | undefined): void {
  for (const i of pathPanel.querySelectorAll('.invalid')) i.classList.remove('invalid');
  if (!err) {
    pathErrorEl.hidden = true;
    pathErrorEl.innerHTML = '';
    return;
  }
  const target = err.path ? pathPanel.querySelector<HTMLElement>(`[data-path="${CSS.escape(err.path)}"]`) : null;
  target?.classList.add('invalid');
  pathErrorEl.hidden = false;
  pathErrorEl.innerHTML = `${err.path ? `<strong>${escapeHtml(err.path)}</strong>: ` : ''}${errorHtml(err)}`;
  // Next to the field it is about.
  const row = target?.closest('.row');
  if (row) row.after(pathErrorEl);
}

function onPathError(err: ErrorInfo): void {
  pathError = err;
  setPathState('error');
  showPathError(err);
  if (path && pathGeneration !== generation) {
    // A path of another model says nothing about this one.
    path = undefined;
    pathResult.innerHTML = '';
  }
  pathResult.classList.add('stale-result');
  plot.setPath(path ? plotPoints(path) : undefined, path?.t, true);
}

function plotPoints(p: PathView): P2[] {
  if (!analysis) return [];
  if (analysis.derivation.model.state.length === 1) return p.x.map((x, k) => [p.t[k], x[0]]);
  const [a, b] = ps.axes;
  return p.x.map((x) => [x[a], x[b]]);
}

function drawPath(): void {
  if (path) plot.setPath(plotPoints(path), path.t, pathError !== undefined);
}

function onPath(p: PathView): void {
  // What this path was solved for, for readers and tests.
  pathResult.dataset.from = point(p.request.from);
  pathResult.dataset.to = point(p.request.to);
  pathResult.dataset.problem = p.request.T !== null ? `T=${p.request.T}` : `E=${p.request.E}`;
  path = p;
  pathGeneration = generation;
  pathResult.classList.remove('stale-result');
  pathError = undefined;
  showPathError(undefined);
  if (analysis?.derivation.model.state.length === 1 && ps.mode === 'E' && Math.abs(ps.hi[0] - ps.lo[0] - 1.08 * (pathEndTime() - t0())) > 1e-3 * (ps.hi[0] - ps.lo[0])) frameAndField();
  drawPath();
  setPathState('done');
  renderPathResult(p);
}

function renderPathResult(p: PathView): void {
  pathResult.innerHTML = '';
  const stats = el('div', { class: 'stats' });
  const add = (latex: string, title: string): void => {
    stats.append(el('span', { class: 'stat', title }, texSpan(latex)));
  };
  add(`S = ${fmt(p.action)}`, 'the action of the path (minimised)');
  if (p.infiniteDuration) {
    add('T^{*} = \\infty', `at E = 0 the path takes infinite time at its fixed-point end(s); ${fmt(p.T)} outside distance ${fmt(p.infiniteDuration.within)} of them`);
  } else add(`T${p.request.E !== null ? '^{*}' : ''} = ${fmt(p.T)}`, p.request.E !== null ? 'transit time at this energy' : 'duration');
  add(`E ${p.request.E !== null ? '=' : '\\approx'} ${fmt(p.E)}`, p.request.E !== null ? 'the fixed energy' : 'mean energy along the path');
  stats.append(
    el('span', { class: `stat conv ${p.converged ? 'ok' : 'bad'}`, text: `${p.converged ? 'converged' : 'NOT converged'} (${p.iterations} it., ${p.method}, |∇S| = ${fmt(p.gradientNorm, 2)})` }),
    el('span', { class: 'stat muted', text: `${Math.round(p.ms)} ms` }),
  );
  pathResult.append(stats);
  if (p.quantities.length === 0) {
    pathResult.append(el('p', { class: 'muted', text: 'No exact or quasi symmetry, so no charge to check along this path.' }));
    return;
  }
  const table = el('table', { class: 'charges' });
  table.innerHTML = `<thead><tr><th>charge</th><th>along the path</th><th title="(max − min) over the size of the charge's terms">relative drift</th><th title="observed order of convergence under refinement (M, 2M, 4M)">order</th><th></th></tr></thead>`;
  const body = el('tbody');
  for (const q of p.quantities) {
    const tr = el('tr', { 'data-symbol': q.symbol, 'data-rule': q.rule });
    const sym = el('td');
    tex(sym, q.symbolLatex);
    const spark = el('td', { class: 'spark', title: `from ${fmt(q.values[0], 6)} to ${fmt(q.values[q.values.length - 1], 6)}; min ${fmt(Math.min(...q.values), 6)}, max ${fmt(Math.max(...q.values), 6)}` });
    spark.append(sparkline(q.zeroOnPath ? q.values.map(() => 0) : q.values));
    const zero = q.zeroOnPath;
    tr.append(
      sym,
      spark,
      zero
        ? el('td', { class: 'drift', text: '≡ 0', title: `${q.symbol} vanishes along this path (max |${q.symbol}| = ${fmt(Math.max(...q.values.map(Math.abs)), 2)}, rounding level): a relative drift means nothing here` })
        : el('td', { class: 'drift', text: q.relativeDrift.toExponential(1), title: `relative drift at M, 2M, 4M: ${q.drifts.map((d) => d.toExponential(1)).join(', ')}` }),
      el('td', { class: 'order', text: zero || q.order === null ? '—' : q.order.toFixed(1) }),
      el('td', { class: zero || q.passed ? 'pass' : 'fail', text: zero ? '✓ zero on this path' : q.passed ? '✓ conserved' : '✗ drifts' }),
    );
    body.append(tr);
  }
  table.append(body);
  pathResult.append(table);
  pathResult.append(
    el('p', {
      class: 'muted small',
      text: `Relative drift = (max − min) over the size of the charge's terms; a charge passes when it is at most ${p.request.driftTolerance}. ${
        p.polished
          ? 'The path was polished by shooting: path, action and charges to integrator accuracy.'
          : `Not polished (${p.polishNote}): the discrete path at M = ${p.request.nodes} intervals${p.refinementNote === '' ? ` (order from ${2 * p.request.nodes} and ${4 * p.request.nodes})` : ''}.`
      } The sparklines span ±0.1% of each charge's size, or its whole range if larger.`,
    }),
  );
}

function sparkline(values: number[]): SVGSVGElement {
  const w = 120;
  const h = 22;
  const s = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  s.setAttribute('width', String(w));
  s.setAttribute('height', String(h));
  s.setAttribute('class', 'sparkline');
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return s;
  // Rounding noise stays flat: the vertical range is at least 0.1% of the charge's size.
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const mid = (lo + hi) / 2;
  const size = Math.max(...finite.map(Math.abs));
  const span = Math.max(hi - lo, 2e-3 * size) || 1;
  const d = values
    .map((v, k) => `${k === 0 ? 'M' : 'L'}${((k / (values.length - 1)) * (w - 2) + 1).toFixed(1)},${(h / 2 - ((v - mid) / span) * (h - 4)).toFixed(1)}`)
    .join('');
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', d);
  s.append(p);
  return s;
}

// ------------------------------------------------------------------ start

picker.addEventListener('change', () => {
  const ex = EXAMPLES.find((e) => e.name === picker.value);
  if (!ex) return;
  resetView = true;
  setText(ex.text, 'example');
});

const wanted = new URLSearchParams(location.search).get('example');
const start = EXAMPLES.find((e) => e.name === wanted) ?? EXAMPLES.find((e) => e.name === DEFAULT_EXAMPLE) ?? EXAMPLES[0];
if (start) {
  picker.value = start.name;
  setText(start.text, 'example');
} else setStatus('no examples bundled', 'error');
syncModeRows();
updateHint();

// For tests and the curious: when the first charges were typeset (ms since navigation start).
Object.defineProperty(window, '__noether', { value: { get firstChargesAt() { return firstChargesAt; } } });
