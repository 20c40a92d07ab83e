// Argument parsing on node:util parseArgs, with errors as UsageError.

import { parseArgs } from 'node:util';
import type { Model } from '../model/types.ts';
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

/** A number option checked by `ok` (what: the expectation, for the message). */
export function number(name: string, text: string, ok: (x: number) => boolean, what: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new UsageError(`--${name} must be ${what}; got '${text}'`);
  return x;
}

export function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (!Number.isInteger(x) || x < 2 || x > 1_000_000) throw new UsageError(`--${name} must be an integer from 2 to 1000000; got '${text}'`);
  return x;
}

/** {"x": 0.8, "y": -0.4} or [0.8, -0.4] → numbers in state order. */
export function statePoint(option: string, text: string, model: Model): number[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${option} is not valid JSON: ${(err as Error).message}`);
  }
  const s = model.state;
  const check = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`--${option}: ${name} must be a finite number; got ${JSON.stringify(v)}`);
    return v;
  };
  if (Array.isArray(raw)) {
    if (raw.length !== s.length) throw new UsageError(`--${option} needs ${s.length} numbers (state: ${s.join(', ')}); got ${raw.length}`);
    return raw.map((v, i) => check(v, s[i]));
  }
  if (typeof raw !== 'object' || raw === null) throw new UsageError(`--${option} must be an object such as {"${s[0]}": 0}`);
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!s.includes(k)) throw new UsageError(`--${option}: '${k}' is not a state variable (state: ${s.join(', ')})`);
  return s.map((name) => {
    if (!Object.hasOwn(obj, name)) throw new UsageError(`--${option}: missing ${name}`);
    return check(obj[name], name);
  });
}
