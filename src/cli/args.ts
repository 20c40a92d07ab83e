// Argument parsing on node:util parseArgs, with errors as UsageError.

import { parseArgs } from 'node:util';
import { UsageError } from './io.ts';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; default?: string | boolean };

export function parse<O extends Record<string, OptionSpec>>(
  args: string[],
  options: O,
  positionals: { min: number; max: number; names: string },
): { values: { [K in keyof O]: O[K]['type'] extends 'string' ? string | undefined : boolean | undefined }; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (n > positionals.max) throw new UsageError(`unexpected argument '${parsed.positionals[positionals.max]}'`);
  return parsed as never;
}

/** Checks that a string option is one of `choices`. */
export function choice<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got '${value}'`);
  }
  return value as T;
}
