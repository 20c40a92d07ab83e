// Reads a model file (Node only): size-checked, with the file named in every message.

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
  return withArrayFiles(parseModelText(text, file), file);
}

/** Largest data file (CSV or .npy) a parameter may name. */
export const MAX_DATA_BYTES = 16 << 20;

/**
 * Parameters given as `{file: W.csv}` or `{file: W.npy}` (paths relative to the
 * model file) become inline vectors and matrices: a CSV with one row or one column
 * is a vector, else a matrix (commas or whitespace between numbers; # comments); a
 * .npy holds a 1-D or 2-D array of float64, float32 or int32/int64, C order.
 */
function withArrayFiles(spec: ModelSpec, file: string): ModelSpec {
  const params = spec.params as Record<string, unknown> | undefined;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return spec;
  const entries = Object.entries(params);
  if (!entries.some(([, v]) => isFileRef(v))) return spec;
  const resolved: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, v] of entries) {
    if (!isFileRef(v)) {
      resolved[name] = v;
      continue;
    }
    const path = `params.${name}`;
    const extra = Object.keys(v).find((k) => k !== 'file');
    if (extra) throw new NoetherError('schema', `unknown field '${extra}' next to file`, { file, path: `${path}.${extra}` });
    if (typeof v.file !== 'string' || v.file.trim() === '') throw new NoetherError('schema', 'expected a file name, e.g. {file: W.csv}', { file, path: `${path}.file` });
    const data = resolve(dirname(file), v.file);
    let bytes: Buffer;
    try {
      const size = statSync(data).size;
      if (size > MAX_DATA_BYTES) throw new NoetherError('limit', `${v.file} is ${size} bytes; data files are at most ${MAX_DATA_BYTES}`, { file, path });
      bytes = readFileSync(data);
    } catch (err) {
      if (err instanceof NoetherError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new NoetherError('file', `cannot read ${v.file} (${data}): ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { file, path });
    }
    try {
      resolved[name] = data.toLowerCase().endsWith('.npy') ? readNpy(bytes) : readCsv(bytes.toString('utf8'));
    } catch (err) {
      if (err instanceof DataError) throw new NoetherError('schema', `${v.file}: ${err.message}`, { file, path });
      throw err;
    }
  }
  return { ...spec, params: resolved as ModelSpec['params'] };
}

function isFileRef(v: unknown): v is Record<string, unknown> & { file: unknown } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'file' in v;
}

class DataError extends Error {}

function readCsv(text: string): number[] | number[][] {
  const rows: number[][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    rows.push(
      line.split(/\s*,\s*|\s+/).map((cell, j) => {
        const x = Number(cell);
        if (cell === '' || !Number.isFinite(x)) throw new DataError(`line ${i + 1}, column ${j + 1}: '${cell}' is not a finite number`);
        return x;
      }),
    );
  });
  if (rows.length === 0) throw new DataError('no numbers in the file');
  if (rows.length === 1) return rows[0];
  if (rows.every((r) => r.length === 1)) return rows.map((r) => r[0]);
  const cols = rows[0].length;
  const ragged = rows.findIndex((r) => r.length !== cols);
  if (ragged >= 0) throw new DataError(`row ${ragged + 1} has ${rows[ragged].length} numbers, row 1 has ${cols}`);
  return rows;
}

/** NumPy .npy (format versions 1–3): a little-endian float64/float32/int32/int64 array of 1 or 2 dimensions, C order. */
function readNpy(bytes: Buffer): number[] | number[][] {
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new DataError('not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1].split(',').map((d) => d.trim()).filter((d) => d !== '').map(Number);
  const types: Record<string, [number, (b: Buffer, o: number) => number]> = {
    '<f8': [8, (b, o) => b.readDoubleLE(o)],
    '<f4': [4, (b, o) => b.readFloatLE(o)],
    '<i4': [4, (b, o) => b.readInt32LE(o)],
    '<i8': [8, (b, o) => Number(b.readBigInt64LE(o))],
  };
  const type = descr === undefined ? undefined : types[descr];
  if (!type) throw new DataError(`dtype ${descr ?? '?'} is not supported (float64, float32, int32 or int64, little-endian)`);
  if (fortran) throw new DataError('Fortran-order arrays are not supported; save with np.save in C order');
  if (!shape || shape.length < 1 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d >= 1)) throw new DataError(`shape (${shape?.join(', ') ?? '?'}) is not a vector or a matrix`);
  const [size, read] = type;
  const count = shape.reduce((a, b) => a * b, 1);
  const data = start + headerLength;
  if (bytes.length < data + count * size) throw new DataError(`the file ends before its ${count} numbers`);
  const values = Array.from({ length: count }, (_, k) => read(bytes, data + k * size));
  if (!values.every(Number.isFinite)) throw new DataError('the array holds NaN or infinite values');
  return shape.length === 1 ? values : Array.from({ length: shape[0] }, (_, i) => values.slice(i * shape[1], (i + 1) * shape[1]));
}

/** Reads and builds the model in a file. */
export function loadModelFile(file: string): Model {
  return buildModel(readModelFile(file), { file });
}
