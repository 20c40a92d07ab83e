// Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna), seeded through
// splitmix32 so that nearby seeds give unrelated streams. 32-bit state words keep
// every operation in exact int32 arithmetic, so a seed gives the same numbers on
// every machine and JavaScript engine.
//
// Independent streams. `new Rng(seed, stream)` starts stream `stream` of `seed`:
// the 128-bit state is derived from the 64-bit key (seed, stream) by a four-round
// Feistel network whose round function is the murmur3 finaliser (fmix32). A
// Feistel network is a bijection, so distinct keys give distinct states; the
// finaliser makes neighbouring keys give unrelated states. Streams start at
// effectively random points of the period 2^128 − 1, so P streams of L draws
// each overlap with probability about P²L/2^128 (below 1e-20 for a million
// streams of 10^12 draws). Simulations assign streams per PATH (path i uses
// stream i of the seed), so their results do not depend on how many workers
// share the paths.
//
// Normal variates: the Marsaglia polar method, using both outputs of each
// accepted pair (the second is returned by the next call). It needs only +, ×,
// ÷, sqrt and log; sqrt is correctly rounded everywhere and V8 computes log with
// its own port of fdlibm, so the numbers are identical on every machine running
// the same Node.js major version.
//
// src/random/source.ts emits the same algorithms as JavaScript source for the
// generated simulation loops (src/simulate); test/random checks that both agree
// bit for bit.

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  /**
   * `new Rng(seed)`: the generator of `seed` (unchanged since the first version:
   * the zero test and the diffusion checks rely on its sequence).
   * `new Rng(seed, stream)`: stream `stream` (an integer in [0, 2^32)) of `seed`.
   */
  constructor(seed: number, stream?: number) {
    if (stream !== undefined) {
      [this.s0, this.s1, this.s2, this.s3] = streamState(seed, stream);
      return;
    }
    let x = seed >>> 0;
    const splitmix = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix();
    this.s1 = splitmix();
    this.s2 = splitmix();
    this.s3 = splitmix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [a, b). */
  between(a: number, b: number): number {
    return a + (b - a) * this.uniform();
  }

  /**
   * Standard normal variate (Marsaglia polar method). Each accepted pair
   * (u, w) uniform on the unit disc, with s = u² + w², gives two independent
   * normals u·√(−2 ln s / s) and w·√(−2 ln s / s): this call returns the first
   * and the next call the second. u and w are 2·uniform() − 1 (53-bit, exact).
   */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let w: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      w = 2 * this.uniform() - 1;
      s = u * u + w * w;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = w * f;
    this.hasSpare = true;
    return u * f;
  }

  /** The four state words (for tests and for handing a stream to generated code). */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}

/** murmur3's 32-bit finaliser: a bijection of [0, 2^32) with full avalanche. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Round keys of the Feistel network (digits of the golden ratio, √2 and √3). */
export const FEISTEL_KEYS: readonly number[] = [0x9e3779b9, 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab];

/**
 * The xoshiro128** state of stream `stream` of `seed` (both taken modulo 2^32).
 * (a, b) = (seed, stream) goes through four Feistel rounds, a ← a ⊕ F(b + k),
 * b ← b ⊕ F(a + k'), with F = fmix32: a bijection of the 64-bit key. The state
 * is (a, b, fmix32(a ⊕ c), fmix32(b + c')), never all zero because (a, b) = 0
 * is mapped to by one key only and then the third word is fmix32(c) ≠ 0.
 */
export function streamState(seed: number, stream: number): [number, number, number, number] {
  let a = seed >>> 0;
  let b = stream >>> 0;
  for (let r = 0; r < 4; r++) {
    a = (a ^ fmix32((b + FEISTEL_KEYS[2 * r]) | 0)) >>> 0;
    b = (b ^ fmix32((a + FEISTEL_KEYS[2 * r + 1]) | 0)) >>> 0;
  }
  const c = fmix32((a ^ 0x243f6a88) >>> 0);
  const d = fmix32((b + 0x85a308d3) | 0);
  return [a, b, c, d];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
