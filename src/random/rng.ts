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
// Normal variates, two methods:
//   - normal(): the Marsaglia polar method, using both outputs of each accepted
//     pair (the second is returned by the next call). It draws the entries of
//     {random: normal} model parameters (src/model/vectors.ts), so it stays as it
//     is: a model file must keep meaning the same matrix.
//   - zigguratNormal(): the ziggurat method (Marsaglia & Tsang 2000, in Doornik's
//     2005 form with the layer index and the abscissa from disjoint random bits),
//     the normals of the simulations: about twice as fast, two 32-bit draws per
//     variate in 98.5% of calls and no log, sqrt or division there.
// Both need only +, ×, ÷, sqrt, exp and log; the basic operations are correctly
// rounded everywhere and V8 computes exp and log with its own port of fdlibm, so
// the numbers are identical on every machine running the same Node.js major
// version.
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

  /**
   * Standard normal variate by the ziggurat method (tables: ziggurat() below).
   * Each attempt draws two 32-bit words a, b: the low 8 bits of a pick the layer
   * i, bit 8 the sign, and the other 23 bits of a with the top 30 of b form a
   * 53-bit integer m, so z = m·2⁻⁵³·x_i is uniform on [0, x_i) at the full
   * resolution of a double (no visible discretisation, and the index bits are
   * not reused in z: Doornik's fix of the 2000 method's correlation). z < x_{i+1}
   * lies under the density: accepted at once. Otherwise, layer 0 goes to the
   * tail beyond r (zigguratTail()) and the other layers accept z when a uniform
   * height in the layer lies below exp(−z²/2); a rejection starts over.
   */
  zigguratNormal(): number {
    const { x, f, w } = ziggurat();
    for (;;) {
      const a = this.nextUint32();
      const i = a & 255;
      let z = ((a >>> 9) * 1073741824 + (this.nextUint32() >>> 2)) * w[i];
      if (z >= x[i + 1]) {
        if (i === 0) z = this.zigguratTail();
        else if (f[i] + this.uniform() * (f[i + 1] - f[i]) >= Math.exp(-0.5 * z * z)) continue;
      }
      return z * (1 - ((a >>> 7) & 2)); // bit 8 of a: the sign, ±1
    }
  }

  /**
   * A standard normal variate conditioned on Z > r = ziggurat().r, by
   * Marsaglia's tail method: t = −ln U₁/r, e = −ln U₂ (exponential, rate r and
   * 1), accepted when 2e ≥ t², gives r + t. The ziggurat's base layer beyond r.
   */
  zigguratTail(): number {
    const r = ziggurat().r;
    let t: number;
    let e: number;
    do {
      // 1 − uniform() is in (0, 1]: the logarithms are finite.
      t = -Math.log(1 - this.uniform()) / r;
      e = -Math.log(1 - this.uniform());
    } while (e + e < t * t);
    return r + t;
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

/** Layers of the ziggurat: a power of two (the index is 8 bits of a draw). */
const ZIGGURAT_LAYERS = 256;

/** The ziggurat's tables: r, the layer area v, and per layer k = 0 … N the abscissa x_k, f(x_k) and x_k·2⁻⁵³. */
export interface Ziggurat {
  readonly r: number;
  readonly v: number;
  readonly x: Float64Array;
  readonly f: Float64Array;
  readonly w: Float64Array;
}

let zigguratTables: Ziggurat | undefined;

/**
 * The ziggurat under f(x) = exp(−x²/2), x ≥ 0, in N = 256 layers of equal area v:
 * x_1 = r and x_{k+1} = f⁻¹(v/x_k + f(x_k)) = √(−2 ln(v/x_k + f(x_k))), so layer
 * k ≥ 1 is the rectangle [0, x_k] × [f(x_k), f(x_{k+1})] of area v; x_N = 0 makes
 * the top layer reach the mode. Layer 0 is the strip [0, r] × [0, f(r)] plus the
 * tail beyond r, area v = r f(r) + ∫_r^∞ f, sampled as the rectangle [0, x_0]
 * with x_0 = v/f(r) (z < r: the strip; else the tail). r is the root of the
 * closure condition x_{N−1}(1 − f(x_{N−1})) = v (the top layer has area v too),
 * found by bisection to adjacent doubles: 3.6541528853610088, Marsaglia & Tsang's
 * value (test/random checks the areas). w_k = x_k·2⁻⁵³ maps a 53-bit integer to
 * [0, x_k) exactly. Computed on first use (a few milliseconds, which programs
 * that never simulate do not pay at start-up).
 */
export function ziggurat(): Ziggurat {
  if (zigguratTables !== undefined) return zigguratTables;
  const n = ZIGGURAT_LAYERS;
  const density = (x: number): number => Math.exp(-0.5 * x * x);
  const layers = (r: number): { v: number; x: Float64Array } => {
    const v = r * density(r) + gaussianTail(r);
    const x = new Float64Array(n + 1);
    x[0] = v / density(r);
    x[1] = r;
    for (let k = 1; k < n - 1; k++) x[k + 1] = Math.sqrt(-2 * Math.log(v / x[k] + density(x[k])));
    return { v, x };
  };
  // Top-layer area minus v: increasing in r; −∞ when the layers pass the mode
  // before the last (v/x_k + f(x_k) > 1: r too small).
  const closure = (r: number): number => {
    const { v, x } = layers(r);
    const top = x[n - 1] * (1 - density(x[n - 1]));
    return Number.isNaN(top) ? -Infinity : top - v;
  };
  let lo = 3;
  let hi = 4;
  for (let mid = 3.5; mid !== lo && mid !== hi; mid = 0.5 * (lo + hi)) {
    if (closure(mid) < 0) lo = mid;
    else hi = mid;
  }
  const r = Math.abs(closure(lo)) < Math.abs(closure(hi)) ? lo : hi;
  const { v, x } = layers(r);
  zigguratTables = { r, v, x, f: x.map(density), w: x.map((xk) => xk * 2 ** -53) };
  return zigguratTables;
}

/**
 * ∫_r^∞ exp(−t²/2) dt = exp(−r²/2)·R(r) for r > 0, with Mills' ratio as the
 * continued fraction R(r) = 1/(r + 1/(r + 2/(r + 3/(r + …)))), evaluated from
 * depth 200 backwards (converged to double precision for r ≥ 2).
 */
export function gaussianTail(r: number): number {
  let d = r;
  for (let k = 200; k >= 1; k--) d = r + k / d;
  return Math.exp(-0.5 * r * r) / d;
}
