// A plain textarea for the model file, with line numbers, light YAML colouring
// and the error range marked — the textarea's own text is transparent and a
// backdrop with identical metrics draws the colours and the marks behind it.

import { type SourceRange, locate } from './locate.ts';
import type { ErrorInfo } from './protocol.ts';
import { escapeHtml } from './util.ts';

export class YamlEditor {
  readonly textarea: HTMLTextAreaElement;
  private readonly backdrop: HTMLElement;
  private readonly gutter: HTMLElement;
  private readonly message: HTMLElement;
  private mark: SourceRange | undefined;

  constructor(root: HTMLElement, onInput: (text: string) => void) {
    root.innerHTML = `
      <p class="hint">The model file (the same YAML the <code>noether</code> CLI reads). Edits update everything live.</p>
      <div class="code">
        <div class="gutter" aria-hidden="true"></div>
        <div class="code-area">
          <pre class="backdrop" aria-hidden="true"></pre>
          <textarea id="yaml" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off" aria-label="Model file (YAML)"></textarea>
        </div>
      </div>
      <div class="yaml-error" role="alert" hidden></div>`;
    this.textarea = root.querySelector('textarea') as HTMLTextAreaElement;
    this.backdrop = root.querySelector('.backdrop') as HTMLElement;
    this.gutter = root.querySelector('.gutter') as HTMLElement;
    this.message = root.querySelector('.yaml-error') as HTMLElement;
    this.textarea.addEventListener('input', () => {
      this.mark = undefined;
      this.paint();
      onInput(this.textarea.value);
    });
    this.textarea.addEventListener('scroll', () => this.syncScroll());
    this.textarea.addEventListener('keydown', (e) => {
      // Tab inserts two spaces (YAML has no tabs); Escape leaves the field for keyboard users.
      if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        const { selectionStart: s, selectionEnd: t, value } = this.textarea;
        this.textarea.value = value.slice(0, s) + '  ' + value.slice(t);
        this.textarea.selectionStart = this.textarea.selectionEnd = s + 2;
        this.textarea.dispatchEvent(new Event('input'));
      }
    });
  }

  get text(): string {
    return this.textarea.value;
  }

  /** Replaces the text (from the form or an example), keeping the scroll position. */
  setText(text: string): void {
    if (text === this.textarea.value) return;
    const top = this.textarea.scrollTop;
    this.textarea.value = text;
    this.textarea.scrollTop = top;
    this.paint();
  }

  /** Marks the error in the text and explains it below; undefined clears. */
  showError(err: ErrorInfo | undefined, heading?: string): SourceRange | undefined {
    this.mark = err ? locate(this.textarea.value, err) : undefined;
    this.paint();
    if (!err) {
      this.message.hidden = true;
      this.message.textContent = '';
      return undefined;
    }
    const where = [this.mark ? `line ${this.mark.line}, column ${this.mark.column}` : undefined, err.path].filter(Boolean).join(' · ');
    this.message.hidden = false;
    this.message.innerHTML = `<strong>${escapeHtml(heading ?? 'Error')}</strong>${where ? ` <span class="where">${escapeHtml(where)}</span>` : ''}<div>${escapeHtml(err.detail)}</div>`;
    return this.mark;
  }

  private paint(): void {
    const text = this.textarea.value;
    const lines = text.split('\n');
    const markLine = this.mark?.line;
    this.gutter.innerHTML = lines.map((_, i) => `<div${i + 1 === markLine ? ' class="bad"' : ''}>${i + 1}</div>`).join('');
    let html: string;
    if (this.mark) {
      const { start, end } = this.mark;
      const inner = end > start ? colour(text.slice(start, end)) : '';
      html = `${colour(text.slice(0, start))}<mark class="${end > start ? 'err' : 'err at'}">${inner}</mark>${colour(text.slice(end))}`;
    } else html = colour(text);
    // A trailing newline needs a line of its own in the backdrop to keep heights equal.
    this.backdrop.innerHTML = `${html}\n `;
    this.syncScroll();
  }

  private syncScroll(): void {
    this.backdrop.scrollTop = this.textarea.scrollTop;
    this.backdrop.scrollLeft = this.textarea.scrollLeft;
    this.gutter.scrollTop = this.textarea.scrollTop;
  }
}

/** Comments, keys, quoted strings and numbers, line by line (enough for model files). */
function colour(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let comment = '';
      let body = line;
      let quote: string | null = null;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
          if (c === quote) quote = null;
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
          body = line.slice(0, i);
          comment = line.slice(i);
          break;
        }
      }
      const key = /^(\s*(?:-\s+)?)([A-Za-z_$*][\w$*-]*)(\s*:)(?=\s|$)/.exec(body);
      let out = '';
      let rest = body;
      if (key) {
        out = `${escapeHtml(key[1])}<span class="tk-key">${escapeHtml(key[2])}</span>${escapeHtml(key[3])}`;
        rest = body.slice(key[0].length);
      }
      out += rest.replace(/("(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)|(-?\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b)|([^"'\d-]+|.)/g, (_m, str, num, other) => {
        if (str !== undefined) return `<span class="tk-str">${escapeHtml(str)}</span>`;
        if (num !== undefined) return `<span class="tk-num">${escapeHtml(num)}</span>`;
        return escapeHtml(other);
      });
      return out + (comment ? `<span class="tk-comment">${escapeHtml(comment)}</span>` : '');
    })
    .join('\n');
}
