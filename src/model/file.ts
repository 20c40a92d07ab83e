// Reads a model file (Node only): size-checked, with the file named in every message.

import { readFileSync, statSync } from 'node:fs';
import { NoetherError } from '../errors.ts';
import { buildModel } from './build.ts';
import { parseModelText } from './load.ts';
import type { Model, ModelSpec } from './types.ts';

export const MAX_FILE_BYTES = 1 << 20;

/**
 * Reads a model file (YAML or JSON). The spec is checked when a model is built
 * from it (createAnalyzer), with this file named in every message.
 *
 * @example
 * const ou = createAnalyzer(readModelFile('examples/ou2d.yaml'), { file: 'examples/ou2d.yaml' });
 */
export function readModelFile(file: string): ModelSpec {
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
  return parseModelText(text, file);
}

/** Reads and builds the model in a file. */
export function loadModelFile(file: string): Model {
  return buildModel(readModelFile(file), { file });
}
