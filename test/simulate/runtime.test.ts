// The runtime functions shipped as source to simulation workers return exactly
// what src/expr/special.ts returns (it is a transcription of it).

import { describe, expect, it } from 'vitest';
import { besselI0e, besselI1e, erf } from '../../src/expr/special.ts';
import { Rng } from '../../src/random/rng.ts';
import { RUNTIME_SOURCE } from '../../src/simulate/runtime.ts';

type Fns = { besselI0e(x: number): number; besselI1e(x: number): number; erf(x: number): number };
const R = new Function(`${RUNTIME_SOURCE}\nreturn R;`)() as Fns;

describe('RUNTIME_SOURCE', () => {
  const rng = new Rng(77);
  const points = [
    0, -0, 1e-300, -1e-12, 2 ** -29, 0.5, 0.84375, 1, 1.25, 2, 1 / 0.35, 5.9, 6, 7.99, 8, 8.01, 27.9, 28, 100, 709, 710, 1e4, 1e300,
    Infinity, -Infinity, NaN,
    ...Array.from({ length: 3000 }, () => rng.between(-40, 40)),
    ...Array.from({ length: 500 }, () => Math.exp(rng.between(-30, 12)) * (rng.uniform() < 0.5 ? -1 : 1)),
  ];
  it.each([
    ['besselI0e', besselI0e],
    ['besselI1e', besselI1e],
    ['erf', erf],
  ] as const)('%s agrees with special.ts to the bit', (name, reference) => {
    for (const x of points) expect(Object.is(R[name](x), reference(x)), `${name}(${x})`).toBe(true);
  });
});
