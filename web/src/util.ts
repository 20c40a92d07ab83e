// Small helpers shared by the page's modules.
import katex from 'katex';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Typesets LaTeX into el; a formula KaTeX cannot typeset is shown as source, never thrown. */
export function tex(el: HTMLElement, latex: string, display = false): HTMLElement {
  katex.render(latex, el, { throwOnError: false, displayMode: display, output: 'html', strict: 'ignore', maxSize: 20, maxExpand: 200 });
  return el;
}

export function texSpan(latex: string, display = false, cls = 'math'): HTMLElement {
  const el = document.createElement(display ? 'div' : 'span');
  el.className = cls;
  return tex(el, latex, display);
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** A number for display: 4 significant digits, exponent for very large or small. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(Math.max(0, digits - 2)).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: A | undefined;
  const d = (...args: A): void => {
    last = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...(last as A));
    }, ms);
  };
  d.flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
      fn(...(last as A));
    }
  };
  d.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return d;
}
