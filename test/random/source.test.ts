// The generator as emitted source (for generated simulation loops) computes
// exactly what the Rng class computes.

import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.ts';
import { RNG_HELPERS, RNG_LOCALS, compileNormalStream, nextUint32Source, seedSource } from '../../src/random/source.ts';

describe('random source snippets', () => {
  it('normals from the emitted source equal Rng.normal() bit for bit', () => {
    const normals = compileNormalStream();
    for (const [seed, stream] of [[0, 0], [1, 0], [1, 1], [99, 123456], [0xffffffff, 0xfffffffe]]) {
      const out = new Float64Array(5001);
      normals(seed, stream, out);
      const r = new Rng(seed, stream);
      for (let i = 0; i < out.length; i++) expect(out[i]).toBe(r.normal());
    }
  });

  it('raw 32-bit outputs from the emitted source equal Rng.nextUint32()', () => {
    const body = `${RNG_HELPERS}
      return function bits(seed, stream, out) {
        ${RNG_LOCALS}
        const st = new Int32Array(4);
        ${seedSource('seed', 'stream', 'st')}
        for (let i = 0; i < out.length; i++) { let b = 0; ${nextUint32Source('b')} out[i] = b; }
      };`;
    const bits = new Function(body)() as (seed: number, stream: number, out: Float64Array) => void;
    const out = new Float64Array(1000);
    bits(31337, 17, out);
    const r = new Rng(31337, 17);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(r.nextUint32());
  });
});
