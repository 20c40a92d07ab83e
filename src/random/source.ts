// The generators of rng.ts as JavaScript SOURCE, for generated simulation loops
// (src/simulate/codegen.ts) that run in worker threads and keep the generator
// state in local variables. Every snippet here must compute exactly what the
// Rng class computes; test/random/source.test.ts checks them bit for bit.
//
// Conventions of the emitted code: the generator state lives in int32 locals
// s0, s1, s2, s3; `rq` is a scratch local; zigX, zigF, zigW are the ziggurat's
// tables. The caller declares them (RNG_LOCALS) after the helpers (rngHelpers()).

import { FEISTEL_KEYS, ziggurat } from './rng.ts';

/**
 * Declarations of the locals the snippets use. The tables are aliased in locals:
 * V8 loads a local's elements faster than an enclosing constant's.
 */
export const RNG_LOCALS = 'let s0 = 0, s1 = 0, s2 = 0, s3 = 0, rq = 0; const zigX = ZIG_X, zigF = ZIG_F, zigW = ZIG_W;';

/** fmix32 and streamInit (see rngHelpers). */
const STREAM_HELPERS = `
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

/**
 * Helpers, once per generated program: fmix32, streamInit(seed, stream, st),
 * which writes the four state words of stream `stream` (as in streamState of
 * rng.ts) into the Int32Array st, and the ziggurat's tables (the values of
 * ziggurat(), written so that they parse back to the same doubles).
 */
export function rngHelpers(): string {
  const { x, f } = ziggurat();
  return `${STREAM_HELPERS}
const ZIG_X = new Float64Array([${x.join(', ')}]);
const ZIG_F = new Float64Array([${f.join(', ')}]);
const ZIG_W = ZIG_X.map((x) => x * 2 ** -53);
`;
}

/** Loads stream `streamExpr` of `seedExpr` into s0..s3 (via the Int32Array named `stName`). */
export function seedSource(seedExpr: string, streamExpr: string, stName: string): string {
  return `streamInit(${seedExpr}, ${streamExpr}, ${stName}); s0 = ${stName}[0]; s1 = ${stName}[1]; s2 = ${stName}[2]; s3 = ${stName}[3];`;
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

/** `target = uniform()`, exactly as Rng: (27 bits · 2^26 + 26 bits) / 2^53 (scratch int32 locals zc, zd). */
function uniformSource(target: string): string {
  return `${nextUint32Source('zc', true)} ${nextUint32Source('zd', true)} ${target} = ((zc >>> 5) * 67108864 + (zd >>> 6)) / 9007199254740992;`;
}

/**
 * `target = zigguratNormal()`, as Rng.zigguratNormal() (see there): layer from the
 * low 8 bits of the first draw, sign from bit 8, a 53-bit abscissa from its other
 * 23 bits and the top 30 of the second; the tail and the wedges inline (1.5% of
 * calls), so that no call leaves the loop. The sign multiplies (a branch on a
 * random bit would be mispredicted half the time: 2D OU took 20 ns a step, not 15).
 */
export function normalSource(target: string): string {
  const r = ziggurat().r;
  return `{
  let za = 0, zb = 0, zi = 0, zv = 0;
  for (;;) {
    ${nextUint32Source('za', true)}
    ${nextUint32Source('zb', true)}
    zi = za & 255;
    zv = ((za >>> 9) * 1073741824 + (zb >>> 2)) * zigW[zi];
    if (zv < zigX[zi + 1]) break;
    let zc = 0, zd = 0, zu = 0, ze = 0;
    if (zi === 0) {
      do { ${uniformSource('zu')} ${uniformSource('ze')} zu = -Math.log(1 - zu) / ${r}; ze = -Math.log(1 - ze); } while (ze + ze < zu * zu);
      zv = ${r} + zu;
      break;
    }
    ${uniformSource('zu')}
    if (zigF[zi] + zu * (zigF[zi + 1] - zigF[zi]) < Math.exp(-0.5 * zv * zv)) break;
  }
  ${target} = zv * (1 - ((za >>> 7) & 2));
}`;
}

/**
 * A stand-alone function (seed, stream, out) filling `out` with the first
 * out.length normals of the stream, built from the snippets above (for tests:
 * it must equal `new Rng(seed, stream).zigguratNormal()` repeated).
 */
export function compileNormalStream(): (seed: number, stream: number, out: Float64Array) => void {
  const body = `${rngHelpers()}
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
