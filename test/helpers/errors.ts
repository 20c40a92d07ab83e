// The NoetherError a call throws (fails the test if it throws nothing or something else).
import { NoetherError } from '../../src/errors.ts';

export function noetherErrorOf(f: () => unknown): NoetherError {
  try {
    f();
  } catch (err) {
    if (err instanceof NoetherError) return err;
    throw err;
  }
  throw new Error('expected a NoetherError');
}
