// The generator as emitted source (for generated simulation loops) computes
// exactly what the Rng class computes.

import { describe, expect, it } from 'vitest';
import { Rng, ziggurat } from '../../src/random/rng.ts';
import { RNG_LOCALS, compileNormalStream, nextUint32Source, rngHelpers, seedSource } from '../../src/random/source.ts';

describe('random source snippets', () => {
  const normals = compileNormalStream();
  const sameAsRng = (seed: number, stream: number, count: number): Float64Array => {
    const out = new Float64Array(count);
    normals(seed, stream, out);
    const r = new Rng(seed, stream);
    for (let i = 0; i < out.length; i++) {
      const z = r.zigguratNormal();
      if (!Object.is(out[i], z)) expect(out[i], `normal ${i} of stream ${stream} of seed ${seed}`).toBe(z);
    }
    return out;
  };

  it('normals from the emitted source equal Rng.zigguratNormal() bit for bit', () => {
    for (const [seed, stream] of [[0, 0], [1, 0], [1, 1], [99, 123456], [0xffffffff, 0xfffffffe]]) sameAsRng(seed, stream, 5001);
  });

  it('… also through the tail and the wedges (a long stream)', () => {
    const out = sameAsRng(2025, 9, 400_000);
    // |z| ≥ r only comes from the tail (every layer above the base is at most r wide).
    const tail = out.filter((z) => Math.abs(z) >= ziggurat().r).length;
    // 2·P(Z > r) = 2.6e-4: about 100 of 400 000.
    expect(tail).toBeGreaterThan(50);
  });

  it('the emitted tables parse back to the same doubles', () => {
    const [x, f, w] = new Function(`${rngHelpers()} return [ZIG_X, ZIG_F, ZIG_W];`)() as Float64Array[];
    const z = ziggurat();
    expect(x).toEqual(z.x);
    expect(f).toEqual(z.f);
    expect(w).toEqual(z.w);
  });

  it('raw 32-bit outputs from the emitted source equal Rng.nextUint32()', () => {
    const body = `${rngHelpers()}
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
