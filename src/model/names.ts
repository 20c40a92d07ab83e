// Which names a model may use for its state variables and parameters.

import { CONSTANTS, FUNCTIONS, FUNCTION_ALIASES } from '../expr/expr.ts';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Words that mathjs reads as operators or literals: using them as names would make our output unreadable to mathjs. */
const MATHJS_WORDS = ['mod', 'to', 'in', 'and', 'or', 'not', 'xor', 'true', 'false', 'null', 'undefined', 'Infinity', 'NaN'];

const RESERVED = new Map<string, string>([
  ['t', 'time is always t'],
  ...CONSTANTS.map((c): [string, string] => [c, 'it is a constant']),
  ...[...FUNCTIONS, ...FUNCTION_ALIASES].map((f): [string, string] => [f, 'it is a function']),
  ...MATHJS_WORDS.map((w): [string, string] => [w, 'it is a mathjs keyword']),
]);

/** Why `name` cannot name a state variable or parameter, or undefined if it can. */
export function nameProblem(name: string): string | undefined {
  if (name.length > 64) return 'names are at most 64 characters long';
  if (!IDENTIFIER.test(name)) return 'a name starts with a letter and has only letters, digits and _';
  const reserved = RESERVED.get(name);
  if (reserved) return `'${name}' is reserved: ${reserved}`;
  if (/_d+ot$/.test(name)) return `names ending in _dot are reserved for velocities`;
  if (name.startsWith('p_')) return `names starting with p_ are reserved for momenta`;
  return undefined;
}
