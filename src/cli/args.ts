// Argument parsing on node:util parseArgs; mistakes are NoetherErrors with code 'usage'.

import { parseArgs } from 'node:util';
import { NoetherError } from '../errors.ts';

export function usageError(detail: string): NoetherError {
  return new NoetherError('usage', detail);
}

/** `multiple`: the option may be repeated, and its value is the list of what was given. */
type OptionSpec = { type: 'string' | 'boolean'; short?: string; default?: string | boolean; multiple?: boolean };
type Value<S extends OptionSpec> = S extends { multiple: true } ? string[] | undefined : S['type'] extends 'string' ? string | undefined : boolean | undefined;

export function parse<O extends Record<string, OptionSpec>>(
  args: string[],
  options: O,
  positionals: { min: number; max: number; names: string },
): { values: { [K in keyof O]: Value<O[K]> }; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw usageError(`missing ${positionals.names}`);
  if (n > positionals.max) throw usageError(`unexpected argument '${parsed.positionals[positionals.max]}'`);
  return parsed as never;
}

/**
 * `--E -0.5` as `--E=-0.5`: parseArgs reads a value starting with '-' as an
 * option, but a negative number after an option that takes a value is that value.
 */
function joinNegativeValues(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const next = args[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d|inf|Inf)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Checks that a string option is one of `choices`. */
export function choice<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw usageError(`--${name} must be one of ${choices.join(', ')}; got '${value}'`);
  }
  return value as T;
}

/** A number option checked by `ok` (what: the expectation, for the message). */
export function number(name: string, text: string, ok: (x: number) => boolean, what: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !ok(x)) throw usageError(`--${name} must be ${what}; got '${text}'`);
  return x;
}

/** An integer option from lo to hi. */
export function integer(name: string, text: string, lo: number, hi: number): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isInteger(x) || x < lo || x > hi) throw usageError(`--${name} must be an integer from ${lo} to ${hi}; got '${text}'`);
  return x;
}

/** A number option (its range is checked by the library, which names the field). */
export function numeric(name: string, text: string): number {
  return number(name, text, () => true, 'a finite number');
}

/**
 * A JSON option, e.g. --from '{"x": 0.8}', as the request field it fills: the
 * library checks the content at run time and names the field when it is wrong.
 */
export function json<T>(name: string, text: string): T {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(`--${name} is not valid JSON: ${(err as Error).message}`);
  }
}

/** A shard "k/K" (1 ≤ k ≤ K is checked by the library) → {index: k, count: K}. */
export function shard(name: string, text: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw usageError(`--${name} expects k/K, e.g. 3/16; got '${text}'`);
  return { index: Number(m[1]), count: Number(m[2]) };
}
