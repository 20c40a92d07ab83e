// Where an error points in the model file: from NoetherError's field path
// (drift[1], params.k, diffusion[0][1]) and expression column to a range of the
// YAML text, using the YAML parser's source ranges.

import { type Node, isMap, isNode, isPair, isScalar, parseDocument } from 'yaml';
import type { ErrorInfo } from './protocol.ts';

export interface SourceRange {
  readonly start: number;
  readonly end: number;
  /** 1-based line and column of start. */
  readonly line: number;
  readonly column: number;
}

/** `drift[1]` → ['drift', 1]; `params.k` → ['params', 'k']; `dx.$a` → ['dx', '$a']. */
export function pathSegments(path: string): (string | number)[] {
  const segs: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  for (const m of path.matchAll(re)) segs.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return segs;
}

export function lineStart(text: string, line: number): number {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}

export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function range(text: string, start: number, end: number): SourceRange {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { start: s, end: e, ...positionOf(text, s) };
}

/** Key (for unknown fields and bad names) or value node of a path, as deep as it exists. */
function findNode(text: string, segs: (string | number)[], preferKey: boolean): Node | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  let node: unknown = doc.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const last = i === segs.length - 1;
      if (last && preferKey && isNode(pair.key)) return pair.key;
      node = pair.value;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items) && typeof seg === 'number') {
      node = (node as { items: unknown[] }).items[seg];
    } else break;
    if (isNode(node)) found = node;
    else break;
  }
  return found;
}

export function locate(text: string, err: ErrorInfo): SourceRange | undefined {
  if (err.line !== undefined) {
    const start = lineStart(text, err.line);
    const col = /\(column (\d+)\)/.exec(err.detail);
    const nl = text.indexOf('\n', start);
    const lineEnd = nl < 0 ? text.length : nl;
    if (col) {
      const s = start + Number(col[1]) - 1;
      return range(text, s, Math.min(s + 1, lineEnd));
    }
    return range(text, start, lineEnd);
  }
  if (err.path === undefined || err.path === '') return undefined;
  let node: Node | undefined;
  try {
    const preferKey = /^unknown field/.test(err.detail) || (err.code === 'name' && err.path.startsWith('params.'));
    node = findNode(text, pathSegments(err.path), preferKey);
  } catch {
    return undefined;
  }
  const r = node?.range;
  if (!r) return undefined;
  const [start, valueEnd] = r;
  if (err.expression !== undefined && err.column !== undefined) {
    const idx = text.slice(start, valueEnd).indexOf(err.expression);
    if (idx >= 0) {
      const s = start + idx + err.column - 1;
      return range(text, s, Math.min(s + 1, start + idx + err.expression.length));
    }
  }
  return range(text, start, valueEnd);
}
