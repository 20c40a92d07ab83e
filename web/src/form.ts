// The model as a form: name, state, parameters (with sliders), one drift
// expression per state variable, the noise (D or G; scalar, diagonal or
// matrix) and the time interval. The form is a view of the model file: it is
// filled from the parsed YAML and every edit produces the raw model object,
// which the page writes back into the YAML. Errors appear under the field the
// error's path names, with the column marked for expressions.

import { latexSymbol } from '../../src/index.ts';
import type { ErrorInfo } from './protocol.ts';
import { el, escapeHtml, tex } from './util.ts';

type Shape = 'scalar' | 'diagonal' | 'matrix';
type NoiseField = 'diffusion' | 'noise';

interface FormState {
  name: string;
  description: string;
  state: string;
  params: { name: string; value: string; min: number; max: number }[];
  drift: string[];
  noiseField: NoiseField;
  shape: Shape;
  /** scalar: [[d]]; diagonal: [[d1..dn]]; matrix: the rows. */
  entries: string[][];
  timeOn: boolean;
  time: [string, string];
  /** Fields the form does not edit, passed through (so their errors still show). */
  extra: Record<string, unknown>;
}

const KNOWN = ['name', 'description', 'state', 'params', 'drift', 'diffusion', 'noise', 'time'];
const NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
function numOrString(s: string): number | string {
  return NUMBER.test(s) ? Number(s) : s;
}
function sliderRange(value: string): { min: number; max: number } {
  const v = Number(value);
  if (!Number.isFinite(v) || v === 0) return { min: -1, max: 1 };
  return v > 0 ? { min: 0, max: 3 * v } : { min: 3 * v, max: 0 };
}
export function stateNames(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function fromRaw(raw: Record<string, unknown>): FormState {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!KNOWN.includes(k)) extra[k] = v;
  const noiseField: NoiseField = raw.noise !== undefined && raw.diffusion === undefined ? 'noise' : 'diffusion';
  if (noiseField === 'diffusion' && raw.noise !== undefined) extra.noise = raw.noise;
  const value = raw[noiseField];
  let shape: Shape = 'scalar';
  let entries: string[][] = [[str(value)]];
  if (Array.isArray(value)) {
    if (value.some(Array.isArray)) {
      shape = 'matrix';
      entries = value.map((row) => (Array.isArray(row) ? row.map(str) : [str(row)]));
    } else {
      shape = 'diagonal';
      entries = [value.map(str)];
    }
  }
  const drift = Array.isArray(raw.drift) ? raw.drift.map(str) : raw.drift === undefined ? [] : [str(raw.drift)];
  const names = Array.isArray(raw.state) ? raw.state.map(str) : [];
  while (drift.length < names.length) drift.push('');
  return {
    name: str(raw.name),
    description: str(raw.description),
    state: Array.isArray(raw.state) ? raw.state.map(str).join(', ') : str(raw.state),
    params: isRecord(raw.params) ? Object.entries(raw.params).map(([name, v]) => ({ name, value: str(v), ...sliderRange(str(v)) })) : [],
    drift,
    noiseField,
    shape,
    entries,
    timeOn: Array.isArray(raw.time),
    time: Array.isArray(raw.time) ? [str(raw.time[0]), str(raw.time[1])] : ['0', '1'],
    extra,
  };
}

function toRaw(s: FormState): Record<string, unknown> {
  const raw: Record<string, unknown> = { name: s.name };
  if (s.description.trim() !== '') raw.description = s.description;
  raw.state = stateNames(s.state);
  const params = s.params.filter((p) => p.name.trim() !== '');
  if (params.length > 0) raw.params = Object.fromEntries(params.map((p) => [p.name.trim(), numOrString(p.value)]));
  raw.drift = [...s.drift];
  const entry = (v: string): number | string => numOrString(v);
  raw[s.noiseField] = s.shape === 'scalar' ? entry(s.entries[0]?.[0] ?? '') : s.shape === 'diagonal' ? (s.entries[0] ?? []).map(entry) : s.entries.map((r) => r.map(entry));
  if (s.timeOn) raw.time = s.time.map(numOrString);
  return { ...raw, ...s.extra };
}

export class ModelForm {
  private s: FormState | undefined;
  private readonly fieldset: HTMLFieldSetElement;
  private readonly banner: HTMLElement;
  private readonly general: HTMLElement;
  private readonly body: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly onChange: (raw: Record<string, unknown>) => void,
  ) {
    this.fieldset = el('fieldset', { class: 'form' });
    this.banner = el('div', { class: 'banner', role: 'status' });
    this.banner.hidden = true;
    this.general = el('div', { class: 'general-error', role: 'alert' });
    this.general.hidden = true;
    this.body = el('div');
    this.fieldset.append(this.banner, this.general, this.body);
    root.append(this.fieldset);
  }

  /** Fills the form from a parsed model file; a file that is not a mapping disables it. */
  render(raw: unknown): void {
    if (!isRecord(raw)) {
      this.disable('The model file is not a mapping of fields; edit it in the YAML tab.');
      return;
    }
    // The form edits scalar models; vectors (state {x: n}, array or generated parameters) stay in YAML.
    const vectors = !Array.isArray(raw.state) || raw.state.some((v) => typeof v !== 'string') || (isRecord(raw.params) && Object.values(raw.params).some((v) => typeof v === 'object' && v !== null));
    if (raw.state !== undefined && vectors) {
      this.disable('This model uses vectors or matrices (a state {x: n} or array parameters); edit it in the YAML tab.');
      return;
    }
    this.enable();
    this.s = fromRaw(raw);
    this.build();
  }

  disable(message: string): void {
    this.fieldset.disabled = true;
    this.banner.hidden = false;
    this.banner.textContent = message;
  }

  enable(): void {
    this.fieldset.disabled = false;
    this.banner.hidden = true;
  }

  /** Shows an error under the field its path names (or at the top); undefined clears. */
  showError(err: ErrorInfo | undefined): void {
    for (const e of this.fieldset.querySelectorAll('.field-error')) e.remove();
    for (const e of this.fieldset.querySelectorAll('.invalid')) e.classList.remove('invalid');
    this.general.hidden = true;
    this.general.innerHTML = '';
    if (!err) return;
    const target = this.targetOf(err);
    const box = el('div', { class: 'field-error', role: 'alert' });
    box.innerHTML = errorHtml(err);
    if (target) {
      target.classList.add('invalid');
      const row = target.closest('.row, .section') as HTMLElement | null;
      (row ?? target.parentElement ?? this.general).append(box);
    } else {
      this.general.hidden = false;
      this.general.append(box);
    }
  }

  private targetOf(err: ErrorInfo): HTMLElement | undefined {
    if (err.path === undefined) return undefined;
    let path = err.path;
    for (;;) {
      const sel = (attr: string): HTMLElement | null => this.fieldset.querySelector(`[${attr}="${CSS.escape(path)}"]`);
      const hit = (err.code === 'name' ? sel('data-key-path') : null) ?? sel('data-path');
      if (hit) return hit;
      const shorter = path.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
      if (shorter === path || shorter === '') return undefined;
      path = shorter;
    }
  }

  /** Fits the growing text areas to their content (after the form becomes visible). */
  fit(): void {
    for (const t of this.fieldset.querySelectorAll<HTMLTextAreaElement>('textarea.grow')) autoGrow(t);
  }

  private emit(): void {
    if (this.s) this.onChange(toRaw(this.s));
  }

  // ---------------------------------------------------------------- building

  private build(): void {
    const s = this.s as FormState;
    this.body.innerHTML = '';
    const text = (label: string, path: string, value: string, set: (v: string) => void, attrs: Record<string, string> = {}): HTMLElement => {
      const id = `f-${path}`;
      const input = el('input', { id, type: 'text', 'data-path': path, spellcheck: 'false', autocomplete: 'off', ...attrs });
      input.value = value;
      input.addEventListener('input', () => {
        set(input.value);
        this.emit();
      });
      return el('div', { class: 'row' }, el('label', { for: id, text: label }), input);
    };
    this.body.append(
      text('Name', 'name', s.name, (v) => (s.name = v)),
      text('Description', 'description', s.description, (v) => (s.description = v), { placeholder: 'optional' }),
    );
    const stateRow = text('State', 'state', s.state, (v) => {
      s.state = v;
      this.resizeToState();
    }, { placeholder: 'x, y', title: 'State variable names, separated by commas' });
    stateRow.append(el('small', { class: 'note', text: 'names, comma-separated' }));
    this.body.append(stateRow);

    const params = el('div', { class: 'section', 'data-path': 'params' });
    const drift = el('div', { class: 'section', 'data-path': 'drift' });
    const noise = el('div', { class: 'section', 'data-path': s.noiseField });
    const time = el('div', { class: 'section', 'data-path': 'time' });
    this.body.append(params, drift, noise, time);
    this.buildParams(params);
    this.buildDrift(drift);
    this.buildNoise(noise);
    this.buildTime(time);
  }

  /** After the state list changes: one drift entry per variable, D resized to match. */
  private resizeToState(): void {
    const s = this.s as FormState;
    const n = Math.max(1, stateNames(s.state).length);
    const before = s.drift.length;
    if (s.drift.length < n) while (s.drift.length < n) s.drift.push('0');
    else if (s.drift.length > n) s.drift = s.drift.slice(0, n);
    const first = s.entries[0]?.[0] ?? '1';
    if (s.shape === 'diagonal') {
      const d = s.entries[0] ?? [];
      while (d.length < n) d.push(first);
      s.entries = [d.slice(0, n)];
    } else if (s.shape === 'matrix') {
      const cols = s.noiseField === 'noise' ? Math.max(1, s.entries[0]?.length ?? n) : n;
      s.entries = Array.from({ length: n }, (_, i) => Array.from({ length: cols }, (_, j) => s.entries[i]?.[j] ?? (i === j ? first : '0')));
    }
    const drift = this.body.querySelector('[data-path="drift"]') as HTMLElement;
    this.buildDrift(drift);
    if (s.shape !== 'scalar' || before !== s.drift.length) this.buildNoise(this.body.querySelector('.section.noise') as HTMLElement);
  }

  private buildParams(box: HTMLElement): void {
    const s = this.s as FormState;
    box.innerHTML = '';
    box.append(el('h3', { text: 'Parameters' }));
    s.params.forEach((p, i) => {
      const name = el('input', { type: 'text', class: 'pname', 'data-key-path': `params.${p.name}`, 'aria-label': `name of parameter ${i + 1}`, spellcheck: 'false', autocomplete: 'off' });
      name.value = p.name;
      const value = el('input', { type: 'text', class: 'pvalue', 'data-path': `params.${p.name}`, 'aria-label': `value of ${p.name || `parameter ${i + 1}`}`, inputmode: 'decimal', autocomplete: 'off' });
      value.value = p.value;
      const slider = el('input', { type: 'range', class: 'pslider', 'aria-label': `${p.name} slider`, tabindex: '-1' });
      const setSlider = (): void => {
        const v = Number(p.value);
        if (Number.isFinite(v)) {
          if (v < p.min) p.min = v;
          if (v > p.max) p.max = v;
        }
        slider.min = String(p.min);
        slider.max = String(p.max);
        slider.step = String((p.max - p.min) / 400);
        if (Number.isFinite(v)) slider.value = String(v);
      };
      setSlider();
      name.addEventListener('input', () => {
        p.name = name.value;
        name.dataset.keyPath = `params.${p.name.trim()}`;
        value.dataset.path = `params.${p.name.trim()}`;
        this.emit();
      });
      value.addEventListener('input', () => {
        p.value = value.value;
        setSlider();
        this.emit();
      });
      slider.addEventListener('input', () => {
        p.value = String(Number(Number(slider.value).toPrecision(4)));
        value.value = p.value;
        this.emit();
      });
      const remove = el('button', { type: 'button', class: 'icon', title: `remove ${p.name}`, 'aria-label': `remove parameter ${p.name}`, text: '×' });
      remove.addEventListener('click', () => {
        s.params.splice(i, 1);
        this.buildParams(box);
        this.emit();
      });
      box.append(el('div', { class: 'row param' }, name, el('span', { class: 'eq', text: '=' }), value, slider, remove));
    });
    const add = el('button', { type: 'button', class: 'small', text: '+ parameter' });
    add.addEventListener('click', () => {
      let k = 1;
      while (s.params.some((p) => p.name === `c${k}`)) k++;
      s.params.push({ name: `c${k}`, value: '1', ...sliderRange('1') });
      this.buildParams(box);
      this.emit();
      (box.querySelectorAll('.pname')[s.params.length - 1] as HTMLInputElement | undefined)?.select();
    });
    box.append(add);
  }

  private buildDrift(box: HTMLElement): void {
    const s = this.s as FormState;
    box.innerHTML = '';
    box.append(el('h3', {}, 'Drift ', el('span', { class: 'muted', text: 'f(x, t), one expression per state variable' })));
    const names = stateNames(s.state);
    s.drift.forEach((expr, i) => {
      const nameOf = names[i];
      const label = el('label', { for: `f-drift-${i}`, class: 'math-label' });
      if (nameOf && /^[A-Za-z][A-Za-z0-9_]*$/.test(nameOf)) tex(label, `${latexSymbol(`${nameOf}_dot`)} =`);
      else label.textContent = nameOf ? `d${nameOf}/dt =` : `extra ${i + 1}`;
      // A textarea that grows with its expression: drifts are often longer than a line.
      const input = el('textarea', { id: `f-drift-${i}`, rows: '1', class: 'expr grow', 'data-path': `drift[${i}]`, spellcheck: 'false', autocomplete: 'off' });
      input.value = expr;
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') e.preventDefault();
      });
      input.addEventListener('input', () => {
        if (input.value.includes('\n')) input.value = input.value.replace(/\n/g, ' ');
        s.drift[i] = input.value;
        autoGrow(input);
        this.emit();
      });
      box.append(el('div', { class: 'row' }, label, input));
      requestAnimationFrame(() => autoGrow(input));
    });
  }

  private buildNoise(box: HTMLElement): void {
    const s = this.s as FormState;
    box.className = 'section noise';
    box.dataset.path = s.noiseField;
    box.innerHTML = '';
    const n = Math.max(1, stateNames(s.state).length);
    const field = el('select', { 'aria-label': 'noise given as', class: 'noise-field' });
    field.innerHTML = `<option value="diffusion">diffusion D</option><option value="noise">noise G (D = GGᵀ/2)</option>`;
    field.value = s.noiseField;
    const shape = el('select', { 'aria-label': 'shape', class: 'noise-shape' });
    shape.innerHTML = `<option value="scalar">scalar × I</option><option value="diagonal">diagonal</option><option value="matrix">matrix</option>`;
    shape.value = s.shape;
    box.append(el('h3', {}, 'Noise'), el('div', { class: 'row' }, field, shape));
    field.addEventListener('change', () => {
      s.noiseField = field.value as NoiseField;
      this.buildNoise(box);
      this.emit();
    });
    shape.addEventListener('change', () => {
      const to = shape.value as Shape;
      const first = s.entries[0]?.[0] ?? '1';
      const diag = s.shape === 'scalar' ? Array(n).fill(first) : s.shape === 'diagonal' ? (s.entries[0] ?? []) : s.entries.map((r, i) => r[i] ?? first);
      if (to === 'scalar') s.entries = [[first]];
      else if (to === 'diagonal') s.entries = [Array.from({ length: n }, (_, i) => diag[i] ?? first)];
      else s.entries = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? (diag[i] ?? first) : '0')));
      s.shape = to;
      this.buildNoise(box);
      this.emit();
    });
    const f = s.noiseField;
    const cell = (value: string, path: string, set: (v: string) => void, label: string): HTMLInputElement => {
      const input = el('input', { type: 'text', class: 'expr cell', 'data-path': path, 'aria-label': label, spellcheck: 'false', autocomplete: 'off' });
      input.value = value;
      input.addEventListener('input', () => {
        set(input.value);
        this.emit();
      });
      return input;
    };
    const sym = f === 'diffusion' ? 'D' : 'G';
    if (s.shape === 'scalar') {
      const label = el('label', { class: 'math-label' });
      tex(label, `${sym} =`);
      box.append(el('div', { class: 'row' }, label, cell(s.entries[0]?.[0] ?? '', f, (v) => (s.entries = [[v]]), `${sym} (times the identity)`), el('span', { class: 'muted identity' }, tex(el('span'), '\\cdot I'))));
    } else if (s.shape === 'diagonal') {
      const d = s.entries[0] ?? [];
      const grid = el('div', { class: 'matrix', style: `grid-template-columns: repeat(${d.length}, minmax(0, 1fr))` });
      d.forEach((v, i) => grid.append(cell(v, `${f}[${i}]`, (x) => (d[i] = x), `${sym} diagonal entry ${i + 1}`)));
      const label = el('label', { class: 'math-label' });
      tex(label, `\\operatorname{diag} ${sym} =`);
      box.append(el('div', { class: 'row' }, label, grid));
    } else {
      const cols = s.entries[0]?.length ?? n;
      const grid = el('div', { class: 'matrix', style: `grid-template-columns: repeat(${cols}, minmax(0, 1fr))` });
      s.entries.forEach((row, i) => row.forEach((v, j) => grid.append(cell(v, `${f}[${i}][${j}]`, (x) => (row[j] = x), `${sym} row ${i + 1} column ${j + 1}`))));
      const label = el('label', { class: 'math-label' });
      tex(label, `${sym} =`);
      const row = el('div', { class: 'row' }, label, grid);
      box.append(row);
      if (f === 'noise') {
        const m = el('input', { type: 'number', min: '1', max: '16', class: 'cols', 'aria-label': 'columns of G' });
        m.value = String(cols);
        m.addEventListener('change', () => {
          const c = Math.max(1, Math.min(16, Math.round(Number(m.value)) || 1));
          s.entries = s.entries.map((r, i) => Array.from({ length: c }, (_, j) => r[j] ?? (i === j ? '1' : '0')));
          this.buildNoise(box);
          this.emit();
        });
        box.append(el('div', { class: 'row' }, el('span', { class: 'muted', text: 'columns (noise sources)' }), m));
      }
    }
  }

  private buildTime(box: HTMLElement): void {
    const s = this.s as FormState;
    box.innerHTML = '';
    const on = el('input', { type: 'checkbox', id: 'f-time-on' });
    on.checked = s.timeOn;
    const a = el('input', { type: 'text', class: 'num', 'data-path': 'time', 'aria-label': 'start of the time interval', inputmode: 'decimal' });
    const b = el('input', { type: 'text', class: 'num', 'aria-label': 'end of the time interval', inputmode: 'decimal' });
    a.value = s.time[0];
    b.value = s.time[1];
    const sync = (): void => {
      a.disabled = b.disabled = !s.timeOn;
    };
    sync();
    on.addEventListener('change', () => {
      s.timeOn = on.checked;
      sync();
      this.emit();
    });
    a.addEventListener('input', () => {
      s.time[0] = a.value;
      this.emit();
    });
    b.addEventListener('input', () => {
      s.time[1] = b.value;
      this.emit();
    });
    box.append(
      el('h3', { text: 'Time interval' }),
      el('div', { class: 'row' }, el('label', { for: 'f-time-on', class: 'check' }, on, ' defined on t ∈'), el('span', { text: '[' }), a, el('span', { text: ',' }), b, el('span', { text: ']' })),
    );
  }
}

function autoGrow(t: HTMLTextAreaElement): void {
  if (t.offsetParent === null) return;
  t.style.height = 'auto';
  t.style.height = `${t.scrollHeight + 2}px`;
}

/** The message, with the expression shown and the column marked. */
export function errorHtml(err: ErrorInfo): string {
  let html = `<span class="msg">${escapeHtml(err.detail)}</span>`;
  if (err.expression !== undefined) {
    const e = err.expression;
    const c = err.column !== undefined ? Math.max(0, Math.min(err.column - 1, e.length)) : -1;
    const shown =
      c < 0
        ? escapeHtml(e)
        : `${escapeHtml(e.slice(0, c))}<mark>${c < e.length ? escapeHtml(e[c]) : '&nbsp;'}</mark>${escapeHtml(e.slice(c + 1))}`;
    html += `<code class="expr-snippet">${shown}</code>`;
    if (err.column !== undefined) html += `<span class="col">column ${err.column}</span>`;
  }
  return html;
}
