// The seeded generator: the original sequence of new Rng(seed) is unchanged (the
// zero test and the diffusion checks depend on it), streams are reproducible to
// the bit, distinct and uncorrelated, and normal() has the moments of N(0, 1).

import { describe, expect, it } from 'vitest';
import { FEISTEL_KEYS, Rng, fmix32, streamState } from '../../src/random/rng.ts';

describe('new Rng(seed): the original generator', () => {
  // Recorded before streams and normals were added.
  const golden: [number, number[], number, number][] = [
    [0, [3809008728, 1133695204, 53579671], 0.6732365118900101, 0.5649395594152828],
    [1, [2442144158, 3238099751, 3819917871], 0.4900204574360133, 2.9168431890371327],
    [42, [2837322924, 544945897, 479756282], 0.814939410083783, -1.868248961299314],
    [0xffffffff, [835879718, 1921286648, 2356205009], 0.4390675368031789, -0.7730852568071445],
  ];
  it.each(golden)('seed %i gives the recorded sequence', (seed, bits, u, b) => {
    const r = new Rng(seed);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual(bits);
    expect(r.uniform()).toBe(u);
    expect(r.between(-2, 3)).toBe(b);
  });
});

describe('new Rng(seed, stream): independent streams', () => {
  // Exact values: int32 arithmetic is the same everywhere; the normals use only
  // sqrt (correctly rounded) and V8's fdlibm log.
  const golden: [number, number, number[], number[], number[]][] = [
    [1, 0, [3521436377, 730043549, 3366662758, 2148229278], [277860428, 4176019822], [-2.8359117048391123, -0.8471822333710576, 0.5241528253428125]],
    [1, 1, [3864031529, 3648450423, 1495449892, 134457857], [4094424727, 1650736503], [1.2827271907129483, -0.9762818844328348, -0.8431890351972093]],
    [42, 7, [3902275937, 2815953045, 830492333, 1030133427], [2093029819, 3863303324], [0.17139728619012565, -0.9433514575151456, 0.41840096102985735]],
    [0xffffffff, 0xffffffff, [1522601654, 1105141105, 3504551978, 1523303957], [471232452, 3227277541], [-1.4922750447466337, -0.3928699060670478, -1.317860607106213]],
  ];
  it.each(golden)('seed %i, stream %i gives the recorded state, bits and normals', (seed, stream, state, bits, normals) => {
    expect(streamState(seed, stream)).toEqual(state);
    const r = new Rng(seed, stream);
    expect(r.state()).toEqual(state);
    expect([r.nextUint32(), r.nextUint32()]).toEqual(bits);
    expect([r.normal(), r.normal(), r.normal()]).toEqual(normals);
  });

  it('the same (seed, stream) always gives the same numbers', () => {
    const a = new Rng(123, 456);
    const b = new Rng(123, 456);
    for (let i = 0; i < 1000; i++) expect(a.normal()).toBe(b.normal());
  });

  it('maps (seed, stream) to distinct states (the Feistel network is a bijection)', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 64; seed++) {
      for (let stream = 0; stream < 2048; stream++) seen.add(streamState(seed, stream).slice(0, 2).join(','));
    }
    expect(seen.size).toBe(64 * 2048);
  });

  it('inverts the Feistel rounds: the first two state words determine (seed, stream)', () => {
    const invert = (a0: number, b0: number): [number, number] => {
      let a = a0;
      let b = b0;
      for (let r = 3; r >= 0; r--) {
        b = (b ^ fmix32((a + FEISTEL_KEYS[2 * r + 1]) | 0)) >>> 0;
        a = (a ^ fmix32((b + FEISTEL_KEYS[2 * r]) | 0)) >>> 0;
      }
      return [a, b];
    };
    for (const [seed, stream] of [[0, 0], [1, 2], [0xdeadbeef, 12345], [0xffffffff, 0]]) {
      const [a, b] = streamState(seed, stream);
      expect(invert(a, b)).toEqual([seed >>> 0, stream >>> 0]);
    }
  });

  it('neighbouring streams are uncorrelated (|r| < 4/√n) and differ from the plain generator', () => {
    const n = 20000;
    const streams = [new Rng(7, 0), new Rng(7, 1), new Rng(8, 0), new Rng(7)];
    const xs = streams.map((r) => Float64Array.from({ length: n }, () => r.normal()));
    const corr = (a: Float64Array, b: Float64Array): number => {
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      for (let i = 0; i < n; i++) {
        sab += a[i] * b[i];
        saa += a[i] * a[i];
        sbb += b[i] * b[i];
      }
      return sab / Math.sqrt(saa * sbb);
    };
    for (let i = 0; i < xs.length; i++) {
      for (let j = i + 1; j < xs.length; j++) expect(Math.abs(corr(xs[i], xs[j]))).toBeLessThan(4 / Math.sqrt(n));
    }
  });
});

describe('Rng.normal(): Marsaglia polar method', () => {
  const n = 400_000;
  const r = new Rng(2024, 3);
  const z = Float64Array.from({ length: n }, () => r.normal());
  const moment = (k: number): number => z.reduce((s, x) => s + x ** k, 0) / n;

  it('has mean 0, variance 1, skewness 0 and kurtosis 3 within 4 standard errors', () => {
    // Standard errors of the sample moments of N(0,1): √(Var zᵏ / n), Var z = 1, Var z² = 2, Var z³ = 15, Var z⁴ = 96.
    expect(Math.abs(moment(1))).toBeLessThan(4 * Math.sqrt(1 / n));
    expect(Math.abs(moment(2) - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(moment(3))).toBeLessThan(4 * Math.sqrt(15 / n));
    expect(Math.abs(moment(4) - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
  });

  it('matches the normal distribution function (Kolmogorov–Smirnov, 1% level)', () => {
    const sorted = Float64Array.from(z).sort();
    const Phi = (x: number): number => 0.5 * (1 + erfApprox(x / Math.SQRT2));
    let d = 0;
    for (let i = 0; i < n; i += 7) d = Math.max(d, Math.abs(Phi(sorted[i]) - (i + 0.5) / n));
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
  });

  it('returns the pair in order: the spare is the second variate of the same pair', () => {
    const a = new Rng(5, 5);
    const b = new Rng(5, 5);
    let u: number;
    let w: number;
    let s: number;
    do {
      u = 2 * b.uniform() - 1;
      w = 2 * b.uniform() - 1;
      s = u * u + w * w;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    expect(a.normal()).toBe(u * f);
    expect(a.normal()).toBe(w * f);
  });
});

/** erf to ~1e-7 (Abramowitz & Stegun 7.1.26 is too coarse for the KS test; use a series/continued fraction split). */
function erfApprox(x: number): number {
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    // Maclaurin series.
    let term = a;
    let sum = a;
    for (let k = 1; k < 80; k++) {
      term *= (-a * a) / k;
      sum += term / (2 * k + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    r = 1 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * (1 - 1 / (2 * a * a) + 3 / (4 * a ** 4));
  }
  return x < 0 ? -r : r;
}
