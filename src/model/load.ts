// Reads the text of a model (YAML or JSON), with syntax errors reported by line
// and column. Reading files is in file.ts (Node only).

import { parseDocument } from 'yaml';
import { NoetherError } from '../errors.ts';
import type { ModelSpec } from './types.ts';

/**
 * Parses a model written in YAML or JSON (JSON is a subset of YAML 1.2, so one
 * parser serves both and reports duplicate keys in either; aliases are capped
 * against "billion laughs"). The result is checked when a model is built from it.
 *
 * @example
 * const spec = parseModelText('name: ou\nstate: [x]\nparams: {k: 1}\ndrift: -k*x\ndiffusion: 0.5\n');
 * analyze(spec).derivation.symmetries.length; // 5
 */
export function parseModelText(text: string, file?: string): ModelSpec {
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  } catch (err) {
    if (err instanceof RangeError) throw new NoetherError('limit', 'the file is nested too deeply to read', { ...(file ? { file } : {}) });
    throw err;
  }
  const first = doc.errors[0];
  if (first && /call stack/i.test(first.message)) {
    throw new NoetherError('limit', 'the file is nested too deeply to read', { ...(file ? { file } : {}) });
  }
  if (first) {
    const line = first.linePos?.[0];
    const detail = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new NoetherError('syntax', `${isJson(file) ? 'JSON' : 'YAML'} syntax error: ${detail}${line ? ` (column ${line.col})` : ''}`, {
      ...(file ? { file } : {}),
      ...(line ? { line: line.line } : {}),
    });
  }
  try {
    // Checked field by field when a model is built from it (buildModel names the field of any mistake).
    return doc.toJS({ maxAliasCount: 100 }) as ModelSpec;
  } catch (err) {
    if (err instanceof RangeError) throw new NoetherError('limit', 'the file is nested too deeply to read', { ...(file ? { file } : {}) });
    throw new NoetherError('syntax', `cannot read the file: ${(err as Error).message}`, { ...(file ? { file } : {}) });
  }
}

function isJson(file?: string): boolean {
  return file !== undefined && file.toLowerCase().endsWith('.json');
}
