// Reads a model file (YAML or JSON) and builds the Model, with syntax errors
// reported by line and column.

import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { NoetherError } from '../errors.ts';
import { buildModel } from './build.ts';
import type { Model } from './types.ts';

export const MAX_FILE_BYTES = 1 << 20;

export function loadModelFile(file: string): Model {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) throw new NoetherError('limit', `file is ${size} bytes; model files are at most ${MAX_FILE_BYTES} bytes`, { file });
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof NoetherError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : (err as Error).message;
    throw new NoetherError('file', `cannot read the model: ${why}`, { file });
  }
  return buildModel(parseModelText(text, file), { file });
}

/**
 * Parses YAML (JSON is a subset of YAML 1.2, so one parser serves both and
 * reports duplicate keys in either). Aliases are capped against "billion laughs".
 */
export function parseModelText(text: string, file?: string): unknown {
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
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof RangeError) throw new NoetherError('limit', 'the file is nested too deeply to read', { ...(file ? { file } : {}) });
    throw new NoetherError('syntax', `cannot read the file: ${(err as Error).message}`, { ...(file ? { file } : {}) });
  }
}

function isJson(file?: string): boolean {
  return file !== undefined && file.toLowerCase().endsWith('.json');
}
