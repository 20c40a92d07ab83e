// The generators of rng.ts as JavaScript SOURCE, for generated simulation loops
// (src/simulate/codegen.ts) that run in worker threads and keep the generator
// state in local variables. Every snippet here must compute exactly what the
// Rng class computes; test/random/source.test.ts checks them bit for bit.
//
// Conventions of the emitted code: the generator state lives in int32 locals
// s0, s1, s2, s3; the polar method's second variate in `spare` with flag
// `hasSpare`; `rq` is a scratch local. The caller declares them (RNG_LOCALS).

import { FEISTEL_KEYS } from './rng.ts';

/** Declarations of the locals the snippets use. */
export const RNG_LOCALS = 'let s0 = 0, s1 = 0, s2 = 0, s3 = 0, rq = 0, spare = 0, hasSpare = false;';

/**
 * Helper functions, once per generated program: fmix32 and streamInit(seed,
 * stream, st), which writes the four state words of stream `stream` (as in
 * streamState of rng.ts) into the Int32Array st.
 */
export const RNG_HELPERS = `
function fmix32(h) {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const FEISTEL_KEYS = [${FEISTEL_KEYS.map((k) => `0x${k.toString(16)}`).join(', ')}];
function streamInit(seed, stream, st) {
  let a = seed >>> 0;
  let b = stream >>> 0;
  for (let r = 0; r < 4; r++) {
    a = (a ^ fmix32((b + FEISTEL_KEYS[2 * r]) | 0)) >>> 0;
    b = (b ^ fmix32((a + FEISTEL_KEYS[2 * r + 1]) | 0)) >>> 0;
  }
  st[0] = a;
  st[1] = b;
  st[2] = fmix32((a ^ 0x243f6a88) >>> 0);
  st[3] = fmix32((b + 0x85a308d3) | 0);
}
`;

/** Loads stream `streamExpr` of `seedExpr` into s0..s3 (via the Int32Array named `stName`) and clears the spare normal. */
export function seedSource(seedExpr: string, streamExpr: string, stName: string): string {
  return `streamInit(${seedExpr}, ${streamExpr}, ${stName}); s0 = ${stName}[0]; s1 = ${stName}[1]; s2 = ${stName}[2]; s3 = ${stName}[3]; hasSpare = false;`;
}

/**
 * `target = nextUint32()` (target: an existing variable). With `signed`, the
 * same 32 bits as an int32 (callers that only shift the bits out with >>> skip
 * the conversion to an unsigned double).
 */
export function nextUint32Source(target: string, signed = false): string {
  return [
    `rq = Math.imul(s1, 5);`,
    `${target} = Math.imul((rq << 7) | (rq >>> 25), 9)${signed ? '' : ' >>> 0'};`,
    `rq = s1 << 9;`,
    `s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= rq;`,
    `s3 = (s3 << 11) | (s3 >>> 21);`,
  ].join(' ');
}

/** `target = 2·uniform() − 1`, exactly as Rng: (27 bits · 2^26 + 26 bits) · 2^−52 − 1. */
function signedUniformSource(target: string): string {
  return `${nextUint32Source('rhi', true)} ${nextUint32Source('rlo', true)} ${target} = ((rhi >>> 5) * 67108864 + (rlo >>> 6)) * 2.220446049250313e-16 - 1;`;
}

/** `target = normal()`: the polar method with the spare variate, as Rng.normal(). */
export function normalSource(target: string): string {
  return `if (hasSpare) { ${target} = spare; hasSpare = false; } else {
  let pu = 0, pw = 0, ps = 0, rhi = 0, rlo = 0;
  do { ${signedUniformSource('pu')} ${signedUniformSource('pw')} ps = pu * pu + pw * pw; } while (ps >= 1 || ps === 0);
  const pf = Math.sqrt((-2 * Math.log(ps)) / ps);
  spare = pw * pf; hasSpare = true; ${target} = pu * pf;
}`;
}

/**
 * A stand-alone function (seed, stream, out) filling `out` with the first
 * out.length normals of the stream, built from the snippets above (for tests:
 * it must equal `new Rng(seed, stream).normal()` repeated).
 */
export function compileNormalStream(): (seed: number, stream: number, out: Float64Array) => void {
  const body = `${RNG_HELPERS}
return function normals(seed, stream, out) {
  ${RNG_LOCALS}
  const st = new Int32Array(4);
  ${seedSource('seed', 'stream', 'st')}
  for (let i = 0; i < out.length; i++) {
    let z = 0;
    ${normalSource('z')}
    out[i] = z;
  }
};`;
  return new Function(body)() as (seed: number, stream: number, out: Float64Array) => void;
}
